import { randomInt } from 'node:crypto';
import { GraphQLError } from 'graphql';
import {
  actorOf,
  badInput,
  canOperate,
  canOversee,
  canReadInternal,
  canSupervise,
  ErrorCode,
  forbidden,
  inTransaction,
  isLanguageTag,
  isUuid,
  notFound,
  uuidv7,
  type Database,
  type ServiceContext,
  type Viewer,
} from '@nguon/shared';
import type { EscalateComplaintInput, ReportProblemInput, UpdateComplaintInput } from '../generated/graphql';
import { lotsByIds } from '../data/lots';
import { enqueueNotifications, supervisorsOf } from '../data/notifications';
import {
  appendComplaintAction,
  complaintsByIds,
  insertComplaint,
  lockComplaint,
  lockFilingsFrom,
  lockFilingsOn,
  recentFilings,
  scanOfLot,
  updateComplaintRow,
  type ComplaintCategoryValue,
  type ComplaintModel,
  type ComplaintStatusValue,
} from '../data/complaints';
import { PUBLIC_LOT_STATUSES, type RecallModel } from '../models';
import { withoutMetadata } from './photoMetadata';
import { checkSerial } from '../resolvers/visibility';
import { deepestGrantPath, openRecall } from './recall';

/*
 * Complaints (issue 15): a shopper reports a problem with a published lot
 * from its consumer page; the report lands, with notifications, in the inbox
 * of the lot's owner and of the officers above it (district, sector
 * department), who move it through NEW → ACKNOWLEDGED → INVESTIGATING →
 * RESOLVED, or escalate it to a recall in one act.
 */

/** How many reports are accepted per hour, per caller address and per lot. */
export interface ComplaintLimits {
  perAddressPerHour: number;
  perLotPerHour: number;
}
export const DEFAULT_COMPLAINT_LIMITS: ComplaintLimits = { perAddressPerHour: 5, perLotPerHour: 50 };

export const PHOTO_MAX_BYTES = 2 * 1024 * 1024;
const DESCRIPTION_MIN = 10;
const DESCRIPTION_MAX = 2000;
const CONTACT_MAX = 200;
const NOTE_MAX = 2000;

/** The first bytes each accepted image type starts with: a declared type the bytes do not match is refused. */
const MAGIC: Record<string, (b: Buffer) => boolean> = {
  'image/jpeg': (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/webp': (b) => b.length > 12 && b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
};

const rateLimited = (message: string, scope: 'address' | 'lot') => new GraphQLError(message, { extensions: { code: ErrorCode.RATE_LIMITED, limit: scope } });
const invalidTransition = (from: string, to: string) =>
  new GraphQLError(`A ${from} complaint cannot become ${to}.`, { extensions: { code: ErrorCode.INVALID_TRANSITION, from, to } });

/** Letters and digits without look-alikes (no 0/O, 1/I/L): read aloud or retyped from a phone screen. */
const RECEIPT_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const RECEIPT_LENGTH = 12;

/** An unguessable receipt code (about 59 bits), shown as XXXX-XXXX-XXXX. */
export function newReceipt(): string {
  const chars = Array.from({ length: RECEIPT_LENGTH }, () => RECEIPT_ALPHABET[randomInt(RECEIPT_ALPHABET.length)]).join('');
  return chars.match(/.{4}/g)!.join('-');
}

/** A receipt as typed (any case, spaces or dashes) in its stored form; null when it cannot be one. */
export function normalizeReceipt(typed: string): string | null {
  const chars = typed.toUpperCase().replace(/[\s-]/g, '');
  if (chars.length !== RECEIPT_LENGTH || [...chars].some((c) => !RECEIPT_ALPHABET.includes(c))) return null;
  return chars.match(/.{4}/g)!.join('-');
}

/** Text a shopper typed: trimmed; no NUL (Postgres text cannot hold it). */
function text(raw: string, field: string): string {
  if (raw.includes('\u0000')) throw badInput('The text contains a NUL character.', field);
  return raw.trim();
}

function checkPhoto(photo: ReportProblemInput['photo']): { bytes: Buffer; type: string } | null {
  if (!photo) return null;
  const type = photo.contentType.trim().toLowerCase();
  const matches = MAGIC[type];
  if (!matches) throw badInput('A photo is a JPEG, PNG or WebP image.', 'input.photo.contentType');
  const b64 = photo.base64.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, '');
  // Refused by its length before anything is decoded.
  if (b64.length > Math.ceil(PHOTO_MAX_BYTES / 3) * 4) throw badInput('A photo is at most 2 MiB.', 'input.photo.base64');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 === 1) throw badInput('The photo is not base64.', 'input.photo.base64');
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length === 0) throw badInput('The photo is empty.', 'input.photo.base64');
  if (bytes.length > PHOTO_MAX_BYTES) throw badInput('A photo is at most 2 MiB.', 'input.photo.base64');
  if (!matches(bytes)) throw badInput(`The photo is not a ${type.slice(6).toUpperCase()} image.`, 'input.photo.base64');
  // Stored without what the camera wrote beside the picture (GPS position, device, times): see photoMetadata.ts.
  const stripped = withoutMetadata(type, bytes);
  if (!stripped) throw badInput(`The photo is not a well-formed ${type.slice(6).toUpperCase()} image.`, 'input.photo.base64');
  return { bytes: stripped, type };
}

