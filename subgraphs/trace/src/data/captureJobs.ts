import { sql } from 'drizzle-orm';
import { rowsOf, type Database, asDate, asJson, asNumber } from '@nguon/shared';
import type { CaptureJobModel, CaptureJobStatusValue } from '../models';

interface RawJob {
  id: string;
  organization_id: string;
  status: string;
  event_count: unknown;
  created_count: unknown;
  duplicate_count: unknown;
  errors: unknown;
  created_at: unknown;
  finished_at: unknown;
  org_path: string;
}

export async function insertCaptureJob(db: Database, job: { id: string; organizationId: string; createdBy: string | null; eventCount: number }) {
  await db.execute(sql`insert into trace.capture_jobs (id, organization_id, status, created_by, event_count)
    values (${job.id}, ${job.organizationId}, 'RUNNING', ${job.createdBy}, ${job.eventCount})`);
}

export async function finishCaptureJob(
  db: Database,
  id: string,
  outcome: { status: Exclude<CaptureJobStatusValue, 'RUNNING'>; createdCount?: number; duplicateCount?: number; errors?: CaptureJobModel['errors'] },
) {
  await db.execute(sql`update trace.capture_jobs set status = ${outcome.status}, created_count = ${outcome.createdCount ?? 0},
    duplicate_count = ${outcome.duplicateCount ?? 0}, errors = ${JSON.stringify(outcome.errors ?? [])}::jsonb, finished_at = now()
    where id = ${id} and status = 'RUNNING'`);
}

/** Jobs RUNNING longer than `staleSeconds` lost their process: report them FAILED (nothing of theirs was committed). */
export async function failStaleJobs(db: Database, staleSeconds: number) {
  await db.execute(sql`update trace.capture_jobs set status = 'FAILED', finished_at = now(),
    errors = ${JSON.stringify([{ message: 'The capture was interrupted (service restart); nothing was stored. Submit the document again.', code: 'INTERNAL', field: null }])}::jsonb
    where status = 'RUNNING' and created_at < now() - make_interval(secs => ${staleSeconds})`);
}

export async function captureJobById(db: Database, id: string): Promise<CaptureJobModel | null> {
  const [r] = rowsOf<RawJob>(
    await db.execute(
      sql`select j.*, o.path as org_path from trace.capture_jobs j join tenants.organization_scope o on o.id = j.organization_id where j.id = ${id}`,
    ),
  );
  if (!r) return null;
  return {
    id: r.id,
    organizationId: r.organization_id,
    status: r.status as CaptureJobStatusValue,
    eventCount: asNumber(r.event_count),
    createdCount: asNumber(r.created_count),
    duplicateCount: asNumber(r.duplicate_count),
    errors: asJson<CaptureJobModel['errors']>(r.errors),
    createdAt: asDate(r.created_at),
    finishedAt: r.finished_at ? asDate(r.finished_at) : null,
    scope: { path: r.org_path, published: false },
  };
}
