import { describe, expect, it } from 'vitest';
import { LABEL_LANGUAGES, type LabelTable } from '@nguon/shared';
import { BIZ_STEPS, DISPOSITIONS, labelOf, LOCAL_BIZ_STEPS } from '../src/epcis/vocabulary';
import { LOCK_REASONS, reasonLabel, type FlagReasonCode } from '../src/data/consumer';

const FLAG_REASONS: FlagReasonCode[] = ['NOT_ISSUED', 'SCANNED_TOO_OFTEN', 'SCANNED_FAR_APART', 'FLAGGED'];

const complete = (name: string, table: LabelTable) => {
  for (const [code, label] of Object.entries(table)) {
    for (const lang of LABEL_LANGUAGES) expect(label[lang]?.trim(), `${name}.${code}.${lang}`).toBeTruthy();
  }
};

describe('CBV labels in every enabled language', () => {
  it('labels every bizStep and disposition in vi, en, zh, ko and ja', () => {
    complete('bizSteps', BIZ_STEPS);
    complete('localBizSteps', LOCAL_BIZ_STEPS);
    complete('dispositions', DISPOSITIONS);
    // CBV 2.0 has 41 bizSteps and 33 dispositions: none is left without words.
    expect(Object.keys(BIZ_STEPS)).toHaveLength(41);
    expect(Object.keys(DISPOSITIONS)).toHaveLength(33);
  });

  it('answers in the wanted language by base tag, Vietnamese for any other, and an unknown word as it is', () => {
    expect(labelOf('bizStep', 'shipping', 'zh-CN')).toBe('发货');
    expect(labelOf('bizStep', 'harvesting', 'ja')).toBe('収穫');
    expect(labelOf('disposition', 'recalled', 'ko')).toBe('리콜됨');
    expect(labelOf('bizStep', 'shipping', 'en-US')).toBe('Shipping');
    expect(labelOf('bizStep', 'shipping', 'fr')).toBe('Xuất hàng');
    expect(labelOf('bizStep', 'urn:x-local:weighing', 'en')).toBe('urn:x-local:weighing');
  });

  it("words every serial's flag and lock reason in every language", () => {
    for (const code of [...FLAG_REASONS, ...LOCK_REASONS, 'NOT_SERIALISED'] as const) {
      for (const lang of LABEL_LANGUAGES) expect(reasonLabel(code, lang), `${code}.${lang}`).toBeTruthy();
    }
  });
});
