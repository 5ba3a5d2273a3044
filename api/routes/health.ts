import { createRoute, z } from '@hono/zod-openapi';
import type { Deps } from '../../core/deps.ts';
import { checkHealth, type HealthProbes } from '../../core/health.ts';
import type { ApiApp } from '../types.ts';

const Component = z.object({
  status: z.enum(['ok', 'error']),
  latencyMs: z.number(),
  error: z.string().optional(),
});
const Health = z
  .object({
    status: z.enum(['ok', 'error']),
    failing: z.array(z.enum(['postgres', 'redis', 'schedules'])),
    components: z.object({
      postgres: Component,
      redis: Component,
      /** workers role only: the BullMQ schedules (alert evaluation, notification sweep) exist in Redis */
      schedules: Component.optional(),
    }),
  })
  .openapi('Health');

const route = createRoute({
  method: 'get',
  path: '/health',
  tags: ['health'],
  summary: 'PostgreSQL and Redis reachability (and, in the workers role, its schedules)',
  description:
    'A process running the workers role also reports `schedules`: 503 while the alert evaluation or ' +
    'notification sweep schedule is missing from Redis (a Redis restarted without persistence); the ' +
    'workers re-create them on reconnect and within a minute.',
  responses: {
    200: { description: 'Every component answers', content: { 'application/json': { schema: Health } } },
    503: { description: 'A component is failing', content: { 'application/json': { schema: Health } } },
  },
});

export function registerHealthRoutes(app: ApiApp, deps: Pick<Deps, 'sql' | 'redis'> & HealthProbes) {
  app.openapi(route, async (c) => {
    const report = await checkHealth(deps.sql, deps.redis, undefined, { schedules: deps.schedules });
    const failing = (['postgres', 'redis', 'schedules'] as const).filter(
      (k) => report.components[k] !== undefined && report.components[k].status !== 'ok',
    );
    const body = { status: report.status, failing: [...failing], components: report.components };
    return report.status === 'ok' ? c.json(body, 200) : c.json(body, 503);
  });
}