/** Every check of a report that needs no database: run before any work. */
function checkReport(input: ReportProblemInput) {
  const description = text(input.description, 'input.description');
  const length = [...description].length;
  if (length < DESCRIPTION_MIN || length > DESCRIPTION_MAX)
    throw badInput(`Describe the problem in ${DESCRIPTION_MIN}–${DESCRIPTION_MAX} characters.`, 'input.description');
  const contact = input.contact === null || input.contact === undefined ? null : text(input.contact, 'input.contact') || null;
  if (contact && [...contact].length > CONTACT_MAX) throw badInput(`Contact details have at most ${CONTACT_MAX} characters.`, 'input.contact');
  const serial = checkSerial(input.serial, 'input.serial');
  const lang = (input.lang ?? 'vi').toLowerCase();
  if (!isLanguageTag(lang)) throw badInput('`lang` is a BCP 47 language tag (e.g. vi, en).', 'input.lang');
  if (input.scanId !== null && input.scanId !== undefined && !isUuid(input.scanId)) throw badInput('Not a scan id.', 'input.scanId');
  const photo = checkPhoto(input.photo);
  return { description, contact, serial, lang, photo, scanId: input.scanId?.toLowerCase() ?? null };
}

/**
 * Who a report counts against: the gateway's keyed hash of an anonymous
 * caller's address, or the signed-in user or API client. An anonymous caller
 * that reached the subgraph without a key (not through the gateway) shares
 * one budget with every other such caller.
 */
function clientKeyOf(viewer: Viewer): string {
  if (viewer.kind === 'user') return `user:${viewer.userId}`;
  if (viewer.kind === 'client') return `client:${viewer.clientId}`;
  return viewer.clientKey ? `addr:${viewer.clientKey}` : 'addr:unknown';
}

/**
 * Files a report on a published lot: complaint, FILED action and a
 * COMPLAINT_FILED notification for the owner and each supervising node, in
 * one transaction. Bad input, an unknown or unpublished lot (NOT_FOUND, alike)
 * and a caller or lot over its hourly limit (RATE_LIMITED) write nothing.
 */
