import { z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Validates all configuration at once and reports every problem, not just the first. */
export function parseEnv<S extends z.ZodType>(schema: S, source: Record<string, string | undefined> = process.env): z.infer<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`));
}

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);

export const envPort = (fallback: number) => z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(fallback));
export const envInt = (fallback: number, min = 0) => z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).default(fallback));
export const envSecret = () => z.string({ error: 'is required (a random string of at least 32 characters)' }).min(32, 'must have at least 32 characters');
/** An on/off setting: `1`/`true` on, `0`/`false` off, unset `on` (off unless said). */
export const envFlag = (on = false) =>
  z.preprocess(emptyToUndefined, z.enum(['0', '1', 'true', 'false']).default(on ? '1' : '0')).transform((v) => v === '1' || v === 'true');
export const envLogLevel = () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/** What every subgraph process reads (see README, "Configuration"). */
export const subgraphEnvSchema = (defaultPort: number) =>
  z.object({
    PORT: envPort(defaultPort),
    HOST: z.string().default('0.0.0.0'),
    DATABASE_URL: z
      .string({ error: 'is required when a subgraph runs on its own (npm start runs all services on embedded PGlite)' })
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
    GATEWAY_SECRET: envSecret(),
    DB_POOL_MAX: envInt(10, 1),
    DB_STATEMENT_TIMEOUT_MS: envInt(10_000, 0),
    DB_PREPARED_READS: envFlag(true),
    LOG_LEVEL: envLogLevel(),
  });

/** Runs a service's main(): config problems and start failures end the process with status 1. */
export function runMain(name: string, main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError) console.error(`${name}: ${error.message}`);
    else console.error(`${name}: failed to start`, error);
    process.exit(1);
  });
}
