/**
 * Raw rows from `db.execute` differ by driver: postgres.js (through drizzle)
 * gives timestamps and numerics as strings and may give jsonb as text; PGlite
 * gives Date objects and parsed JSON. These parse them the same way.
 */
export const asDate = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));
export const asNumber = (value: unknown): number => Number(value);
export const asNullableNumber = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
export const asJson = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));

export { textArray, uuidArray } from '@nguon/shared';
