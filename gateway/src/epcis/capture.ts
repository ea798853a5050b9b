import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Viewer } from '@nguon/shared/viewer';
import type { EdgeContext } from '../edge';
import { signedIn } from '../http/guard';
import { graphql } from '../generated';
import type { EventInput } from '../generated/graphql';
import { eventsOfDocument, lgtinsOf, toEventInput } from './document';
import { CAPTURE_LIMIT, epcisHeaders, formatOf, readJson, run, send, type Json } from './http';
import { resolveLots } from './lots';
import { EpcisProblem, exceptionOfCode, invalid, WITH_CODE } from './problem';

/**
 * EPCIS 2.0 capture (POST /epcis/capture, POST /epcis/events, GET
 * /epcis/capture/{id}). Capture is asynchronous: the document is checked and
 * translated at once (400, nothing stored, when it is invalid), the trace
 * service writes it in the background in one transaction (rollback on
 * error), and GET /epcis/capture/{id} reports it.
 */
const SUBMIT_CAPTURE = graphql(`
  mutation EpcisSubmitCapture($input: CaptureEventsInput!) {
    submitCaptureJob(input: $input) {
      id
    }
  }
`);
const CAPTURE_JOB = graphql(`
  query EpcisCaptureJob($id: ID!) {
    captureJob(id: $id) {
      id
      status
      eventCount
      createdCount
      duplicateCount
      errors {
        message
        code
        field
      }
      createdAt
      finishedAt
    }
  }
`);
const CAPTURE_ONE = graphql(`
  mutation EpcisCaptureOne($input: CaptureEventsInput!) {
    captureEvents(input: $input) {
      createdCount
      events {
        eventID
      }
    }
  }
`);

/** The capturing organization: ?organizationId=, else the one the caller operates. */
function organizationOf(viewer: Viewer, url: URL): string {
  const given = url.searchParams.get('organizationId');
  if (given) return given;
  if (viewer.kind === 'client') return viewer.orgId;
  if (viewer.kind === 'user') {
    const orgs = [...new Set(viewer.grants.filter((g) => g.role === 'STAFF' || g.role === 'ADMIN').map((g) => g.orgId))];
    if (orgs.length === 1) return orgs[0]!;
  }
  throw invalid('Say which organization captures the events: ?organizationId=<id>.');
}

/**
 * EPCIS JSON-LD events → the graph's EventInput. The translation is checked
 * field by field in document.ts; what the graph then refuses (an unknown
 * field, a bad value) comes back as its own BAD_USER_INPUT.
 */
async function translate(edge: EdgeContext, viewer: Viewer, events: Json[], at: (i: number) => string): Promise<EventInput[]> {
  const lots = await resolveLots(edge, viewer, lgtinsOf(events));
  return events.map((e, i) => toEventInput(e, at(i), lots) as unknown as EventInput);
}

export async function capture(req: IncomingMessage, res: ServerResponse, edge: EdgeContext, url: URL) {
  const viewer = await signedIn(edge);
  if (!edge.allow(viewer)) return;
  const events = eventsOfDocument(await readJson(req));
  if (events.length > CAPTURE_LIMIT)
    throw new EpcisProblem('PAYLOAD_TOO_LARGE', 'CaptureLimitExceededException', `At most ${CAPTURE_LIMIT} events per capture.`);
  if (events.length === 0) throw invalid('The document has no events.', '/epcisBody/eventList');
  const inputs = await translate(edge, viewer, events, (i) => `/epcisBody/eventList/${i}`);
  const data = await run(edge, viewer, SUBMIT_CAPTURE, {
    input: { organizationId: organizationOf(viewer, url), events: inputs },
  });
  const location = `/epcis/capture/${data.submitCaptureJob.id}`;
  res.writeHead(202, { location, ...epcisHeaders(formatOf(req)), 'content-length': 0 });
  res.end();
}

export async function captureJob(req: IncomingMessage, res: ServerResponse, edge: EdgeContext, id: string) {
  const viewer = await signedIn(edge);
  if (!edge.allow(viewer)) return;
  const data = await run(edge, viewer, CAPTURE_JOB, { id });
  const job = data.captureJob;
  if (!job) throw new EpcisProblem('NOT_FOUND', 'NoSuchResourceException', `No capture job ${id}.`);
  send(
    res,
    200,
    {
      captureID: job.id,
      createdAt: job.createdAt,
      finishedAt: job.finishedAt ?? undefined,
      running: job.status === 'RUNNING',
      success: job.status === 'SUCCESS',
      captureErrorBehaviour: 'rollback',
      eventCount: job.eventCount,
      createdCount: job.createdCount,
      duplicateCount: job.duplicateCount,
      errors: job.errors.map((e: Json) => {
        const { status, exception } = exceptionOfCode(e.code);
        return {
          type: `epcisException:${exception}`,
          title: e.message,
          status,
          ...(WITH_CODE.has(e.code as string) ? { code: e.code } : {}),
          ...(e.field ? { field: e.field } : {}),
        };
      }),
    },
    epcisHeaders(formatOf(req)),
  );
}

export async function captureOne(req: IncomingMessage, res: ServerResponse, edge: EdgeContext, url: URL) {
  const viewer = await signedIn(edge);
  if (!edge.allow(viewer)) return;
  const body = await readJson(req);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalid('The body is one EPCIS event.');
  const [input] = (await translate(edge, viewer, [body as Json], () => '')) as [EventInput];
  const data = await run(edge, viewer, CAPTURE_ONE, {
    input: { organizationId: organizationOf(viewer, url), events: [input] },
  });
  const eventID = data.captureEvents.events[0]!.eventID;
  if (data.captureEvents.createdCount === 0)
    throw new EpcisProblem('CONFLICT', 'ResourceAlreadyExistsException', `The event is already stored as ${eventID}.`, { eventID });
  res.writeHead(201, { location: `/epcis/events/${encodeURIComponent(eventID)}`, ...epcisHeaders(formatOf(req)), 'content-length': 0 });
  res.end();
}
