import { execFile, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throw-away PostgreSQL 15 cluster of one test file's own on a spare port,
 * so stopping and restarting it disturbs nobody else (the machine's shared
 * server on 5432 is never touched). Needs root, to run the server as
 * `postgres`. Used by database-faults and capture-durability.
 */
const BIN = '/usr/lib/postgresql/15/bin';
export const canRunPrivateCluster = process.getuid?.() === 0 && existsSync(`${BIN}/pg_ctl`);
export const privateClusterSkipReason =
  process.getuid?.() !== 0 ? 'needs root to run a private PostgreSQL cluster as the postgres user' : `needs the PostgreSQL 15 binaries in ${BIN}`;

export interface PrivateCluster {
  url: string;
  port: number;
  start(): void;
  stop(): void;
  /**
   * `pg_ctl restart -m fast`: every connection is cut, the server is back when the promise settles.
   * Asynchronous, so the services running in this process keep serving (and failing) meanwhile.
   */
  restart(): Promise<void>;
  destroy(): void;
}

/**
 * A port nothing listens on, below the kernel's ephemeral range (32768–60999
 * here): a port inside it may be the local end of any of the suite's loopback
 * connections when the server binds it, and the start fails.
 */
async function sparePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer()
        .once('error', () => resolve(false))
        .listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no spare port for a private PostgreSQL cluster');
}

export async function privateCluster(): Promise<PrivateCluster> {
  const port = await sparePort();
  const dir = mkdtempSync(join(tmpdir(), 'nguon-pg-'));
  chmodSync(dir, 0o755);
  execFileSync('chown', ['postgres:postgres', dir]);
  const asPostgres = (...args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'pipe' });
  const pgCtl = (...args: string[]) => asPostgres(`${BIN}/pg_ctl`, '-D', `${dir}/data`, '-w', '-t', '30', ...args);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  asPostgres(`${BIN}/initdb`, '-D', `${dir}/data`, '-A', 'trust', '-U', 'postgres', '--no-sync');
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start: () => void pgCtl('-l', `${dir}/log`, '-o', options, 'start'),
    stop: () => void pgCtl('-m', 'fast', 'stop'),
    restart: async () =>
      void (await promisify(execFile)('runuser', [
        '-u',
        'postgres',
        '--',
        `${BIN}/pg_ctl`,
        '-D',
        `${dir}/data`,
        '-w',
        '-t',
        '30',
        '-l',
        `${dir}/log`,
        '-o',
        options,
        '-m',
        'fast',
        'restart',
      ])),
    destroy() {
      try {
        pgCtl('-m', 'immediate', 'stop');
      } catch {
        // not running
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
