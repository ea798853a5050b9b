/**
 * `npm start`: the whole federated graph in one process, for a laptop, a
 * demo or a first look. Embedded PGlite under .data/ unless DATABASE_URL
 * names a PostgreSQL server. Production runs one process per service instead
 * (docker-compose.yml, README "Production").
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { connect, createLogger, envFlag, envLogLevel, envPort, parseEnv, runMain } from '@nguon/shared';
import { gatewayEnvSchema } from './env';
import { startStack } from './stack';
import { DEFAULT_DEMO_LAYOUT, DEMO_LAYOUTS, type DemoLayout } from '@nguon/tenants/seed';

const dataRoot = fileURLToPath(new URL('../../.data/', import.meta.url));

const embeddedEnv = z.object({
  PORT: envPort(4000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
  ),
  DATA_DIR: z.string().default(`${dataRoot}pglite`),
  DB_PREPARED_READS: envFlag(true),
  DEMO_PASSWORD: z.string().min(10, 'must have at least 10 characters').optional(),
  /** Which demo tree a fresh database is seeded with: 2019 (city → departments → districts) or 2025 (province → departments → communes/wards). */
  DEMO_LAYOUT: z.enum(DEMO_LAYOUTS as [DemoLayout, ...DemoLayout[]]).default(DEFAULT_DEMO_LAYOUT),
  VERIFICATION_SECRET: z.string().min(32, 'must have at least 32 characters').optional(),
  LOG_LEVEL: envLogLevel().default('warn'),
  // The gateway's own setting and default (signed-in): a first look is no reason to map the schema for anyone.
  INTROSPECTION: gatewayEnvSchema.shape.INTROSPECTION,
  CLIENT_KEY_SECRET: gatewayEnvSchema.shape.CLIENT_KEY_SECRET,
  /** http webhooks and loopback/private targets: on by default on embedded PGlite (a local trial), off with DATABASE_URL. */
  WEBHOOK_ALLOW_PRIVATE: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['0', '1', 'true', 'false']).optional()),
});

/** Secrets that must survive restarts of the embedded stack (tokens stay valid, the demo password stays the same). */
interface LocalSecrets {
  tokenSecret: string;
  demoPassword: string;
  verificationSecret: string;
  /** The gateway's key for callers' addresses: report forms it signed and per-address complaint limits outlive a restart. */
  clientKeySecret: string;
}

function localSecrets(): LocalSecrets {
  const file = `${dataRoot}secrets.json`;
  const fresh: LocalSecrets = {
    tokenSecret: randomBytes(32).toString('base64url'),
    demoPassword: `demo-${randomBytes(6).toString('base64url')}`,
    verificationSecret: randomBytes(32).toString('base64url'),
    clientKeySecret: randomBytes(32).toString('base64url'),
  };
  // Keep what exists; add what an older .data/ lacks.
  const stored: Partial<LocalSecrets> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const secrets = { ...fresh, ...stored };
  if (Object.keys(secrets).length !== Object.keys(stored).length) {
    mkdirSync(dataRoot, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}

runMain('nguon', async () => {
  const env = parseEnv(embeddedEnv);
  const logger = createLogger('nguon', env.LOG_LEVEL);
  const embedded = !env.DATABASE_URL;
  // Kept in .data/secrets.json in both modes: tokens and issued verification codes outlive a restart.
  const secrets = localSecrets();
  // A server's demo accounts get a password nobody is shown, unless you choose one.
  const demoPassword = env.DEMO_PASSWORD ?? (embedded ? secrets.demoPassword : randomBytes(18).toString('base64url'));

  console.log(embedded ? `Embedded PostgreSQL (PGlite) in ${env.DATA_DIR}` : 'PostgreSQL from DATABASE_URL');
  const connection = await connect({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    applicationName: 'nguon-embedded',
    preparedReads: env.DB_PREPARED_READS,
  });
  const stack = await startStack({
    connection,
    port: env.PORT,
    host: env.HOST,
    seedPassword: demoPassword,
    demoLayout: env.DEMO_LAYOUT,
    tokenSecret: secrets.tokenSecret,
    verificationSecret: env.VERIFICATION_SECRET ?? secrets.verificationSecret,
    introspection: env.INTROSPECTION,
    gateway: { clientKeySecret: env.CLIENT_KEY_SECRET ?? secrets.clientKeySecret },
    webhookAllowPrivate: env.WEBHOOK_ALLOW_PRIVATE === undefined ? embedded : env.WEBHOOK_ALLOW_PRIVATE === '1' || env.WEBHOOK_ALLOW_PRIVATE === 'true',
    logger,
  });

  if (stack.seededAccounts.length) console.log(`Seeded the Can Tho demo data set (${stack.seededAccounts.length} demo accounts).`);
  console.log(`\nNguồn is running.\n  Gateway:  ${stack.gateway.url}\n  Explore:  ${stack.gateway.url.replace(/graphql$/, '')}\n`);
  if (embedded || env.DEMO_PASSWORD) {
    // Embedded mode only (or a password you chose): a server's demo accounts are not advertised.
    console.log(`Demo accounts (password: ${demoPassword}), one per role and level:`);
    const emails = [
      'admin.ct',
      'officer.ct',
      'analyst.ct',
      'admin.ct-agri',
      'officer.ct-agri',
      'analyst.ct-agri',
      'admin.ct-agri-thot-not',
      'officer.ct-agri-thot-not',
      'analyst.ct-agri-thot-not',
    ];
    for (const e of emails) console.log(`  ${e}@demo.nguon.vn`);
    console.log('  …and staff.<organization path with dashes>@demo.nguon.vn for every producer, business and store.\n');
  }
  console.log('Press Ctrl-C to stop.');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await stack.close();
    await connection.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
});
