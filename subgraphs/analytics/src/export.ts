import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { sql, type SQL } from 'drizzle-orm';
import { ErrorCode, inTransaction, labelLanguage, rowsOf, sendError, type BaseContext, type Database, type LabelLanguage, type Viewer } from '@nguon/shared';
import type { RollupKeeper } from './data/rollups';
import { checkAreaLevel, exportStatement } from './data/aggregate';
import { loadLabels } from './data/labels';
import { PENDING_MEASURES, parseAggregateInput, type AggregateQuery, type Dimension, type Measure } from './query';
import type { SuppressionRule } from './suppression';
import { unitLabel } from './units';
import { languages } from './answers';

/**
 * CSV exports of any aggregate for ministry systems.
 *
 *   GET /export/aggregate.csv?measures=PRODUCTION_VOLUME,LOT_COUNT&groupBy=DISTRICT,SEASON
 *       &from=2025-01-01&to=2025-12-31&districtCodes=923,926&sectors=AGRICULTURE
 *       &categories=rice&producerIds=…&productIds=…&under=ct.agri&lang=vi|en|zh|ko|ja
 *
 * Only API clients with the `aggregates:read` scope may export (people use
 * the `aggregate` query). The file is UTF-8 with a byte-order mark so
 * spreadsheet programs read Vietnamese (and Chinese, Korean, Japanese)
 * correctly; headers and labels are in `lang` (any enabled language), else
 * the Accept-Language, else Vietnamese, and `content-language` says which.
 * Codes stay beside their labels: a label column after each key's code and
 * after the unit's UN/ECE code, so a program joins on codes and a person reads words. Rows are streamed from a server-side
 * cursor, so a large export never sits in memory; one row per group and unit, ordered by the keys.
 * Figures withheld by small-cell suppression (as in the `aggregate` answer)
 * are empty cells, and a last column names each withheld measure and why
 * (PRODUCTION_VOLUME=FEW_LOTS); it is there whenever a measure that can be
 * withheld is asked for.
 */
export const EXPORT_PATH = '/export/aggregate.csv';
const BATCH = 500;

interface Headers {
  dims: Record<Dimension, [code: string, label: string]>;
  unit: [code: string, label: string];
  suppressed: string;
  measures: Record<Measure, string>;
}

