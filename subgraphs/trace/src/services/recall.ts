import {
  actorOf,
  badInput,
  canOperate,
  canOversee,
  canSupervise,
  covers,
  forbidden,
  inTransaction,
  isUuid,
  notFound,
  uuidv7,
  type Database,
  type Viewer,
  type ServiceContext,
} from '@nguon/shared';
import { idempotent } from '@nguon/shared/idempotency';
import { idempotencyKeys } from '../db/schema';
import type { CloseRecallInput, ExtendRecallInput, OpenRecallInput, RecordRecallRecoveryInput } from '../generated/graphql';
import type { NormalizedEvent } from '../epcis/event';
import { downstreamClosure } from '../data/genealogy';
import { lotsByIds } from '../data/lots';
import { organizationPaths } from '../data/organizations';
import { enqueueNotifications } from '../data/notifications';
import {
  addRecovery,
  appendRecallAction,
  holderIdsOfRecall,
  holdingsOf,
  isHolding,
  type Holding,
  insertRecall,
  insertRecallLots,
  lockRecall,
  lotIdsOfRecall,
  markRecallClosed,
  markRecalled,
  outstandingQuantity,
  recallsByIds,
  rootOwnerPaths,
  setRecallStatus,
} from '../data/recalls';
import type { EventBody, LotModel, RecallModel, RecallSeverityValue } from '../models';
import { appendToChain } from './capture';
import { visibleLot } from '../resolvers/visibility';

const MAX_ROOTS = 100;
const MAX_REASON = 2000;

/*
 * Recall authority (docs/write-authority.md, "Recalls"). A recall remembers
 * the tree node whose authority opened it (authorityPath); every later act is
 * decided against that node, so a recall a district officer opened cannot be
 * closed or written off by the producer whose goods it recalls.
 */

/** Recall acts on a lot: supervisors in scope, or the owner's operators. */
const mayRecall = (viewer: Viewer, lot: LotModel) => canSupervise(viewer, lot.scope.path) || canOperate(viewer, lot.scope.path, 'trace:write');

const isSupervisingRole = (role: string) => role === 'OFFICER' || role === 'ADMIN';
const isOperatingRole = (role: string) => role === 'STAFF' || role === 'ADMIN';

/** The deepest grant of the given roles covering every path: the node the act is taken from. */
export function deepestGrantPath(viewer: Viewer, roles: (role: string) => boolean, paths: readonly string[]): string | null {
  if (viewer.kind !== 'user') return null;
  const fitting = viewer.grants.filter((g) => roles(g.role) && paths.every((p) => covers(g.path, p)));
  return fitting.sort((a, b) => b.path.length - a.path.length)[0]?.path ?? null;
}

/** The OFFICER/ADMIN grant the viewer supervises all `paths` from, or null. */
const supervisingPath = (viewer: Viewer, paths: readonly string[]) => deepestGrantPath(viewer, isSupervisingRole, paths);

/** The STAFF/ADMIN grant (or the API client's binding) the viewer operates all `paths` from, or null. */
function operatingPath(viewer: Viewer, paths: readonly string[]): string | null {
  if (viewer.kind === 'client') return paths.every((p) => canOperate(viewer, p, 'trace:write')) ? viewer.path : null;
  return deepestGrantPath(viewer, isOperatingRole, paths);
}

/**
 * Oversight of a recall: an OFFICER or ADMIN covering its authority who sits
 * strictly above every owner of its root lots. The producer's own ADMIN (or
 * OFFICER) supervises its node but never oversees it, so it can never pass;
 * the officer who opened the recall, and the levels above, can.
 */
function oversees(viewer: Viewer, authority: string, rootPaths: readonly string[]): boolean {
  return canSupervise(viewer, authority) && rootPaths.length > 0 && rootPaths.every((p) => canOversee(viewer, p));
}

/** Recalls from before authority was recorded are judged from their first root lot's owner. */
const authorityOf = (recall: RecallModel) => recall.authorityPath ?? recall.scope.path;

function requiredReason(raw: string | null | undefined, what: string): string {
  const reason = (raw ?? '').trim();
  if (!reason) throw badInput(`Give the reason ${what}.`, 'input.reason');
  if (reason.length > MAX_REASON) throw badInput('A reason has at most 2 000 characters.', 'input.reason');
  return reason;
}

