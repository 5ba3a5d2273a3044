import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import twilio from 'twilio';

/**
 * A local Twilio REST server for tests and the offline demo. It speaks the Messages API as Twilio
 * does (form-encoded POST with Basic auth, JSON resources, Twilio error bodies) and posts status
 * callbacks and inbound WhatsApp messages signed exactly as Twilio signs them.
 */

export interface FakeMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string;
  body: string;
  contentSid: string | null;
  contentVariables: Record<string, string> | null;
  statusCallback: string | null;
  status: string;
  errorCode: number | null;
  dateCreated: Date;
  dateUpdated: Date;
  dateSent: Date | null;
  /** Date.now() when the fake accepted the request. */
  receivedAt: number;
  /** Every form parameter of the create request, as received. */
  params: Record<string, string>;
}

export type FakeFailure =
  | { status: 429 | 500 | 502 | 503; code?: number; message?: string }
  | { status: 400; code: number; message?: string }
  /** Accept the message, then drop the connection before answering: the caller never learns the SID. */
  | { acceptThenDrop: true }
  /**
   * Take this long before accepting (and only then list) the message, then answer: a client whose
   * timeout is shorter gives up first, and the message appears afterwards.
   */
  | { slowAccept: number }
  /** Drop the connection without accepting anything. */
  | { network: true };

export interface PostResult {
  status: number;
  body: string;
}

export interface SignOptions {
  /** Sign for this URL instead of the one posted to (a signature "for another URL"). */
  signUrl?: string;
  /** Send this header value verbatim; null sends no signature header at all. */
  signature?: string | null;
  idempotencyToken?: string;
}

export interface FakeTwilioOptions {
  accountSid: string;
  authToken: string;
  /** Delay before each automatic status callback. */
  callbackDelayMs?: number;
  /** Auto mode: after accepting a message, post these callbacks (default none). */
  autoStatuses?: string[];
  /** Where inbound WhatsApp messages go (the app's PUBLIC_URL + /twilio/inbound). */
  inboundUrl?: string;
  /** The WhatsApp sender number inbound messages are addressed to. */
  whatsappNumber?: string;
  /** Content templates: ContentSid → text with {{1}}, {{2}}… placeholders. */
  templates?: Record<string, string>;
  /** Where to actually POST a callback signed for `url` (a proxy in front of the app). */
  targetFor?: (url: string) => string;
  /** Every create takes this long before the message exists and the answer goes (a slow Twilio). */
  createDelayMs?: number;
  /**
   * How template (ContentSid) messages read back from the list and fetch endpoints: with the rendered
   * text (default), or without a body, as Twilio may store them.
   */
  templateBodies?: 'rendered' | 'empty';
  port?: number;
}

export interface FakeTwilio {
  url: string;
  accountSid: string;
  authToken: string;
  messages: FakeMessage[];
  /** Every request that reached the Messages API, failed ones included. */
  requests: { method: string; path: string; query: string; at: number; status: number }[];
  failNext(n: number, failure: FakeFailure): void;
  /** Forgets the failures queued by failNext that have not happened yet. */
  clearFailures(): void;
  /** Every create takes this long from now on (see createDelayMs). */
  setCreateDelay(ms: number): void;
  setAutoStatuses(statuses: string[]): void;
  setInboundUrl(url: string): void;
  sendStatusCallbacks(
    sid: string,
    statuses: string[],
    options?: { repeat?: number; errorCode?: number; errorMessage?: string } & SignOptions,
  ): Promise<PostResult[]>;
  sendInbound(
    from: string,
    body: string,
    options?: { url?: string; originalRepliedMessageSid?: string; profileName?: string } & SignOptions,
  ): Promise<PostResult & { sid: string }>;
  /** Sign and POST arbitrary form params to a webhook URL. */
  postSigned(url: string, params: Record<string, string>, options?: SignOptions): Promise<PostResult>;
  outbox(): FakeMessage[];
  /** Reply to an outbox message as its recipient would (quotes it). */
  replyFromOutbox(sid: string, body: string): Promise<PostResult & { sid: string }>;
  /** Resolves once `n` messages have been accepted. */
  waitForMessages(n: number, timeoutMs?: number): Promise<FakeMessage[]>;
  close(): Promise<void>;
}

