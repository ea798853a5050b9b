import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { RefusedAddressError, vetWebhookHost, webhookUrlProblem as urlProblem, type HostResolver, type VettedAddress } from '@nguon/shared';
import type { Database, Logger } from '@nguon/shared';
import {
  claimDueNotifications,
  markNotificationDelivered,
  markNotificationFailed,
  markNotificationNoEndpoint,
  type ClaimedNotification,
} from '../data/notifications';
import { PollingLoop } from './polling';

/**
 * Delivers the notification outbox (trace.notifications) to organizations'
 * webhooks (tenants.webhook_scope).
 *
 * At least once: a row is claimed (`for update skip locked` plus
 * locked_until, so one worker at a time tries it and a crashed worker's claim
 * lapses), POSTed, and marked DELIVERED only on a 2xx. Every attempt of one
 * row carries the same `x-nguon-delivery` (the row id), so a receiver that
 * answered 2xx but whose answer was lost dedupes the retry. The body is signed
 * with the organization's secret: `x-nguon-signature: sha256=<hex HMAC-SHA256
 * of the raw body>`. A failure (no answer in time, a non-2xx, a redirect) is
 * retried with exponential back-off, capped; after `maxAttempts` the row is
 * DEAD, listed to officers (Query.notifications) until retryNotification.
 *
 * Before every POST the URL is checked again and its host resolved here:
 * unless `allowPrivate`, a host with any address that is not public is
 * refused, and the connection goes to the vetted address (the lookup is
 * pinned), so a DNS answer that changes between check and connect cannot aim
 * the worker at an internal service. `lastError` keeps a coarse category
 * (DeliveryFailure), never a message: who sets a webhook reads it, and
 * "connection refused" against "answered 404" would make the worker a port
 * scanner.
 */
export interface NotificationWorkerOptions {
  /** How often the queue is polled (NOTIFY_INTERVAL_MS, default 1 s). */
  pollIntervalMs?: number;
  /** Delay after the first failure; doubles per failure (NOTIFY_BACKOFF_MS, default 30 s). */
  baseDelayMs?: number;
  /** Longest delay between attempts (NOTIFY_BACKOFF_MAX_MS, default 1 h). */
  maxDelayMs?: number;
  /** Attempts before a row is DEAD (NOTIFY_MAX_ATTEMPTS, default 8). */
  maxAttempts?: number;
  /** How long a receiver may take to answer (NOTIFY_TIMEOUT_MS, default 5 s). */
  requestTimeoutMs?: number;
  batchSize?: number;
  random?: () => number;
  /** Plain http and loopback/private targets allowed (WEBHOOK_ALLOW_PRIVATE; development and tests only). */
  allowPrivate?: boolean;
  /** Resolves a webhook's host to every address (default: the system resolver). */
  resolve?: HostResolver;
}

/** What `lastError` records of a failed attempt: a category, never a receiver's or the network's words. */
export type DeliveryFailure =
  'REFUSED_URL' | 'REFUSED_ADDRESS' | 'UNREACHABLE' | 'TIMEOUT' | 'HTTP_STATUS_3XX' | 'HTTP_STATUS_4XX' | 'HTTP_STATUS_5XX' | 'HTTP_STATUS_OTHER';

class DeliveryError extends Error {
  constructor(
    readonly failure: DeliveryFailure,
    readonly detail?: unknown,
  ) {
    super(failure);
  }
}

const statusFailure = (status: number): DeliveryFailure =>
  status >= 300 && status < 400
    ? 'HTTP_STATUS_3XX'
    : status >= 400 && status < 500
      ? 'HTTP_STATUS_4XX'
      : status >= 500 && status < 600
        ? 'HTTP_STATUS_5XX'
        : 'HTTP_STATUS_OTHER';

export interface NotificationPass {
  delivered: number;
  failed: number;
  dead: number;
}

const positive = (raw: string | undefined, fallback: number) => {
  const n = raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

/** The worker's settings from the environment (NOTIFY_*), defaults where unset or not a positive number. */
export function notificationOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): NotificationWorkerOptions {
  return {
    pollIntervalMs: positive(env.NOTIFY_INTERVAL_MS, 1_000),
    baseDelayMs: positive(env.NOTIFY_BACKOFF_MS, 30_000),
    maxDelayMs: positive(env.NOTIFY_BACKOFF_MAX_MS, 3_600_000),
    maxAttempts: Math.round(positive(env.NOTIFY_MAX_ATTEMPTS, 8)),
    requestTimeoutMs: positive(env.NOTIFY_TIMEOUT_MS, 5_000),
    allowPrivate: env.WEBHOOK_ALLOW_PRIVATE === '1' || env.WEBHOOK_ALLOW_PRIVATE === 'true',
  };
}

/**
 * Where a webhook may point: https to a public address, or (allowPrivate)
 * http and loopback/private hosts too. Returns why not, or null. The tenants
 * service checks the same rule (@nguon/shared webhooktarget.ts) when a
 * webhook is set; the worker checks again before every POST.
 */
export const webhookUrlProblem = (raw: string, allowPrivate = false): string | null => urlProblem(raw, allowPrivate);