export async function reportProblem(ctx: ServiceContext, input: ReportProblemInput, limits: ComplaintLimits): Promise<{ receipt: string; status: 'NEW' }> {
  const report = checkReport(input);
  const [lot] = isUuid(input.lotId) ? await lotsByIds(ctx.db, [input.lotId.toLowerCase()]) : [];
  // Reports are on public lots only; a draft, held or rejected lot answers like an unknown one.
  if (!lot || !PUBLIC_LOT_STATUSES.includes(lot.status)) throw notFound('The lot');
  if (report.scanId && !(await scanOfLot(ctx.db, report.scanId, lot.id))) throw badInput('No such scan of this lot.', 'input.scanId');
  const clientKey = clientKeyOf(ctx.viewer);
  const id = uuidv7();
  const receipt = newReceipt();

  await inTransaction(ctx.db, async (tx) => {
    // Address first, then lot (the one order every filing takes them in): both limits are counted under their lock.
    await lockFilingsFrom(tx, clientKey);
    await lockFilingsOn(tx, lot.id);
    const counted = await recentFilings(tx, clientKey, lot.id, new Date(Date.now() - 3_600_000));
    if (counted.byClient >= limits.perAddressPerHour) throw rateLimited('Too many reports from this address; try again in an hour.', 'address');
    if (counted.byLot >= limits.perLotPerHour) throw rateLimited('This lot has had many reports in the last hour; try again later.', 'lot');
    await insertComplaint(tx, {
      id,
      receipt,
      lotId: lot.id,
      productId: lot.productId,
      ownerId: lot.ownerId,
      scanId: report.scanId,
      serial: report.serial,
      category: input.category,
      description: report.description,
      contact: report.contact,
      photo: report.photo?.bytes ?? null,
      photoType: report.photo?.type ?? null,
      lang: report.lang,
      clientKey,
      status: 'NEW',
    });
    await appendComplaintAction(tx, { id: uuidv7(), complaintId: id, action: 'FILED', ...actorOf(ctx.viewer), actorPath: null, note: null });
    // Nothing personal in the payload: the inbox (Query.complaints) has the rest for those who may read it.
    const payload = { complaintId: id, lotId: lot.id, lotCode: lot.lotCode, productId: lot.productId, ownerId: lot.ownerId, category: input.category };
    const orgs = [lot.ownerId, ...(await supervisorsOf(tx, lot.ownerId))];
    await enqueueNotifications(
      tx,
      [...new Set(orgs)].map((organizationId) => ({
        organizationId,
        kind: 'COMPLAINT_FILED' as const,
        subjectId: id,
        dedupeKey: `COMPLAINT_FILED:${id}:${organizationId}`,
        payload,
      })),
    );
  });
  return { receipt, status: 'NEW' };
}

/** The owner's staff and the officers above it (INTERNAL readers of the owner) see a complaint. */
export const mayReadComplaint = (viewer: Viewer, complaint: ComplaintModel) => canReadInternal(viewer, complaint.scope.path);

/** Acting on it: the owner's operators (STAFF, ADMIN, an API client with trace:write) or a supervisor above it. */
const mayActOn = (viewer: Viewer, path: string) => canOperate(viewer, path, 'trace:write') || canSupervise(viewer, path);

/** The grant (or the API client's binding) the act is taken from: the deepest one that allows it. */
function actingPath(viewer: Viewer, path: string): string | null {
  return viewer.kind === 'client' ? viewer.path : deepestGrantPath(viewer, (role) => role !== 'ANALYST', [path]);
}

/** The complaint the viewer may act on; an unknown one and one the viewer may not see answer alike. */
async function complaintToActOn(ctx: ServiceContext, id: string): Promise<ComplaintModel> {
  const [complaint] = isUuid(id) ? await complaintsByIds(ctx.db, [id.toLowerCase()]) : [];
  if (!complaint || !mayReadComplaint(ctx.viewer, complaint)) throw notFound('The complaint');
  if (!mayActOn(ctx.viewer, complaint.scope.path))
    throw forbidden(`Only STAFF or ADMIN of the owner, or an OFFICER or ADMIN above it, may act on this complaint.`);
  return complaint;
}

/**
 * Categories where the producer is judge in its own cause: its staff may
 * acknowledge and investigate, but only an officer above it (canOversee: an
 * organization never oversees itself) may close one as RESOLVED
 * (docs/write-authority.md, "Complaints").
 */
const OVERSEEN_CATEGORIES: readonly ComplaintCategoryValue[] = ['SAFETY', 'COUNTERFEIT'];

const NEXT: Record<ComplaintStatusValue, readonly ComplaintStatusValue[]> = {
  NEW: ['ACKNOWLEDGED', 'INVESTIGATING', 'RESOLVED'],
  ACKNOWLEDGED: ['INVESTIGATING', 'RESOLVED'],
  INVESTIGATING: ['RESOLVED'],
  RESOLVED: [],
  ESCALATED: [],
};

function optionalText(raw: string | null | undefined, field: string, max: number): string | null {
  const value = raw === null || raw === undefined ? null : text(raw, field) || null;
  if (value && [...value].length > max) throw badInput(`At most ${max} characters.`, field);
  return value;
}

