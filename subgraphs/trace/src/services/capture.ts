import {
  isOperatorKind,
  badInput,
  canOperate,
  canReadInternal,
  canSupervise,
  conflict,
  forbidden,
  notFound,
  uuidv7,
  type Database,
  type Viewer,
  type ServiceContext,
} from '@nguon/shared';
import { idempotent } from '@nguon/shared/idempotency';
import { idempotencyKeys } from '../db/schema';
import type { CaptureEventsInput } from '../generated/graphql';
import { chainHash, GENESIS_HASH, lotIdsOf, MAX_BATCH, normalizeEvent, type NormalizedEvent } from '../epcis/event';
import { existingEvents, insertEvents, lockChainHead, moveChainHead, type EventRow } from '../data/events';
import { lotsByIds } from '../data/lots';
import { organizationPaths } from '../data/organizations';
import { capturerOf } from '../data/custody';
import type { CaptureEventsPayloadModel, LotModel } from '../models';
import { authorizeEvents, type Capturer } from './authority';

export interface CaptureResult {
  /** Internal ids of the events in input order (the stored one for a duplicate). */
  ids: string[];
  created: number;
}

/**
 * Appends already-checked events to one organization's hash chain, skipping
 * those stored before in this chain (same eventID or same hash). Must run
 * inside a transaction: the chain-head row lock is held until it commits.
 *
 * Write authority over the lots named (authorizeEvents) is the caller's
 * business: captureEvents and capture jobs check it first; openRecall is
 * itself the authority for the `recalled` events it appends. What is checked
 * here holds for every caller: an eventID or content hash already stored in
 * ANOTHER organization's chain answers one CONFLICT whatever the content, and
 * a correction names an event of this chain only — so no capture learns
 * anything about another organization's events.
 */
export async function appendToChain(tx: Database, organizationId: string, batch: NormalizedEvent[], field = 'input.events'): Promise<CaptureResult> {
  const idOf = (e: NormalizedEvent) => e.eventID ?? e.eventHash;
  const head = await lockChainHead(tx, organizationId, GENESIS_HASH);
  const corrected = batch.flatMap((e) => (e.body.errorDeclaration ? [e.body.errorDeclaration.correctedEventID] : []));
  const stored = await existingEvents(tx, [...new Set([...batch.map(idOf), ...corrected])], [...new Set(batch.map((e) => e.eventHash))]);
  const byEventId = new Map(stored.map((r) => [r.event_id, r]));
  const byHash = new Map(stored.map((r) => [r.event_hash, r]));
  const mine = (r: { organization_id: string } | undefined) => !!r && r.organization_id === organizationId;
  // One answer for "another event has this eventID": whoever stored it and whatever it says.
  const taken = (eventID: string, index: number) => conflict(`eventID ${eventID} was already used for a different event.`, `${field}.${index}.eventID`);

  const seenIds = new Map<string, { hash: string; id: string }>();
  const seenHashes = new Map<string, string>();
  const rows: EventRow[] = [];
  const ids: string[] = [];
  const recordTime = new Date();
  let { seq, headHash } = head;
  batch.forEach((event, index) => {
    const eventID = idOf(event);
    const storedById = byEventId.get(eventID);
    const storedByHash = byHash.get(event.eventHash);
    // Another chain's event is never a duplicate of ours (its id would leak) nor
    // a different answer for a right guess of its content (an oracle of its quantities).
    if ((storedById && !mine(storedById)) || (storedByHash && !mine(storedByHash))) throw taken(eventID, index);
    const old = storedById ?? seenIds.get(eventID);
    const oldHash = old ? ('event_hash' in old ? old.event_hash : old.hash) : null;
    if (old && oldHash !== event.eventHash) throw taken(eventID, index);
    const duplicate = old ?? storedByHash ?? (seenHashes.has(event.eventHash) ? { id: seenHashes.get(event.eventHash)! } : null);
    if (duplicate) {
      ids.push(duplicate.id);
      return;
    }
    const declared = event.body.errorDeclaration?.correctedEventID;
    // An organization corrects its own events only; another's answers exactly like a missing one.
    if (declared && !mine(byEventId.get(declared)) && !seenIds.has(declared)) {
      throw badInput(`The corrected event ${declared} was not found.`, `${field}.${index}.errorDeclaration.correctedEventID`);
    }
    const id = uuidv7();
    seq += 1;
    const link = chainHash(headHash, event.eventHash);
    rows.push({
      id,
      eventId: eventID,
      eventHash: event.eventHash,
      organizationId,
      seq,
      prevHash: headHash,
      chainHash: link,
      eventTime: event.eventTime,
      recordTime,
      body: event.body,
    });
    headHash = link;
    seenIds.set(eventID, { hash: event.eventHash, id });
    seenHashes.set(event.eventHash, id);
    ids.push(id);
  });
  if (rows.length > 0) {
    await insertEvents(tx, rows);
    await moveChainHead(tx, organizationId, seq, headHash);
  }
  return { ids, created: rows.length };
}

