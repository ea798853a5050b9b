import type { BaseContext } from '@nguon/shared';
import type { Loaders } from './loaders';

export interface Context extends BaseContext {
  loaders: Loaders;
}
