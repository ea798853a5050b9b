import { sql, type SQLWrapper } from 'drizzle-orm';
import { fixedLabel, labelLanguage, UNIT_LABELS } from '@nguon/shared';

/**
 * UN/ECE Rec 20 units that convert into one another: mass to kilograms,
 * volume to litres. Pieces (H87) and anything else stay in their own unit —
 * adding kilograms to pieces would be a lie, so volumes are reported per unit.
 */
const CONVERSIONS: Record<string, { to: string; factor: number }> = {
  GRM: { to: 'KGM', factor: 0.001 },
  KGM: { to: 'KGM', factor: 1 },
  TNE: { to: 'KGM', factor: 1000 },
  MLT: { to: 'LTR', factor: 0.001 },
  LTR: { to: 'LTR', factor: 1 },
};

export function canonicalUnitSql(unit: SQLWrapper) {
  const cases = Object.entries(CONVERSIONS).map(([from, c]) => sql`when ${sql.raw(`'${from}'`)} then ${sql.raw(`'${c.to}'`)}`);
  return sql`(case ${unit} ${sql.join(cases, sql` `)} else ${unit} end)`;
}

export function canonicalQuantitySql(quantity: SQLWrapper, unit: SQLWrapper) {
  const cases = Object.entries(CONVERSIONS)
    .filter(([, c]) => c.factor !== 1)
    .map(([from, c]) => sql`when ${sql.raw(`'${from}'`)} then ${quantity} * ${sql.raw(String(c.factor))}`);
  return sql`(case ${unit} ${sql.join(cases, sql` `)} else ${quantity} end)`;
}

/**
 * A unit code in words ("kilograms (kg)", "千克 (kg)") in `lang`, beside the
 * code that stays the value to compute with; null for a code without a label.
 */
export const unitLabel = (unit: string, lang: string): string | null => fixedLabel(UNIT_LABELS, unit, labelLanguage([lang]));
