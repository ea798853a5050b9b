import { GraphQLError } from 'graphql';
import { actorIdOf, canReadInternal, inTransaction, isUuid, uuidv7, type ServiceContext } from '@nguon/shared';
import type { CaptureEventsInput } from '../generated/graphql';
import { captureJobById, failStaleJobs, finishCaptureJob, insertCaptureJob } from '../data/captureJobs';
import type { CaptureJobModel } from '../models';
import { appendToChain, prepareCapture, resolveReferences } from './capture';
import { authorizeEvents } from './authority';

/** A job RUNNING this long has lost its process (10 000 events take seconds): it is reported FAILED. */
export const STALE_JOB_SECONDS = 600;

const running = new Set<Promise<unknown>>();

/**
 * EPCIS asynchronous capture. Every check captureEvents makes runs before
 * the job exists, so a bad document is refused at once (400) and leaves no
 * job; the writing runs in this process after the answer, in one
 * transaction — a failure stores nothing (EPCIS "rollback" mode).
 *
 * The document is not persisted: a job whose process dies is not resumed but
 * marked FAILED after STALE_JOB_SECONDS, and the client sends it again
 * (capture is idempotent by eventID and hash, so resending is safe).
 */
export async function submitCaptureJob(ctx: ServiceContext, input: CaptureEventsInput): Promise<CaptureJobModel> {
  const { db, viewer } = ctx;
  const prepared = await prepareCapture(ctx, input);
  const { organizationId, capturer } = prepared;
  // References and write authority too are refused at once (no job); both are checked again in the writing transaction.
  const first = await resolveReferences(db, viewer, prepared);
  await authorizeEvents(db, capturer, first.batch, first.lots);
  const id = uuidv7();
  const eventCount = prepared.batch.length;
  await insertCaptureJob(db, { id, organizationId, createdBy: actorIdOf(viewer), eventCount });
  const work = (async () => {
    try {
      const result = await inTransaction(db, async (tx) => {
        const { batch, lots } = await resolveReferences(tx, viewer, prepared);
        await authorizeEvents(tx, capturer, batch, lots);
        return appendToChain(tx, organizationId, batch);
      });
      await finishCaptureJob(db, id, { status: 'SUCCESS', createdCount: result.created, duplicateCount: eventCount - result.created });
    } catch (error) {
      const expected = error instanceof GraphQLError && typeof error.extensions.code === 'string';
      const path = expected ? error.extensions.field : undefined;
      const field = Array.isArray(path) ? path.join('.') : null;
      await finishCaptureJob(db, id, {
        status: 'FAILED',
        errors: [
          { message: expected ? error.message : 'The capture failed; nothing was stored.', code: expected ? String(error.extensions.code) : 'INTERNAL', field },
        ],
      }).catch(() => undefined);
    }
  })();
  running.add(work);
  void work.finally(() => running.delete(work));
  return (await captureJobById(db, id))!;
}

/** Waits for every job this process is running (tests, graceful shutdown). */
export async function settleCaptureJobs(): Promise<void> {
  while (running.size > 0) await Promise.allSettled([...running]);
}

export async function captureJob(ctx: ServiceContext, id: string): Promise<CaptureJobModel | null> {
  const { db, viewer } = ctx;
  if (!isUuid(id)) return null;
  await failStaleJobs(db, STALE_JOB_SECONDS);
  const job = await captureJobById(db, id.toLowerCase());
  return job && canReadInternal(viewer, job.scope.path) ? job : null;
}
