import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { and, eq, gt, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import { rowsOf, uuidv7, type Database, type Label, type LabelLanguage } from '@nguon/shared';
import { scans, serialItems } from '../db/schema';
import { notifyItemFlagged, notifyNeverIssued } from './notifications';

/** A place rounded to 0.1° (about 11 km): coarse enough to say nothing about a person. */
export function coarsePlace(latitude: number | null | undefined, longitude: number | null | undefined): { lat: string; lng: string } | null {
  if (latitude === null || latitude === undefined || longitude === null || longitude === undefined) return null;
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude) || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  return { lat: latitude.toFixed(1), lng: longitude.toFixed(1) };
}

/** When anything a consumer sees of these lots last changed: the lot row, its events, a recall on it. */
export async function lastChangedAt(db: Database, lotIds: readonly string[]): Promise<Map<string, Date>> {
  const ids = sql.join(
    lotIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const result = await db.execute(sql`
    select l.id,
      greatest(l.updated_at,
        (select max(e.record_time) from trace.event_lots el join trace.events e on e.id = el.event_id where el.lot_id = l.id),
        (select max(r.opened_at) from trace.recall_lots rl join trace.recalls r on r.id = rl.recall_id where rl.lot_id = l.id)) as changed
    from trace.lots l where l.id in (${ids})`);
  return new Map(rowsOf<{ id: string; changed: string | Date }>(result).map((r) => [r.id, new Date(r.changed)]));
}

export async function scanSummaries(db: Database, lotIds: readonly string[]): Promise<Map<string, { count: number; lastScannedAt: Date | null }>> {
  const rows = await db
    .select({ lotId: scans.lotId, count: sql<number>`count(*)::int`, last: sql<string | null>`max(${scans.scannedAt})` })
    .from(scans)
    .where(inArray(scans.lotId, [...lotIds]))
    .groupBy(scans.lotId);
  return new Map(rows.map((r) => [r.lotId, { count: r.count, lastScannedAt: r.last ? new Date(r.last) : null }]));
}

/** The reason recordScan stores for a serial scanned but never issued (it keeps a row to flag it). */
export const NEVER_ISSUED_REASON = 'serial never issued for this lot';

export type FlagReasonCode = 'NOT_ISSUED' | 'SCANNED_TOO_OFTEN' | 'SCANNED_FAR_APART' | 'FLAGGED';

/**
 * The stable code of a stored flag reason. flag_reason is free text written by
 * recordScan below (no migration for a code column): the three sentences it
 * writes map to their codes, anything else (older or manual flags) is FLAGGED.
 */
export function flagReasonCode(reason: string | null): FlagReasonCode {
  if (reason === NEVER_ISSUED_REASON) return 'NOT_ISSUED';
  if (reason && /^scanned more than \d+ times in a day$/.test(reason)) return 'SCANNED_TOO_OFTEN';
  if (reason && /^scanned \d+ km apart within \d+ minutes$/.test(reason)) return 'SCANNED_FAR_APART';
  return 'FLAGGED';
}

/** Why a producer locked a serial (the LockReason of the SDL; lockSerials in data/serialLocks.ts). */
export const LOCK_REASONS = ['STOLEN', 'DESTROYED', 'WITHDRAWN', 'OTHER'] as const;
export type LockReasonCode = (typeof LOCK_REASONS)[number];

/**
 * The code of a stored lock_reason: lockSerials writes the code, then the
 * producer's note after ": " (no column of its own), so the code is the text
 * before the first colon; anything else is OTHER.
 */
export function lockReasonCode(stored: string | null): LockReasonCode {
  const code = (stored ?? '').split(':')[0]!.trim();
  return (LOCK_REASONS as readonly string[]).includes(code) ? (code as LockReasonCode) : 'OTHER';
}

const REASON_LABELS: Record<FlagReasonCode | LockReasonCode | 'NOT_SERIALISED', Label> = {
  NOT_ISSUED: {
    vi: 'Số sê-ri này không được nhà sản xuất cấp cho lô hàng.',
    en: 'This serial number was never issued for this lot.',
    zh: '该序列号从未为此批次发放。',
    ko: '이 일련번호는 이 로트에 발급된 적이 없습니다.',
    ja: 'このシリアル番号はこのロットに発行されていません。',
  },
  SCANNED_TOO_OFTEN: {
    vi: 'Mã này bị quét quá nhiều lần trong một ngày.',
    en: 'This code was scanned too many times in one day.',
    zh: '此码在一天内被扫描次数过多。',
    ko: '이 코드는 하루에 너무 많이 스캔되었습니다.',
    ja: 'このコードは1日に何度もスキャンされています。',
  },
  SCANNED_FAR_APART: {
    vi: 'Mã này bị quét ở những nơi quá xa nhau trong thời gian quá ngắn.',
    en: 'This code was scanned in places too far apart in too short a time.',
    zh: '此码在很短时间内于相距很远的地点被扫描。',
    ko: '이 코드는 짧은 시간에 멀리 떨어진 곳에서 스캔되었습니다.',
    ja: 'このコードは短時間に遠く離れた場所でスキャンされています。',
  },
  FLAGGED: {
    vi: 'Mã này đã bị đánh dấu nghi là hàng sao chép.',
    en: 'This code has been flagged as a possible copy.',
    zh: '此码已被标记为疑似复制。',
    ko: '이 코드는 복제 의심으로 표시되었습니다.',
    ja: 'このコードはコピーの疑いがあると報告されています。',
  },
  STOLEN: {
    vi: 'Nhà sản xuất đã khoá số sê-ri này vì gói hàng bị mất cắp.',
    en: 'The producer locked this serial number: the package was stolen.',
    zh: '生产者已锁定此序列号：该包装被盗。',
    ko: '생산자가 이 일련번호를 잠갔습니다: 도난된 포장입니다.',
    ja: '生産者がこのシリアル番号をロックしました（盗難品）。',
  },
  DESTROYED: {
    vi: 'Nhà sản xuất đã khoá số sê-ri này vì gói hàng đã bị huỷ.',
    en: 'The producer locked this serial number: the package was destroyed.',
    zh: '生产者已锁定此序列号：该包装已销毁。',
    ko: '생산자가 이 일련번호를 잠갔습니다: 폐기된 포장입니다.',
    ja: '生産者がこのシリアル番号をロックしました（廃棄済み）。',
  },
  WITHDRAWN: {
    vi: 'Nhà sản xuất đã khoá số sê-ri này vì gói hàng đã bị rút khỏi thị trường.',
    en: 'The producer locked this serial number: the package was withdrawn from sale.',
    zh: '生产者已锁定此序列号：该包装已撤出市场。',
    ko: '생산자가 이 일련번호를 잠갔습니다: 판매가 중단된 포장입니다.',
    ja: '生産者がこのシリアル番号をロックしました（販売中止）。',
  },
  OTHER: {
    vi: 'Nhà sản xuất đã khoá số sê-ri này.',
    en: 'The producer locked this serial number.',
    zh: '生产者已锁定此序列号。',
    ko: '생산자가 이 일련번호를 잠갔습니다.',
    ja: '生産者がこのシリアル番号をロックしました。',
  },
  NOT_SERIALISED: {
    vi: 'Nhà sản xuất không cấp số sê-ri cho sản phẩm này nên không thể kiểm tra từng gói.',
    en: 'The producer does not issue serial numbers for this product, so single packages cannot be checked.',
    zh: '生产者未为此产品发放序列号，无法逐件查验。',
    ko: '생산자가 이 제품에 일련번호를 발급하지 않아 개별 포장을 확인할 수 없습니다.',
    ja: 'この製品にはシリアル番号がないため、個別の確認はできません。',
  },
};

/** A reason in words, in any enabled language, for the consumer page and the producer's list. */
export function reasonLabel(code: FlagReasonCode | LockReasonCode | 'NOT_SERIALISED', lang: LabelLanguage): string {
  return REASON_LABELS[code][lang];
}

export interface SuspiciousItemModel {
  lotId: string;
  serial: string;
  flaggedAt: Date;
  reason: string;
  reasonCode: FlagReasonCode;
  scanCount: number;
}

export async function suspiciousItems(db: Database, lotIds: readonly string[]): Promise<SuspiciousItemModel[]> {
  const rows = await db
    .select({
      lotId: serialItems.lotId,
      serial: serialItems.serial,
      flaggedAt: serialItems.flaggedAt,
      reason: serialItems.flagReason,
      scanCount: sql<number>`(select count(*)::int from trace.scans s where s.lot_id = ${serialItems.lotId} and s.serial = ${serialItems.serial})`,
    })
    .from(serialItems)
    .where(and(inArray(serialItems.lotId, [...lotIds]), isNotNull(serialItems.flaggedAt)))
    .orderBy(serialItems.flaggedAt);
  return rows.map((r) => ({ ...r, flaggedAt: r.flaggedAt!, reason: r.reason ?? 'flagged', reasonCode: flagReasonCode(r.reason) }));
}

export type ItemStateValue = 'ISSUED' | 'NOT_ISSUED' | 'LOCKED' | 'FLAGGED';

/**
 * The check of one serial (Lot.item). A serial its producer locked
 * (lockSerials) is LOCKED with the lock's reason, before any flag; a flag is
 * FLAGGED, and the row recordScan keeps for a serial never issued is
 * NOT_ISSUED (it cannot be locked).
 */
export interface ItemCheckModel {
  serial: string;
  state: ItemStateValue;
  reasonCode: FlagReasonCode | LockReasonCode | 'NOT_SERIALISED' | null;
}

/**
 * Whether a product issues serials: one of its lots has a serial the producer
 * issued (a never-issued serial recorded by a scan does not count). The item
 * check and the never-issued flag decide by this one rule.
 */
const serialisedProduct = (productId: SQL) =>
  sql`exists (select 1 from trace.lots l join trace.serial_items x on x.lot_id = l.id
              where l.product_id = ${productId} and x.flag_reason is distinct from ${NEVER_ISSUED_REASON})`;

/**
 * One statement: the serial's row, and whether the lot's product is
 * serialised at all (any lot of it with an issued serial). A product never
 * serialised cannot be checked: ISSUED with NOT_SERIALISED rather than a
 * counterfeit warning on every genuine package.
 */
export async function checkItem(db: Database, lot: { id: string; productId: string }, serial: string): Promise<ItemCheckModel> {
  const [row] = rowsOf<{
    found: boolean;
    flagged_at: unknown;
    flag_reason: string | null;
    locked_at: unknown;
    lock_reason: string | null;
    serialised: boolean;
  }>(
    await db.execute(sql`
      select si.lot_id is not null as found, si.flagged_at, si.flag_reason, si.locked_at, si.lock_reason,
        ${serialisedProduct(sql`${lot.productId}::uuid`)} as serialised
      from (select 1) one
      left join trace.serial_items si on si.lot_id = ${lot.id}::uuid and si.serial = ${serial}`),
  );
  const code = row!.found ? flagReasonCode(row!.flag_reason) : null;
  if (!row!.found || code === 'NOT_ISSUED') {
    return row!.serialised ? { serial, state: 'NOT_ISSUED', reasonCode: 'NOT_ISSUED' } : { serial, state: 'ISSUED', reasonCode: 'NOT_SERIALISED' };
  }
  if (row!.locked_at) return { serial, state: 'LOCKED', reasonCode: lockReasonCode(row!.lock_reason) };
  if (row!.flagged_at) return { serial, state: 'FLAGGED', reasonCode: code };
  return { serial, state: 'ISSUED', reasonCode: null };
}

/** Thresholds for "cannot be one package". */
export const COUNTERFEIT_RULES = {
  /** Scans of one serial within a day that no single package gets. */
  maxScansPerDay: 30,
  /** Faster than any road between two scans of one serial, over a distance that matters. */
  maxSpeedKmh: 200,
  minDistanceKm: 100,
};

const distanceKm = (a: { lat: number; lng: number }, b: { lat: number; lng: number }) => {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
};

/** How long after a scan the page may still send the reader's place for it ("Share my area"). */
export const PLACE_FOLLOW_UP_MS = 30 * 60_000;

/**
 * Records a scan and, for a serialised item, checks the counterfeit signals:
 * a serial never issued, too many scans in a day, or two scans farther apart
 * than anyone could travel in between. A flag is set once and kept.
 *
 * A scan is the page's beacon, once per page shown; the page's "Share my
 * area" button sends the beacon again with the place and the id its first
 * beacon was answered. That second beacon is the same scan: it gives its place
 * to that scan, if it is of the same lot and serial, still placeless and within
 * PLACE_FOLLOW_UP_MS, instead of counting again. The id is the capability: a
 * caller without it (another reader, anyone guessing) never places someone
 * else's scan. Renders without a beacon (cached pages, link previews, the
 * server-side page itself) never reach here.
 */
export async function recordScan(
  db: Database,
  scan: { lotId: string; serial: string | null; lang: string; place: { lat: string; lng: string } | null; followUp?: string | null; at?: Date },
): Promise<string> {
  const at = scan.at ?? new Date();
  const followed = scan.place && scan.followUp ? await placeFollowUp(db, scan.followUp, scan, at) : null;
  const currentId = followed ?? uuidv7();
  if (followed) {
    await db.update(scans).set({ lat: scan.place!.lat, lng: scan.place!.lng }).where(eq(scans.id, followed));
  } else {
    await db.insert(scans).values({
      id: currentId,
      lotId: scan.lotId,
      serial: scan.serial,
      scannedAt: at,
      lang: scan.lang,
      lat: scan.place?.lat ?? null,
      lng: scan.place?.lng ?? null,
    });
  }
  if (scan.serial) await applyCounterfeitRules(db, { lotId: scan.lotId, serial: scan.serial, place: scan.place }, currentId, at);
  return currentId;
}

/** The counterfeit rules of one serialised item's scan: never issued, too many scans, or too far apart (docs/architecture.md §7). */
async function applyCounterfeitRules(
  db: Database,
  scan: { lotId: string; serial: string; place: { lat: string; lng: string } | null },
  currentId: string,
  at: Date,
) {
  const [item] = await db
    .select({ flaggedAt: serialItems.flaggedAt })
    .from(serialItems)
    .where(and(eq(serialItems.lotId, scan.lotId), eq(serialItems.serial, scan.serial)));
  if (!item) return flagNeverIssued(db, scan, at);
  if (item.flaggedAt) return;
  const dayAgo = new Date(at.getTime() - 86_400_000);
  const recent = await db
    .select({ id: scans.id, at: scans.scannedAt, lat: scans.lat, lng: scans.lng })
    .from(scans)
    .where(and(eq(scans.lotId, scan.lotId), eq(scans.serial, scan.serial), gt(scans.scannedAt, dayAgo)))
    .orderBy(sql`${scans.scannedAt} desc`)
    .limit(COUNTERFEIT_RULES.maxScansPerDay + 1);
  let reason: string | null = null;
  if (recent.length > COUNTERFEIT_RULES.maxScansPerDay) reason = `scanned more than ${COUNTERFEIT_RULES.maxScansPerDay} times in a day`;
  if (!reason && scan.place) {
    const here = { lat: Number(scan.place.lat), lng: Number(scan.place.lng) };
    for (const other of recent) {
      if (other.id === currentId || other.lat === null || other.lng === null) continue;
      const km = distanceKm(here, { lat: Number(other.lat), lng: Number(other.lng) });
      const hours = Math.max((at.getTime() - new Date(other.at).getTime()) / 3_600_000, 1 / 60);
      if (km >= COUNTERFEIT_RULES.minDistanceKm && km / hours > COUNTERFEIT_RULES.maxSpeedKmh) {
        reason = `scanned ${Math.round(km)} km apart within ${Math.round(hours * 60)} minutes`;
        break;
      }
    }
  }
  if (reason) {
    await db
      .update(serialItems)
      .set({ flaggedAt: at, flagReason: reason })
      .where(and(eq(serialItems.lotId, scan.lotId), eq(serialItems.serial, scan.serial)));
    await notifyItemFlagged(db, { lotId: scan.lotId, serial: scan.serial, reason, at });
  }
}

/** Never-issued serials stored per lot and hour: beyond it Lot.item still answers NOT_ISSUED, nothing more is kept. */
export const NEVER_ISSUED_PER_LOT_HOUR = 100;

/**
 * A scanned serial the lot never issued. Anyone can send such scans (the
 * beacon is anonymous), so nothing here grows with them: a product that is
 * not serialised at all (checkItem's rule) stores and tells nothing; a
 * serialised one keeps at most NEVER_ISSUED_PER_LOT_HOUR rows per lot and
 * hour, and its producer and supervisors are told once per lot and hour
 * (notifyNeverIssued), by the scan that stored the hour's first row.
 */
async function flagNeverIssued(db: Database, scan: { lotId: string; serial: string }, at: Date): Promise<void> {
  const hour = new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);
  const next = new Date(hour.getTime() + 3_600_000);
  const inserted = rowsOf<{ serial: string }>(
    await db.execute(sql`
      insert into trace.serial_items (lot_id, serial, code_hash, flagged_at, flag_reason)
      select ${scan.lotId}::uuid, ${scan.serial}, null, ${at.toISOString()}::timestamptz, ${NEVER_ISSUED_REASON}
      where ${serialisedProduct(sql`(select product_id from trace.lots where id = ${scan.lotId}::uuid)`)}
        and (select count(*) from trace.serial_items x
             where x.lot_id = ${scan.lotId}::uuid and x.flag_reason = ${NEVER_ISSUED_REASON}
               and x.flagged_at >= ${hour.toISOString()}::timestamptz and x.flagged_at < ${next.toISOString()}::timestamptz) < ${NEVER_ISSUED_PER_LOT_HOUR}
      on conflict do nothing
      returning serial`),
  );
  if (inserted.length > 0) await notifyNeverIssued(db, { lotId: scan.lotId, serial: scan.serial, reason: NEVER_ISSUED_REASON, at });
}

