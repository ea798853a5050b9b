import { badInput, canReadInternal, isLanguageTag, isUuid, labelLanguage, lotCodeProblem, type LabelLanguage, type Viewer } from '@nguon/shared';
import type { Context } from '../context';
import type { LotModel, TraceEventModel } from '../models';

/** A draft lot looks missing to anyone who may not read its owner's internals. */
export const visibleLot = (viewer: Viewer, lot: LotModel | null): LotModel | null =>
  lot && (lot.scope.published || canReadInternal(viewer, lot.scope.path)) ? lot : null;

export async function loadVisibleLot(ctx: Context, id: string): Promise<LotModel | null> {
  return isUuid(id) ? visibleLot(ctx.viewer, await ctx.loaders.lot.load(id.toLowerCase())) : null;
}

/** An event is public when it names a public lot; otherwise only its capturer's side sees it. */
export const visibleEvent = (viewer: Viewer, event: TraceEventModel | null): TraceEventModel | null =>
  event && (event.scope.published || canReadInternal(viewer, event.scope.path)) ? event : null;

/** A serial number (GS1 AI 21) follows the lot code's rules; null and undefined pass as null. */
export function checkSerial(serial: string | null | undefined, field: string): string | null {
  if (serial === null || serial === undefined) return null;
  const problem = lotCodeProblem(serial);
  if (problem) throw badInput(problem.replace('A lot code', 'A serial number'), field);
  return serial;
}

/** Labels exist in every enabled language (shared languages.ts): an explicit tag wins, then Accept-Language, then vi. */
export function labelLang(lang: string | null | undefined, ctx: Context): LabelLanguage {
  if (lang !== null && lang !== undefined && !isLanguageTag(lang)) throw badInput(`"${lang}" is not a BCP 47 language tag (e.g. vi, en, zh).`, 'lang');
  return labelLanguage([lang, ...ctx.langs]);
}
