import type { Hono } from 'hono';
import { constantTimeEqual } from '../accounts/secrets.ts';
import type { PrometheusMetrics } from '../platform/metrics/prometheus-metrics.ts';

/**
 * GET /metrics for Prometheus, behind `Authorization: Bearer <METRICS_TOKEN>`. Without a token
 * configured there are no metrics to serve (404): an operator turns them on by choosing one.
 */
export function mountMetricsRoute(app: Hono, metrics: PrometheusMetrics, token: string | undefined): void {
  app.get('/metrics', async (context) => {
    const error = (status: 401 | 404, code: string, message: string) =>
      context.json({ error: { code, message } }, status);
    if (!token) return error(404, 'not_found', 'Metrics are off: set METRICS_TOKEN to serve them.');
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(context.req.header('authorization') ?? '')?.[1];
    if (!presented || !constantTimeEqual(presented, token)) {
      context.header('WWW-Authenticate', 'Bearer realm="metrics"');
      return error(401, 'unauthenticated', 'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.');
    }
    const { contentType, text } = await metrics.scrape();
    return context.body(text, 200, { 'Content-Type': contentType });
  });
}
