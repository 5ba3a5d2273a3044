import twilio from 'twilio';
import type { Config } from '../config.ts';
import {
  WhatsAppError,
  classifyNetworkError,
  classifyTwilioFailure,
  fromWhatsAppAddress,
  toWhatsAppAddress,
  type WhatsAppClient,
  type WhatsAppMessage,
} from './whatsapp.ts';

/**
 * The SDK builds every URL on https://api.twilio.com; this RequestClient re-targets them to
 * TWILIO_API_BASE_URL (a local fake, or a proxy), keeping path and query.
 */
function createBaseUrlRequestClient(baseUrl: string, timeout: number) {
  const base = new URL(baseUrl);
  const client = new twilio.RequestClient({ timeout, keepAlive: true });
  const request = client.request.bind(client);
  client.request = ((opts: Parameters<typeof request>[0]) => {
    const uri = new URL(opts.uri);
    if (uri.origin !== base.origin) {
      uri.protocol = base.protocol;
      uri.host = base.host;
    }
    return request({ ...opts, uri: uri.toString() });
  }) as typeof client.request;
  return client;
}

export interface TwilioWhatsAppOptions {
  accountSid: string;
  authToken: string;
  /** Sender, E.164 with or without `whatsapp:` */
  from: string;
  baseUrl?: string;
  timeoutMs?: number;
}

// Twilio words some errors with the number ("The 'To' number whatsapp:+33… is not valid"); the message
// goes to logs, job failures and the admin API, so the number is taken out here, where it comes in.
const withoutNumbers = (message: string) => message.replace(/(?:whatsapp:)?\+\d[\d ]{5,}\d/g, '[number]');

function toWhatsAppError(err: unknown): WhatsAppError {
  if (err instanceof WhatsAppError) return err;
  if (err instanceof twilio.RestException) {
    const code = typeof err.code === 'number' ? err.code : null;
    const kind = classifyTwilioFailure(err.status, code);
    return new WhatsAppError(
      kind,
      code !== null ? String(code) : `http_${err.status}`,
      withoutNumbers(err.message),
      err.status,
    );
  }
  const e = err as { code?: string; message?: string; response?: { status?: number } };
  if (e.response?.status) {
    return new WhatsAppError(
      classifyTwilioFailure(e.response.status, null),
      `http_${e.response.status}`,
      withoutNumbers(e.message ?? 'HTTP error'),
      e.response.status,
    );
  }
  return new WhatsAppError(
    classifyNetworkError(e.code),
    e.code ?? 'network_error',
    withoutNumbers(e.message ?? 'network error'),
  );
}

export function createTwilioWhatsAppClient(options: TwilioWhatsAppOptions): WhatsAppClient {
  const httpClient = createBaseUrlRequestClient(
    options.baseUrl ?? 'https://api.twilio.com',
    options.timeoutMs ?? 15_000,
  );
  const client = twilio(options.accountSid, options.authToken, { httpClient, autoRetry: false });
  const from = toWhatsAppAddress(options.from);

  return {
    async send(input) {
      try {
        const content =
          'body' in input.content
            ? { body: input.content.body }
            : {
                contentSid: input.content.contentSid,
                contentVariables: JSON.stringify(input.content.contentVariables),
              };
        const message = await client.messages.create({
          to: toWhatsAppAddress(input.to),
          from,
          ...content,
          ...(input.statusCallback ? { statusCallback: input.statusCallback } : {}),
        });
        return { sid: message.sid, status: message.status };
      } catch (err) {
        throw toWhatsAppError(err);
      }
    },

    async findRecentMessages(to, since) {
      try {
        const list = await client.messages.list({ to: toWhatsAppAddress(to), from, pageSize: 50, limit: 50 });
        const found: WhatsAppMessage[] = [];
        for (const m of list) {
          if (m.dateCreated.getTime() < since.getTime()) continue;
          found.push({
            sid: m.sid,
            status: m.status,
            to: fromWhatsAppAddress(m.to),
            body: m.body ?? '',
            dateCreated: m.dateCreated,
          });
        }
        return found;
      } catch (err) {
        const e = toWhatsAppError(err);
        // a failed look-up sent nothing: the caller may simply try again later
        throw e.kind === 'unknown' ? new WhatsAppError('transient', e.code, e.message, e.httpStatus) : e;
      }
    },
  };
}

/** The live client when Twilio is configured, else null (WhatsApp rows then fall back to Telegram). */
export function createWhatsAppClientFromConfig(
  config: Pick<
    Config,
    'TWILIO_ACCOUNT_SID' | 'TWILIO_AUTH_TOKEN' | 'TWILIO_WHATSAPP_FROM' | 'TWILIO_API_BASE_URL'
  >,
): WhatsAppClient | null {
  if (!config.TWILIO_ACCOUNT_SID || !config.TWILIO_AUTH_TOKEN || !config.TWILIO_WHATSAPP_FROM) return null;
  return createTwilioWhatsAppClient({
    accountSid: config.TWILIO_ACCOUNT_SID,
    authToken: config.TWILIO_AUTH_TOKEN,
    from: config.TWILIO_WHATSAPP_FROM,
    baseUrl: config.TWILIO_API_BASE_URL,
  });
}
