/**
 * Is this error PostgreSQL or Redis being unreachable (as opposed to a bug or bad input)? Such
 * failures are worth a retry later: webhooks answer 5xx so the sender redelivers.
 */
export function isInfrastructureError(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (
    [
      'ECONNREFUSED',
      'ECONNRESET',
      'ETIMEDOUT',
      'EPIPE',
      'ENOTFOUND',
      'EAI_AGAIN',
      'CONNECT_TIMEOUT',
      'CONNECTION_CLOSED',
      'CONNECTION_ENDED',
      'CONNECTION_DESTROYED',
      '57P01', // admin_shutdown
      '57P02', // crash_shutdown
      '57P03', // cannot_connect_now
      '53300', // too_many_connections
      '08000',
      '08003',
      '08006',
      '08001',
      '08004',
    ].includes(code)
  ) {
    return true;
  }
  if (e.name === 'MaxRetriesPerRequestError' || e.name === 'ChatBusyError') return true;
  const message = typeof e.message === 'string' ? e.message : '';
  if (/Connection is closed|Stream isn't writeable|ECONNREFUSED|write EPIPE|connect ETIMEDOUT/.test(message))
    return true;
  if (Array.isArray((e as { errors?: unknown }).errors)) {
    return (e as { errors: unknown[] }).errors.some(isInfrastructureError);
  }
  return e.cause !== undefined && e.cause !== err ? isInfrastructureError(e.cause) : false;
}
