import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Logger } from '../core/logger.ts';
import type { Actor } from '../core/actor.ts';

export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    /** the caller of the admin API (set by admin-auth on /api/v1) */
    auth: Actor;
  };
}

export type ApiApp = OpenAPIHono<AppEnv>;
