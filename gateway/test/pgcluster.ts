import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throw-away PostgreSQL 15 cluster of one test file's own on a spare port,
 * so stopping and restarting it disturbs nobody else (the machine's shared
 * server on 5432 is never touched). Same recipe as database-faults.test.ts:
 * needs root, to run the server as `postgres`.
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

export function privateCluster(basePort: number): PrivateCluster {
  const port = basePort + (process.pid % 500);
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
