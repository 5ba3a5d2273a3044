import twilio from 'twilio';
import type { Context } from 'hono';
import type { Deps } from '../../core/deps.ts';
import { handleStatusCallback } from '../../core/notifications/status.ts';
import { handleInboundWhatsApp } from '../../core/notifications/inbound.ts';
import { errorResponse } from '../errors.ts';
import type { ApiApp, AppEnv } from '../types.ts';

export const TWILIO_STATUS_PATH = '/twilio/status';
export const TWILIO_INBOUND_PATH = '/twilio/inbound';

/**
 * Reads the form and checks X-Twilio-Signature against the public URL Twilio was given
 * (PUBLIC_URL + path + query), never the URL this process sees behind a proxy.
 */
async function verifiedForm(
  c: Context<AppEnv>,
  deps: Pick<Deps, 'config'>,
  path: string,
): Promise<Record<string, string> | null> {
  const token = deps.config.TWILIO_AUTH_TOKEN;
  const publicUrl = deps.config.PUBLIC_URL;
  const signature = c.req.header('x-twilio-signature');
  const log = c.get('log');
  if (!token || !publicUrl) {
    log?.warn('twilio webhook refused: TWILIO_AUTH_TOKEN or PUBLIC_URL not configured');
    return null;
  }
  if (!signature) return null;
  const raw = await c.req.text();
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(raw)) params[key] = value;
  const query = new URL(c.req.url).search;
  const url = publicUrl.replace(/\/+$/, '') + path + query;
  if (!twilio.validateRequest(token, signature, url, params)) {
    log?.warn({ path }, 'twilio webhook refused: bad signature');
    return null;
  }
  return params;
}

const forbidden = (c: Context<AppEnv>) =>
  errorResponse(c, 'forbidden', 'missing or invalid X-Twilio-Signature');

export function twiml(message: string | null): string {
  const response = new twilio.twiml.MessagingResponse();
  if (message) response.message(message);
  return response.toString();
}

/** POST /twilio/status and POST /twilio/inbound (the api role). */
export function registerTwilioRoutes(app: ApiApp, deps: Deps) {
  app.post(TWILIO_STATUS_PATH, async (c) => {
    const params = await verifiedForm(c, deps, TWILIO_STATUS_PATH);
    if (!params) return forbidden(c);
    if (!(params.MessageSid ?? params.SmsSid) || !(params.MessageStatus ?? params.SmsStatus)) {
      return errorResponse(c, 'bad_request', 'a status callback needs MessageSid and MessageStatus');
    }
    // the sender puts its notification's id in the (signed) callback URL: ?n=<id>
    const n = Number(c.req.query('n'));
    await handleStatusCallback(
      { ...deps, logger: c.get('log') ?? deps.logger },
      {
        params,
        idempotencyToken: c.req.header('i-twilio-idempotency-token') ?? null,
        notificationId: Number.isSafeInteger(n) && n > 0 ? n : null,
      },
    );
    return c.body(null, 200);
  });

  app.post(TWILIO_INBOUND_PATH, async (c) => {
    const params = await verifiedForm(c, deps, TWILIO_INBOUND_PATH);
    if (!params) return forbidden(c);
    const messageSid = params.MessageSid ?? params.SmsMessageSid;
    const reply =
      messageSid && params.From
        ? await handleInboundWhatsApp(
            { sql: deps.sql, clock: deps.clock, logger: c.get('log') ?? deps.logger },
            {
              messageSid,
              from: params.From,
              body: params.Body ?? '',
              originalRepliedMessageSid: params.OriginalRepliedMessageSid || null,
            },
          )
        : null;
    return c.body(twiml(reply), 200, { 'content-type': 'text/xml; charset=utf-8' });
  });
}
