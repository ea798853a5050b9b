import { GraphQLError } from 'graphql';
import {
  isOperatorKind,
  badInput,
  canOperate,
  canReadInternal,
  canSupervise,
  conflict,
  ErrorCode,
  forbidden,
  notFound,
  uuidv7,
  type Database,
  type Viewer,
  type ServiceContext,
} from '@nguon/shared';
import { isGs1Id, parseGs1Id } from '@nguon/gs1/epc';
import { idempotent } from '@nguon/shared/idempotency';
import { idempotencyKeys } from '../db/schema';
import type { CaptureEventsInput } from '../generated/graphql';
import { chainHash, eventHash, GENESIS_HASH, glnOfParty, lgtinOf, lotIdsOf, MAX_BATCH, normalizeEvent, pglnOf, type NormalizedEvent } from '../epcis/event';
import { existingEvents, insertEvents, lockChainHead, moveChainHead, type EventRow } from '../data/events';
import { lotsByIds } from '../data/lots';
import { eventsByAlias, insertAliases, lgtinKey, lotGtins, lotsByLgtin, organizationsByIdOrGln } from '../data/standardIds';
import { capturerOf } from '../data/custody';
import type { CaptureEventsPayloadModel, EventBody, PartyModel, QuantityElementModel } from '../models';
import { authorizeEvents, type Capturer } from './authority';

export interface CaptureResult {
  /** Internal ids of the events in input order (the stored one for a duplicate). */
  ids: string[];
  created: number;
}

/** A checked event with its standard identifiers and the hash over them. */
interface HashedEvent extends NormalizedEvent {
  eventHash: string;
}

/**
 * Gives each event the standard identifiers the event hash names our lots
 * and organizations by — a lot its LGTIN (GTIN from catalog.product_scope +
 * lot code), an organization its PGLN (GLN from tenants.organization_scope)
 * — stored in the body beside our ids, so the hash can be recomputed from the
 * body alone (verifyChain) and EPCIS answers name them the same way. A lot
 * without a GTIN, an organization without a GLN keep their private URI.
 * Two statements for the whole batch.
 */
async function withStandardIds(tx: Database, batch: NormalizedEvent[]): Promise<HashedEvent[]> {
  const lotIds = [...new Set(batch.flatMap((e) => lotIdsOf(e.body)))];
  const orgIds = [
    ...new Set(batch.flatMap((e) => [...(e.body.sourceList ?? []), ...(e.body.destinationList ?? [])].flatMap((p) => (p.id ? [] : [p.organizationId!])))),
  ];
  const [gtins, orgs] = await Promise.all([lotGtins(tx, lotIds), organizationsByIdOrGln(tx, orgIds, [])]);
  const glns = new Map(orgs.map((o) => [o.id, o.gln]));
  const lgtin = (lotId: string) => {
    const g = gtins.get(lotId);
    return g ? lgtinOf(g.gtin, g.lotCode) : undefined;
  };
  const quantities = (list: QuantityElementModel[] | undefined) =>
    list?.map((q): QuantityElementModel => {
      const epcClass = q.lotId ? lgtin(q.lotId) : q.epcClass;
      return { ...(q.lotId ? { lotId: q.lotId } : {}), ...(epcClass ? { epcClass } : {}), quantity: q.quantity, unit: q.unit };
    });
  const parties = (list: PartyModel[] | undefined) =>
    list?.map((p): PartyModel => {
      const gln = p.id ? null : glns.get(p.organizationId!);
      return gln ? { ...p, id: pglnOf(gln) } : p;
    });
  return batch.map((e) => {
    const b: EventBody = { ...e.body };
    for (const key of ['quantityList', 'inputQuantityList', 'outputQuantityList'] as const) if (b[key]) b[key] = quantities(b[key]);
    for (const key of ['sourceList', 'destinationList'] as const) if (b[key]) b[key] = parties(b[key]);
    const parent = b.parentLotId && lgtin(b.parentLotId);
    if (parent) b.parentLotClass = parent;
    return { ...e, body: b, eventHash: eventHash(b) };
  });
}

/**
 * Appends already-checked events to one organization's hash chain, skipping
 * those stored before in this chain (same eventID or same hash). Must run
 * inside a transaction: the chain-head row lock is held until it commits.
 * The events are hashed here, over their standard identifiers
 * (withStandardIds), so every writer of a chain hashes alike.
 *
 * Write authority over the lots named (authorizeEvents) is the caller's
 * business: captureEvents and capture jobs check it first; openRecall is
 * itself the authority for the `recalled` events it appends. What is checked
 * here holds for every caller: an eventID or content hash already stored in
 * ANOTHER organization's chain answers one CONFLICT whatever the content, and
 * a correction is linked (trace.events.corrects_event_id) to an event of this
 * chain only — another's, or one held elsewhere, is kept as named, unlinked,
 * exactly alike — so no capture learns anything about another
 * organization's events.
 *
 * A duplicate by content sent under another eventID keeps that eventID as an
 * alias of the stored event (trace.event_aliases), so the sender finds its
 * event by its own id.
 */
