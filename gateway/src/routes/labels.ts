import { digitalLinkUri } from '@nguon/gs1/digitallink/parse';
import type { EdgeRoute } from '../edge';
import { graphql } from '../generated';
import { labelSheet, MAX_LABELS } from '../digitallink/labels';
import { signedIn } from '../http/guard';
import { Problem } from '../http/problem';

// `quantity` is INTERNAL: only the lot's own organization and its supervisors read it, so asking for it is how the
// edge learns, from the graph's own rules, whether this caller may print the lot's labels (docs/write-authority.md).
// (An alias, because quantity is non-null: its refusal nulls only `own`, not the label data.)
const LOT = graphql(`
  query LabelLot($id: ID!) {
    lot(id: $id) {
      lotCode
      expiresOn
      product {
        gtin
        name {
          text
        }
      }
    }
    own: lot(id: $id) {
      quantity
    }
  }
`);

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
    const viewer = await signedIn(edge, 'Sign in to print labels.');
    if (!edge.allow(viewer)) return true;
    const invalid = (detail: string) => new Problem('BAD_USER_INPUT', detail);
    const int = (name: string, fallback: number) => {
      const value = url.searchParams.get(name);
      return value === null ? fallback : /^\d{1,7}$/.test(value) ? Number(value) : NaN;
    };
    const columns = int('columns', 3);
    const rows = int('rows', 8);
    const from = int('from', 0);
    const to = int('to', 0);
    const ec = (url.searchParams.get('ec') ?? 'M').toUpperCase();
    if (!(columns >= 1 && columns <= 6 && rows >= 1 && rows <= 12)) throw invalid('`columns` is 1–6 and `rows` 1–12.');
    if (!['L', 'M', 'Q', 'H'].includes(ec)) throw invalid('`ec` is L, M, Q or H.');
    if (Number.isNaN(from) || Number.isNaN(to) || (from > 0 && to < from)) throw invalid('`from` and `to` are serial numbers with from ≤ to.');
    if (from > 0 && to - from + 1 > MAX_LABELS) throw invalid(`At most ${MAX_LABELS} labels per sheet.`);
    const result = await edge.execute(LOT, { id: match[1]! }, viewer);
    const lot = result.data?.lot;
    const product = lot?.product;
    if (!lot || !product?.gtin) throw new Problem('NOT_FOUND', 'The lot was not found.');
    const gtin = product.gtin;
    if (typeof result.data?.own?.quantity !== 'number')
      throw new Problem('FORBIDDEN', "Only the lot's own organization and its supervisors may print its labels.");
    const serials = from > 0 ? Array.from({ length: to - from + 1 }, (_, i) => String(from + i)) : [null];
    const labels = serials.map((serial) => ({
      uri: digitalLinkUri(edge.publicBaseUrl, { gtin, lot: lot.lotCode, serial, expiresOn: lot.expiresOn }),
      productName: product.name.text,
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