/** Moves a complaint along its allowed transitions; the first act stops the response-time clock. */
export async function updateComplaint(ctx: ServiceContext, input: UpdateComplaintInput): Promise<ComplaintModel> {
  const note = optionalText(input.note, 'input.note', NOTE_MAX);
  const resolution = optionalText(input.resolution, 'input.resolution', NOTE_MAX);
  const to = input.status as ComplaintStatusValue;
  if (to === 'RESOLVED' && !resolution) throw badInput('Say what was found or done: the shopper reads it.', 'input.resolution');
  const complaint = await complaintToActOn(ctx, input.id);
  if (to === 'RESOLVED' && OVERSEEN_CATEGORIES.includes(complaint.category) && !canOversee(ctx.viewer, complaint.scope.path))
    throw forbidden(
      `A ${complaint.category} complaint is resolved by an OFFICER or ADMIN above the lot's owner; the owner may acknowledge, investigate or escalate it.`,
    );
  await inTransaction(ctx.db, async (tx) => {
    const locked = await lockComplaint(tx, complaint.id);
    if (!locked) throw notFound('The complaint');
    if (!NEXT[locked.status].includes(to)) throw invalidTransition(locked.status, to);
    const now = new Date();
    await updateComplaintRow(tx, complaint.id, {
      status: to,
      ...(locked.firstResponseAt ? {} : { firstResponseAt: now }),
      ...(to === 'RESOLVED' ? { resolvedAt: now, resolution } : {}),
    });
    await appendComplaintAction(tx, {
      id: uuidv7(),
      complaintId: complaint.id,
      action: to,
      ...actorOf(ctx.viewer),
      actorPath: actingPath(ctx.viewer, complaint.scope.path),
      note: [note, to === 'RESOLVED' ? resolution : null].filter(Boolean).join('\n') || null,
    });
  });
  return (await complaintsByIds(ctx.db, [complaint.id]))[0]!;
}

/**
 * Escalates a complaint to a recall of its lot in one act: the recall is
 * opened by the recall service itself (its authority rules apply: an OFFICER
 * or ADMIN over the lot, or the owner's operator) inside the transaction
 * that marks the complaint ESCALATED and links it, so either both happen or
 * neither does. An open complaint may be escalated by whoever may act on it;
 * a RESOLVED one only by an officer above the owner (canOversee), so a
 * closed complaint never stands in the way of a recall.
 */
export async function escalateComplaint(ctx: ServiceContext, input: EscalateComplaintInput): Promise<{ complaint: ComplaintModel; recall: RecallModel }> {
  const complaint = await complaintToActOn(ctx, input.id);
  const recall = await inTransaction(ctx.db, async (tx) => {
    const locked = await lockComplaint(tx, complaint.id);
    if (!locked) throw notFound('The complaint');
    if (locked.status === 'ESCALATED') throw invalidTransition(locked.status, 'ESCALATED');
    // A resolved complaint can still become a recall, but only from above: the owner cannot reopen what it closed, nor bury it by closing it.
    if (locked.status === 'RESOLVED' && !canOversee(ctx.viewer, complaint.scope.path))
      throw forbidden("Only an OFFICER or ADMIN above the lot's owner may escalate a RESOLVED complaint.");
    // The recall's own checks (reason, visibility, authority) run here; a refusal rolls the escalation back.
    const opened = await openRecall({ db: tx as Database, viewer: ctx.viewer }, { lotIds: [complaint.lotId], reason: input.reason, severity: input.severity });
    const now = new Date();
    await updateComplaintRow(tx, complaint.id, { status: 'ESCALATED', recallId: opened.id, ...(locked.firstResponseAt ? {} : { firstResponseAt: now }) });
    await appendComplaintAction(tx, {
      id: uuidv7(),
      complaintId: complaint.id,
      action: 'ESCALATED',
      ...actorOf(ctx.viewer),
      actorPath: actingPath(ctx.viewer, complaint.scope.path),
      note: input.reason.trim() || null,
    });
    return opened;
  });
  return { complaint: (await complaintsByIds(ctx.db, [complaint.id]))[0]!, recall };
}
