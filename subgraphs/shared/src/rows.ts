/**
 * The one decode layer for raw rows (`db.execute`, `Connection.rows`): drivers
 * differ. postgres.js (through drizzle) gives timestamps and numerics as
 * strings, booleans of some expressions as 't'/'f', and may give jsonb as text;
 * PGlite gives Date objects, booleans and parsed JSON. Every data module that
 * reads raw SQL parses its columns with these, so a row means the same on both.
 */
export const asDate = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));
export const asNumber = (value: unknown): number => Number(value);
export const asNullableNumber = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
export const asJson = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));
export const asBoolean = (value: unknown): boolean => value === true || value === 't' || value === 'true';
