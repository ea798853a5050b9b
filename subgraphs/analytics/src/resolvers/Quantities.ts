import { labelLanguage } from '@nguon/shared';
import { languages } from '../answers';
import type { AggregateResultResolvers, ProducedQuantityResolvers } from '../generated/graphql';
import { unitLabel } from '../units';

/** A product's volume: the unit's words in the asked language, the code unchanged. */
export const ProducedQuantity: ProducedQuantityResolvers = {
  unitLabel: (q, { lang }, ctx) => unitLabel(q.unit, labelLanguage(languages(lang, ctx.langs, ['lang']))),
};

/** An aggregate's figures: each unit in words, in the language of the answer's labels (`lang`), beside its code. */
export const AggregateResult: AggregateResultResolvers = {
  rows: (r) => r.rows.map((row) => ({ ...row, values: row.values.map((v) => ({ ...v, unitLabel: unitLabel(v.unit, r.lang) })) })),
};
