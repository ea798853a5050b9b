/**
 * FDA FSMA 204 (21 CFR 1.1325–1.1350): which EPCIS events are critical
 * tracking events, the columns of FDA's electronic sortable spreadsheet, and
 * one graph TraceEvent → its rows. Rules only: the gateway's
 * `/exports/fsma204.csv` reads the events through the graph as its caller and
 * streams what these functions make of them.
 */

type Json = Record<string, any>;

/** FSMA 204 critical tracking events (21 CFR 1.1325–1.1350). */
export type Cte = 'Harvesting' | 'Cooling' | 'Initial Packing' | 'First Land-Based Receiving' | 'Shipping' | 'Receiving' | 'Transformation';

/**
 * CBV 2.0 business step → CTE. CBV has no cooling or landing step, so the
 * bare words `cooling` and `first_land_based_receiving`/`landing` (user
 * vocabulary) are read as those CTEs. Packing recorded on the harvested lot
 * itself (an ObjectEvent) is initial packing; packing that makes new lots
 * from inputs (a TransformationEvent) is transformation, as is every other
 * transformation and the commissioning of a new lot. Steps that are no CTE
 * (inspecting, storing, retail selling, …) are not in the spreadsheet.
 */
export function cteOf(event: { type: string; bizStep: string | null }): Cte | null {
  if (event.type === 'TRANSFORMATION_EVENT') return 'Transformation';
  switch (event.bizStep) {
    case 'harvesting':
      return 'Harvesting';
    case 'cooling':
      return 'Cooling';
    case 'packing':
      return 'Initial Packing';
    case 'landing':
    case 'first_land_based_receiving':
      return 'First Land-Based Receiving';
    case 'shipping':
    case 'departing':
      return 'Shipping';
    case 'receiving':
    case 'arriving':
      return 'Receiving';
    case 'commissioning':
    case 'creating_class_instance':
    case 'transforming':
      return 'Transformation';
    default:
      return null;
  }
}

/** The columns of FDA's sortable spreadsheet template, in its order, plus the EPCIS event id the row comes from. */
export const FSMA_COLUMNS = [
  'Critical Tracking Event',
  'Traceability Lot Code',
  'Traceability Lot Code Source Location Description',
  'Traceability Lot Code Source Reference',
  'Product Description',
  'Product Identifier (GTIN)',
  'Quantity',
  'Unit of Measure',
  'Location Description',
  'Location Identifier',
  'Date',
  'Time',
  'Ship-From Location Description',
  'Ship-From Location Identifier',
  'Ship-To Location Description',
  'Ship-To Location Identifier',
  'Input Traceability Lot Codes',
  'Reference Document Type',
  'Reference Document Number',
  'EPCIS Event ID',
] as const;
export type FsmaRow = Record<(typeof FSMA_COLUMNS)[number], string>;

/** Columns every row of a CTE must fill (21 CFR 1.1325–1.1350); the rest are blank when they do not apply. */
export const FSMA_REQUIRED: Record<Cte, (typeof FSMA_COLUMNS)[number][]> = (() => {
  const common = [
    'Critical Tracking Event',
    'Traceability Lot Code',
    'Traceability Lot Code Source Location Description',
    'Traceability Lot Code Source Reference',
    'Product Description',
    'Quantity',
    'Unit of Measure',
    'Location Description',
    'Location Identifier',
    'Date',
    'Reference Document Type',
    'Reference Document Number',
  ] as const;
  const moving = [
    ...common,
    'Ship-From Location Description',
    'Ship-From Location Identifier',
    'Ship-To Location Description',
    'Ship-To Location Identifier',
  ] as const;
  return {
    Harvesting: [...common],
    Cooling: [...common],
    'Initial Packing': [...common],
    'First Land-Based Receiving': [...common],
    Shipping: [...moving],
    Receiving: [...moving],
    Transformation: [...common, 'Input Traceability Lot Codes'],
  };
})();

const DOCUMENT_TYPES: Record<string, string> = {
  desadv: 'Despatch Advice (ASN)',
  inv: 'Invoice',
  po: 'Purchase Order',
  poc: 'Purchase Order Confirmation',
  bol: 'Bill of Lading',
  recadv: 'Receiving Advice',
  prodorder: 'Production Order',
  cert: 'Certificate',
  rma: 'Return Merchandise Authorization',
};

