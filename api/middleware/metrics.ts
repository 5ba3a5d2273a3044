import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { secondsSince, type Metrics } from '../../core/metrics.ts';
import type { AppEnv } from '../types.ts';

/** Requests that matched no route share one label value, so that scanners cannot grow the series. */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * Counts every request by method, route pattern and status, with its duration. The pattern is the
 * last route (not middleware) that matched: /api/v1/sites/:id, never /api/v1/sites/42.
 */
export function httpMetrics(metrics: Pick<Metrics, 'httpRequest'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const route = matchedRoutes(c).findLast((r) => r.method !== 'ALL')?.path ?? UNMATCHED_ROUTE;
      metrics.httpRequest({
        method: c.req.method,
        route,
        status: c.res.status,
        seconds: secondsSince(started),
      });
    }
  };
}
