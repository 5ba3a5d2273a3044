import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Queue } from 'bullmq';
import type { MiddlewareHandler } from 'hono';
import type { Deps } from '../../core/deps.ts';
import { selfOnlyCsp } from '../csp.ts';
import { errorResponse } from '../errors.ts';
import { operatorAuth } from '../middleware/operator-auth.ts';
import type { ApiApp, AppEnv } from '../types.ts';

export const QUEUES_DASHBOARD_PATH = '/admin/queues';

/**
 * Bull Board's scripts, styles and images come from this server. Its loading placeholder and its
 * React components use inline styles, hence 'unsafe-inline' for styles only; no script runs inline.
 */
export const DASHBOARD_CSP = selfOnlyCsp({ styleSrc: ["'unsafe-inline'"], imgSrc: ['data:'] });

/** Bull Board's page asks Google for its fonts: the dashboard works offline and tells Google nothing. */
const GOOGLE_FONTS_LINK = /<link[^>]+fonts\.googleapis\.com[^>]*>\s*/g;

const dashboardPage: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.header('Content-Security-Policy', DASHBOARD_CSP);
  c.header('Cache-Control', 'no-store');
  await next();
  if (c.res.headers.get('content-type')?.startsWith('text/html')) {
    const html = (await c.res.text()).replace(GOOGLE_FONTS_LINK, '');
    c.res = new Response(html, { status: c.res.status, headers: c.res.headers });
  }
};

/**
 * A browser sends Basic credentials with any request to this origin, a forged cross-site form
 * included: changes (retry, clean, pause…) must come from the dashboard's own pages.
 */
const sameOriginChanges: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
  const site = c.req.header('sec-fetch-site');
  const origin = c.req.header('origin');
  const host = c.req.header('x-forwarded-host') ?? c.req.header('host');
  let crossSite = site !== undefined && site !== 'same-origin';
  if (site === undefined && origin !== undefined) {
    try {
      crossSite = new URL(origin).host !== host;
    } catch {
      crossSite = true;
    }
  }
  if (crossSite) return errorResponse(c, 'forbidden', 'changes to the queues must come from the dashboard');
  return next();
};

/**
 * Bull Board at /admin/queues (the api role only): every Depot queue, behind the admin key. A browser
 * is asked for it with HTTP Basic (any user name, the key as password); scripts may send it as Bearer.
 */
export function registerQueuesDashboard(
  app: ApiApp,
  deps: Pick<Deps, 'sql' | 'config'>,
  options: { queues: Queue[] },
) {
  const adapter = new HonoAdapter(serveStatic).setBasePath(QUEUES_DASHBOARD_PATH);
  createBullBoard({
    queues: options.queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Depot' } },
  });
  const auth = operatorAuth(deps, { realm: 'Depot queues', challenge: 'basic' });
  for (const path of [QUEUES_DASHBOARD_PATH, `${QUEUES_DASHBOARD_PATH}/*`]) {
    app.use(path, sameOriginChanges, auth, dashboardPage);
  }
  app.route(QUEUES_DASHBOARD_PATH, adapter.registerPlugin());
}
