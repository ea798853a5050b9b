import { testDatabase, type TestDatabase } from '@nguon/shared/testing';
import { inject } from 'vitest';
import { startStack, type Stack, type StackOptions } from '@nguon/gateway/stack';
import { DEMO_PASSWORD } from '@nguon/shared/testing';

export { DEMO_PASSWORD };

export interface GraphQLResult<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

export interface TestStack extends Stack {
  db: TestDatabase;
  /** POSTs one operation to the gateway over HTTP. */
  gql<T = any>(query: string, variables?: Record<string, unknown>, options?: { token?: string; headers?: Record<string, string> }): Promise<GraphQLResult<T>>;
  /** Signs a demo account in and returns its access token. */
  tokenFor(email: string): Promise<string>;
  /** SQL statements each subgraph has run so far. */
  statements(): Record<string, number>;
  stop(): Promise<void>;
}

/**
 * The whole stack (four subgraphs + gateway, real HTTP) on a database of its
 * own: a clone of the run's seeded template (e2e/global-setup.ts),
 * or, with `seed: false`, an empty one the subgraphs migrate.
 */
export async function startTestStack(
  options: { seed?: boolean; subgraphTimeoutMs?: number; apiKeyCacheSeconds?: number } & Pick<
    StackOptions,
    'gateway' | 'introspection' | 'logger' | 'demoLayout' | 'epcis'
  > = {},
): Promise<TestStack> {
  // The template holds the default layout; another layout is seeded into an empty database.
  const db = await testDatabase(options.seed === false || options.demoLayout ? undefined : inject('seededTemplate'));
  let stack: Stack;
  try {
    stack = await startStack({
      connection: db.connection,
      seedPassword: options.seed === false ? undefined : DEMO_PASSWORD,
      demoLayout: options.demoLayout,
      subgraphTimeoutMs: options.subgraphTimeoutMs,
      apiKeyCacheSeconds: options.apiKeyCacheSeconds,
      gateway: options.gateway,
      epcis: options.epcis,
      introspection: options.introspection,
      logger: options.logger,
      // Webhook receivers in these tests listen on 127.0.0.1.
      webhookAllowPrivate: true,
    });
  } catch (error) {
    await db.close();
    throw error;
  }
  const tokens = new Map<string, string>();
  const gql: TestStack['gql'] = async (query, variables = {}, opts = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const response = await fetch(stack.gateway.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return { status: response.status, ...((await response.json()) as object) };
  };
  return {
    ...stack,
    db,
    gql,
    async tokenFor(email) {
      const cached = tokens.get(email);
      if (cached) return cached;
      const result = await gql(`mutation($email: String!, $password: String!) { signIn(input: { email: $email, password: $password }) { accessToken } }`, {
        email,
        password: DEMO_PASSWORD,
      });
      const token = result.data?.signIn?.accessToken;
      if (!token) throw new Error(`sign-in failed for ${email}: ${JSON.stringify(result.errors)}`);
      tokens.set(email, token);
      return token;
    },
    statements: () => Object.fromEntries(Object.entries(stack.subgraphs).map(([name, s]) => [name, s.counter.statements])),
    async stop() {
      await stack.close();
      await db.close();
    },
  };
}

export const demoEmail = (role: string, path: string) => `${role.toLowerCase()}.${path.replace(/[._]/g, '-')}@demo.nguon.vn`;