/** The scan a place-carrying beacon names, if it may still take a place (see recordScan); locked so two follow-ups cannot both take it. */
async function placeFollowUp(db: Database, scanId: string, scan: { lotId: string; serial: string | null }, at: Date): Promise<string | null> {
  const [row] = rowsOf<{ id: string }>(
    await db.execute(sql`
      select id from trace.scans
      where id = ${scanId}::uuid and lot_id = ${scan.lotId}::uuid and serial is not distinct from ${scan.serial}
        and lat is null and scanned_at > ${new Date(at.getTime() - PLACE_FOLLOW_UP_MS).toISOString()}::timestamptz and scanned_at <= ${at.toISOString()}::timestamptz
      for update skip locked`),
  );
  return row?.id ?? null;
}

/** Codes are 10 characters from an alphabet without look-alikes (no 0/O, 1/I/L). */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const newVerificationCode = () => Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
const normaliseCode = (code: string) => code.toUpperCase().replace(/[\s-]/g, '');

/** A keyed hash: a stolen database alone does not let anyone test codes offline. */
export const codeHash = (secret: string, lotId: string, serial: string, code: string) =>
  createHmac('sha256', secret)
    .update(`${lotId}\u0000${serial}\u0000${normaliseCode(code)}`)
    .digest('base64url');