const newSid = (prefix: string) => prefix + randomBytes(16).toString('hex');
const rfc2822 = (d: Date) => d.toUTCString().replace('GMT', '+0000');
const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

const ERROR_MESSAGES: Record<number, string> = {
  20003: 'Authenticate',
  20404: 'The requested resource was not found',
  20429: 'Too Many Requests',
  20500: 'Internal Server Error',
  21211: "The 'To' number is not a valid phone number.",
  21602: 'Message body is required.',
  21603: "The 'From' phone number is required.",
  21604: "The 'To' phone number is required.",
  21610: 'Attempt to send to unsubscribed recipient',
  21655: 'The ContentSid is Invalid.',
  63016:
    'Failed to send freeform message because you are outside the allowed window. If you are using WhatsApp, please use a Message Template.',
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function toJson(m: FakeMessage, options: { templateBodies?: 'rendered' | 'empty' } = {}) {
  return {
    account_sid: m.accountSid,
    api_version: '2010-04-01',
    body: m.contentSid && options.templateBodies === 'empty' ? '' : m.body,
    date_created: rfc2822(m.dateCreated),
    date_sent: m.dateSent ? rfc2822(m.dateSent) : null,
    date_updated: rfc2822(m.dateUpdated),
    direction: 'outbound-api',
    error_code: m.errorCode,
    error_message: m.errorCode ? (ERROR_MESSAGES[m.errorCode] ?? null) : null,
    from: m.from,
    messaging_service_sid: null,
    num_media: '0',
    num_segments: '1',
    price: null,
    price_unit: 'USD',
    sid: m.sid,
    status: m.status,
    subresource_uris: {
      media: `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}/Media.json`,
      feedback: `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}/Feedback.json`,
    },
    to: m.to,
    uri: `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}.json`,
  };
}

function renderTemplate(template: string, variables: Record<string, string>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => variables[key] ?? '');
}

