import { badInput, canOperate, canSupervise, forbidden, inTransaction, isUuid, notFound, uuidv7, type Database, type Viewer } from '@nguon/shared';
import { idempotent } from '@nguon/shared/idempotency';
import { idempotencyKeys } from '../db/schema';
import type { CloseRecallInput, OpenRecallInput, RecordRecallRecoveryInput } from '../generated/graphql';
import { eventHash, type NormalizedEvent } from '../epcis/event';
import { downstreamClosure } from '../data/genealogy';
import { lotsByIds } from '../data/lots';
import { organizationPaths } from '../data/organizations';
import { addRecovery, holdingsOf, insertRecall, lockRecall, markRecalled, outstandingQuantity, recallsByIds, setRecallStatus } from '../data/recalls';
import type { EventBody, LotModel, RecallModel } from '../models';
import { appendToChain } from './capture';
import { visibleLot } from '../resolvers/visibility';

const MAX_ROOTS = 100;

/** Recall acts on a lot: supervisors in scope, or the owner's operators. */
const mayRecall = (viewer: Viewer, lot: LotModel) => canSupervise(viewer, lot.scope.path) || canOperate(viewer, lot.scope.path, 'trace:write');

/** Now, written in Vietnam's offset: the recall events are Can Tho events. */
function nowInVietnam(): string {
  const local = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 23);
  return `${local}+07:00`;
}

/**
 * Opens a recall in one transaction: computes every downstream lot (over all
 * lots, whoever may see them), every holder, marks the lots RECALLED and
 * appends a `recalled` disposition event per lot to its owner's hash chain.
 */
export async function openRecall(db: Database, viewer: Viewer, input: OpenRecallInput, idempotencyKey?: string): Promise<RecallModel> {
  const reason = input.reason.trim();
  if (!reason) throw badInput('Give the reason for the recall.', 'input.reason');
  if (reason.length > 2000) throw badInput('A reason has at most 2 000 characters.', 'input.reason');
  if (input.lotIds.length === 0) throw badInput('Name at least one lot.', 'input.lotIds');
  if (input.lotIds.length > MAX_ROOTS) throw badInput(`Name at most ${MAX_ROOTS} lots.`, 'input.lotIds');
  const rootIds = [...new Set(input.lotIds.map((id) => id.toLowerCase()))];
  const roots = new Map((await lotsByIds(db, rootIds.filter(isUuid))).map((l) => [l.id, l]));
  input.lotIds.forEach((raw, i) => {
    const lot = visibleLot(viewer, roots.get(raw.toLowerCase()) ?? null);
    if (!lot) throw badInput('The lot was not found.', `input.lotIds.${i}`);
    if (!mayRecall(viewer, lot)) throw forbidden(`Only an OFFICER or ADMIN over ${lot.scope.path}, or the lot's owner, may recall it.`);
  });

  // A retried recall with the same Idempotency-Key replays the first recall rather than opening a second.
  const id = await idempotent<string, { id: string }>({ db, viewer, idempotencyKey }, {
    table: idempotencyKeys,
    operation: 'openRecall',
    input,
    save: (recallId) => ({ id: recallId }),
    replay: async (saved) => saved.id,
    write: async (tx) => {
      const id = uuidv7();
      const affected = await downstreamClosure(tx, rootIds);
      const holdings = await holdingsOf(tx, affected);
      const rootSet = new Set(rootIds);
      await insertRecall(tx, { id, reason, severity: input.severity, openedBy: viewer.kind === 'user' ? viewer.userId : viewer.kind === 'client' ? viewer.clientId : null }, holdings.map((h) => ({ ...h, root: rootSet.has(h.lotId) })));
      await markRecalled(tx, affected);

      const owners = new Map<string, string[]>();
      for (const lot of await lotsByIds(tx, affected)) owners.set(lot.ownerId, [...(owners.get(lot.ownerId) ?? []), lot.id]);
      const eventTime = nowInVietnam();
      // Sorted so two recalls touching the same organizations take chain locks in one order (no deadlock).
      for (const ownerId of [...owners.keys()].sort()) {
        const events = owners.get(ownerId)!.sort().map((lotId): NormalizedEvent => {
          const body: EventBody = {
            type: 'OBJECT_EVENT',
            action: 'OBSERVE',
            eventTime,
            eventTimeZoneOffset: '+07:00',
            bizStep: 'holding',
            disposition: 'recalled',
            quantityList: [{ lotId, quantity: null, unit: null }],
            bizTransactionList: [{ type: 'rma', id: `urn:nguon:recall:${id}` }],
          };
          return { eventID: null, body, eventHash: eventHash(body), eventTime: new Date(eventTime) };
        });
        await appendToChain(tx, ownerId, events);
      }
      return id;
    },
  });
  return (await recallsByIds(db, [id]))[0]!;
}

