import twilio from 'twilio';
import type { MessageInstance } from 'twilio/lib/rest/api/v2010/account/message.js';
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
      const found = new Map<string, WhatsAppMessage>();
      const keep = (m: MessageInstance) => {
        if (m.dateCreated.getTime() < since.getTime()) return;
        found.set(m.sid, {
          sid: m.sid,
          status: m.status,
          to: fromWhatsAppAddress(m.to),
          body: m.body ?? '',
          dateCreated: m.dateCreated,
        });
      };
      const address = toWhatsAppAddress(to);
      try {
        // Everything sent since: Twilio filters on date_sent (DateSent>=), and the SDK follows
        // next_page_uri through every page.
        for (const m of await client.messages.list({
          to: address,
          from,
          dateSentAfter: since,
          pageSize: 200,
        })) {
          keep(m);
        }
        // A message Twilio accepted but has not sent yet has no date_sent, so that filter misses it: also
        // walk the unfiltered list, newest first, until the pages are older than `since`.
        type Page = { instances: MessageInstance[]; nextPage(): Promise<Page> | undefined };
        let page: Page = await client.messages.page({ to: address, from, pageSize: 50 });
        for (;;) {
          page.instances.forEach(keep);
          const oldest = page.instances.at(-1);
          if (!oldest || oldest.dateCreated.getTime() < since.getTime()) break;
          const next = page.nextPage();
          if (!next) break;
          page = await next;
        }
        return [...found.values()].sort((a, b) => b.dateCreated.getTime() - a.dateCreated.getTime());
      } catch (err) {
        const e = toWhatsAppError(err);
        // a failed look-up sent nothing: the caller may simply try again later
        throw e.kind === 'unknown' ? new WhatsAppError('transient', e.code, e.message, e.httpStatus) : e;
      }
    },

    async fetchMessage(sid) {
      try {
        const m = await client.messages(sid).fetch();
        return { sid: m.sid, status: m.status, errorCode: m.errorCode ? String(m.errorCode) : null };
      } catch (err) {
        const e = toWhatsAppError(err);
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
