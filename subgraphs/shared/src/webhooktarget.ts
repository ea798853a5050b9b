import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/*
 * Where an organization's webhook may point (docs/architecture.md §10). The
 * notification worker POSTs from inside the platform, so a webhook aimed at
 * loopback, a private network or the cloud metadata address would let anyone
 * who may set one probe or call internal services (SSRF). Outside an explicit
 * development setting (WEBHOOK_ALLOW_PRIVATE) a webhook is https to a public
 * address; the tenants service checks the URL when it is set, and the trace
 * worker checks it again and vets every address the host resolves to before
 * each POST, then connects to the vetted address only.
 */

const MAX_URL = 2000;

/** Why `raw` may not be a webhook URL, or null. No DNS here: the worker resolves and vets the host at delivery time. */
export function webhookUrlProblem(raw: string, allowPrivate: boolean): string | null {
  if (raw.length > MAX_URL) return `at most ${MAX_URL} characters`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  if (url.username || url.password) return 'credentials in the URL are not allowed';
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) return allowPrivate ? 'only https or http' : 'only https';
  if (!url.hostname) return 'no host';
  if (allowPrivate) return null;
  const host = bareHost(url.hostname);
  if (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) !== 0 && !isPublicAddress(host))) return 'not a public address';
  return null;
}

/** A URL's hostname without the brackets around an IPv6 literal. */
export const bareHost = (hostname: string) => (hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname);

const v4Octets = (ip: string): number[] | null => {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  const octets = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return octets.every((o) => o >= 0 && o <= 255) ? octets : null;
};

/** [prefix, bits] of IPv4 space that is not the public internet. */
const V4_BLOCKED: [number[], number][] = [
  [[0, 0, 0, 0], 8], // "this network"
  [[10, 0, 0, 0], 8], // RFC 1918
  [[100, 64, 0, 0], 10], // CGNAT
  [[127, 0, 0, 0], 8], // loopback
  [[169, 254, 0, 0], 16], // link-local, cloud metadata
  [[172, 16, 0, 0], 12], // RFC 1918
  [[192, 0, 0, 0], 24], // IETF protocol assignments
  [[192, 0, 2, 0], 24], // documentation
  [[192, 168, 0, 0], 16], // RFC 1918
  [[198, 18, 0, 0], 15], // benchmarking
  [[198, 51, 100, 0], 24], // documentation
  [[203, 0, 113, 0], 24], // documentation
  [[224, 0, 0, 0], 4], // multicast
  [[240, 0, 0, 0], 4], // reserved, broadcast
];

const v4Number = (o: number[]) => ((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0;

function isPublicV4(octets: number[]): boolean {
  const n = v4Number(octets);
  return !V4_BLOCKED.some(([prefix, bits]) => {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return (n & mask) >>> 0 === (v4Number(prefix) & mask) >>> 0;
  });
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted quad allowed), or null. */
function v6Groups(ip: string): number[] | null {
  let text = ip.toLowerCase().split('%')[0]!;
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const o = v4Octets(quad[1]!);
    if (!o) return null;
    text = `${text.slice(0, -quad[1]!.length)}${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN)));
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array<number>(Math.max(fill, 0)).fill(0), ...tail];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g)) && fill >= 0 ? groups : null;
}

function isPublicV6(g: number[]): boolean {
  const embedded = (hi: number, lo: number) => [hi >> 8, hi & 255, lo >> 8, lo & 255];
  if (g.slice(0, 6).every((x) => x === 0)) return false; // ::, ::1 and IPv4-compatible
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return isPublicV4(embedded(g[6]!, g[7]!)); // IPv4-mapped
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return isPublicV4(embedded(g[6]!, g[7]!)); // NAT64
  if (g[0] === 0x2002) return isPublicV4(embedded(g[1]!, g[2]!)); // 6to4
  if ((g[0]! & 0xfe00) === 0xfc00) return false; // unique local fc00::/7
  if ((g[0]! & 0xffc0) === 0xfe80) return false; // link-local fe80::/10
  if ((g[0]! & 0xffc0) === 0xfec0) return false; // site-local (deprecated)
  if ((g[0]! & 0xff00) === 0xff00) return false; // multicast
  if (g[0] === 0x2001 && g[1] === 0xdb8) return false; // documentation
  return true;
}

/** A unicast address on the public internet: not loopback, private, link-local, CGNAT, ULA, multicast or reserved. */
export function isPublicAddress(ip: string): boolean {
  const host = bareHost(ip);
  const family = isIP(host.split('%')[0]!);
  if (family === 4) {
    const o = v4Octets(host);
    return o !== null && isPublicV4(o);
  }
  if (family === 6) {
    const g = v6Groups(host);
    return g !== null && isPublicV6(g);
  }
  return false;
}

/** The host resolved to no address the webhook may reach. */
export class RefusedAddressError extends Error {
  constructor() {
    super('the webhook host resolves to an address that is not public');
    this.name = 'RefusedAddressError';
  }
}

export interface VettedAddress {
  address: string;
  family: 4 | 6;
}

export type HostResolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: HostResolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

/**
 * Resolves `hostname` (every address, not just the first) and returns the one
 * to connect to. Unless `allowPrivate`, a single address that is not public
 * refuses the host: a name with one public and one internal address must not
 * be a coin toss.
 */
export async function vetWebhookHost(hostname: string, allowPrivate: boolean, resolve: HostResolver = systemResolver): Promise<VettedAddress> {
  const host = bareHost(hostname);
  const literal = isIP(host);
  const found = literal ? [{ address: host, family: literal }] : await resolve(host);
  if (found.length === 0) throw new RefusedAddressError();
  if (!allowPrivate && !found.every((a) => isPublicAddress(a.address))) throw new RefusedAddressError();
  const first = found[0]!;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}