/** Twilio's list filters on date_sent: `DateSent=YYYY-MM-DD`, `DateSent>=…`, `DateSent<=…` (date or datetime). */
function dateFilter(params: URLSearchParams): (m: FakeMessage) => boolean {
  const checks: ((d: Date) => boolean)[] = [];
  const parse = (v: string, endOfDay: boolean) =>
    /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T${endOfDay ? '23:59:59.999' : '00:00:00'}Z`) : new Date(v);
  for (const [key, value] of params) {
    if (key === 'DateSent') {
      const day = value.slice(0, 10);
      checks.push((d) => d.toISOString().slice(0, 10) === day);
    } else if (key === 'DateSent>' || key === 'DateSent>=') {
      const t = parse(value, false).getTime();
      checks.push((d) => d.getTime() >= t);
    } else if (key === 'DateSent<' || key === 'DateSent<=') {
      const t = parse(value, true).getTime();
      checks.push((d) => d.getTime() <= t);
    }
  }
  return (m) => checks.length === 0 || (m.dateSent !== null && checks.every((c) => c(m.dateSent as Date)));
}

export async function createFakeTwilio(options: FakeTwilioOptions): Promise<FakeTwilio> {
  const { accountSid, authToken } = options;
  const whatsappNumber = options.whatsappNumber ?? 'whatsapp:+14155238886';
  const messages: FakeMessage[] = [];
  const requests: FakeTwilio['requests'] = [];
  const failures: FakeFailure[] = [];
  let autoStatuses = options.autoStatuses ?? [];
  let createDelayMs = options.createDelayMs ?? 0;
  const asListed = (m: FakeMessage) => toJson(m, { templateBodies: options.templateBodies });
  let inboundUrl = options.inboundUrl;
  const waiters: { n: number; resolve: () => void }[] = [];
  const pending = new Set<Promise<unknown>>();
  let closed = false;

  const track = <T>(p: Promise<T>) => {
    pending.add(p);
    void p.finally(() => pending.delete(p)).catch(() => {});
    return p;
  };

  const expectedAuth = 'Basic ' + Buffer.from(`${accountSid}:${authToken}`).toString('base64');

  function sendError(res: ServerResponse, status: number, code: number, message?: string) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        code,
        message: message ?? ERROR_MESSAGES[code] ?? STATUS_TEXT[status] ?? 'Error',
        more_info: `https://www.twilio.com/docs/errors/${code}`,
        status,
      }),
    );
  }

  function sendJson(res: ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  async function postSigned(
    url: string,
    params: Record<string, string>,
    sign: SignOptions = {},
  ): Promise<PostResult> {
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'user-agent': 'TwilioProxy/1.1',
    };
    const signature =
      sign.signature === undefined
        ? twilio.getExpectedTwilioSignature(authToken, sign.signUrl ?? url, params)
        : sign.signature;
    if (signature !== null) headers['x-twilio-signature'] = signature;
    if (sign.idempotencyToken) headers['i-twilio-idempotency-token'] = sign.idempotencyToken;
    const target = options.targetFor ? options.targetFor(url) : url;
    const res = await fetch(target, {
      method: 'POST',
      headers,
      body: new URLSearchParams(params).toString(),
    });
    return { status: res.status, body: await res.text() };
  }

  function applyStatus(m: FakeMessage, status: string, errorCode?: number) {
    m.status = status;
    m.dateUpdated = new Date();
    if (status === 'sent' && !m.dateSent) m.dateSent = new Date();
    if (errorCode) m.errorCode = errorCode;
  }

  async function sendStatusCallbacks(
    sid: string,
    statuses: string[],
    opts: { repeat?: number; errorCode?: number; errorMessage?: string } & SignOptions = {},
  ): Promise<PostResult[]> {
    const m = messages.find((x) => x.sid === sid);
    if (!m) throw new Error(`fake twilio: no message ${sid}`);
    if (!m.statusCallback) throw new Error(`fake twilio: message ${sid} has no StatusCallback`);
    const results: PostResult[] = [];
    for (const status of statuses) {
      const failed = status === 'failed' || status === 'undelivered';
      const errorCode = failed ? (opts.errorCode ?? 63024) : undefined;
      applyStatus(m, status, errorCode);
      const params: Record<string, string> = {
        AccountSid: accountSid,
        ApiVersion: '2010-04-01',
        ChannelPrefix: 'whatsapp',
        From: m.from,
        MessageSid: m.sid,
        MessageStatus: status,
        SmsSid: m.sid,
        SmsStatus: status,
        To: m.to,
      };
      if (errorCode) {
        params.ErrorCode = String(errorCode);
        if (opts.errorMessage) params.ErrorMessage = opts.errorMessage;
      }
      const token = opts.idempotencyToken ?? `${accountSid}-${randomBytes(12).toString('hex')}`;
      for (let i = 0; i < (opts.repeat ?? 1); i++) {
        results.push(await postSigned(m.statusCallback, params, { ...opts, idempotencyToken: token }));
      }
    }
    return results;
  }

  async function sendInbound(
    from: string,
    body: string,
    opts: { url?: string; originalRepliedMessageSid?: string; profileName?: string } & SignOptions = {},
  ) {
    const url = opts.url ?? inboundUrl;
    if (!url) throw new Error('fake twilio: no inbound URL configured');
    const sid = newSid('SM');
    const address = from.startsWith('whatsapp:') ? from : `whatsapp:${from}`;
    const params: Record<string, string> = {
      AccountSid: accountSid,
      ApiVersion: '2010-04-01',
      Body: body,
      From: address,
      MessageSid: sid,
      MessageType: 'text',
      NumMedia: '0',
      NumSegments: '1',
      ProfileName: opts.profileName ?? 'Manager',
      SmsMessageSid: sid,
      SmsSid: sid,
      SmsStatus: 'received',
      To: whatsappNumber,
      WaId: address.replace(/^whatsapp:\+/, ''),
    };
    if (opts.originalRepliedMessageSid) {
      params.OriginalRepliedMessageSender = whatsappNumber;
      params.OriginalRepliedMessageSid = opts.originalRepliedMessageSid;
    }
    const result = await postSigned(url, params, opts);
    return { ...result, sid };
  }

  function scheduleAuto(m: FakeMessage) {
    if (autoStatuses.length === 0 || !m.statusCallback) return;
    const statuses = [...autoStatuses];
    const delay = options.callbackDelayMs ?? 50;
    track(
      (async () => {
        for (const status of statuses) {
          await new Promise((r) => setTimeout(r, delay));
          if (closed) return;
          await sendStatusCallbacks(m.sid, [status]).catch(() => {});
        }
      })(),
    );
  }

  function notifyWaiters() {
    for (const w of [...waiters]) {
      if (messages.length >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }

  async function handleCreate(
    req: IncomingMessage,
    res: ServerResponse,
    sid: string,
    drop: boolean,
    delayMs: number,
  ) {
    const form = new URLSearchParams(await readBody(req));
    // Twilio keeps working on a request it received even when the caller has gone away meanwhile
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    if (closed) return;
    const params = Object.fromEntries(form);
    const to = params.To;
    const from = params.From;
    if (!to) return sendError(res, 400, 21604);
    if (!from && !params.MessagingServiceSid) return sendError(res, 400, 21603);
    if (!/^(whatsapp:)?\+[1-9]\d{6,14}$/.test(to)) {
      return sendError(res, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    }
    let body = params.Body ?? '';
    let contentVariables: Record<string, string> | null = null;
    if (params.ContentSid) {
      const template = options.templates?.[params.ContentSid];
      if (template === undefined) return sendError(res, 400, 21655);
      try {
        contentVariables = params.ContentVariables ? JSON.parse(params.ContentVariables) : {};
      } catch {
        return sendError(res, 400, 21656, 'The ContentVariables Parameter is invalid.');
      }
      body = renderTemplate(template, contentVariables ?? {});
    } else if (!body) {
      return sendError(res, 400, 21602);
    }
    const now = new Date();
    const m: FakeMessage = {
      sid: newSid('SM'),
      accountSid: sid,
      to,
      from: from ?? '',
      body,
      contentSid: params.ContentSid ?? null,
      contentVariables,
      statusCallback: params.StatusCallback ?? null,
      status: 'queued',
      errorCode: null,
      dateCreated: now,
      dateUpdated: now,
      dateSent: null,
      receivedAt: Date.now(),
      params,
    };
    messages.push(m);
    notifyWaiters();
    if (drop) {
      req.socket.destroy();
      return;
    }
    sendJson(res, 201, asListed(m));
    scheduleAuto(m);
  }

  function handleList(res: ServerResponse, sid: string, query: URLSearchParams, path: string) {
    const to = query.get('To');
    const from = query.get('From');
    const pageSize = Math.min(Math.max(Number(query.get('PageSize') ?? 50) || 50, 1), 1000);
    const page = Math.max(Number(query.get('Page') ?? 0) || 0, 0);
    const byDate = dateFilter(query);
    const matching = messages
      .filter((m) => m.accountSid === sid && (!to || m.to === to) && (!from || m.from === from) && byDate(m))
      .sort((a, b) => b.dateCreated.getTime() - a.dateCreated.getTime() || b.receivedAt - a.receivedAt);
    const slice = matching.slice(page * pageSize, (page + 1) * pageSize);
    const pageUri = (p: number) => {
      const q = new URLSearchParams(query);
      q.set('PageSize', String(pageSize));
      q.set('Page', String(p));
      return `${path}?${q.toString()}`;
    };
    sendJson(res, 200, {
      end: page * pageSize + Math.max(slice.length - 1, 0),
      first_page_uri: pageUri(0),
      messages: slice.map(asListed),
      next_page_uri: (page + 1) * pageSize < matching.length ? pageUri(page + 1) : null,
      page,
      page_size: pageSize,
      previous_page_uri: page > 0 ? pageUri(page - 1) : null,
      start: page * pageSize,
      uri: pageUri(page),
    });
  }

  async function handleFakeControl(req: IncomingMessage, res: ServerResponse, path: string) {
    if (req.method === 'GET' && path === '/_fake/outbox') {
      return sendJson(res, 200, { messages: messages.map((m) => ({ ...toJson(m), params: m.params })) });
    }
    const reply = /^\/_fake\/outbox\/(SM[0-9a-f]{32})\/reply$/.exec(path);
    if (req.method === 'POST' && reply) {
      const raw = await readBody(req);
      let text = 'OK';
      try {
        text = (JSON.parse(raw) as { body?: string }).body ?? 'OK';
      } catch {
        text = new URLSearchParams(raw).get('body') ?? 'OK';
      }
      const result = await api.replyFromOutbox(reply[1] as string, text);
      return sendJson(res, 200, result);
    }
    return sendJson(res, 404, { error: 'unknown fake control route' });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake.twilio');
    const path = url.pathname;
    const record = (status: number) =>
      requests.push({ method: req.method ?? '', path, query: url.search, at: Date.now(), status });
    void (async () => {
      if (path.startsWith('/_fake/')) return handleFakeControl(req, res, path);
      const m = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages(?:\/(SM[0-9a-f]{32}))?\.json$/.exec(
        path,
      );
      if (!m) {
        record(404);
        return sendError(res, 404, 20404);
      }
      if (req.headers.authorization !== expectedAuth) {
        record(401);
        return sendError(res, 401, 20003);
      }
      const sid = m[1] as string;
      if (sid !== accountSid) {
        record(404);
        return sendError(res, 404, 20404);
      }
      if (req.method === 'POST' && !m[2]) {
        const failure = failures.shift();
        if (failure && 'network' in failure) {
          record(0);
          req.socket.destroy();
          return;
        }
        if (failure && 'status' in failure) {
          await readBody(req);
          record(failure.status);
          const code = failure.code ?? (failure.status === 429 ? 20429 : 20500);
          return sendError(res, failure.status, code, failure.message);
        }
        const drop = Boolean(failure && 'acceptThenDrop' in failure);
        const slow = failure && 'slowAccept' in failure ? failure.slowAccept : 0;
        record(drop ? 0 : 201);
        return handleCreate(req, res, sid, drop, createDelayMs + slow);
      }
      if (req.method === 'GET' && !m[2]) {
        record(200);
        return handleList(res, sid, url.searchParams, path);
      }
      if (req.method === 'GET' && m[2]) {
        const found = messages.find((x) => x.sid === m[2]);
        record(found ? 200 : 404);
        return found ? sendJson(res, 200, asListed(found)) : sendError(res, 404, 20404);
      }
      record(405);
      return sendError(res, 405, 20004, 'Method not allowed');
    })().catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, 20500, String(err));
    });
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const api: FakeTwilio = {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    messages,
    requests,
    failNext(n, failure) {
      for (let i = 0; i < n; i++) failures.push(failure);
    },
    clearFailures() {
      failures.length = 0;
    },
    setCreateDelay(ms) {
      createDelayMs = ms;
    },
    setAutoStatuses(statuses) {
      autoStatuses = statuses;
    },
    setInboundUrl(url) {
      inboundUrl = url;
    },
    sendStatusCallbacks,
    sendInbound,
    postSigned,
    outbox: () => [...messages],
    async replyFromOutbox(sid, body) {
      const m = messages.find((x) => x.sid === sid);
      if (!m) throw new Error(`fake twilio: no message ${sid}`);
      return sendInbound(m.to, body, { originalRepliedMessageSid: sid });
    },
    waitForMessages(n, timeoutMs = 10_000) {
      if (messages.length >= n) return Promise.resolve([...messages]);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`fake twilio: ${messages.length}/${n} messages after ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve([...messages]);
          },
        });
      });
    },
    async close() {
      closed = true;
      await Promise.allSettled([...pending]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return api;
}