/**
 * The captureEvents mutation: checks every event first (an error names the
 * event's index and field), then writes all of them in one transaction or
 * none.
 */
export async function captureEvents(ctx: ServiceContext, input: CaptureEventsInput): Promise<CaptureEventsPayloadModel> {
  const { db, viewer, idempotencyKey } = ctx;
  const { organizationId, batch, capturer, lots } = await prepareCapture(ctx, input);
  // Events are idempotent by eventID and hash already; an Idempotency-Key also
  // replays the first answer exactly and refuses the key with another batch.
  const result = await idempotent<CaptureResult, CaptureResult>(
    { db, viewer, idempotencyKey },
    {
      table: idempotencyKeys,
      operation: 'captureEvents',
      input,
      // Custody is checked in the writing transaction, against the state the events are appended to.
      write: async (tx) => {
        await authorizeEvents(tx, capturer, batch, lots);
        return appendToChain(tx, organizationId, batch);
      },
      save: (r) => r,
      replay: async (r) => r,
    },
  );
  return {
    eventIds: result.ids,
    createdCount: result.created,
    duplicateCount: batch.length - result.created,
  };
}

/**
 * Permission, size and content checks of a capture; nothing is written. The
 * write authority over each lot (authorizeEvents) runs after this, with the
 * lots it returns.
 */
export async function prepareCapture(ctx: ServiceContext, input: CaptureEventsInput) {
  const { db, viewer } = ctx;
  const organizationId = input.organizationId.toLowerCase();
  const org = await capturerOf(db, organizationId);
  if (!org) throw notFound('The organization');
  const { path } = org;
  const capturer: Capturer = { id: organizationId, path, supervising: !isOperatorKind(org.kind) };
  // A supervising node holds no goods: its OFFICER or ADMIN captures inspections into its chain, nobody else anything.
  if (capturer.supervising) {
    if (!canSupervise(viewer, path)) throw forbidden(`Only an OFFICER or ADMIN of ${path} may capture its inspections.`);
  } else if (!canOperate(viewer, path, 'trace:write'))
    throw forbidden(`Only STAFF or ADMIN of ${path} (or an API client with trace:write) may capture its events.`);
  if (input.events.length === 0) throw badInput('Send at least one event.', 'input.events');
  if (input.events.length > MAX_BATCH) throw badInput(`Send at most ${MAX_BATCH} events at once.`, 'input.events');

  const batch = input.events.map((event, index) => normalizeEvent(event, `input.events.${index}`));
  const lots = await checkReferences(db, viewer, batch, organizationId);
  return { organizationId, path, batch, capturer, lots };
}

/** Every lot must exist and be visible to the capturer; every party must be an organization. Returns the lots named. */
async function checkReferences(db: Database, viewer: Viewer, batch: NormalizedEvent[], organizationId: string): Promise<Map<string, LotModel>> {
  const lotIds = [...new Set(batch.flatMap((e) => lotIdsOf(e.body)))];
  const partyIds = [...new Set(batch.flatMap((e) => [...(e.body.sourceList ?? []), ...(e.body.destinationList ?? [])].map((p) => p.organizationId)))];
  const [lots, orgs] = await Promise.all([lotsByIds(db, lotIds), organizationPaths(db, partyIds)]);
  // A draft lot of another organization looks missing, as everywhere else.
  const usable = new Map(lots.filter((l) => l.scope.published || l.ownerId === organizationId || canReadInternal(viewer, l.scope.path)).map((l) => [l.id, l]));
  batch.forEach((event, index) => {
    const at = `input.events.${index}`;
    const lists = { quantities: event.body.quantityList, inputs: event.body.inputQuantityList, outputs: event.body.outputQuantityList } as const;
    for (const [name, list] of Object.entries(lists)) {
      list?.forEach((q, i) => {
        if (!usable.has(q.lotId)) throw badInput(`Lot ${q.lotId} was not found.`, `${at}.${name}.${i}.lotId`);
      });
    }
    if (event.body.parentLotId && !usable.has(event.body.parentLotId)) throw badInput(`Lot ${event.body.parentLotId} was not found.`, `${at}.parentLotId`);
    for (const [name, list] of Object.entries({ sourceParties: event.body.sourceList, destinationParties: event.body.destinationList })) {
      list?.forEach((p, i) => {
        if (!orgs.has(p.organizationId)) throw badInput(`Organization ${p.organizationId} was not found.`, `${at}.${name}.${i}.organizationId`);
      });
    }
  });
  return usable;
}
