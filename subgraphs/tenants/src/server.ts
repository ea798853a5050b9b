import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import { isUuid, readBody, sendJson, type SubgraphDefinition } from '@nguon/shared';
import { hashApiKey, type TokenConfig } from './auth';
import type { Context } from './context';
import { apiClientByKeyHash, currentGrantsOf, sessionStateOf, toViewerGrants, touchApiClient } from './data/users';
import { createLoaders } from './loaders';
import { fieldClasses } from './permissions';
import { resolvers } from './resolvers';

export const typeDefs = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

const LAST_USED_GRANULARITY_MS = 60_000;

/** The body of an internal request as a JSON object; anything else reads as `{}`, which each route answers 404. */
async function readJsonObject(req: Parameters<typeof readBody>[0]): Promise<Record<string, unknown>> {
  try {
    const value: unknown = JSON.parse((await readBody(req, 4096)) || '{}');
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch (error) {
    if (error instanceof SyntaxError) return {};
    throw error;
  }
}

/** The tenants subgraph: organization tree, users, roles, API clients and sign-in. */
export function tenantsSubgraph(tokens: TokenConfig, options: { webhookAllowPrivate?: boolean } = {}): SubgraphDefinition<Context> {
  return {
    name: 'tenants',
    typeDefs,
    resolvers,
    fieldClasses,
    migrations: { folder: migrationsFolder, schema: 'tenants' },
    context: (base) => ({ ...base, loaders: createLoaders(base), tokens, webhookAllowPrivate: options.webhookAllowPrivate ?? false }),
    routes: {
      /**
       * The gateway resolves `Authorization: ApiKey …` here (and caches the
       * answer briefly). Reachable only with the gateway's signature.
       */
      '/internal/api-keys/verify': async (req, res, base) => {
        const body = (await readJsonObject(req)) as { key?: unknown };
        if (typeof body.key !== 'string' || !body.key.startsWith('ngk_')) return sendJson(res, 404, { client: null });
        const client = await apiClientByKeyHash(base.db, hashApiKey(body.key));
        if (!client) return sendJson(res, 404, { client: null });
        if (!client.lastUsedAt || Date.now() - client.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
          await touchApiClient(base.db, client.id);
        }
        sendJson(res, 200, { client: { id: client.id, orgId: client.organizationId, path: client.path, scopes: client.scopes } });
      },
      /**
       * The gateway asks here, for each access token it accepts (cached a few
       * seconds per user and generation), what the user may do NOW: the
       * grants in the token are a snapshot and are not trusted. 404 means the
       * token no longer holds: the user is gone or disabled, or the password
       * changed / sessions were ended since it was issued. Reachable only with
       * the gateway's signature.
       */
      '/internal/sessions/verify': async (req, res, base) => {
        const body = (await readJsonObject(req)) as { userId?: unknown; generation?: unknown };
        const { userId, generation } = body;
        if (typeof userId !== 'string' || !isUuid(userId) || typeof generation !== 'number') return sendJson(res, 404, { revoked: true });
        const state = await sessionStateOf(base.db, userId);
        if (!state || !state.active || state.tokenGeneration !== generation) return sendJson(res, 404, { revoked: true });
        sendJson(res, 200, { grants: toViewerGrants(await currentGrantsOf(base.db, userId)) });
      },
    },
  };
}
