import type { MiddlewareHandler } from 'hono';
import type { Deps } from '../../core/deps.ts';
import { authenticateKey } from '../../core/admin/api-keys.ts';
import { errorResponse } from '../errors.ts';
import type { AppEnv } from '../types.ts';

/** Bearer API keys for /api/v1: the ADMIN_API_KEY bootstrap key or a live key created through the API. */
export function adminAuth(deps: Pick<Deps, 'sql' | 'config'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      c.header('WWW-Authenticate', 'Bearer realm="depot"');
      return errorResponse(c, 'unauthorized', 'missing bearer API key (Authorization: Bearer <key>)');
    }
    const actor = await authenticateKey(deps, match[1]!, c.get('requestId'));
    if (!actor) {
      c.header('WWW-Authenticate', 'Bearer realm="depot", error="invalid_token"');
      return errorResponse(c, 'unauthorized', 'invalid or revoked API key');
    }
    c.set('auth', actor);
    await next();
  };
}
