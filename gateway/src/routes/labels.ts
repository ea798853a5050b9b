import { digitalLinkUri } from '@nguon/shared/digitallink/parse';
import type { EdgeRoute } from '../edge';
import { labelSheet, MAX_LABELS } from '../digitallink/labels';

// `quantity` is INTERNAL: only the lot's own organization and its supervisors read it, so asking for it is how the
// edge learns, from the graph's own rules, whether this caller may print the lot's labels (docs/write-authority.md).
// (An alias, because quantity is non-null: its refusal nulls only `own`, not the label data.)
const LOT = `query LabelLot($id: ID!) { lot(id: $id) { lotCode expiresOn product { gtin name { text } } } own: lot(id: $id) { quantity } }`;

/**
 * GET /labels/lots/{lotId}.pdf[?from=1&to=500&columns=3&rows=8&ec=M]
 * Printable label sheets: QR + product name + lot + expiry, N per A4 page,
 * one per lot or one per serial of a range. Printing genuine labels is an act
 * of the lot's owner: only its own organization and its supervisors may,
 * never another producer or store that merely sees the published lot.
 */
export function labelRoute(): EdgeRoute {
  return async (req, res, edge) => {
    const url = new URL(req.url ?? '/', 'http://edge');
    const match = /^\/labels\/lots\/([0-9a-f-]{36})\.pdf$/.exec(url.pathname);
    if (!match || req.method !== 'GET') return false;
    const viewer = await edge.authenticate();
    const fail = (status: number, message: string) => {
      const code = status === 404 ? 'NOT_FOUND' : status === 401 ? 'UNAUTHENTICATED' : status === 403 ? 'FORBIDDEN' : 'BAD_USER_INPUT';
      const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return true;
    };
    if (viewer.kind === 'anonymous') return fail(401, 'Sign in to print labels.');
    if (!edge.allow(viewer)) return true;
    const int = (name: string, fallback: number) => {
      const value = url.searchParams.get(name);
      return value === null ? fallback : /^\d{1,7}$/.test(value) ? Number(value) : NaN;
    };
    const columns = int('columns', 3);
    const rows = int('rows', 8);
    const from = int('from', 0);
    const to = int('to', 0);
    const ec = (url.searchParams.get('ec') ?? 'M').toUpperCase();
    if (!(columns >= 1 && columns <= 6 && rows >= 1 && rows <= 12)) return fail(400, '`columns` is 1–6 and `rows` 1–12.');
    if (!['L', 'M', 'Q', 'H'].includes(ec)) return fail(400, '`ec` is L, M, Q or H.');
    if (Number.isNaN(from) || Number.isNaN(to) || (from > 0 && to < from)) return fail(400, '`from` and `to` are serial numbers with from ≤ to.');
    if (from > 0 && to - from + 1 > MAX_LABELS) return fail(400, `At most ${MAX_LABELS} labels per sheet.`);
    const result = await edge.execute(LOT, { id: match[1] }, viewer);
    const lot = result.data?.lot;
    if (!lot?.product?.gtin) return fail(404, 'The lot was not found.');
    if (typeof result.data?.own?.quantity !== 'number') return fail(403, "Only the lot's own organization and its supervisors may print its labels.");
    const serials = from > 0 ? Array.from({ length: to - from + 1 }, (_, i) => String(from + i)) : [null];
    const labels = serials.map((serial) => ({
      uri: digitalLinkUri(edge.publicBaseUrl, { gtin: lot.product.gtin, lot: lot.lotCode, serial, expiresOn: lot.expiresOn }),
      productName: lot.product.name.text,
      lotCode: lot.lotCode,
      expiresOn: lot.expiresOn,
      serial,
    }));
    const pdf = await labelSheet(labels, { columns, rows, errorCorrection: ec as 'L' | 'M' | 'Q' | 'H' });
    res.writeHead(200, {
      'content-type': 'application/pdf',
      'content-disposition': `inline; filename="labels-${lot.lotCode}.pdf"`,
      'content-length': pdf.length,
      'cache-control': 'private, no-store',
    });
    res.end(pdf);
    return true;
  };
}
