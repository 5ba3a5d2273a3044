import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Logger } from '../core/logger.ts';
import type { AdminActor } from '../core/admin/actor.ts';

/** The caller of the admin API: { kind, keyId, siteId (null = every site), requestId }. */
export type ApiAuth = AdminActor;

export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    auth: ApiAuth;
  };
}

export type ApiApp = OpenAPIHono<AppEnv>;