/** Column headers in every enabled language: a language without them does not compile. */
const HEADERS: Record<LabelLanguage, Headers> = {
  vi: {
    dims: {
      DISTRICT: ['Mã quận/huyện', 'Quận/huyện'],
      AREA: ['Mã địa bàn', 'Địa bàn'],
      SECTOR: ['Mã ngành', 'Ngành'],
      CATEGORY: ['Mã danh mục', 'Danh mục'],
      PRODUCER: ['Mã cơ sở', 'Cơ sở sản xuất'],
      PRODUCT: ['Mã sản phẩm', 'Sản phẩm'],
      MONTH: ['Tháng (mã)', 'Tháng'],
      SEASON: ['Mùa vụ (mã)', 'Mùa vụ'],
    },
    unit: ['Đơn vị', 'Tên đơn vị'],
    suppressed: 'Số liệu bị ẩn',
    measures: {
      LOT_COUNT: 'Số lô',
      PRODUCTION_VOLUME: 'Sản lượng',
      PROCESSED_OUTPUT: 'Sản lượng chế biến',
      PROCESSING_YIELD: 'Tỷ lệ thành phẩm',
      SHIPPED_QUANTITY: 'Khối lượng xuất hàng',
      SOLD_QUANTITY: 'Khối lượng bán lẻ',
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
      AREA: ['Area id', 'Area'],
      SECTOR: ['Sector code', 'Sector'],
      CATEGORY: ['Category code', 'Category'],
      PRODUCER: ['Producer id', 'Producer'],
      PRODUCT: ['Product id', 'Product'],
      MONTH: ['Month key', 'Month'],
      SEASON: ['Season key', 'Season'],
    },
    unit: ['Unit', 'Unit name'],
    suppressed: 'Suppressed',
    measures: {
      LOT_COUNT: 'Lots',
      PRODUCTION_VOLUME: 'Production volume',
      PROCESSED_OUTPUT: 'Processed output',
      PROCESSING_YIELD: 'Processing yield',
      SHIPPED_QUANTITY: 'Shipped quantity',
      SOLD_QUANTITY: 'Sold quantity',
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
  zh: {
    dims: {
      DISTRICT: ['郡/县代码', '郡/县'],
      AREA: ['地区编号', '地区'],
      SECTOR: ['行业代码', '行业'],
      CATEGORY: ['品类代码', '品类'],
      PRODUCER: ['生产者ID', '生产者'],
      PRODUCT: ['产品ID', '产品'],
      MONTH: ['月份代码', '月份'],
      SEASON: ['种植季代码', '种植季'],
    },
    unit: ['单位', '单位名称'],
    suppressed: '隐去的数据',
    measures: {
      LOT_COUNT: '批次数',
      PRODUCTION_VOLUME: '产量',
      PROCESSED_OUTPUT: '加工产量',
      PROCESSING_YIELD: '加工得率',
      SHIPPED_QUANTITY: '发货量',
      SOLD_QUANTITY: '零售量',
      PRODUCT_COUNT: '产品数',
      PRODUCER_COUNT: '生产者数',
      RECALLED_LOT_COUNT: '召回批次数',
      EVENT_COUNT: '追溯事件数',
      SCAN_COUNT: '二维码扫描次数',
      RECALL_COUNT: '召回次数',
      RECALL_HOURS_TO_IDENTIFY: '确定受影响批次所需小时数',
      RECALL_RECOVERED_SHARE: '回收比例',
    },
  },
  ko: {
    dims: {
      DISTRICT: ['군·현 코드', '군·현'],
      AREA: ['지역 ID', '지역'],
      SECTOR: ['부문 코드', '부문'],
      CATEGORY: ['품목 코드', '품목'],
      PRODUCER: ['생산자 ID', '생산자'],
      PRODUCT: ['제품 ID', '제품'],
      MONTH: ['월 코드', '월'],
      SEASON: ['작기 코드', '작기'],
    },
    unit: ['단위', '단위명'],
    suppressed: '비공개 수치',
    measures: {
      LOT_COUNT: '로트 수',
      PRODUCTION_VOLUME: '생산량',
      PROCESSED_OUTPUT: '가공 생산량',
      PROCESSING_YIELD: '가공 수율',
      SHIPPED_QUANTITY: '출하량',
      SOLD_QUANTITY: '소매 판매량',
      PRODUCT_COUNT: '제품 수',
      PRODUCER_COUNT: '생산자 수',
      RECALLED_LOT_COUNT: '리콜 로트 수',
      EVENT_COUNT: '이력 이벤트 수',
      SCAN_COUNT: 'QR 스캔 수',
      RECALL_COUNT: '리콜 건수',
      RECALL_HOURS_TO_IDENTIFY: '영향 로트 확인 소요 시간',
      RECALL_RECOVERED_SHARE: '회수율',
    },
  },
  ja: {
    dims: {
      DISTRICT: ['郡・県コード', '郡・県'],
      AREA: ['地域ID', '地域'],
      SECTOR: ['部門コード', '部門'],
      CATEGORY: ['品目コード', '品目'],
      PRODUCER: ['生産者ID', '生産者'],
      PRODUCT: ['製品ID', '製品'],
      MONTH: ['月コード', '月'],
      SEASON: ['作期コード', '作期'],
    },
    unit: ['単位', '単位名'],
    suppressed: '非公表の数値',
    measures: {
      LOT_COUNT: 'ロット数',
      PRODUCTION_VOLUME: '生産量',
      PROCESSED_OUTPUT: '加工生産量',
      PROCESSING_YIELD: '加工歩留まり',
      SHIPPED_QUANTITY: '出荷量',
      SOLD_QUANTITY: '小売販売量',
      PRODUCT_COUNT: '製品数',
      PRODUCER_COUNT: '生産者数',
      RECALLED_LOT_COUNT: 'リコール対象ロット数',
      EVENT_COUNT: 'トレーサビリティ事象数',
      SCAN_COUNT: 'QRスキャン数',
      RECALL_COUNT: 'リコール件数',
      RECALL_HOURS_TO_IDENTIFY: '影響ロット特定までの時間',
      RECALL_RECOVERED_SHARE: '回収率',
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
export function parseExportRequest(viewer: Viewer, url: URL, accepted: readonly string[] = []): { query: AggregateQuery; lang: LabelLanguage } {
  const p = url.searchParams;
  // As in the graph: `lang`, then Accept-Language, then Vietnamese; the answer's content-language says which.
  const lang = labelLanguage(languages(p.get('lang'), [...accepted], ['lang']));
  const query = parseAggregateInput(
    viewer,
    {
      measures: listParam(p, 'measures'),
      groupBy: listParam(p, 'groupBy'),
      areaLevel: p.get('areaLevel'),
      filter: {
        from: p.get('from'),
        to: p.get('to'),
        districtCodes: listParam(p, 'districtCodes'),
        areaIds: listParam(p, 'areaIds'),
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
      parsed = parseExportRequest(viewer, new URL(req.url ?? '/', 'http://localhost'), base.langs);
      await checkAreaLevel(base.db, parsed.query, ['areaLevel']);
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
      ...(perUnit ? words.unit : []),
      ...query.measures.map((m) => words.measures[m]),
      ...(marked ? [words.suppressed] : []),
    ];
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="nguon-aggregate-${asOf.toISOString().slice(0, 10)}.csv"`,
      'cache-control': 'no-store',
      'x-nguon-as-of': asOf.toISOString(),
      'content-language': lang,
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
        if (perUnit) cells.push(row.unit, unitLabel(String(row.unit ?? ''), lang));
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
    // Staged measures are refused before the export starts (query.ts, STAGED_MEASURES).
    PROCESSED_OUTPUT: null,
    PROCESSING_YIELD: null,
    SHIPPED_QUANTITY: null,
    SOLD_QUANTITY: null,
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
