import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { sql, type SQL } from 'drizzle-orm';
import { ErrorCode, inTransaction, rowsOf, sendError, type BaseContext, type Database, type Viewer } from '@nguon/shared';
import type { RollupKeeper } from './data/rollups';
import { exportStatement } from './data/aggregate';
import { loadLabels } from './data/labels';
import { PENDING_MEASURES, parseAggregateInput, type AggregateQuery, type Dimension, type Measure } from './query';
import type { SuppressionRule } from './suppression';

/**
 * CSV exports of any aggregate for ministry systems.
 *
 *   GET /export/aggregate.csv?measures=PRODUCTION_VOLUME,LOT_COUNT&groupBy=DISTRICT,SEASON
 *       &from=2025-01-01&to=2025-12-31&districtCodes=923,926&sectors=AGRICULTURE
 *       &categories=rice&producerIds=…&productIds=…&under=ct.agri&lang=vi|en
 *
 * Only API clients with the `aggregates:read` scope may export (people use
 * the `aggregate` query). The file is UTF-8 with a byte-order mark so
 * spreadsheet programs read Vietnamese correctly; headers are Vietnamese by
 * default or English with lang=en. Rows are streamed from a server-side
 * cursor, so a large export never sits in memory; one row per group and unit, ordered by the keys.
 * Figures withheld by small-cell suppression (as in the `aggregate` answer)
 * are empty cells, and a last column names each withheld measure and why
 * (PRODUCTION_VOLUME=FEW_LOTS); it is there whenever a measure that can be
 * withheld is asked for.
 */
export const EXPORT_PATH = '/export/aggregate.csv';
const BATCH = 500;

const HEADERS: Record<'vi' | 'en', { dims: Record<Dimension, [string, string]>; unit: string; suppressed: string; measures: Record<Measure, string> }> = {
  vi: {
    dims: {
      DISTRICT: ['Mã quận/huyện', 'Quận/huyện'],
      SECTOR: ['Mã ngành', 'Ngành'],
      CATEGORY: ['Mã danh mục', 'Danh mục'],
      PRODUCER: ['Mã cơ sở', 'Cơ sở sản xuất'],
      PRODUCT: ['Mã sản phẩm', 'Sản phẩm'],
      MONTH: ['Tháng (mã)', 'Tháng'],
      SEASON: ['Mùa vụ (mã)', 'Mùa vụ'],
    },
    unit: 'Đơn vị',
    suppressed: 'Số liệu bị ẩn',
    measures: {
      LOT_COUNT: 'Số lô',
      PRODUCTION_VOLUME: 'Sản lượng',
      PRODUCT_COUNT: 'Số sản phẩm',
      PRODUCER_COUNT: 'Số cơ sở sản xuất',
      RECALLED_LOT_COUNT: 'Số lô bị thu hồi',
      EVENT_COUNT: 'Số sự kiện truy xuất',
      SCAN_COUNT: 'Số lượt quét QR',
      RECALL_COUNT: 'Số đợt thu hồi',
      RECALL_HOURS_TO_IDENTIFY: 'Số giờ xác định lô bị ảnh hưởng',
      RECALL_RECOVERED_SHARE: 'Tỷ lệ thu hồi được',
    },
  },
  en: {
    dims: {
      DISTRICT: ['District code', 'District'],
      SECTOR: ['Sector code', 'Sector'],
      CATEGORY: ['Category code', 'Category'],
      PRODUCER: ['Producer id', 'Producer'],
      PRODUCT: ['Product id', 'Product'],
      MONTH: ['Month key', 'Month'],
      SEASON: ['Season key', 'Season'],
    },
    unit: 'Unit',
    suppressed: 'Suppressed',
    measures: {
      LOT_COUNT: 'Lots',
      PRODUCTION_VOLUME: 'Production volume',
      PRODUCT_COUNT: 'Products',
      PRODUCER_COUNT: 'Producers',
      RECALLED_LOT_COUNT: 'Recalled lots',
      EVENT_COUNT: 'Traceability events',
      SCAN_COUNT: 'QR scans',
      RECALL_COUNT: 'Recalls',
      RECALL_HOURS_TO_IDENTIFY: 'Hours to identify affected lots',
      RECALL_RECOVERED_SHARE: 'Share recovered',
    },
  },
};

/** RFC 4180 quoting; a leading =+-@ is neutralised so a label cannot become a spreadsheet formula. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const listParam = (params: URLSearchParams, name: string) => {
  const values = params
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  return values.length ? values : null;
};

/** Reads the query string into the same input the GraphQL field takes, then the same validation. */
export function parseExportRequest(viewer: Viewer, url: URL): { query: AggregateQuery; lang: 'vi' | 'en' } {
  const p = url.searchParams;
  const lang = (p.get('lang') ?? 'vi').toLowerCase().startsWith('en') ? 'en' : 'vi';
  const query = parseAggregateInput(
    viewer,
    {
      measures: listParam(p, 'measures'),
      groupBy: listParam(p, 'groupBy'),
      filter: {
        from: p.get('from'),
        to: p.get('to'),
        districtCodes: listParam(p, 'districtCodes'),
        sectors: listParam(p, 'sectors'),
        categories: listParam(p, 'categories'),
        producerIds: listParam(p, 'producerIds'),
        productIds: listParam(p, 'productIds'),
      },
      under: p.get('under'),
    },
    [],
  );
  return { query, lang };
}

/**
 * Streams the statement's rows in batches through a server-side cursor
 * (DECLARE … FETCH), the same on PostgreSQL and PGlite: only one batch is
 * held at a time. The cursor lives in a read-only transaction, which also
 * gives the whole file one consistent snapshot; `onBatch` gets that
 * transaction for its own lookups (PGlite has one session).
 */
