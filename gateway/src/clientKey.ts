import { createHmac, randomBytes } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

/*
 * Keys only the gateway holds (docs/architecture.md §10). The keyed hash of an
 * anonymous caller's address travels to the subgraphs and is stored with a
 * complaint (trace.complaints.client_key); keyed with GATEWAY_SECRET, which
 * every subgraph holds too, anyone reading that column with a subgraph's
 * configuration could hash all 2³² IPv4 addresses and read the addresses
 * back. CLIENT_KEY_SECRET (random per process when unset) is never sent
 * anywhere, so the column names a caller without revealing them.
 */

/** A fresh key for a gateway started without CLIENT_KEY_SECRET: per-address limits then start over at each restart and differ between instances. */
export const newClientKeySecret = () => randomBytes(32).toString('base64url');

/** HMAC-SHA256 under the gateway's own key, one domain per purpose so a value made for one use never verifies for another. */
export function gatewayHmac(secret: string, purpose: string, message: string): string {
  return createHmac('sha256', secret).update(`nguon.${purpose}:${message}`).digest('base64url');
}

/** The eight 16-bit groups of an IPv6 address (zone dropped, an embedded dotted quad as its two groups); null when it is not one. */
function ipv6Groups(address: string): number[] | null {
  const bare = address.split('%')[0]!;
  if (!isIPv6(bare)) return null;
  let text = bare.toLowerCase();
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const part = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const left = part(head);
  const right = part(tail);
  return tail === undefined ? left : [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * The part of an address that names one subscriber: an IPv4 address whole
 * (an IPv4-mapped IPv6 address too), an IPv6 address by its /64 prefix — one
 * household or phone gets a whole /64 and can pick any address in it, so
 * keying by the full address would give it 2⁶⁴ budgets.
 */
export function addressBucket(address: string): string {
  if (isIPv4(address)) return address;
  const groups = ipv6Groups(address);
  if (!groups) return address;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff)
    return `${groups[6]! >> 8}.${groups[6]! & 0xff}.${groups[7]! >> 8}.${groups[7]! & 0xff}`;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/** What the subgraphs rate-limit an anonymous caller by: the keyed hash of its address's bucket, never the address. */
export const clientKeyFor = (secret: string, address: string) => gatewayHmac(secret, 'client-address', addressBucket(address));
