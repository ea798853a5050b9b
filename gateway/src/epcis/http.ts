import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, readBody } from '@nguon/shared/http';
import type { Viewer } from '@nguon/shared/viewer';
import type { EpcFormat } from '@nguon/gs1/epc';
import { graphData, type EdgeContext } from '../edge';
import type { TypedDocumentString } from '../generated/graphql';
import { EpcisProblem, fromGraphErrors, invalid } from './problem';

/** What every EPCIS 2.0 REST route shares: the standard's headers, JSON in and out, and graph calls as the caller. */
export const CAPTURE_LIMIT = 10_000;
export const CAPTURE_FILE_SIZE_LIMIT = 32 * 1024 * 1024;

export type Json = Record<string, unknown>;

export const epcisHeaders = (format: EpcFormat) => ({ 'GS1-EPCIS-Version': '2.0.0', 'GS1-CBV-Version': '2.0.0', 'GS1-EPC-Format': format });

export function formatOf(req: IncomingMessage): EpcFormat {
  const h = String(req.headers['gs1-epc-format'] ?? 'No_Preference');
  return h === 'Always_GS1_Digital_Link' || h === 'Always_EPC_URN' ? h : 'No_Preference';
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/ld+json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  if (type !== 'application/json' && type !== 'application/ld+json')
    throw new EpcisProblem('UNSUPPORTED_MEDIA_TYPE', 'UnsupportedMediaTypeException', 'Send application/ld+json or application/json.');
  let text: string;
  try {
    text = await readBody(req, CAPTURE_FILE_SIZE_LIMIT);
  } catch (error) {
    if (error instanceof HttpError && error.status === 413)
      throw new EpcisProblem('PAYLOAD_TOO_LARGE', 'CaptureLimitExceededException', `The document is over ${CAPTURE_FILE_SIZE_LIMIT} bytes.`);
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch {
    throw invalid('The body is not valid JSON.');
  }
}

export const run = <R, V>(edge: EdgeContext, viewer: Viewer, document: TypedDocumentString<R, V>, variables: V) =>
  graphData(edge, viewer, document, variables, fromGraphErrors);
