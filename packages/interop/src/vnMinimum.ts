/**
 * Vietnam's minimum traceability data set (Circular 02/2024/TT-BKHCN,
 * docs/vn-minimum-data.md): the ten items, one graph Lot → its record with
 * what it lacks, and a producer's completeness over its lots. Rules only: the
 * gateway's `/exports/vn-minimum/…` routes read lots through the graph as
 * their caller and answer what these functions make of them.
 */

type Json = Record<string, any>;

/**
 * Where a timeline event happened, as one code (Circular 02/2024 item 5, in the per-lot record and
 * the exports): the public code (publicLocationCode) where there is one, else the organization's node
 * in the city's tree, which signed-in readers of a record may see and a public page never shows.
 */
export function locationCode(event: {
  bizLocation?: string | null;
  readPoint?: string | null;
  organization?: { gln?: string | null; path?: string | null } | null;
}): string | null {
  return publicLocationCode(event) ?? event.organization?.path ?? null;
}

/**
 * Where a timeline event happened, as a public page may show it: the event's own location, else its
 * organization's GLN — never the organization's node in the city's tree, which is an internal path
 * (issue 15). Null when none is recorded; the page then names the place only.
 */
export function publicLocationCode(event: {
  bizLocation?: string | null;
  readPoint?: string | null;
  organization?: { gln?: string | null } | null;
}): string | null {
  return event.bizLocation ?? event.readPoint ?? event.organization?.gln ?? null;
}

export const VN_MINIMUM_SCHEMA = 'https://nguon.example/schemas/vn-minimum-data/1.0';

/** The ten items of the Circular, in its order, with whether an absent value is a gap ("if any" items are not). */
export const VN_ITEMS = [
  { item: 1, key: 'productName', required: true },
  { item: 2, key: 'productImage', required: true },
  { item: 3, key: 'producerName', required: true },
  { item: 4, key: 'producerAddress', required: true },
  { item: 5, key: 'stages', required: true },
  { item: 6, key: 'productionTime', required: true },
  { item: 7, key: 'traceabilityCode', required: true },
  { item: 8, key: 'brandOrSerial', required: false },
  { item: 9, key: 'expiry', required: false },
  { item: 10, key: 'standardsApplied', required: true },
] as const;

/** A graph Lot → the documented minimum data record (docs/vn-minimum-data.md). */
export function vnMinimumRecord(lot: Json, generatedAt = new Date().toISOString()): Json {
  const product = lot.product ?? null;
  const owner = lot.owner ?? null;
  const standards = ((product?.certifications ?? []) as Json[])
    // A certificate counts only while it is valid: an expired one is never claimed.
    .filter((c) => c.status === 'VALID')
    .map((c) => ({ scheme: c.schemeName, number: c.number, issuer: c.issuer, validFrom: c.validFrom, validTo: c.validTo }));
  const stages = ((lot.timeline ?? []) as Json[]).map((e) => ({
    step: e.bizStep ?? null,
    stepLabel: e.bizStepLabel ?? null,
    traceCode: lot.lotCode,
    locationCode: locationCode(e),
    locationName: e.organization?.name?.text ?? null,
    time: e.localEventTime,
    eventID: e.eventID,
    corrects: e.corrects ?? null,
  }));
  const values: Record<(typeof VN_ITEMS)[number]['key'], unknown> = {
    productName: product?.name?.text || null,
    productImage: product?.images?.[0]?.url ?? null,
    producerName: owner?.name?.text || null,
    producerAddress: owner?.address || null,
    stages: stages.length ? stages : null,
    productionTime: lot.producedOn ?? null,
    traceabilityCode: lot.digitalLink ?? null,
    brandOrSerial: product?.brand || null,
    expiry: lot.expiresOn ?? null,
    standardsApplied: standards.length ? standards : null,
  };
  const items = VN_ITEMS.map(({ item, key, required }) => ({ item, key, status: values[key] !== null ? 'PRESENT' : required ? 'MISSING' : 'NOT_APPLICABLE' }));
  const missing = items.filter((i) => i.status === 'MISSING').map((i) => i.key);
  return {
    $schema: VN_MINIMUM_SCHEMA,
    recordId: lot.id,
    legalBasis: 'Thông tư 02/2024/TT-BKHCN',
    generatedAt,
    lot: { id: lot.id, lotCode: lot.lotCode, status: lot.status, season: lot.season ?? null },
    productName: product?.name ? { text: product.name.text, lang: product.name.lang } : null,
    productImage: values.productImage,
    producerName: values.producerName,
    producerAddress: values.producerAddress,
    producerGln: owner?.gln ?? null,
    stages,
    productionTime: values.productionTime,
    traceabilityCode: values.traceabilityCode,
    gtin: product?.gtin ?? null,
    brand: product?.brand || null,
    serial: null,
    expiry: values.expiry,
    standardsApplied: standards,
    completeness: { complete: missing.length === 0, missing, items },
  };
}

/** One lot's line in a producer's completeness report. */
export interface VnLotCompleteness {
  lotId: string;
  lotCode: string;
  status: string;
  productName: string | null;
  complete: boolean;
  missing: string[];
}

/** A lot's record → its completeness line. */
export function vnLotCompleteness(lot: { id: string; lotCode: string; status: string }, record: Json): VnLotCompleteness {
  return {
    lotId: lot.id,
    lotCode: lot.lotCode,
    status: lot.status,
    productName: record.productName?.text ?? null,
    complete: record.completeness.complete,
    missing: record.completeness.missing,
  };
}

/** Which of the required items each of a producer's lots lacks, and how many lots lack each. */
export function vnCompleteness(organizationId: string, lots: VnLotCompleteness[], generatedAt = new Date().toISOString()): Json {
  return {
    $schema: `${VN_MINIMUM_SCHEMA}/completeness`,
    organizationId,
    generatedAt,
    lotCount: lots.length,
    completeLotCount: lots.filter((l) => l.complete).length,
    missingByItem: Object.fromEntries(VN_ITEMS.filter((i) => i.required).map((i) => [i.key, lots.filter((l) => l.missing.includes(i.key)).length])),
    lots,
  };
}