export async function appendToChain(tx: Database, organizationId: string, checked: NormalizedEvent[], field = 'input.events'): Promise<CaptureResult> {
  const batch = await withStandardIds(tx, checked);
  const idOf = (e: HashedEvent) => e.eventID ?? e.eventHash;
  const head = await lockChainHead(tx, organizationId, GENESIS_HASH);
  const corrected = batch.flatMap((e) => (e.body.errorDeclaration?.correctedEventID ? [e.body.errorDeclaration.correctedEventID] : []));
  const eventIds = [...new Set([...batch.map(idOf), ...corrected])];
  const [stored, aliased] = await Promise.all([existingEvents(tx, eventIds, [...new Set(batch.map((e) => e.eventHash))]), eventsByAlias(tx, eventIds)]);
  // An alias is looked up like the eventID it stands for.
  const byEventId = new Map([...aliased, ...stored.map((r) => [r.event_id, r] as const)]);
  const byHash = new Map(stored.map((r) => [r.event_hash, r]));
  const mine = (r: { organization_id: string } | undefined) => !!r && r.organization_id === organizationId;
  // One answer for "another event has this eventID": whoever stored it and whatever it says.
  const taken = (eventID: string, index: number) => conflict(`eventID ${eventID} was already used for a different event.`, `${field}.${index}.eventID`);

  const seenIds = new Map<string, { hash: string; id: string; eventId: string }>();
  const seenHashes = new Map<string, { id: string; eventId: string }>();
  const rows: EventRow[] = [];
  const aliases = new Map<string, { event_id: string; stored_event_id: string; organization_id: string }>();
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
    const duplicate = old ?? (storedByHash ? { id: storedByHash.id, eventId: storedByHash.event_id } : seenHashes.get(event.eventHash));
    if (duplicate) {
      // The sender's own eventID for content stored under another one.
      if (!old && event.eventID) aliases.set(event.eventID, { event_id: event.eventID, stored_event_id: duplicate.id, organization_id: organizationId });
      ids.push(duplicate.id);
      return;
    }
    const declared = event.body.errorDeclaration?.correctedEventID;
    const target = declared ? byEventId.get(declared) : undefined;
    // Only this chain's events are linked to their corrections; any other is kept as named, unlinked.
    const correctsEventId = declared ? (seenIds.get(declared)?.eventId ?? (mine(target) ? target!.event_id : null)) : null;
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
      correctsEventId,
      body: event.body,
    });
    headHash = link;
    seenIds.set(eventID, { hash: event.eventHash, id, eventId: eventID });
    seenHashes.set(event.eventHash, { id, eventId: eventID });
    ids.push(id);
  });
  if (rows.length > 0) {
    await insertEvents(tx, rows);
    await moveChainHead(tx, organizationId, seq, headHash);
  }
  if (aliases.size > 0) await insertAliases(tx, [...aliases.values()]);
  return { ids, created: rows.length };
}

/**
 * The captureEvents mutation: checks every event first (an error names the
 * event's index and field), then, in one transaction, resolves what the
 * events name (our lots, our organizations by GLN), checks write authority
 * and writes all of them — or none.
 */
export async function captureEvents(ctx: ServiceContext, input: CaptureEventsInput): Promise<CaptureEventsPayloadModel> {
  const { db, viewer, idempotencyKey } = ctx;
  const prepared = await prepareCapture(ctx, input);
  // Events are idempotent by eventID and hash already; an Idempotency-Key also
  // replays the first answer exactly and refuses the key with another batch.
  const result = await idempotent<CaptureResult, CaptureResult>(
    { db, viewer, idempotencyKey },
    {
      table: idempotencyKeys,
      operation: 'captureEvents',
      input,
      // References and custody are checked in the writing transaction, against the state the events are appended to.
      write: async (tx) => {
        const { batch, lots } = await resolveReferences(tx, viewer, prepared);
        await authorizeEvents(tx, prepared.capturer, batch, lots);
        return appendToChain(tx, prepared.organizationId, batch);
      },
      save: (r) => r,
      replay: async (r) => r,
    },
  );
  return {
    eventIds: result.ids,
    createdCount: result.created,
    duplicateCount: prepared.batch.length - result.created,
  };
}

export type PreparedCapture = Awaited<ReturnType<typeof prepareCapture>>;

/**
 * Permission, size and content checks of a capture; nothing is read but the
 * capturer. What the events name is resolved after this (resolveReferences),
 * then write authority (authorizeEvents).
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
  return { organizationId, path, batch, capturer, strictParties: input.strictParties ?? false };
}

/** UNKNOWN_PARTY naming every GLN no organization has; the field is the first one's. */
const unknownParties = (ids: string[], field: string) =>
  new GraphQLError(`No organization here has the GLN of ${ids.join(', ')}.`, {
    extensions: { code: ErrorCode.UNKNOWN_PARTY, parties: ids, field: field.split('.') },
  });

