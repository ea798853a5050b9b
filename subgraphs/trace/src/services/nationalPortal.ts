import type { Database, Logger } from '@nguon/shared';
import { claimDue, markDelivered, markFailed, markHeld, type OutboxEntry } from '../data/nationalOutbox';
import { PUBLIC_LOT_STATUSES, type LotStatusValue } from '../models';
import { PollingLoop } from './polling';

/**
 * Pushes queued lot records to the national traceability portal.
 *
 * The record is the lot's Circular 02/2024 minimum data set, which needs the
 * product (catalog) and the producer (tenants). Trace may not read their
 * tables (docs/architecture.md §8), so the worker asks the gateway for the record as a
 * machine client would — GET {gatewayUrl}/exports/vn-minimum/lots/{id}.json
 * with an API key scoped internal:read — and so sends exactly what the
 * gateway serves, built by one function. The queue stays here because only
 * the trace database can hold it in the publishing transaction.
 *
 * Delivery is at least once: the row id travels as Idempotency-Key and as
 * `recordId`, and the portal deduplicates on it. A failure (no answer, a
 * non-2xx, no record) is retried with exponential back-off and full jitter,
 * capped; after `maxAttempts` the entry is a dead letter (Query.nationalOutbox).
 *
 * Only a public lot is sent. A lot queued when it was published may have left
 * the public since (held UNDER_REVIEW by a quantity correction, then perhaps
 * REJECTED): its entry is not claimed while so (claimDue), and if the record
 * read says the lot is not public — it changed after the claim — nothing is
 * posted and the entry waits, attempts untouched, until the lot is public again.
 */
export interface NationalPortalOptions {
  /** Where records are POSTed (NATIONAL_PORTAL_URL). */
  portalUrl: string;
  /** The gateway's base URL, without /graphql (GATEWAY_URL). */
  gatewayUrl: string;
  /** An API key with internal:read on the city node (NATIONAL_PORTAL_API_KEY). */
  apiKey: string;
  /** Bearer token the portal expects, if any. */
  portalToken?: string;
  pollIntervalMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  requestTimeoutMs?: number;
  batchSize?: number;
  random?: () => number;
}

export interface PassResult {
  delivered: number;
  failed: number;
  dead: number;
  /** Claimed, but the record read showed the lot not public: nothing sent, no attempt counted. */
  held: number;
}

export class NationalPortalWorker {
  private loop: PollingLoop | null = null;
  private readonly o: Required<Omit<NationalPortalOptions, 'portalToken'>> & { portalToken?: string };

  constructor(
    private readonly db: Database,
    options: NationalPortalOptions,
    private readonly logger?: Logger,
  ) {
    this.o = {
      pollIntervalMs: 5_000,
      maxAttempts: 10,
      baseDelayMs: 2_000,
      maxDelayMs: 15 * 60_000,
      requestTimeoutMs: 10_000,
      batchSize: 20,
      random: Math.random,
      ...options,
      gatewayUrl: options.gatewayUrl.replace(/\/(graphql)?$/, ''),
    };
  }

  /** Delay before attempt n+1 after n failures: full jitter over min(cap, base·2^(n−1)). */
  backoff(failures: number): number {
    const ceiling = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** Math.max(0, failures - 1));
    return Math.max(1, ceiling * this.o.random());
  }

  start(): void {
    this.loop ??= new PollingLoop(
      () => this.pass(),
      this.o.pollIntervalMs,
      (error: unknown) => this.logger?.error({ err: error }, 'national portal pass failed'),
    );
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }

  /**
   * Tries every entry that is due now once (tests and operators use it; the
   * loop calls pass()); an entry that fails is rescheduled past this moment,
   * so drain() ends however the portal answers.
   */
  async drain(): Promise<PassResult> {
    const total: PassResult = { delivered: 0, failed: 0, dead: 0, held: 0 };
    const dueBy = new Date();
    for (;;) {
      const r = await this.pass(dueBy);
      total.delivered += r.delivered;
      total.failed += r.failed;
      total.dead += r.dead;
      total.held += r.held;
      if (r.delivered + r.failed + r.dead + r.held === 0) break;
    }
    return total;
  }

  /** One claim-and-push round over due entries. */
  async pass(dueBy: Date | null = null): Promise<PassResult> {
    const result: PassResult = { delivered: 0, failed: 0, dead: 0, held: 0 };
    const entries = await claimDue(this.db, this.o.batchSize, this.o.requestTimeoutMs * 3, dueBy);
    for (const entry of entries) {
      try {
        const held = await this.push(entry);
        if (held) {
          await markHeld(this.db, entry.id, `not sent: the lot is ${held}, not public`, this.o.pollIntervalMs);
          this.logger?.info({ recordId: entry.id, lotId: entry.lotId, status: held }, 'national portal record held: lot not public');
          result.held++;
          continue;
        }
        await markDelivered(this.db, entry.id);
        result.delivered++;
      } catch (error) {
        const failures = entry.attempts + 1;
        const message = error instanceof Error ? error.message : String(error);
        const dead = failures >= this.o.maxAttempts;
        await markFailed(this.db, entry.id, message, dead ? null : this.backoff(failures));
        if (dead) {
          result.dead++;
          this.logger?.warn({ recordId: entry.id, lotId: entry.lotId, attempts: failures, error: message }, 'national portal record dead-lettered');
        } else result.failed++;
      }
    }
    return result;
  }

  /** Posts the entry's record; answers the lot's status instead when the record shows it is not public (nothing posted). */
  private async push(entry: OutboxEntry): Promise<string | null> {
    const recordRes = await fetch(`${this.o.gatewayUrl}/exports/vn-minimum/lots/${entry.lotId}.json`, {
      headers: { authorization: `ApiKey ${this.o.apiKey}`, accept: 'application/json' },
      signal: AbortSignal.timeout(this.o.requestTimeoutMs),
    });
    if (!recordRes.ok) throw new Error(`record: gateway answered ${recordRes.status}`);
    const record = await recordRes.json();
    const status: unknown = (record as { lot?: { status?: unknown } } | null)?.lot?.status;
    if (typeof status === 'string' && !PUBLIC_LOT_STATUSES.includes(status as LotStatusValue)) return status;
    const body = JSON.stringify({ recordId: entry.id, lotId: entry.lotId, queuedAt: entry.createdAt.toISOString(), record });
    const res = await fetch(this.o.portalUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'idempotency-key': entry.id,
        ...(this.o.portalToken ? { authorization: `Bearer ${this.o.portalToken}` } : {}),
      },
      body,
      signal: AbortSignal.timeout(this.o.requestTimeoutMs),
    });
    await res.arrayBuffer().catch(() => undefined);
    if (!res.ok) throw new Error(`portal answered ${res.status}`);
    return null;
  }
}
