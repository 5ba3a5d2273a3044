import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ZodError } from 'zod';
import { AppError, type ErrorCode } from '../core/errors.ts';
import type { AppEnv } from './types.ts';

export const ERROR_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  insufficient_stock: 422,
  rate_limited: 429,
  internal_error: 500,
  unavailable: 503,
};

export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId: string; details?: unknown };
}

export function errorResponse(c: Context<AppEnv>, code: ErrorCode, message: string, details?: unknown) {
  const body: ErrorBody = { error: { code, message, requestId: c.get('requestId') ?? '' } };
  if (details !== undefined) body.error.details = details;
  return c.json(body, ERROR_STATUS[code] as 400);
}

export function describeZodError(error: ZodError): {
  message: string;
  details: { field: string; message: string }[];
} {
  const details = error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
  const message = details.map((d) => `${d.field}: ${d.message}`).join('; ');
  return { message: message || 'invalid input', details };
}

/** The one error handler: a closed set of codes, never a stack trace. */
export function handleError(err: Error, c: Context<AppEnv>) {
  if (err instanceof AppError) return errorResponse(c, err.code, err.message, err.details);
  if (err instanceof ZodError) {
    const { message, details } = describeZodError(err);
    return errorResponse(c, 'validation_failed', message, details);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    if (status === 413) return errorResponse(c, 'payload_too_large', 'request body is too large');
    if (status === 401) return errorResponse(c, 'unauthorized', err.message || 'unauthorized');
    if (status === 404) return errorResponse(c, 'not_found', err.message || 'not found');
    if (status < 500) return errorResponse(c, 'bad_request', err.message || 'bad request');
  }
  const pgCode = (err as { code?: unknown }).code;
  if (pgCode === '23505')
    return errorResponse(c, 'conflict', 'a resource with the same unique value already exists');
  if (pgCode === '23503' || pgCode === '23514' || pgCode === '22P02') {
    return errorResponse(c, 'unprocessable', 'the request breaks a data constraint');
  }
  // 22021: NUL in text; 22P05: NUL in JSON text; 22001/22003/22008: too long, out of range
  if (pgCode === '22021' || pgCode === '22P05') {
    return errorResponse(c, 'validation_failed', 'text must not contain NUL (\\u0000) characters');
  }
  if (pgCode === '22001' || pgCode === '22003' || pgCode === '22008') {
    return errorResponse(c, 'validation_failed', 'a value is too long or out of range');
  }
  const log = c.get('log');
  log?.error({ err }, 'unhandled error');
  if (isUnavailable(err))
    return errorResponse(c, 'unavailable', 'a backing service is unavailable, try again');
  return errorResponse(c, 'internal_error', 'internal error');
}

function isUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return (
    code === 'ECONNREFUSED' ||
    code === 'CONNECT_TIMEOUT' ||
    code === 'CONNECTION_CLOSED' ||
    code === 'CONNECTION_ENDED' ||
    code === 'ETIMEDOUT' ||
    code === '57P01' ||
    (err instanceof Error && /Connection is closed|ECONNREFUSED|Stream isn't writeable/.test(err.message))
  );
}
