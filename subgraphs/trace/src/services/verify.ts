import { canReadInternal, forbidden, isUuid, notFound, type ServiceContext } from '@nguon/shared';
import { chainHash, GENESIS_HASH, hashMatches } from '../epcis/event';
import { chainPage } from '../data/events';
import { organizationPaths } from '../data/organizations';
import type { ChainVerificationModel } from '../models';

const PAGE = 5000;

/**
 * Re-walks an organization's hash chain from the first event: recomputes
 * each event's hash from its stored document, checks the copied columns
 * against it, and checks every link. The first failure is the answer, so an
 * edit made directly in SQL is named by its eventID.
 */
export async function verifyChain(ctx: ServiceContext, organizationId: string): Promise<ChainVerificationModel> {
  const { db, viewer } = ctx;
  const id = organizationId.toLowerCase();
  const path = isUuid(id) ? (await organizationPaths(db, [id])).get(id) : undefined;
  if (!path || !canReadInternal(viewer, path)) {
    if (!path) throw notFound('The organization');
    throw forbidden(`Only ${path} and its supervisors may verify its chain.`);
  }
  const result = (broken: { eventID: string; seq: number; problem: string } | null, count: number): ChainVerificationModel => ({
    organizationId: id,
    valid: broken === null,
    eventCount: count,
    firstBrokenEventID: broken?.eventID ?? null,
    firstBrokenSequence: broken?.seq ?? null,
    problem: broken?.problem ?? null,
    scope: { path, published: false },
  });

  let previous = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for (;;) {
    const page = await chainPage(db, id, expectedSeq - 1, PAGE);
    for (const e of page) {
      count++;
      const at = (problem: string) => result({ eventID: e.eventID, seq: e.seq, problem }, count);
      if (e.seq !== expectedSeq) return at(`sequence ${expectedSeq} is missing`);
      if (e.prevHash !== previous) return at('its previous-hash link does not match the event before it');
      if (!hashMatches(e.body, e.eventHash)) return at('its content no longer matches its event hash');
      const b = e.body;
      const columns = e.columns;
      if (
        columns.type !== b.type ||
        columns.action !== (b.action ?? null) ||
        columns.bizStep !== (b.bizStep ?? null) ||
        columns.disposition !== (b.disposition ?? null) ||
        columns.eventTime.getTime() !== new Date(b.eventTime).getTime()
      ) {
        return at('its columns differ from the captured event');
      }
      if (chainHash(e.prevHash, e.eventHash) !== e.chainHash) return at('its chain hash is wrong');
      previous = e.chainHash;
      expectedSeq++;
    }
    if (page.length < PAGE) break;
  }
  return result(null, count);
}
