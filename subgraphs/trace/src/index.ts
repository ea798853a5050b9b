import { z } from 'zod';
import { envFlag, envInt, envSecret, runSubgraphProcess } from '@nguon/shared';
import { traceSubgraph } from './server';
import { DEFAULT_COMPLAINT_LIMITS } from './services/complaints';

runSubgraphProcess(
  'trace',
  4103,
  (env) => {
    if (env.NATIONAL_PORTAL_URL && (!env.GATEWAY_URL || !env.NATIONAL_PORTAL_API_KEY))
      throw new Error('NATIONAL_PORTAL_URL needs GATEWAY_URL and NATIONAL_PORTAL_API_KEY (a key with internal:read).');
    return traceSubgraph({
      publicBaseUrl: () => env.PUBLIC_BASE_URL,
      verificationSecret: env.VERIFICATION_SECRET,
      nationalPortal: env.NATIONAL_PORTAL_URL
        ? { portalUrl: env.NATIONAL_PORTAL_URL, gatewayUrl: env.GATEWAY_URL!, apiKey: env.NATIONAL_PORTAL_API_KEY!, portalToken: env.NATIONAL_PORTAL_TOKEN }
        : undefined,
      complaintLimits: { perAddressPerHour: env.COMPLAINT_LIMIT_PER_ADDRESS_PER_HOUR, perLotPerHour: env.COMPLAINT_LIMIT_PER_LOT_PER_HOUR },
      notifications: {
        pollIntervalMs: env.NOTIFY_INTERVAL_MS,
        baseDelayMs: env.NOTIFY_BACKOFF_MS,
        maxDelayMs: env.NOTIFY_BACKOFF_MAX_MS,
        maxAttempts: env.NOTIFY_MAX_ATTEMPTS,
        requestTimeoutMs: env.NOTIFY_TIMEOUT_MS,
        allowPrivate: env.WEBHOOK_ALLOW_PRIVATE,
      },
    });
  },
  {
    /** Where consumers reach the resolver: Digital Link URIs and QR codes are built on it. */
    PUBLIC_BASE_URL: z.string().url(),
    /** Key of the HMAC over items' hidden verification codes. */
    VERIFICATION_SECRET: envSecret(),
    /** Where published lots' records are pushed; unset: they are only queued. */
    NATIONAL_PORTAL_URL: z.string().url().optional(),
    /** Bearer token for the portal, if it wants one. */
    NATIONAL_PORTAL_TOKEN: z.string().min(1).optional(),
    /** The gateway the worker reads records from (needed with NATIONAL_PORTAL_URL). */
    GATEWAY_URL: z.string().url().optional(),
    /** API key with internal:read on the city node (needed with NATIONAL_PORTAL_URL). */
    NATIONAL_PORTAL_API_KEY: z.string().min(1).optional(),
    /** Shoppers' reports (complaints) accepted per hour from one address, and on one lot. */
    COMPLAINT_LIMIT_PER_ADDRESS_PER_HOUR: envInt(DEFAULT_COMPLAINT_LIMITS.perAddressPerHour, 1),
    COMPLAINT_LIMIT_PER_LOT_PER_HOUR: envInt(DEFAULT_COMPLAINT_LIMITS.perLotPerHour, 1),
    /** The webhook notification worker (services/notifications.ts): poll interval, first back-off and its cap, attempts before a dead letter, per-request timeout. */
    NOTIFY_INTERVAL_MS: envInt(1_000, 1),
    NOTIFY_BACKOFF_MS: envInt(30_000, 1),
    NOTIFY_BACKOFF_MAX_MS: envInt(3_600_000, 1),
    NOTIFY_MAX_ATTEMPTS: envInt(8, 1),
    NOTIFY_TIMEOUT_MS: envInt(5_000, 1),
    /** Accept http webhooks and loopback/private targets (development and tests only; docs/architecture.md §10). */
    WEBHOOK_ALLOW_PRIVATE: envFlag(),
  },
);
