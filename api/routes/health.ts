import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../core/deps.ts';
import { checkHealth } from '../../core/health.ts';
import type { ApiApp } from '../types.ts';

const Component = z.object({
  status: z.enum(['ok', 'error']),
  latencyMs: z.number(),
  error: z.string().optional(),
});
const Health = z
  .object({
    status: z.enum(['ok', 'error']),
    failing: z.array(z.enum(['postgres', 'redis'])),
    components: z.object({ postgres: Component, redis: Component }),
  })
  .openapi('Health');

const route = createRoute({
  method: 'get',
  path: '/health',
  tags: ['health'],
  summary: 'PostgreSQL and Redis reachability',
  responses: {
    200: { description: 'Every component answers', content: { 'application/json': { schema: Health } } },
    503: { description: 'A component is failing', content: { 'application/json': { schema: Health } } },
  },
});

export function registerHealthRoutes(app: ApiApp, deps: Pick<Deps, 'sql' | 'redis'>) {
  app.openapi(route, async (c) => {
    const report = await checkHealth(deps.sql, deps.redis);
    const failing = (['postgres', 'redis'] as const).filter((k) => report.components[k].status !== 'ok');
    const body = { status: report.status, failing: [...failing], components: report.components };
    return report.status === 'ok' ? c.json(body, 200) : c.json(body, 503);
  });
}