/** Validates a list of root lot ids; every one must exist and be visible to the viewer (else it answers like a made-up id). */
async function visibleRoots(db: Database, viewer: Viewer, lotIds: readonly string[]): Promise<{ ids: string[]; lots: LotModel[] }> {
  if (lotIds.length === 0) throw badInput('Name at least one lot.', 'input.lotIds');
  if (lotIds.length > MAX_ROOTS) throw badInput(`Name at most ${MAX_ROOTS} lots.`, 'input.lotIds');
  const ids = [...new Set(lotIds.map((id) => id.toLowerCase()))];
  const found = new Map((await lotsByIds(db, ids.filter(isUuid))).map((l) => [l.id, l]));
  lotIds.forEach((raw, i) => {
    if (!visibleLot(viewer, found.get(raw.toLowerCase()) ?? null)) throw badInput('The lot was not found.', `input.lotIds.${i}`);
  });
  return { ids, lots: ids.map((id) => found.get(id)!) };
}

/** Now, written in Vietnam's offset: the recall events are Can Tho events. */
function nowInVietnam(): string {
  const local = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 23);
  return `${local}+07:00`;
}

/**
 * The write shared by opening and extending: computes every downstream lot of
 * the roots (over all lots, whoever may see them) and every holder, records
 * them on the recall, marks the lots new to it RECALLED and appends a
 * `recalled` disposition event per new lot to its owner's hash chain.
 */
async function recallRoots(
  tx: Database,
  recallId: string,
  rootIds: readonly string[],
  alreadyIn: ReadonlySet<string>,
  at: { eventTime: string; eventId?: (lotId: string) => string } = { eventTime: nowInVietnam() },
) {
  const affected = await downstreamClosure(tx, rootIds);
  // Net of shipments: whoever shipped everything on holds nothing; the root lots' owners stay on the record.
  const holdings = await holdingsOf(tx, affected, rootIds);
  const rootSet = new Set(rootIds);
  await insertRecallLots(
    tx,
    recallId,
    holdings.map((h) => ({ ...h, root: rootSet.has(h.lotId) })),
  );
  const added = affected.filter((id) => !alreadyIn.has(id));
  await markRecalled(tx, added);

  const owners = new Map<string, string[]>();
  for (const lot of await lotsByIds(tx, added)) owners.set(lot.ownerId, [...(owners.get(lot.ownerId) ?? []), lot.id]);
  const { eventTime } = at;
  // Sorted so two recalls touching the same organizations take chain locks in one order (no deadlock).
  for (const ownerId of [...owners.keys()].sort()) {
    const events = owners
      .get(ownerId)!
      .sort()
      .map((lotId): NormalizedEvent => {
        const body: EventBody = {
          type: 'OBJECT_EVENT',
          action: 'OBSERVE',
          eventTime,
          eventTimeZoneOffset: '+07:00',
          bizStep: 'holding',
          disposition: 'recalled',
          quantityList: [{ lotId, quantity: null, unit: null }],
          bizTransactionList: [{ type: 'rma', id: `urn:nguon:recall:${recallId}` }],
        };
        return { eventID: at.eventId?.(lotId) ?? null, body, eventTime: new Date(eventTime) };
      });
    await appendToChain(tx, ownerId, events);
  }
  const holding = holdings.filter(isHolding);
  return { affected, added, holdings: holding, holderCount: new Set(holding.map((h) => h.holderId)).size };
}

/**
 * Tells every holder (net > 0) and every root lot's owner, in the recall's own
 * transaction, through the notification outbox: one row per organization per
 * recall fact (the dedupe key), so a retried write tells nobody twice. Each
 * holder's payload lists only its own lots.
 */
async function notifyHolders(
  tx: Database,
  recall: { id: string; reason: string; severity: RecallSeverityValue },
  kind: 'RECALL_OPENED' | 'RECALL_EXTENDED',
  holdings: readonly Holding[],
  roots: readonly LotModel[],
  skip: ReadonlySet<string> = new Set(),
) {
  const byOrg = new Map<string, Holding[]>(roots.map((l) => [l.ownerId, []]));
  for (const h of holdings) byOrg.set(h.holderId, [...(byOrg.get(h.holderId) ?? []), h]);
  const tag = kind === 'RECALL_OPENED' ? 'opened' : 'extended';
  await enqueueNotifications(
    tx,
    [...byOrg.entries()]
      .filter(([orgId]) => !skip.has(orgId))
      .map(([orgId, held]) => ({
        organizationId: orgId,
        kind,
        subjectId: recall.id,
        dedupeKey: `recall:${recall.id}:${tag}:${orgId}`,
        payload: {
          event: kind,
          recallId: recall.id,
          reason: recall.reason,
          severity: recall.severity,
          organizationId: orgId,
          rootLotIds: roots.map((l) => l.id),
          lots: held.map((h) => ({ lotId: h.lotId, quantityHeld: h.quantityHeld, unit: h.unit })),
        },
      })),
  );
}

