import type { z } from 'zod';
import { connect } from './db';
import { parseEnv, runMain, subgraphEnvSchema } from './env';
import { createLogger } from './logger';
import { startSubgraph, type BaseContext, type SubgraphDefinition } from './server';

/**
 * The production entry point of one subgraph process: validate env, connect,
 * migrate, listen; SIGTERM/SIGINT drain in-flight requests and close the pool.
 */
export function runSubgraphProcess<C extends BaseContext, X extends z.ZodRawShape = Record<never, never>>(
  name: string,
  defaultPort: number,
  build: (env: z.infer<ReturnType<typeof subgraphEnvSchema>> & z.infer<z.ZodObject<X>>) => SubgraphDefinition<C>,
  extraEnv?: X,
): void {
  runMain(name, async () => {
    const env = parseEnv(subgraphEnvSchema(defaultPort).extend(extraEnv ?? ({} as X))) as Parameters<typeof build>[0];
    const logger = createLogger(name, env.LOG_LEVEL);
    const connection = await connect({
      databaseUrl: env.DATABASE_URL,
      poolMax: env.DB_POOL_MAX,
      statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
      preparedReads: env.DB_PREPARED_READS,
      applicationName: `nguon-${name}`,
    });
    const running = await startSubgraph(build(env), { connection, gatewaySecret: env.GATEWAY_SECRET, logger, port: env.PORT, host: env.HOST });
    const stop = async () => {
      logger.info('shutting down');
      await running.close();
      await connection.close();
      process.exit(0);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
