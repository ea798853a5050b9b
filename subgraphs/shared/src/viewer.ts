import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Who is asking. The gateway authenticates the caller (bearer token or API
 * key) and sends every subgraph this object, signed, in VIEWER_HEADER. A
 * subgraph never trusts anything else about identity.
 */
export const VIEWER_HEADER = 'x-nguon-viewer';
export const REQUEST_ID_HEADER = 'x-request-id';

/** Issuer and audience of access tokens: tenants signs them, the gateway verifies them. */
export const ACCESS_TOKEN = { issuer: 'nguon-tenants', audience: 'nguon-graph' } as const;

export const ROLES = ['ADMIN', 'OFFICER', 'ANALYST', 'STAFF'] as const;
export type Role = (typeof ROLES)[number];

export const SCOPES = ['aggregates:read', 'internal:read', 'catalog:write', 'trace:write'] as const;
export type Scope = (typeof SCOPES)[number];

/** A role granted on one node of the organization tree; it covers the node's subtree. */
export interface Grant {
  role: Role;
  orgId: string;
  path: string;
}

export type Viewer =
  | {
      kind: 'anonymous';
      requestId: string;
      /**
       * A keyed hash (HMAC with the gateway's secret) of the caller's address,
       * set by the gateway so a subgraph can rate-limit anonymous writes per
       * address without ever seeing the address itself.
       */
      clientKey?: string;
    }
  | { kind: 'user'; requestId: string; userId: string; grants: Grant[] }
  | { kind: 'client'; requestId: string; clientId: string; orgId: string; path: string; scopes: Scope[] };

export const anonymous = (requestId: string): Viewer => ({ kind: 'anonymous', requestId });

/**
 * Organization kinds that operate: own products, lots and areas, capture
 * events and hold STAFF. The tree's other nodes (city, departments, areas)
 * supervise (docs/permissions.md §1).
 */
export const OPERATOR_KINDS = ['PRODUCER', 'BUSINESS', 'STORE'] as const;
export const isOperatorKind = (kind: string): boolean => (OPERATOR_KINDS as readonly string[]).includes(kind);

/**
 * Who acted, as every audit column records it: the user or the API client,
 * with which of the two it was; nobody for an anonymous caller. The one
 * definition for all services, so their audit trails agree.
 */
export function actorOf(viewer: Viewer): { actorId: string | null; actorKind: 'user' | 'client' | null } {
  if (viewer.kind === 'user') return { actorId: viewer.userId, actorKind: 'user' };
  if (viewer.kind === 'client') return { actorId: viewer.clientId, actorKind: 'client' };
  return { actorId: null, actorKind: null };
}

/** Just the actor's id, for audit columns without a kind beside them (`created_by`, `granted_by`). */
export const actorIdOf = (viewer: Viewer): string | null => actorOf(viewer).actorId;

/** `path` is `ancestor` itself or lies below it in the tree. */
export function covers(ancestor: string, path: string): boolean {
  return path === ancestor || (path.length > ancestor.length && path.startsWith(ancestor) && path[ancestor.length] === '.');
}

function grantsCover(viewer: Viewer, roles: readonly Role[], path: string): boolean {
  return viewer.kind === 'user' && viewer.grants.some((g) => roles.includes(g.role) && covers(g.path, path));
}
function clientCovers(viewer: Viewer, scope: Scope, path: string): boolean {
  return viewer.kind === 'client' && viewer.scopes.includes(scope) && covers(viewer.path, path);
}

/** INTERNAL data of an item owned at `path`: its own organization and supervising OFFICER/ADMIN ancestors. */
export function canReadInternal(viewer: Viewer, path: string): boolean {
  return grantsCover(viewer, ['ADMIN', 'OFFICER', 'STAFF'], path) || clientCovers(viewer, 'internal:read', path);
}

/** PERSONAL data of people at `path`: an ADMIN of that very organization, or a city (root) ADMIN. */
export function canReadPersonal(viewer: Viewer, path: string): boolean {
  return viewer.kind === 'user' && viewer.grants.some((g) => g.role === 'ADMIN' && (g.path === path || (!g.path.includes('.') && covers(g.path, path))));
}

/** AGGREGATE figures over the subtree at `path`: ANALYST and up, or a machine client with aggregates:read. */
export function canReadAggregates(viewer: Viewer, path: string): boolean {
  return grantsCover(viewer, ['ADMIN', 'OFFICER', 'ANALYST'], path) || clientCovers(viewer, 'aggregates:read', path);
}

/** Write the operational data (products, lots, events) of the organization at `path`. */
export function canOperate(viewer: Viewer, path: string, scope: Scope): boolean {
  return grantsCover(viewer, ['ADMIN', 'STAFF'], path) || clientCovers(viewer, scope, path);
}

/** Supervisory acts on `path`: publish, inspect, recall. */
export function canSupervise(viewer: Viewer, path: string): boolean {
  return grantsCover(viewer, ['ADMIN', 'OFFICER'], path);
}

/**
 * Oversight of `path` from strictly above it: an OFFICER or ADMIN whose grant
 * sits on a proper ancestor. The yardsticks and verdicts an organization must
 * not set for itself (season norms, approving its own over-norm lot, closing a
 * recall an authority opened) need this, not canSupervise, which a producer's
 * own ADMIN also passes (docs/write-authority.md).
 */
export function canOversee(viewer: Viewer, path: string): boolean {
  return viewer.kind === 'user' && viewer.grants.some((g) => (g.role === 'ADMIN' || g.role === 'OFFICER') && g.path !== path && covers(g.path, path));
}

/** Manage organizations and users at `path`. */
export function canAdminister(viewer: Viewer, path: string): boolean {
  return grantsCover(viewer, ['ADMIN'], path);
}

/**
 * The tree nodes under which this viewer reads INTERNAL rows; list queries
 * turn them into a path-prefix filter so invisible rows never leave the database.
 */
export function internalRoots(viewer: Viewer): string[] {
  if (viewer.kind === 'user') {
    return viewer.grants.filter((g) => g.role !== 'ANALYST').map((g) => g.path);
  }
  if (viewer.kind === 'client' && viewer.scopes.includes('internal:read')) return [viewer.path];
  return [];
}

export function aggregateRoots(viewer: Viewer): string[] {
  if (viewer.kind === 'user') return viewer.grants.filter((g) => g.role !== 'STAFF').map((g) => g.path);
  if (viewer.kind === 'client' && viewer.scopes.includes('aggregates:read')) return [viewer.path];
  return [];
}

interface SignedViewer {
  v: Viewer;
  /** Expiry, unix seconds: a captured header is useless a minute later. */
  exp: number;
}

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

export function signViewer(viewer: Viewer, secret: string, ttlSeconds = 60): string {
  const payload = b64(JSON.stringify({ v: viewer, exp: Math.floor(Date.now() / 1000) + ttlSeconds } satisfies SignedViewer));
  const mac = createHmac('sha256', secret).update(payload).digest('base64url');
  return `${payload}.${mac}`;
}

/** Returns the viewer when the header carries a valid, unexpired gateway signature; otherwise null. */
export function verifyViewer(header: string | undefined | null, secret: string): Viewer | null {
  if (!header) return null;
  const dot = header.indexOf('.');
  if (dot <= 0) return null;
  const payload = header.slice(0, dot);
  const given = Buffer.from(header.slice(dot + 1), 'base64url');
  const expected = createHmac('sha256', secret).update(payload).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SignedViewer;
    if (typeof parsed.exp !== 'number' || parsed.exp < Math.floor(Date.now() / 1000)) return null;
    return parsed.v;
  } catch {
    return null;
  }
}
