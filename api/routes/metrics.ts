import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../core/deps.ts';
import { operatorAuth } from '../middleware/operator-auth.ts';
import type { ApiApp } from '../types.ts';

export const METRICS_PATH = '/metrics';

const route = createRoute({
  method: 'get',
  path: METRICS_PATH,
  tags: ['health'],
  summary: 'Prometheus metrics of this process',
  description:
    'Prometheus text format. Authorization: Bearer METRICS_TOKEN, ADMIN_API_KEY or an API key valid for all sites. ' +
    'Every role serves it on its own port.',
  security: [{ bearerAuth: [] }],
  responses: {
    200: {
      description: 'Counters, histograms and gauges in the Prometheus exposition format 0.0.4',
      content: { 'text/plain': { schema: z.string() } },
    },
    401: { description: 'No credentials, or wrong ones' },
    403: { description: 'An API key of one site' },
  },
});

/** GET /metrics, in every role: each process exposes its own registry for Prometheus to scrape. */
export function registerMetricsRoute(app: ApiApp, deps: Pick<Deps, 'sql' | 'config' | 'metrics'>) {
  app.use(
    METRICS_PATH,
    operatorAuth(deps, {
      realm: 'depot metrics',
      challenge: 'bearer',
      extraToken: deps.config.METRICS_TOKEN,
    }),
  );
  app.openapi(route, async (c) => {
    const body = await deps.metrics.render();
    return c.body(body, 200, { 'Content-Type': deps.metrics.contentType, 'Cache-Control': 'no-store' });
  });
}