/** A lookup that answers the vetted address whatever is asked: the connection cannot go anywhere else. */
const pinnedLookup =
  (target: VettedAddress): LookupFunction =>
  (_hostname, options, callback) => {
    if (options.all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };

/** `sha256=<hex>`: HMAC-SHA256 of the exact body bytes with the organization's webhook secret. */
export const signature = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export class NotificationWorker {
  private loop: PollingLoop | null = null;
  private readonly o: Required<Omit<NotificationWorkerOptions, 'resolve'>> & Pick<NotificationWorkerOptions, 'resolve'>;

  constructor(
    private readonly db: Database,
    options: NotificationWorkerOptions = {},
    private readonly logger?: Logger,
  ) {
    this.o = {
      pollIntervalMs: 1_000,
      baseDelayMs: 30_000,
      maxDelayMs: 3_600_000,
      maxAttempts: 8,
      requestTimeoutMs: 5_000,
      batchSize: 20,
      random: Math.random,
      allowPrivate: false,
      ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
    };
  }

  /** Delay before attempt n+1 after n failures: between half and all of min(cap, base·2^(n−1)). */
  backoff(failures: number): number {
    const ceiling = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** Math.max(0, failures - 1));
    return Math.max(1, ceiling / 2 + (ceiling / 2) * this.o.random());
  }

  start(): void {
    this.loop ??= new PollingLoop(
      () => this.pass(),
      this.o.pollIntervalMs,
      (error: unknown) => this.logger?.error({ err: error }, 'notification pass failed'),
    );
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }

  /**
   * Tries every row due now until none is left (tests and operators): a row
   * that fails is rescheduled by its back-off, so drain() ends whatever the
   * receivers answer once the remaining rows are not yet due.
   */
  async drain(): Promise<NotificationPass> {
    const total: NotificationPass = { delivered: 0, failed: 0, dead: 0 };
    for (;;) {
      const r = await this.pass();
      total.delivered += r.delivered;
      total.failed += r.failed;
      total.dead += r.dead;
      if (r.delivered + r.failed + r.dead === 0) return total;
    }
  }

  /** One claim-and-deliver round over due rows. */
  async pass(): Promise<NotificationPass> {
    const result: NotificationPass = { delivered: 0, failed: 0, dead: 0 };
    const rows = await claimDueNotifications(this.db, this.o.batchSize, this.o.requestTimeoutMs * 3);
    await Promise.all(
      rows.map(async (row) => {
        if (!row.url || !row.secret) {
          // The webhook was removed or disabled after the row was queued: keep it for the inbox, no attempt spent.
          await markNotificationNoEndpoint(this.db, row.id);
          return;
        }
        try {
          await this.post(row, row.url, row.secret);
          await markNotificationDelivered(this.db, row.id);
          result.delivered++;
        } catch (error) {
          const failures = row.attempts + 1;
          const failure: DeliveryFailure = error instanceof DeliveryError ? error.failure : 'UNREACHABLE';
          const dead = failures >= this.o.maxAttempts;
          await markNotificationFailed(this.db, row.id, failure, dead ? null : this.backoff(failures));
          // The operator's log may say more than the organization's row.
          const detail = error instanceof DeliveryError ? error.detail : error;
          const log = { notificationId: row.id, organizationId: row.organizationId, attempts: failures, failure, err: detail };
          if (dead) {
            result.dead++;
            this.logger?.warn(log, 'notification dead-lettered');
          } else {
            result.failed++;
            this.logger?.debug(log, 'notification attempt failed');
          }
        }
      }),
    );
    return result;
  }

  private async post(row: ClaimedNotification, url: string, secret: string): Promise<void> {
    if (webhookUrlProblem(url, this.o.allowPrivate)) throw new DeliveryError('REFUSED_URL');
    const target = new URL(url);
    let address: VettedAddress;
    try {
      address = await vetWebhookHost(target.hostname, this.o.allowPrivate, this.o.resolve);
    } catch (error) {
      throw new DeliveryError(error instanceof RefusedAddressError ? 'REFUSED_ADDRESS' : 'UNREACHABLE', error);
    }
    const body = JSON.stringify({
      id: row.id,
      kind: row.kind,
      subjectId: row.subjectId,
      organizationId: row.organizationId,
      createdAt: row.createdAt.toISOString(),
      payload: row.payload,
    });
    const headers = {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'x-nguon-event': row.kind,
      'x-nguon-delivery': row.id,
      'x-nguon-signature': signature(secret, body),
    };
    const status = await this.send(target, address, headers, body);
    // A redirect is a failure, never followed: it could lead anywhere (SSRF); a receiver answers where it was registered.
    if (status < 200 || status >= 300) throw new DeliveryError(statusFailure(status));
  }

  /** One POST to the vetted address (no pooled socket, no redirect), its status, or a DeliveryError within the timeout. */
  private send(target: URL, address: VettedAddress, headers: Record<string, string>, body: string): Promise<number> {
    const transport = target.protocol === 'https:' ? https : http;
    return new Promise<number>((resolve, reject) => {
      let timedOut = false;
      const req = transport.request(target, { method: 'POST', headers, agent: false, lookup: pinnedLookup(address) }, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => {
          clearTimeout(timer);
          resolve(res.statusCode ?? 0);
        });
        res.on('error', (error) => {
          clearTimeout(timer);
          reject(new DeliveryError(timedOut ? 'TIMEOUT' : 'UNREACHABLE', error));
        });
        // Cut off mid-body without an error event: settled already if it ended.
        res.on('close', () => reject(new DeliveryError(timedOut ? 'TIMEOUT' : 'UNREACHABLE')));
      });
      const timer = setTimeout(() => {
        timedOut = true;
        req.destroy();
      }, this.o.requestTimeoutMs);
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(new DeliveryError(timedOut ? 'TIMEOUT' : 'UNREACHABLE', error));
      });
      req.end(body);
    });
  }
}
