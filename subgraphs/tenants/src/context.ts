import type { BaseContext } from '@nguon/shared';
import type { TokenConfig } from './auth';
import type { Loaders } from './loaders';

export interface Context extends BaseContext {
  loaders: Loaders;
  tokens: TokenConfig;
  /** Webhooks may be plain http or point at loopback/private addresses (WEBHOOK_ALLOW_PRIVATE; development and tests only). */
  webhookAllowPrivate: boolean;
}
