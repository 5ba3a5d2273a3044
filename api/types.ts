import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Logger } from '../core/logger.ts';

export interface ApiAuth {
  kind: 'bootstrap_key' | 'api_key';
  keyId: number | null;
  /** null: the key may act on every site */
  siteId: number | null;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    auth: ApiAuth;
  };
}

export type ApiApp = OpenAPIHono<AppEnv>;