/**
 * Opens a recall in one transaction. Its authority is the grant actually
 * used: a supervising OFFICER/ADMIN grant over every root lot, else (a
 * voluntary recall) the owner's node the viewer operates every root lot from;
 * an API client acts from its binding.
 */
export async function openRecall(ctx: ServiceContext, input: OpenRecallInput): Promise<RecallModel> {
  const { db, viewer, idempotencyKey } = ctx;
  const reason = requiredReason(input.reason, 'for the recall');
  const { lots: roots } = await visibleRoots(db, viewer, input.lotIds);
  for (const lot of roots) {
    if (!mayRecall(viewer, lot)) throw forbidden(`Only an OFFICER or ADMIN over ${lot.scope.path}, or the lot's owner, may recall it.`);
  }
  const rootPaths = [...new Set(roots.map((l) => l.scope.path))];
  const supervising = supervisingPath(viewer, rootPaths);
  const authorityPath = supervising ?? operatingPath(viewer, rootPaths);
  // Each root is recallable, but by different grants: a recall is decided at one node, so open one per authority.
  if (!authorityPath) throw forbidden('No single role of yours covers every lot named; open one recall per organization.');

  // A retried recall with the same Idempotency-Key replays the first recall rather than opening a second.
  const id = await idempotent<string, { id: string }>(
    { db, viewer, idempotencyKey },
    {
      table: idempotencyKeys,
      operation: 'openRecall',
      input,
      save: (recallId) => ({ id: recallId }),
      replay: async (saved) => saved.id,
      write: async (tx) => {
        const id = uuidv7();
        await recordOpenedRecall(tx, {
          id,
          reason,
          severity: input.severity,
          ...actorOf(viewer),
          authorityPath,
          authority: supervising ? 'SUPERVISOR' : 'OWNER',
          roots,
        });
        return id;
      },
    },
  );
  return (await recallsByIds(db, [id]))[0]!;
}

/**
 * The write of an opened recall, once who may open it is settled: the recall
 * row, every downstream lot and holder (net of shipments), the `recalled`
 * events, the holders' notifications and the OPEN act. The demo seed opens
 * its recall through here too, with a fixed time and stable ids.
 */
export async function recordOpenedRecall(
  tx: Database,
  r: {
    id: string;
    reason: string;
    severity: RecallSeverityValue;
    actorId: string | null;
    actorKind: 'user' | 'client' | null;
    authorityPath: string;
    authority: 'SUPERVISOR' | 'OWNER';
    roots: readonly LotModel[];
    /** Fixed time and ids (the seed); default now and generated. */
    openedAt?: { eventTime: string; eventId: (lotId: string) => string; actionId: string };
  },
): Promise<void> {
  const rootIds = r.roots.map((l) => l.id);
  await insertRecall(tx, {
    id: r.id,
    reason: r.reason,
    severity: r.severity,
    openedBy: r.actorId,
    authorityPath: r.authorityPath,
    ...(r.openedAt ? { openedAt: new Date(r.openedAt.eventTime) } : {}),
  });
  const { affected, holderCount, holdings } = await recallRoots(tx, r.id, rootIds, new Set(), r.openedAt);
  await notifyHolders(tx, r, 'RECALL_OPENED', holdings, r.roots);
  await appendRecallAction(tx, {
    id: r.openedAt?.actionId ?? uuidv7(),
    recallId: r.id,
    action: 'OPEN',
    actorId: r.actorId,
    actorKind: r.actorKind,
    actorPath: r.authorityPath,
    reason: r.reason,
    detail: { rootLotIds: rootIds, severity: r.severity, affectedLotCount: affected.length, holderCount, authority: r.authority },
  });
}

async function recallFor(db: Database, id: string): Promise<RecallModel> {
  const [recall] = isUuid(id) ? await recallsByIds(db, [id.toLowerCase()]) : [];
  if (!recall) throw notFound('The recall');
  return recall;
}