interface Org {
  name: { text: string } | null;
  address: string | null;
  gln: string | null;
  path: string;
}
/** A production area as the harvesting CTE names it: the growing area's name and its SGLN. */
interface Area {
  name: { text: string } | null;
  gln: string | null;
  glnExtension: string | null;
}
const describe = (o: Org | null | undefined) => (o ? [o.name?.text, o.address].filter(Boolean).join(', ') : '');
const glnLabel = (gln: string, extension: string | null) => (extension ? `GLN ${gln} extension ${extension}` : `GLN ${gln}`);
/** A GLN where there is one; otherwise the organization's node in the city's tree (FDA accepts any identifier the firm uses). */
const identify = (o: Org | null | undefined) => (o ? (o.gln ? glnLabel(o.gln, null) : `Nguồn ${o.path}`) : '');
/** An event's own location: a bare GLN labelled as one; an SGLN or any other URI as recorded. */
const locationId = (v: string) => (/^\d{13}$/.test(v) ? glnLabel(v, null) : v);

/** One row per lot of the asked product the event names (the outputs, for a transformation). */
export function fsmaRows(event: Json, wanted: ReadonlySet<string>): FsmaRow[] {
  const cte = cteOf(event as { type: string; bizStep: string | null });
  if (!cte) return [];
  const lots = (event.type === 'TRANSFORMATION_EVENT' ? event.outputs : event.quantities) as Json[];
  const party = (list: Json[], fallback: Org) =>
    (list.find((p) => p.type === 'location') ?? list.find((p) => p.type === 'possessing_party') ?? list[0])?.organization ?? fallback;
  const from: Org | null = cte === 'Shipping' || cte === 'Receiving' ? party(event.sourceParties, event.organization) : null;
  const to: Org | null = cte === 'Shipping' || cte === 'Receiving' ? party(event.destinationParties, event.organization) : null;
  const docs = (event.bizTransactions as { type: string; id: string }[]).filter((t) => t.id);
  const [date, time] = String(event.localEventTime).split('T') as [string, string];
  const own = event.bizLocation ?? event.readPoint;
  return lots
    .filter((q) => wanted.has(q.lotId) && q.lot)
    .map((q) => {
      // Harvesting names the field or growing area (21 CFR 1.1327): the lot's production area, by name and SGLN.
      const area: Area | null = cte === 'Harvesting' ? (q.lot.productionArea ?? null) : null;
      return {
        'Critical Tracking Event': cte,
        'Traceability Lot Code': q.lot.lotCode,
        'Traceability Lot Code Source Location Description': describe(q.lot.owner),
        'Traceability Lot Code Source Reference': identify(q.lot.owner),
        'Product Description': q.lot.product?.name?.text ?? '',
        'Product Identifier (GTIN)': q.lot.product?.gtin ?? '',
        Quantity: q.quantity === null || q.quantity === undefined ? '' : String(q.quantity),
        'Unit of Measure': q.unit ?? '',
        'Location Description': [describe(event.organization), area?.name?.text].filter(Boolean).join(', '),
        'Location Identifier': own ? locationId(own) : area?.gln ? glnLabel(area.gln, area.glnExtension) : identify(event.organization),
        Date: date,
        Time: time ?? '',
        'Ship-From Location Description': describe(from),
        'Ship-From Location Identifier': identify(from),
        'Ship-To Location Description': describe(to),
        'Ship-To Location Identifier': identify(to),
        'Input Traceability Lot Codes': cte === 'Transformation' ? (event.inputs as Json[]).map((i) => i.lot?.lotCode ?? `lot ${i.lotId}`).join('; ') : '',
        // With no business document the EPCIS event itself is the record of the CTE.
        'Reference Document Type': docs.length ? docs.map((d) => DOCUMENT_TYPES[d.type] ?? d.type).join('; ') : 'EPCIS Event',
        'Reference Document Number': docs.length ? docs.map((d) => d.id).join('; ') : event.eventID,
        'EPCIS Event ID': event.eventID,
      };
    });
}

const CTE_ORDER: Cte[] = ['Harvesting', 'Cooling', 'Initial Packing', 'First Land-Based Receiving', 'Transformation', 'Shipping', 'Receiving'];

/** The spreadsheet's order: by lot, then date and time, then the CTEs' own order. */
export const compareFsmaRows = (a: FsmaRow, b: FsmaRow) =>
  a['Traceability Lot Code'].localeCompare(b['Traceability Lot Code']) ||
  a.Date.localeCompare(b.Date) ||
  a.Time.localeCompare(b.Time) ||
  CTE_ORDER.indexOf(a['Critical Tracking Event'] as Cte) - CTE_ORDER.indexOf(b['Critical Tracking Event'] as Cte);
