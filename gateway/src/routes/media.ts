import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Viewer } from '@nguon/shared/viewer';
import type { EdgeRoute } from '../edge';
import { Problem, sendProblem } from '../http/problem';

/**
 * Small local images for the demo catalogue (issue 15: "demo products carry
 * small local images"), so a demo consumer page shows a picture without
 * fetching anything beyond the gateway it came from.
 *
 *   GET|HEAD /media/demo/{name}.svg
 *
 * Only the files named in MEDIA are served — no directory listing, no path
 * from the URL ever reaches the file system — with immutable caching (a
 * changed picture gets a new name), an exact content type, `nosniff`, and a
 * CSP that keeps an SVG opened on its own from running anything.
 */
export const MEDIA_PREFIX = '/media/demo/';

/** The allowlist: file name → content type. */
export const MEDIA: Readonly<Record<string, string>> = {
  'rice.svg': 'image/svg+xml',
  'fish.svg': 'image/svg+xml',
  'fruit.svg': 'image/svg+xml',
  'vegetable.svg': 'image/svg+xml',
  'drink.svg': 'image/svg+xml',
};

/**
 * Where the files are: gateway/media/demo, found from this module in the source tree
 * (gateway/src/routes/) and from the production bundle (gateway/dist/), which ships beside it.
 */
export function mediaDirectory(moduleUrl: string = import.meta.url): string {
  const candidates = ['../../media/demo/', '../media/demo/'].map((p) => fileURLToPath(new URL(p, moduleUrl)));
  return candidates.find((dir) => existsSync(`${dir}rice.svg`)) ?? candidates[0]!;
}

interface MediaFile {
  body: Buffer;
  type: string;
  etag: string;
}

/** Reads every allowed file once, at start-up: a missing one fails loudly here, not on a shopper's phone. */
function loadMedia(dir: string): Map<string, MediaFile> {
  const files = new Map<string, MediaFile>();
  for (const [name, type] of Object.entries(MEDIA)) {
    const body = readFileSync(`${dir}${name}`);
    files.set(name, { body, type, etag: `"${name}-${body.length}"` });
  }
  return files;
}

function send(req: IncomingMessage, res: ServerResponse, file: MediaFile): void {
  const headers = {
    'content-type': file.type,
    'content-length': String(file.body.length),
    'cache-control': 'public, max-age=31536000, immutable',
    etag: file.etag,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    'cross-origin-resource-policy': 'same-site',
  };
  if (req.headers['if-none-match'] === file.etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : file.body);
}

export function mediaRoute(options: { directory?: string } = {}): EdgeRoute {
  const files = loadMedia(options.directory ?? mediaDirectory());
  return async (req, res, edge) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (!path.startsWith(MEDIA_PREFIX)) return false;
    const viewer: Viewer = { kind: 'anonymous', requestId: edge.requestId };
    if (!edge.allow(viewer)) return true;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendProblem(res, new Problem('METHOD_NOT_ALLOWED', 'Use GET or HEAD.', { headers: { allow: 'GET, HEAD' } }), path);
      return true;
    }
    // An exact key of the allowlist, or nothing: "../", encoded slashes and other names all miss.
    const file = Object.hasOwn(MEDIA, path.slice(MEDIA_PREFIX.length)) ? files.get(path.slice(MEDIA_PREFIX.length)) : undefined;
    if (!file) {
      sendProblem(res, new Problem('NOT_FOUND', 'No such image.'), path);
      return true;
    }
    send(req, res, file);
    return true;
  };
}
