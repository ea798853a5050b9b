import type { EdgeRoute } from '../edge';
import { exportRoutes } from '../epcis/exports';
import type { EpcisCaptureConfig } from '../epcis/capture';
import { epcisRoutes } from '../epcis/routes';
import { aggregateExportRoute } from './export';
import { labelRoute } from './labels';
import { reportRoutes } from './report';
import { mediaRoute } from './media';
import { digitalLinkRoutes } from './resolver';

export interface EdgeRouteConfig {
  gatewaySecret: string;
  analyticsUrl: string;
  /** EPCIS capture settings; default: refuse unregistered lots. */
  epcis?: EpcisCaptureConfig;
}

/** Every HTTP route of the public edge besides /graphql, in the order they are tried. */
export function edgeRoutes(config: EdgeRouteConfig): EdgeRoute[] {
  return [
    ...digitalLinkRoutes(),
    ...reportRoutes(),
    mediaRoute(),
    labelRoute(),
    exportRoutes(),
    aggregateExportRoute({ analyticsUrl: config.analyticsUrl, gatewaySecret: config.gatewaySecret }),
    epcisRoutes(config.epcis),
  ];
}