export async function issueSerials(db: Database, secret: string, lotId: string, serials: string[], withCodes: boolean) {
  const issued = serials.map((serial) => {
    const code = withCodes ? newVerificationCode() : null;
    return { serial, code, hash: code ? codeHash(secret, lotId, serial, code) : null };
  });
  for (let i = 0; i < issued.length; i += 1000) {
    await db.insert(serialItems).values(issued.slice(i, i + 1000).map((s) => ({ lotId, serial: s.serial, codeHash: s.hash })));
  }
  return issued;
}

export async function serialsTaken(db: Database, lotId: string, serials: string[]): Promise<string[]> {
  const rows = await db
    .select({ serial: serialItems.serial })
    .from(serialItems)
    .where(and(eq(serialItems.lotId, lotId), inArray(serialItems.serial, serials)));
  return rows.map((r) => r.serial);
}

export const VERIFY_LIMIT = { attempts: 5, windowMs: 3_600_000 };

export type Verification =
  | { result: 'VERIFIED_FIRST_TIME' | 'ALREADY_VERIFIED'; firstVerifiedAt: Date; firstVerifiedPlace: string | null }
  | { result: 'WRONG_CODE' | 'NO_CODE' | 'UNKNOWN_ITEM' | 'TOO_MANY_ATTEMPTS' | 'LOCKED'; firstVerifiedAt: null; firstVerifiedPlace: null };

