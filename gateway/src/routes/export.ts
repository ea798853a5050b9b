import { EXPORT_PATH, forwardAggregateExport } from '@nguon/analytics/export';
import type { EdgeRoute } from '../edge';

/**
 * GET /export/aggregate.csv — CSV of any aggregate for ministry systems,
 * streamed from the analytics service. The caller authenticates here; the
 * analytics service checks the `aggregates:read` scope on the signed viewer.
 */
export function aggregateExportRoute(options: { analyticsUrl: string; gatewaySecret: string }): EdgeRoute {
  return async (req, res, edge) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== EXPORT_PATH || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    const viewer = await edge.authenticate();
    if (!edge.allow(viewer)) return true;
    await forwardAggregateExport(req, res, { viewer, gatewaySecret: options.gatewaySecret, analyticsUrl: options.analyticsUrl, requestId: edge.requestId });
    return true;
  };
}