/**
 * Adds root lots to an open recall: a supervisor covering its authority and
 * every new lot, or — when the owner opened it — the owner's operator for its
 * own lots. The new roots' downstream lots and holders join the recall exactly
 * as at opening.
 */
export async function extendRecall(ctx: ServiceContext, input: ExtendRecallInput): Promise<RecallModel> {
  const { db, viewer } = ctx;
  const recall = await recallFor(db, input.recallId);
  const reason = requiredReason(input.reason, 'for adding these lots');
  const { ids: rootIds, lots: roots } = await visibleRoots(db, viewer, input.lotIds);
  const authority = authorityOf(recall);
  const newPaths = [...new Set(roots.map((l) => l.scope.path))];
  const asSupervisor = canSupervise(viewer, authority) && newPaths.every((p) => canSupervise(viewer, p));
  // Operating the authority node means the owner (or whoever operates it) opened the recall; its own lots lie at or below it.
  const asOwner =
    !asSupervisor && canOperate(viewer, authority, 'trace:write') && newPaths.every((p) => covers(authority, p) && canOperate(viewer, p, 'trace:write'));
  if (!asSupervisor && !asOwner)
    throw forbidden(`Only an OFFICER or ADMIN over ${authority} and every lot added, or the owner for its own recall, may extend it.`);
  const actorPath = asSupervisor
    ? (supervisingPath(viewer, [authority, ...newPaths]) ?? supervisingPath(viewer, [authority]))
    : operatingPath(viewer, [authority]);

  await inTransaction(db, async (tx) => {
    const locked = await lockRecall(tx, recall.id);
    if (locked?.status === 'CLOSED') throw badInput('The recall is closed.', 'input.recallId');
    const before = await lotIdsOfRecall(tx, recall.id);
    const holdersBefore = await holderIdsOfRecall(tx, recall.id);
    const { affected, added, holdings } = await recallRoots(tx, recall.id, rootIds, before);
    // Only organizations new to the recall are told; the others already were.
    await notifyHolders(tx, recall, 'RECALL_EXTENDED', holdings, roots, holdersBefore);
    await appendRecallAction(tx, {
      id: uuidv7(),
      recallId: recall.id,
      action: 'EXTEND',
      ...actorOf(viewer),
      actorPath,
      reason,
      detail: { rootLotIds: rootIds, affectedLotCount: affected.length, addedLotIds: added, recallLotCount: before.size + added.length },
    });
  });
  return (await recallsByIds(db, [recall.id]))[0]!;
}

const RECOVERY_REFUSED =
  "Only the holder, for its own holding, or a supervisor of the recall from above the recalled goods' owners may record recovered quantity.";

/**
 * A holder records what came back from its own holding. Anyone else records
 * it only as a supervisor covering the recall's authority who also oversees
 * every owner of its root lots: the producer's own ADMIN (whose node is the
 * authority of a recall it opened) cannot fill in a store's recovery and so
 * clear the way to closing without a write-off.
 */
export async function recordRecovery(ctx: ServiceContext, input: RecordRecallRecoveryInput): Promise<RecallModel> {
  const { db, viewer } = ctx;
  const recall = await recallFor(db, input.recallId);
  if (!Number.isFinite(input.quantity) || input.quantity <= 0) throw badInput('A recovered quantity is more than zero.', 'input.quantity');
  if (!isUuid(input.holderId)) throw badInput('Not an organization id.', 'input.holderId');
  if (!isUuid(input.lotId)) throw badInput('Not a lot id.', 'input.lotId');
  const holderId = input.holderId.toLowerCase();
  const lotId = input.lotId.toLowerCase();
  const authority = authorityOf(recall);
  const holderPath = (await organizationPaths(db, [holderId])).get(holderId);
  const asHolder = holderPath !== undefined && canOperate(viewer, holderPath, 'trace:write');
  // Without the holder's grant, only a supervisor of the authority could pass; no one else waits on the lock.
  if (!asHolder && !canSupervise(viewer, authority)) throw forbidden(RECOVERY_REFUSED);

  await inTransaction(db, async (tx) => {
    const locked = await lockRecall(tx, recall.id);
    // Root owners read under the lock: an extension committed meanwhile is seen.
    if (!asHolder && !oversees(viewer, authority, await rootOwnerPaths(tx, recall.id))) throw forbidden(RECOVERY_REFUSED);
    if (locked?.status === 'CLOSED') throw badInput('The recall is closed.', 'input.recallId');
    const row = await addRecovery(tx, recall.id, lotId, holderId, input.quantity);
    if (!row) throw badInput('That organization does not hold that lot in this recall.', 'input.holderId');
    if (row.quantityHeld !== null && row.quantityRecovered > row.quantityHeld) {
      throw badInput(`More than the ${row.quantityHeld} held would be recovered.`, 'input.quantity');
    }
    await setRecallStatus(tx, recall.id, 'IN_PROGRESS');
    await appendRecallAction(tx, {
      id: uuidv7(),
      recallId: recall.id,
      action: 'RECOVERY',
      ...actorOf(viewer),
      actorPath: asHolder ? operatingPath(viewer, [holderPath!]) : supervisingPath(viewer, [authority]),
      reason: null,
      detail: { lotId, holderId, quantity: input.quantity, quantityRecovered: row.quantityRecovered, quantityHeld: row.quantityHeld },
    });
  });
  return (await recallsByIds(db, [recall.id]))[0]!;
}