/**
 * What the events name, resolved in three statements for the whole batch:
 * - an epcClass that is the LGTIN of one of our lots becomes that lot, so
 *   write authority applies to it however it is spelt;
 * - every lot must exist and be visible to the capturer (all missing ones are
 *   named at once);
 * - a party named by a GLN-bearing id is the organization whose GLN it is
 *   (then it is that organization for custody and authority); with
 *   strictParties one that matches none is refused; every organization given
 *   by id must exist.
 * Returns the events as resolved (the prepared ones are not changed) and the
 * lots they name.
 */
export async function resolveReferences(db: Database, viewer: Viewer, prepared: PreparedCapture) {
  const { organizationId } = prepared;
  const lgtins = new Map<string, { gtin: string; lot: string }>();
  const partyGlns = new Set<string>();
  const partyOrgs = new Set<string>();
  for (const { body } of prepared.batch) {
    for (const q of [...(body.quantityList ?? []), ...(body.inputQuantityList ?? []), ...(body.outputQuantityList ?? [])]) {
      const id = q.epcClass && isGs1Id(q.epcClass) ? parseGs1Id(q.epcClass) : null;
      if (id?.kind === 'lgtin') lgtins.set(lgtinKey(id.gtin, id.lot), { gtin: id.gtin, lot: id.lot });
    }
    for (const p of [...(body.sourceList ?? []), ...(body.destinationList ?? [])]) {
      if (p.organizationId) partyOrgs.add(p.organizationId);
      const gln = p.id ? glnOfParty(p.id) : null;
      if (gln) partyGlns.add(gln);
    }
  }
  const [byLgtin, orgs] = await Promise.all([lotsByLgtin(db, [...lgtins.values()]), organizationsByIdOrGln(db, [...partyOrgs], [...partyGlns])]);
  const orgIds = new Set(orgs.map((o) => o.id));
  const orgByGln = new Map(orgs.flatMap((o) => (o.gln ? [[o.gln, o.id] as const] : [])));

  const asLot = (q: QuantityElementModel): QuantityElementModel => {
    const id = q.epcClass && !q.lotId && isGs1Id(q.epcClass) ? parseGs1Id(q.epcClass) : null;
    const lotId = id?.kind === 'lgtin' ? byLgtin.get(lgtinKey(id.gtin, id.lot)) : undefined;
    return lotId ? { ...q, lotId } : q;
  };
  const unknown: { id: string; field: string }[] = [];
  const batch = prepared.batch.map((event, index): NormalizedEvent => {
    const b: EventBody = { ...event.body };
    for (const key of ['quantityList', 'inputQuantityList', 'outputQuantityList'] as const) if (b[key]) b[key] = b[key].map(asLot);
    for (const [key, name] of [
      ['sourceList', 'sourceParties'],
      ['destinationList', 'destinationParties'],
    ] as const) {
      b[key] = b[key]?.map((p, i) => {
        if (!p.id || p.organizationId) return p;
        const gln = glnOfParty(p.id);
        const matched = gln ? orgByGln.get(gln) : undefined;
        if (matched) return { ...p, organizationId: matched };
        if (gln) unknown.push({ id: p.id, field: `input.events.${index}.${name}.${i}.id` });
        return p;
      });
    }
    return { ...event, body: b };
  });
  if (prepared.strictParties && unknown.length > 0) throw unknownParties([...new Set(unknown.map((u) => u.id))], unknown[0]!.field);

  const lots = await lotsByIds(db, [...new Set(batch.flatMap((e) => lotIdsOf(e.body)))]);
  // A draft lot of another organization looks missing, as everywhere else.
  const usable = new Map(lots.filter((l) => l.scope.published || l.ownerId === organizationId || canReadInternal(viewer, l.scope.path)).map((l) => [l.id, l]));
  const missing: { name: string; field: string }[] = [];
  batch.forEach((event, index) => {
    const at = `input.events.${index}`;
    const lists = { quantities: event.body.quantityList, inputs: event.body.inputQuantityList, outputs: event.body.outputQuantityList } as const;
    for (const [name, list] of Object.entries(lists)) {
      list?.forEach((q, i) => {
        // A lot given by LGTIN is named as given: its id is not the capturer's to learn.
        if (q.lotId && !usable.has(q.lotId))
          missing.push(q.epcClass ? { name: q.epcClass, field: `${at}.${name}.${i}.epcClass` } : { name: q.lotId, field: `${at}.${name}.${i}.lotId` });
      });
    }
    if (event.body.parentLotId && !usable.has(event.body.parentLotId)) missing.push({ name: event.body.parentLotId, field: `${at}.parentLotId` });
    for (const [name, list] of Object.entries({ sourceParties: event.body.sourceList, destinationParties: event.body.destinationList })) {
      list?.forEach((p, i) => {
        if (p.organizationId && !p.id && !orgIds.has(p.organizationId))
          throw badInput(`Organization ${p.organizationId} was not found.`, `${at}.${name}.${i}.organizationId`);
      });
    }
  });
  if (missing.length > 0) {
    const names = [...new Set(missing.map((m) => m.name))];
    throw badInput(names.length === 1 ? `Lot ${names[0]} was not found.` : `Lots ${names.join(', ')} were not found.`, missing[0]!.field);
  }
  return { batch, lots: usable };
}
