import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { Deps } from '../../core/deps.ts';
import { authenticateKey } from '../../core/admin/api-keys.ts';
import { errorResponse } from '../errors.ts';
import type { AppEnv } from '../types.ts';

export interface OperatorAuthOptions {
  /** realm of the WWW-Authenticate challenge */
  realm: string;
  /** 'basic': challenge with Basic so that a browser asks for the key (user name ignored, key as password) */
  challenge: 'bearer' | 'basic';
  /** one more secret accepted besides the admin keys (METRICS_TOKEN for /metrics) */
  extraToken?: string | undefined;
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
const sameSecret = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

/** The secret of `Authorization: Bearer <key>`, or the password of `Authorization: Basic …`. */
export function credentialOf(header: string | undefined): string | null {
  if (!header) return null;
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1]!;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!basic) return null;
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const password = colon >= 0 ? decoded.slice(colon + 1) : '';
  return password.length > 0 ? password : null;
}

/**
 * Operator pages (metrics, queue dashboard) see every site: they take ADMIN_API_KEY or an API key
 * valid for all sites (a site's key gets 403), plus `extraToken` when given.
 */
export function operatorAuth(
  deps: Pick<Deps, 'sql' | 'config'>,
  options: OperatorAuthOptions,
): MiddlewareHandler<AppEnv> {
  const challenge =
    options.challenge === 'basic'
      ? `Basic realm="${options.realm}", charset="UTF-8"`
      : `Bearer realm="${options.realm}"`;
  const refuse = (c: Context<AppEnv>, message: string) => {
    c.header('WWW-Authenticate', challenge);
    return errorResponse(c, 'unauthorized', message);
  };
  return async (c, next) => {
    const secret = credentialOf(c.req.header('authorization'));
    if (!secret) return refuse(c, 'missing credentials (Authorization: Bearer <admin key>)');
    if (options.extraToken && sameSecret(secret, options.extraToken)) return next();
    const actor = await authenticateKey(deps, secret, c.get('requestId'));
    if (!actor) return refuse(c, 'invalid or revoked key');
    if (actor.siteId !== null) return errorResponse(c, 'forbidden', 'this needs a key valid for all sites');
    c.set('auth', actor);
    await next();
  };
}