/**
 * Who may close, by severity (docs/write-authority.md). A CLASS_I recall is
 * closed only by oversight — never by the producer. CLASS_II and III: any
 * supervisor covering the authority, which includes the owner's ADMIN when the
 * owner opened it (its authority is then the owner's own node).
 */
function mayClose(viewer: Viewer, severity: RecallSeverityValue, authority: string, rootPaths: readonly string[]): boolean {
  return severity === 'CLASS_I' ? oversees(viewer, authority, rootPaths) : canSupervise(viewer, authority);
}

/**
 * Who may write the outstanding quantity off. CLASS_III: as closing. CLASS_I
 * and CLASS_II: a supervisor from above the owner — the table drops "the
 * owner's ADMIN" for CLASS_II write-offs, and an owner's ADMIN is otherwise a
 * supervisor of its own node, so the owner's own grants do not count here.
 */
function mayWriteOff(viewer: Viewer, severity: RecallSeverityValue, authority: string, rootPaths: readonly string[]): boolean {
  return severity === 'CLASS_III' ? canSupervise(viewer, authority) : oversees(viewer, authority, rootPaths);
}

export async function closeRecall(ctx: ServiceContext, input: CloseRecallInput): Promise<RecallModel> {
  const { db, viewer } = ctx;
  const recall = await recallFor(db, input.recallId);
  const authority = authorityOf(recall);
  const refused = () =>
    forbidden(
      recall.severity === 'CLASS_I'
        ? `Only an OFFICER or ADMIN above the recalled goods and over ${authority} may close a CLASS_I recall.`
        : `Only an OFFICER or ADMIN over ${authority} may close this recall.`,
    );
  // Every severity needs a supervisor of the authority; refused here, no one else waits on the lock.
  if (!canSupervise(viewer, authority)) throw refused();
  const actorPath = supervisingPath(viewer, [authority]);
  await inTransaction(db, async (tx) => {
    const locked = await lockRecall(tx, recall.id);
    // Root owners read under the lock: a root an extension added before it is checked too.
    const rootPaths = await rootOwnerPaths(tx, recall.id);
    if (!mayClose(viewer, recall.severity, authority, rootPaths)) throw refused();
    const reason = requiredReason(input.reason, input.writeOffOutstanding ? 'for writing off what is still out' : 'for closing the recall');
    if (locked?.status === 'CLOSED') throw badInput('The recall is already closed.', 'input.recallId');
    const outstanding = await outstandingQuantity(tx, recall.id);
    const writingOff = outstanding > 0;
    if (writingOff && !input.writeOffOutstanding) {
      throw badInput(`${outstanding} is still out; recover it or close with writeOffOutstanding.`, 'input.writeOffOutstanding');
    }
    if (writingOff && !mayWriteOff(viewer, recall.severity, authority, rootPaths)) {
      throw forbidden(`Only an OFFICER or ADMIN above the recalled goods and over ${authority} may write off a ${recall.severity} recall.`);
    }
    const actor = actorOf(viewer);
    await markRecallClosed(tx, recall.id, { closedBy: actor.actorId, closeReason: reason, writtenOff: writingOff });
    await appendRecallAction(tx, {
      id: uuidv7(),
      recallId: recall.id,
      action: writingOff ? 'WRITE_OFF' : 'CLOSE',
      ...actor,
      actorPath,
      reason,
      detail: { severity: recall.severity, outstanding },
    });
  });
  return (await recallsByIds(db, [recall.id]))[0]!;
}
