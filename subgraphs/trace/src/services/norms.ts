import { badInput, refused, type Database } from '@nguon/shared';
import { seasonNorm, type AreaFact } from '../data/catalog';
import { claimedOnArea, lockAreaSeason } from '../data/lots';
import type { NormCheckModel } from '../models';

/**
 * Plausibility of a lot against its production area's season norm
 * (docs/write-authority.md): a lot, alone and summed with every other lot of
 * the same area and season (REJECTED excluded), must fit
 * hectares × expected yield per hectare × (1 + tolerance).
 */

/** Mass units we convert between, as kilograms. Anything else is only comparable to itself. */
const KILOGRAMS: Record<string, number> = { KGM: 1, TNE: 1000 };

/** `quantity` of `from` expressed in `to`; null when the two units cannot be compared. */
export function convert(quantity: number, from: string, to: string): number | null {
  if (from === to) return quantity;
  const a = KILOGRAMS[from];
  const b = KILOGRAMS[to];
  return a !== undefined && b !== undefined ? (quantity * a) / b : null;
}

/** Floating-point sums of decimals must not refuse a lot that fits exactly. */
const EPSILON = 1e-9;
const round = (n: number) => Math.round(n * 1e6) / 1e6;

export interface NormInput {
  areaId: string;
  season: string;
  hectares: number;
  yieldPerHectare: number;
  tolerance: number;
  /** The unit of the yield norm: every figure of the result is in it. */
  unit: string;
  /** Quantity of the other lots of the area and season, already in `unit`. */
  alreadyClaimed: number;
  /** This lot's quantity, already in `unit`. */
  requested: number;
}

/** The pure rule: capacity, what would be claimed with this lot, and whether that is over. */
export function evaluateNorm(input: NormInput): NormCheckModel {
  const capacity = input.hectares * input.yieldPerHectare * (1 + input.tolerance);
  const claimed = input.alreadyClaimed + input.requested;
  return {
    areaId: input.areaId,
    season: input.season,
    checked: true,
    hectares: input.hectares,
    yieldPerHectare: input.yieldPerHectare,
    tolerance: input.tolerance,
    capacity: round(capacity),
    alreadyClaimed: round(input.alreadyClaimed),
    requested: round(input.requested),
    claimed: round(claimed),
    unit: input.unit,
    exceeded: claimed > capacity * (1 + EPSILON) + EPSILON,
  };
}

/** The record kept for a lot whose area has no norm for its season: not checked, and it says so. */
export const uncheckedNorm = (areaId: string, season: string): NormCheckModel => ({
  areaId,
  season,
  checked: false,
  hectares: null,
  yieldPerHectare: null,
  tolerance: null,
  capacity: null,
  alreadyClaimed: null,
  requested: null,
  claimed: null,
  unit: null,
  exceeded: false,
});

/**
 * Checks a lot inside the writing transaction. Takes a transaction-scoped
 * lock on the area and season first, so two lots created at once are summed
 * one after the other and cannot both slip under the capacity. `excludeLotId`
 * leaves out the lot's own stored quantity when it is being corrected.
 */
export async function checkNorm(
  tx: Database,
  lot: { area: AreaFact; season: string; quantity: number; unit: string; excludeLotId?: string; field: string },
): Promise<NormCheckModel> {
  await lockAreaSeason(tx, lot.area.id, lot.season);
  const norm = await seasonNorm(tx, lot.area.id, lot.season);
  if (!norm) return uncheckedNorm(lot.area.id, lot.season);
  const requested = convert(lot.quantity, lot.unit, norm.yieldUnit);
  if (requested === null) {
    throw badInput(
      `The lot is in ${lot.unit} but the area's season norm is in ${norm.yieldUnit}; give the quantity in ${norm.yieldUnit} (or KGM/TNE).`,
      lot.field.replace(/quantity$/, 'unit'),
    );
  }
  let alreadyClaimed = 0;
  for (const { unit, quantity } of await claimedOnArea(tx, lot.area.id, lot.season, lot.excludeLotId ?? null)) {
    // Lots in units that do not compare (recorded before the check existed) cannot be summed: they are left out.
    alreadyClaimed += convert(quantity, unit, norm.yieldUnit) ?? 0;
  }
  return evaluateNorm({
    areaId: lot.area.id,
    season: lot.season,
    hectares: lot.area.hectares,
    yieldPerHectare: norm.expectedYieldPerHectare,
    tolerance: norm.tolerance,
    unit: norm.yieldUnit,
    alreadyClaimed,
    requested,
  });
}

/** The refusal when a lot does not fit and the caller did not ask for review. */
export function normExceeded(check: NormCheckModel, field: string) {
  return refused(
    'NORM_EXCEEDED',
    `The area's ${check.season} norm allows ${check.capacity} ${check.unit} (tolerance included); ${check.alreadyClaimed} ${check.unit} are already claimed and this lot asks ${check.requested} ${check.unit}. Ask for review (onNormExceeded: REVIEW) if the figure is right.`,
    field,
    { capacity: check.capacity, alreadyClaimed: check.alreadyClaimed, requested: check.requested, unit: check.unit },
  );
}
