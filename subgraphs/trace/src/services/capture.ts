import { badInput, canOperate, canReadInternal, conflict, forbidden, notFound, uuidv7, type Database, type Viewer } from '@nguon/shared';
import { idempotent } from '@nguon/shared/idempotency';
import { idempotencyKeys } from '../db/schema';
import type { CaptureEventsInput } from '../generated/graphql';
import { chainHash, GENESIS_HASH, lotIdsOf, MAX_BATCH, normalizeEvent, type NormalizedEvent } from '../epcis/event';
import { existingEvents, insertEvents, lockChainHead, moveChainHead, type EventRow } from '../data/events';
import { lotsByIds } from '../data/lots';
import { organizationPaths } from '../data/organizations';
import type { CaptureEventsPayloadModel } from '../models';

export interface CaptureResult {
  /** Internal ids of the events in input order (the stored one for a duplicate). */
  ids: string[];
  created: number;
}

/**
 * Appends already-checked events to one organization's hash chain, skipping
 * those stored before (same eventID or same hash). Must run inside a
 * transaction: the chain-head row lock is held until it commits.
 */
export async function appendToChain(tx: Database, organizationId: string, batch: NormalizedEvent[], field = 'input.events'): Promise<CaptureResult> {
  const idOf = (e: NormalizedEvent) => e.eventID ?? e.eventHash;
  const head = await lockChainHead(tx, organizationId, GENESIS_HASH);
  const corrected = batch.flatMap((e) => (e.body.errorDeclaration ? [e.body.errorDeclaration.correctedEventID] : []));
  const stored = await existingEvents(tx, [...new Set([...batch.map(idOf), ...corrected])], [...new Set(batch.map((e) => e.eventHash))]);
  const byEventId = new Map(stored.map((r) => [r.event_id, r]));
  const byHash = new Map(stored.map((r) => [r.event_hash, r]));

  const seenIds = new Map<string, { hash: string; id: string }>();
  const seenHashes = new Map<string, string>();
  const rows: EventRow[] = [];
  const ids: string[] = [];
  const recordTime = new Date();
  let { seq, headHash } = head;
  batch.forEach((event, index) => {
    const eventID = idOf(event);
    const old = byEventId.get(eventID) ?? seenIds.get(eventID);
    const oldHash = old ? ('event_hash' in old ? old.event_hash : old.hash) : null;
    if (old && oldHash !== event.eventHash) {
      throw conflict(`eventID ${eventID} was already used for a different event.`, `${field}.${index}.eventID`);
    }
    const duplicate = old ?? byHash.get(event.eventHash) ?? (seenHashes.has(event.eventHash) ? { id: seenHashes.get(event.eventHash)! } : null);
    if (duplicate) {
      ids.push(duplicate.id);
      return;
    }
    const declared = event.body.errorDeclaration?.correctedEventID;
    if (declared && !byEventId.has(declared) && !seenIds.has(declared)) {
      throw badInput(`The corrected event ${declared} was not found.`, `${field}.${index}.errorDeclaration.correctedEventID`);
    }
    const id = uuidv7();
    seq += 1;
    const link = chainHash(headHash, event.eventHash);
    rows.push({ id, eventId: eventID, eventHash: event.eventHash, organizationId, seq, prevHash: headHash, chainHash: link, eventTime: event.eventTime, recordTime, body: event.body });
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
export async function captureEvents(db: Database, viewer: Viewer, input: CaptureEventsInput, idempotencyKey?: string): Promise<CaptureEventsPayloadModel> {
  const { organizationId, batch } = await prepareCapture(db, viewer, input);
  // Events are idempotent by eventID and hash already; an Idempotency-Key also
  // replays the first answer exactly and refuses the key with another batch.
  const result = await idempotent<CaptureResult, CaptureResult>({ db, viewer, idempotencyKey }, {
    table: idempotencyKeys,
    operation: 'captureEvents',
    input,
    write: (tx) => appendToChain(tx, organizationId, batch),
    save: (r) => r,
    replay: async (r) => r,
  });
  return {
    eventIds: result.ids,
    createdCount: result.created,
    duplicateCount: batch.length - result.created,
  };
}

/** Permission, size and content checks of a capture; nothing is written. */
export async function prepareCapture(db: Database, viewer: Viewer, input: CaptureEventsInput) {
  const organizationId = input.organizationId.toLowerCase();
  const [path] = (await organizationPaths(db, [organizationId])).values();
  if (!path) throw notFound('The organization');
  if (!canOperate(viewer, path, 'trace:write')) throw forbidden(`Only STAFF or ADMIN of ${path} (or an API client with trace:write) may capture its events.`);
  if (input.events.length === 0) throw badInput('Send at least one event.', 'input.events');
  if (input.events.length > MAX_BATCH) throw badInput(`Send at most ${MAX_BATCH} events at once.`, 'input.events');

  const batch = input.events.map((event, index) => normalizeEvent(event, `input.events.${index}`));
  await checkReferences(db, viewer, batch, organizationId);
  return { organizationId, path, batch };
}

/** Every lot must exist and be visible to the capturer; every party must be an organization. */
async function checkReferences(db: Database, viewer: Viewer, batch: NormalizedEvent[], organizationId: string) {
  const lotIds = [...new Set(batch.flatMap((e) => lotIdsOf(e.body)))];
  const partyIds = [...new Set(batch.flatMap((e) => [...(e.body.sourceList ?? []), ...(e.body.destinationList ?? [])].map((p) => p.organizationId)))];
  const [lots, orgs] = await Promise.all([lotsByIds(db, lotIds), organizationPaths(db, partyIds)]);
  // A draft lot of another organization looks missing, as everywhere else.
  const usable = new Set(lots.filter((l) => l.scope.published || l.ownerId === organizationId || canReadInternal(viewer, l.scope.path)).map((l) => l.id));
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
}