async function streamRows(db: Database, statement: SQL, onBatch: (rows: Record<string, unknown>[], tx: Database) => Promise<void>): Promise<void> {
  await inTransaction(db, async (tx) => {
    await tx.execute(sql`set transaction read only`);
    await tx.execute(sql`declare aggregate_export no scroll cursor for ${statement}`);
    for (;;) {
      const rows = rowsOf<Record<string, unknown>>(await tx.execute(sql.raw(`fetch forward ${BATCH} from aggregate_export`)));
      if (rows.length) await onBatch(rows, tx);
      if (rows.length < BATCH) break;
    }
    await tx.execute(sql`close aggregate_export`);
  });
}

async function write(res: ServerResponse, chunk: string): Promise<void> {
  if (!res.write(chunk)) await once(res, 'drain');
}

const httpStatus: Record<string, number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404 };

/** The subgraph route (SubgraphDefinition.routes): behind the gateway signature like /graphql. */
export function exportRoute(rollups: RollupKeeper, rule: SuppressionRule) {
  return async (req: IncomingMessage, res: ServerResponse, base: BaseContext): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'METHOD_NOT_ALLOWED', 'Use GET.', { allow: 'GET, HEAD' });
    const { viewer } = base;
    if (viewer.kind === 'anonymous') return sendError(res, 401, ErrorCode.UNAUTHENTICATED, 'Exports need an API key with the aggregates:read scope.');
    if (viewer.kind !== 'client' || !viewer.scopes.includes('aggregates:read')) {
      return sendError(res, 403, ErrorCode.FORBIDDEN, 'CSV exports are for API clients with the aggregates:read scope; people use the `aggregate` query.');
    }
    let parsed: ReturnType<typeof parseExportRequest>;
    try {
      parsed = parseExportRequest(viewer, new URL(req.url ?? '/', 'http://localhost'));
    } catch (error) {
      if (error instanceof GraphQLError) {
        const code = String(error.extensions.code);
        return void sendJsonError(res, httpStatus[code] ?? 400, error);
      }
      throw error;
    }
    const { query, lang } = parsed;
    const asOf = await rollups.ensureFresh(base.db);
    const words = HEADERS[lang];
    const perUnit = query.measures.includes('PRODUCTION_VOLUME');
    const marked = query.measures.some((m) => WITHHELD_BY[m]);
    const header = [
      ...query.groupBy.flatMap((d) => words.dims[d]),
      ...(perUnit ? [words.unit] : []),
      ...query.measures.map((m) => words.measures[m]),
      ...(marked ? [words.suppressed] : []),
    ];
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="nguon-aggregate-${asOf.toISOString().slice(0, 10)}.csv"`,
      'cache-control': 'no-store',
      'x-nguon-as-of': asOf.toISOString(),
    });
    if (req.method === 'HEAD') return void res.end();
    await write(res, `\uFEFF${header.map(csvCell).join(',')}\r\n`);
    await streamRows(base.db, exportStatement(query, { viewer, rule }), async (rows, tx) => {
      const keys: Partial<Record<Dimension, Set<string>>> = {};
      for (const row of rows) query.groupBy.forEach((d, i) => (keys[d] ??= new Set()).add(String(row[`d${i}`] ?? '')));
      const label = await loadLabels(tx, keys, [lang]);
      let chunk = '';
      for (const row of rows) {
        const cells: unknown[] = query.groupBy.flatMap((d, i) => {
          const key = String(row[`d${i}`] ?? '');
          return [key, label(d, key)];
        });
        if (perUnit) cells.push(row.unit);
        for (const m of query.measures) cells.push(measureCell(m, row));
        if (marked) cells.push(suppressedCell(query.measures, row));
        chunk += `${cells.map(csvCell).join(',')}\r\n`;
      }
      await write(res, chunk);
    });
    res.end();
  };
}

/** The column holding each measure's suppression reason, for measures that can be withheld. */
const WITHHELD_BY: Partial<Record<Measure, string>> = {
  PRODUCTION_VOLUME: 'qty_suppressed',
  RECALL_HOURS_TO_IDENTIFY: 'recall_suppressed',
  RECALL_RECOVERED_SHARE: 'recall_suppressed',
};

/** `MEASURE=REASON` for each withheld measure of the row, `;`-separated; empty when all are shown. */
function suppressedCell(measures: Measure[], row: Record<string, unknown>): string {
  return measures
    .filter((m) => WITHHELD_BY[m] && row[WITHHELD_BY[m]!])
    .map((m) => `${m}=${String(row[WITHHELD_BY[m]!])}`)
    .join(';');
}

function measureCell(measure: Measure, row: Record<string, unknown>): unknown {
  if (PENDING_MEASURES.has(measure)) return null;
  return {
    LOT_COUNT: row.lots,
    PRODUCTION_VOLUME: row.qty,
    PRODUCT_COUNT: row.products,
    PRODUCER_COUNT: row.producers,
    RECALLED_LOT_COUNT: row.recalled,
    EVENT_COUNT: row.events,
    SCAN_COUNT: row.scans,
    RECALL_COUNT: row.recalls,
    RECALL_HOURS_TO_IDENTIFY: row.hours,
    RECALL_RECOVERED_SHARE: row.share,
  }[measure];
}

function sendJsonError(res: ServerResponse, status: number, error: GraphQLError) {
  const body = JSON.stringify({ errors: [{ message: error.message, extensions: error.extensions }] });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