async function recallFor(db: Database, viewer: Viewer, id: string): Promise<RecallModel> {
  const [recall] = isUuid(id) ? await recallsByIds(db, [id]) : [];
  if (!recall) throw notFound('The recall');
  return recall;
}

export async function recordRecovery(db: Database, viewer: Viewer, input: RecordRecallRecoveryInput): Promise<RecallModel> {
  const recall = await recallFor(db, viewer, input.recallId);
  if (!Number.isFinite(input.quantity) || input.quantity <= 0) throw badInput('A recovered quantity is more than zero.', 'input.quantity');
  if (!isUuid(input.holderId)) throw badInput('Not an organization id.', 'input.holderId');
  if (!isUuid(input.lotId)) throw badInput('Not a lot id.', 'input.lotId');
  const holderPath = (await organizationPaths(db, [input.holderId.toLowerCase()])).get(input.holderId.toLowerCase());
  // The holder reports what came back; supervisors of the recall may record it for them.
  const allowed = (holderPath && canOperate(viewer, holderPath, 'trace:write')) || canSupervise(viewer, recall.scope.path) || canOperate(viewer, recall.scope.path, 'trace:write');
  if (!allowed) throw forbidden('Only the holder, the recalling owner or a supervisor may record recovered quantity.');
  await inTransaction(db, async (tx) => {
    const locked = await lockRecall(tx, recall.id);
    if (locked?.status === 'CLOSED') throw badInput('The recall is closed.', 'input.recallId');
    const row = await addRecovery(tx, recall.id, input.lotId.toLowerCase(), input.holderId.toLowerCase(), input.quantity);
    if (!row) throw badInput('That organization does not hold that lot in this recall.', 'input.holderId');
    if (row.quantityHeld !== null && row.quantityRecovered > row.quantityHeld) {
      throw badInput(`More than the ${row.quantityHeld} held would be recovered.`, 'input.quantity');
    }
    await setRecallStatus(tx, recall.id, 'IN_PROGRESS');
  });
  return (await recallsByIds(db, [recall.id]))[0]!;
}

export async function closeRecall(db: Database, viewer: Viewer, input: CloseRecallInput): Promise<RecallModel> {
  const recall = await recallFor(db, viewer, input.recallId);
  if (!canSupervise(viewer, recall.scope.path) && !canOperate(viewer, recall.scope.path, 'trace:write')) {
    throw forbidden('Only a supervisor or the recalling owner may close the recall.');
  }
  await inTransaction(db, async (tx) => {
    const locked = await lockRecall(tx, recall.id);
    if (locked?.status === 'CLOSED') throw badInput('The recall is already closed.', 'input.recallId');
    const outstanding = await outstandingQuantity(tx, recall.id);
    if (outstanding > 0 && !input.writeOffOutstanding) {
      throw badInput(`${outstanding} is still out; recover it or close with writeOffOutstanding.`, 'input.writeOffOutstanding');
    }
    await setRecallStatus(tx, recall.id, 'CLOSED');
  });
  return (await recallsByIds(db, [recall.id]))[0]!;
}

