import type { EdgeRoute } from '../edge';
import { aggregateExportRoute } from './export';

export interface EdgeRouteConfig {
  gatewaySecret: string;
  analyticsUrl: string;
}

/** Every HTTP route of the public edge besides /graphql, in the order they are tried. */
export function edgeRoutes(config: EdgeRouteConfig): EdgeRoute[] {
  return [aggregateExportRoute({ analyticsUrl: config.analyticsUrl, gatewaySecret: config.gatewaySecret })];
}
