import type { EdgeRoute } from '../edge';
import { forwardToSubgraph } from './forward';

/** The public path, and the analytics route that answers it (same path on the subgraph). */
export const AGGREGATE_EXPORT_PATH = '/export/aggregate.csv';

/**
 * GET /export/aggregate.csv — CSV of any aggregate for ministry systems,
 * streamed from the analytics service. The caller authenticates here; the
 * analytics service checks the `aggregates:read` scope on the signed viewer.
 */
export function aggregateExportRoute(options: { analyticsUrl: string; gatewaySecret: string }): EdgeRoute {
  return async (req, res, edge) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== AGGREGATE_EXPORT_PATH || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    const viewer = await edge.authenticate();
    if (!edge.allow(viewer)) return true;
    await forwardToSubgraph(req, res, {
      subgraphUrl: options.analyticsUrl,
      path: AGGREGATE_EXPORT_PATH,
      viewer,
      gatewaySecret: options.gatewaySecret,
      requestId: edge.requestId,
    });
    return true;
  };
}
