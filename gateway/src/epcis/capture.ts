import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Viewer } from '@nguon/shared/viewer';
import type { EdgeContext } from '../edge';
import { signedIn } from '../http/guard';
import { graphql } from '../generated';
import type { EventInput } from '../generated/graphql';
import { checkSchema, eventsOfDocument, lgtinsOf, termsOf, toEventInputs, type UnregisteredLots } from './document';
import { CAPTURE_LIMIT, epcisHeaders, formatOf, readJson, run, send, type Json } from './http';
import { resolveLots } from './lots';
import { EpcisProblem, exceptionOfCode, invalid, WITH_CODE } from './problem';

/**
 * EPCIS 2.0 capture (POST /epcis/capture, POST /epcis/events, GET
 * /epcis/capture/{id}). Capture is asynchronous: the document is checked
 * against GS1's schema and translated at once (400, nothing stored, when it
 * is invalid; 422 when this repository's policy refuses it), the trace
 * service writes it in the background in one transaction (rollback on
 * error), and GET /epcis/capture/{id} reports it.
 */

/** Capture settings (README, "Configuration"). */
export interface EpcisCaptureConfig {
  /** EPCIS_UNREGISTERED_LOTS: refuse events naming a lot not registered here, or capture it as a class (`epcClass`). */
  unregisteredLots: UnregisteredLots;
}
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

/** ?strictParties=true: a party named by a GLN that is no organization's here is refused (UNKNOWN_PARTY) instead of kept as sent. */
const strictParties = (url: URL) => url.searchParams.get('strictParties') === 'true';

/**
 * EPCIS JSON-LD events the schema accepted → the graph's EventInput
 * (document.ts); what the graph then refuses comes back as its own
 * BAD_USER_INPUT.
 */
async function translate(
  edge: EdgeContext,
  viewer: Viewer,
  events: Json[],
  at: (i: number) => string,
  context: unknown,
  config: EpcisCaptureConfig,
): Promise<EventInput[]> {
  const lots = await resolveLots(edge, viewer, lgtinsOf(events));
  return toEventInputs(events, at, { lots, unregisteredLots: config.unregisteredLots, terms: termsOf(context) }) as unknown as EventInput[];
}

export async function capture(req: IncomingMessage, res: ServerResponse, edge: EdgeContext, url: URL, config: EpcisCaptureConfig) {
  const viewer = await signedIn(edge);
  if (!edge.allow(viewer)) return;
  const doc = await readJson(req);
  // The count before the schema: an oversized document is refused before any work on its events.
  const list = ((doc as { epcisBody?: { eventList?: unknown } } | null)?.epcisBody?.eventList ?? []) as unknown[];
  if (Array.isArray(list) && list.length > CAPTURE_LIMIT)
    throw new EpcisProblem('PAYLOAD_TOO_LARGE', 'CaptureLimitExceededException', `At most ${CAPTURE_LIMIT} events per capture.`);
  const events = eventsOfDocument(doc);
  if (events.length > CAPTURE_LIMIT)
    throw new EpcisProblem('PAYLOAD_TOO_LARGE', 'CaptureLimitExceededException', `At most ${CAPTURE_LIMIT} events per capture.`);
  if (events.length === 0) throw invalid('The document has no events.', '/epcisBody/eventList');
  const inputs = await translate(edge, viewer, events, (i) => `/epcisBody/eventList/${i}`, (doc as Json)['@context'], config);
  const data = await run(edge, viewer, SUBMIT_CAPTURE, {
    input: { organizationId: organizationOf(viewer, url), events: inputs, strictParties: strictParties(url) },
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

/** POST /epcis/events: one event, with its own `@context` as the schema asks of a standalone event. */
export async function captureOne(req: IncomingMessage, res: ServerResponse, edge: EdgeContext, url: URL, config: EpcisCaptureConfig) {
  const viewer = await signedIn(edge);
  if (!edge.allow(viewer)) return;
  const body = await readJson(req);
  checkSchema(body);
  if (Array.isArray(body) || (body as Json).type === 'EPCISDocument' || (body as Json).type === 'EPCISQueryDocument')
    throw invalid('The body is one EPCIS event; send documents to /epcis/capture.', '/type');
  const [input] = (await translate(edge, viewer, [body as Json], () => '', undefined, config)) as [EventInput];
  const data = await run(edge, viewer, CAPTURE_ONE, {
    input: { organizationId: organizationOf(viewer, url), events: [input], strictParties: strictParties(url) },
  });
  const eventID = data.captureEvents.events[0]!.eventID;
  // The sender's eventID is kept beside the stored one (an alias), so it names the event too.
  const sent = typeof (body as Json).eventID === 'string' && !(body as Json).errorDeclaration ? ((body as Json).eventID as string) : eventID;
  const location = `/epcis/events/${encodeURIComponent(sent)}`;
  if (data.captureEvents.createdCount === 0)
    throw new EpcisProblem('CONFLICT', 'ResourceAlreadyExistsException', `The event is already stored as ${eventID}.`, { eventID }, { location });
  res.writeHead(201, { location, ...epcisHeaders(formatOf(req)), 'content-length': 0 });
  res.end();
}
