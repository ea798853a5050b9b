import { createHmac } from 'node:crypto';
import type { Database, Logger } from '@nguon/shared';
import {
  claimDueNotifications,
  markNotificationDelivered,
  markNotificationFailed,
  markNotificationNoEndpoint,
  type ClaimedNotification,
} from '../data/notifications';

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
}

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
  };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * Where a webhook may point: HTTPS anywhere, plain HTTP only to this machine
 * (tests and local receivers). Returns why not, or null. The tenants service
 * checks the same rule when a webhook is set; the worker checks again before
 * every POST.
 */
export function webhookUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  if (url.username || url.password) return 'credentials in the URL are not allowed';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return null;
  return 'only https, or http to the loopback address';
}

/** `sha256=<hex>`: HMAC-SHA256 of the exact body bytes with the organization's webhook secret. */
export const signature = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export class NotificationWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = true;
  private readonly o: Required<NotificationWorkerOptions>;

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
      ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
    };
  }

  /** Delay before attempt n+1 after n failures: between half and all of min(cap, base·2^(n−1)). */
  backoff(failures: number): number {
    const ceiling = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** Math.max(0, failures - 1));
    return Math.max(1, ceiling / 2 + (ceiling / 2) * this.o.random());
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.pass()
        .catch((error: unknown) => this.logger?.error({ err: error }, 'notification pass failed'))
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.timer = setTimeout(tick, this.o.pollIntervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
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
          const message = error instanceof Error ? error.message : String(error);
          const dead = failures >= this.o.maxAttempts;
          await markNotificationFailed(this.db, row.id, message, dead ? null : this.backoff(failures));
          if (dead) {
            result.dead++;
            this.logger?.warn({ notificationId: row.id, organizationId: row.organizationId, attempts: failures, error: message }, 'notification dead-lettered');
          } else result.failed++;
        }
      }),
    );
    return result;
  }

  private async post(row: ClaimedNotification, url: string, secret: string): Promise<void> {
    const problem = webhookUrlProblem(url);
    if (problem) throw new Error(`webhook URL refused: ${problem}`);
    const body = JSON.stringify({
      id: row.id,
      kind: row.kind,
      subjectId: row.subjectId,
      organizationId: row.organizationId,
      createdAt: row.createdAt.toISOString(),
      payload: row.payload,
    });
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-nguon-event': row.kind,
          'x-nguon-delivery': row.id,
          'x-nguon-signature': signature(secret, body),
        },
        body,
        // A redirect could lead anywhere (SSRF); a receiver answers where it was registered.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.o.requestTimeoutMs),
      });
    } catch (error) {
      const name = (error as { name?: string } | null)?.name;
      throw new Error(name === 'TimeoutError' ? `no answer within ${this.o.requestTimeoutMs} ms` : `could not reach the webhook: ${(error as Error).message}`);
    }
    await res.arrayBuffer().catch(() => undefined);
    if (res.status < 200 || res.status >= 300) throw new Error(`webhook answered ${res.status}`);
  }
}