/**
 * Checks a code under a row lock, so two phones verifying at once cannot both be "first".
 * An item its producer locked is LOCKED, never genuine, and its code is not checked.
 */
export async function verifyItem(
  db: Database,
  secret: string,
  input: { lotId: string; serial: string; code: string; place: { lat: string; lng: string } | null; at?: Date },
): Promise<Verification> {
  const at = input.at ?? new Date();
  const none = { firstVerifiedAt: null, firstVerifiedPlace: null } as const;
  const [item] = rowsOf<{
    code_hash: string | null;
    first_verified_at: string | null;
    first_verified_lat: string | null;
    first_verified_lng: string | null;
    failed_attempts: number;
    last_failed_at: string | null;
    locked_at: string | null;
  }>(
    await db.execute(sql`select code_hash, first_verified_at, first_verified_lat, first_verified_lng, failed_attempts, last_failed_at, locked_at
      from trace.serial_items where lot_id = ${input.lotId} and serial = ${input.serial} for update`),
  );
  if (!item) return { result: 'UNKNOWN_ITEM', ...none };
  if (item.locked_at) return { result: 'LOCKED', ...none };
  if (!item.code_hash) return { result: 'NO_CODE', ...none };
  const recentFailure = item.last_failed_at && at.getTime() - new Date(item.last_failed_at).getTime() < VERIFY_LIMIT.windowMs;
  if (recentFailure && item.failed_attempts >= VERIFY_LIMIT.attempts) return { result: 'TOO_MANY_ATTEMPTS', ...none };
  const given = Buffer.from(codeHash(secret, input.lotId, input.serial, input.code));
  const stored = Buffer.from(item.code_hash);
  const where = and(eq(serialItems.lotId, input.lotId), eq(serialItems.serial, input.serial));
  if (given.length !== stored.length || !timingSafeEqual(given, stored)) {
    await db
      .update(serialItems)
      .set({ failedAttempts: recentFailure ? sql`${serialItems.failedAttempts} + 1` : 1, lastFailedAt: at })
      .where(where);
    return { result: 'WRONG_CODE', ...none };
  }
  if (item.first_verified_at) {
    await db
      .update(serialItems)
      .set({ verifications: sql`${serialItems.verifications} + 1` })
      .where(where);
    const place = item.first_verified_lat !== null ? `${Number(item.first_verified_lat).toFixed(1)}, ${Number(item.first_verified_lng).toFixed(1)}` : null;
    return { result: 'ALREADY_VERIFIED', firstVerifiedAt: new Date(item.first_verified_at), firstVerifiedPlace: place };
  }
  await db
    .update(serialItems)
    .set({ firstVerifiedAt: at, firstVerifiedLat: input.place?.lat ?? null, firstVerifiedLng: input.place?.lng ?? null, verifications: 1, failedAttempts: 0 })
    .where(where);
  return { result: 'VERIFIED_FIRST_TIME', firstVerifiedAt: at, firstVerifiedPlace: input.place ? `${input.place.lat}, ${input.place.lng}` : null };
}
