import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import type { SubgraphDefinition } from '@nguon/shared';
import type { Context } from './context';
import { createLoaders } from './loaders';
import { fieldClasses } from './permissions';
import { traceResolvers } from './resolvers';
import type { ConsumerOptions } from './resolvers/Consumer';
import { NationalPortalWorker, type NationalPortalOptions } from './services/nationalPortal';
import type { ComplaintLimits } from './services/complaints';
import { NotificationWorker, notificationOptionsFromEnv, type NotificationWorkerOptions } from './services/notifications';

export { NationalPortalWorker, type NationalPortalOptions } from './services/nationalPortal';
export { NotificationWorker, type NotificationWorkerOptions } from './services/notifications';

export const typeDefs = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/** The trace subgraph: lots, EPCIS events with hash chains, genealogy, trace and recalls. */
export interface TraceOptions extends ConsumerOptions {
  /**
   * Push published lots' records to the national portal. Without it lots are
   * still queued (in the publishing transaction) and wait for a worker.
   */
  nationalPortal: NationalPortalOptions | undefined;
  /** Shoppers' reports accepted per hour, per caller address and per lot (default DEFAULT_COMPLAINT_LIMITS). */
  complaintLimits: ComplaintLimits;
  /** The webhook notification worker's timing; always running, defaults from NOTIFY_* (services/notifications.ts). */
  notifications: NotificationWorkerOptions;
  /** Webhooks may be plain http or reach loopback/private addresses (WEBHOOK_ALLOW_PRIVATE; development and tests); overrides `notifications.allowPrivate`. */
  webhookAllowPrivate: boolean;
}

export function traceSubgraph(options: Partial<TraceOptions> = {}): SubgraphDefinition<Context> {
  let worker: NationalPortalWorker | null = null;
  let notifier: NotificationWorker | null = null;
  const resolvers = traceResolvers(
    {
      publicBaseUrl: options.publicBaseUrl ?? (() => 'http://localhost:4000'),
      verificationSecret: options.verificationSecret ?? 'nguon-development-verification-secret',
    },
    options.complaintLimits,
  );
  return {
    name: 'trace',
    typeDefs,
    resolvers,
    fieldClasses,
    migrations: { folder: migrationsFolder, schema: 'trace' },
    context: (base) => ({ ...base, loaders: createLoaders(base) }),
    onStart({ db, logger }) {
      const timing = options.notifications ?? notificationOptionsFromEnv();
      const allowPrivate = options.webhookAllowPrivate ?? timing.allowPrivate;
      notifier = new NotificationWorker(db, { ...timing, allowPrivate }, logger.child({ worker: 'notifications' }));
      notifier.start();
      if (!options.nationalPortal) return;
      worker = new NationalPortalWorker(db, options.nationalPortal, logger.child({ worker: 'national-portal' }));
      worker.start();
    },
    async onStop() {
      await Promise.all([worker?.stop(), notifier?.stop()]);
      worker = null;
      notifier = null;
    },
  };
}
