import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { and, eq, gt, inArray, isNotNull, sql } from 'drizzle-orm';
import { rowsOf, uuidv7, type Database } from '@nguon/shared';
import { scans, serialItems } from '../db/schema';

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

export async function suspiciousItems(db: Database, lotIds: readonly string[]) {
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
  return rows.map((r) => ({ ...r, flaggedAt: r.flaggedAt!, reason: r.reason ?? 'flagged' }));
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

/**
 * Records a scan and, for a serialised item, checks the counterfeit signals:
 * a serial never issued, too many scans in a day, or two scans farther apart
 * than anyone could travel in between. A flag is set once and kept.
 */
export async function recordScan(
  db: Database,
  scan: { lotId: string; serial: string | null; lang: string; place: { lat: string; lng: string } | null; at?: Date },
): Promise<void> {
  const at = scan.at ?? new Date();
  await db.insert(scans).values({
    id: uuidv7(),
    lotId: scan.lotId,
    serial: scan.serial,
    scannedAt: at,
    lang: scan.lang,
    lat: scan.place?.lat ?? null,
    lng: scan.place?.lng ?? null,
  });
  if (!scan.serial) return;
  const [item] = await db
    .select({ flaggedAt: serialItems.flaggedAt })
    .from(serialItems)
    .where(and(eq(serialItems.lotId, scan.lotId), eq(serialItems.serial, scan.serial)));
  if (!item) {
    await db
      .insert(serialItems)
      .values({ lotId: scan.lotId, serial: scan.serial, codeHash: null, flaggedAt: at, flagReason: 'serial never issued for this lot' })
      .onConflictDoNothing();
    return;
  }
  if (item.flaggedAt) return;
  const dayAgo = new Date(at.getTime() - 86_400_000);
  const recent = await db
    .select({ at: scans.scannedAt, lat: scans.lat, lng: scans.lng })
    .from(scans)
    .where(and(eq(scans.lotId, scan.lotId), eq(scans.serial, scan.serial), gt(scans.scannedAt, dayAgo)))
    .orderBy(sql`${scans.scannedAt} desc`)
    .limit(COUNTERFEIT_RULES.maxScansPerDay + 1);
  let reason: string | null = null;
  if (recent.length > COUNTERFEIT_RULES.maxScansPerDay) reason = `scanned more than ${COUNTERFEIT_RULES.maxScansPerDay} times in a day`;
  if (!reason && scan.place) {
    const here = { lat: Number(scan.place.lat), lng: Number(scan.place.lng) };
    for (const other of recent.slice(1)) {
      if (other.lat === null || other.lng === null) continue;
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
  }
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
  | { result: 'WRONG_CODE' | 'NO_CODE' | 'UNKNOWN_ITEM' | 'TOO_MANY_ATTEMPTS'; firstVerifiedAt: null; firstVerifiedPlace: null };

/** Checks a code under a row lock, so two phones verifying at once cannot both be "first". */
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
  }>(
    await db.execute(sql`select code_hash, first_verified_at, first_verified_lat, first_verified_lng, failed_attempts, last_failed_at
      from trace.serial_items where lot_id = ${input.lotId} and serial = ${input.serial} for update`),
  );
  if (!item) return { result: 'UNKNOWN_ITEM', ...none };
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
