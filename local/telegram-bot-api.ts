import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A local Telegram Bot API server speaking the real wire format (POST /bot<token>/<method>, JSON,
 * form-urlencoded or query parameters; answers { ok, result } or { ok: false, error_code, description,
 * parameters }). Used by tests and by local mode, where a chat client reads the bot's messages through
 * the /_fake endpoints and sends updates that go to the webhook or to getUpdates.
 */

export type Json = Record<string, unknown>;

export interface FakeCall {
  method: string;
  params: Json;
  /** Date.now() when the request arrived */
  at: number;
}

export interface FakeFailure {
  error_code: number;
  description?: string;
  retry_after?: number;
}

export interface BotMessage {
  message_id: number;
  chat: { id: number; type: string };
  date: number;
  text?: string;
  caption?: string;
  photo?: Json[];
  document?: Json;
  reply_markup?: { inline_keyboard?: { text: string; callback_data?: string; url?: string }[][] };
  reply_to_message_id?: number;
  edit_date?: number;
  from: Json;
}

export interface ChatEvent {
  seq: number;
  kind: 'message' | 'edit' | 'delete' | 'callback_answer' | 'chat_action';
  chatId: number;
  message?: BotMessage;
  /** answerCallbackQuery text, chat action name */
  text?: string;
  at: number;
}

/** A file uploaded with multipart/form-data (sendDocument, sendPhoto). */
export interface Upload {
  upload: true;
  filename: string;
  mime: string;
  bytes: Buffer;
}

export interface FakeUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface FakeTelegram {
  url: string;
  token: string;
  botUser: { id: number; is_bot: true; first_name: string; username: string };
  calls: FakeCall[];
  /** every visible effect on a chat, in order */
  events: ChatEvent[];
  callsOf(method: string): FakeCall[];
  /** messages the bot sent to a chat, current version (edits applied), oldest first */
  messagesTo(chatId: number): BotMessage[];
  /** the next `times` calls of `method` fail with this error */
  failNext(method: string, failure: FakeFailure, times?: number): void;
  /** the next `times` calls of `method` are answered after `ms` */
  delayNext(method: string, ms: number, times?: number): void;
  /** the bytes of a file the bot uploaded (a document or photo's file_id) */
  uploadedFile(fileId: string): Buffer | null;
  addFile(
    bytes: Buffer,
    options?: { path?: string },
  ): { file_id: string; file_unique_id: string; file_path: string; file_size: number };
  /** delivers an update: POSTs it to the webhook when one is set (redelivering on failure), else queues it for getUpdates */
  sendUpdate(update: Json): Promise<{ update_id: number; status?: number }>;
  nextUpdateId(): number;
  webhook(): { url: string; secret_token?: string; allowed_updates?: string[] } | null;
  reset(): void;
  close(): Promise<void>;
}

const now = () => Math.floor(Date.now() / 1000);

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseParams(req: IncomingMessage, body: Buffer, url: URL): Json {
  const params: Json = {};
  for (const [k, v] of url.searchParams) params[k] = v;
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (body.length === 0) return params;
  if (type.includes('application/json')) {
    Object.assign(params, JSON.parse(body.toString('utf8')) as Json);
  } else if (type.includes('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params[k] = v;
  } else if (type.includes('multipart/form-data')) {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(req.headers['content-type'] ?? '');
    const b = boundary?.[1] ?? boundary?.[2];
    if (b) {
      // latin1 maps bytes one to one, so uploaded files keep their bytes
      for (const part of body.toString('latin1').split(`--${b}`)) {
        const end = part.indexOf('\r\n\r\n');
        if (end < 0) continue;
        const head = part.slice(0, end);
        const name = /name="([^"]+)"/.exec(head)?.[1];
        if (!name) continue;
        const bytes = Buffer.from(part.slice(end + 4).replace(/\r\n$/, ''), 'latin1');
        const filename = /filename="([^"]*)"/.exec(head)?.[1];
        if (filename !== undefined) {
          const mime = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1]?.trim() ?? 'application/octet-stream';
          params[name] = { upload: true, filename, mime, bytes } satisfies Upload;
        } else params[name] = bytes.toString('utf8');
      }
    }
  }
  // form and multipart bodies carry JSON-typed fields as strings
  for (const key of ['reply_markup', 'allowed_updates', 'link_preview_options', 'reply_parameters']) {
    if (typeof params[key] === 'string') {
      try {
        params[key] = JSON.parse(params[key] as string);
      } catch {
        /* keep the string: the method will reject it */
      }
    }
  }
  return params;
}

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

class ApiError extends Error {
  readonly code: number;
  readonly description: string;
  readonly retryAfter?: number;
  constructor(code: number, description: string, retryAfter?: number) {
    super(description);
    this.code = code;
    this.description = description;
    this.retryAfter = retryAfter;
  }
}

export async function createFakeTelegram(
  options: { token?: string; port?: number; host?: string; botUsername?: string } = {},
): Promise<FakeTelegram> {
  const token = options.token ?? `123456:${randomBytes(18).toString('base64url')}`;
  const botUser = {
    id: Number(token.split(':')[0]) || 123456,
    is_bot: true as const,
    first_name: 'Depot',
    username: options.botUsername ?? 'depot_test_bot',
  };
  const calls: FakeCall[] = [];
  const events: ChatEvent[] = [];
  const failures = new Map<string, FakeFailure[]>();
  const delays = new Map<string, number[]>();
  const messages = new Map<number, BotMessage[]>();
  const files = new Map<
    string,
    { bytes: Buffer; file_id: string; file_unique_id: string; file_path: string }
  >();
  const queue: Json[] = [];
  const eventWaiters = new Set<() => void>();
  const updateWaiters = new Set<() => void>();
  let webhookInfo: { url: string; secret_token?: string; allowed_updates?: string[] } | null = null;
  let lastUpdateId = 100_000;
  let seq = 0;

  const wake = (set: Set<() => void>) => {
    for (const w of [...set]) w();
    set.clear();
  };
  const pushEvent = (e: Omit<ChatEvent, 'seq' | 'at'>) => {
    events.push({ ...e, seq: ++seq, at: Date.now() });
    wake(eventWaiters);
  };
  const chatOf = (params: Json): number => {
    const id = Number(params.chat_id);
    if (!Number.isFinite(id) || params.chat_id === undefined || params.chat_id === '') {
      throw new ApiError(400, 'Bad Request: chat_id is empty');
    }
    return id;
  };
  const requireText = (params: Json, field = 'text'): string => {
    const text = params[field];
    if (typeof text !== 'string' || text.length === 0)
      throw new ApiError(400, 'Bad Request: message text is empty');
    if (text.length > 4096) throw new ApiError(400, 'Bad Request: message is too long');
    return text;
  };
  const checkMarkup = (params: Json) => {
    const markup = params.reply_markup as BotMessage['reply_markup'] | undefined;
    for (const row of markup?.inline_keyboard ?? []) {
      for (const button of row) {
        if (button.callback_data !== undefined && Buffer.byteLength(button.callback_data) > 64) {
          throw new ApiError(400, 'Bad Request: BUTTON_DATA_INVALID');
        }
      }
    }
    return markup;
  };
  const findMessage = (chatId: number, messageId: number) => {
    const m = messages.get(chatId)?.find((x) => x.message_id === messageId);
    if (!m) throw new ApiError(400, 'Bad Request: message to edit not found');
    return m;
  };
  const storeMessage = (chatId: number, fields: Partial<BotMessage>): BotMessage => {
    const list = messages.get(chatId) ?? [];
    messages.set(chatId, list);
    const message: BotMessage = {
      message_id: (list.at(-1)?.message_id ?? 0) + 1,
      from: botUser,
      chat: { id: chatId, type: chatId > 0 ? 'private' : 'group' },
      date: now(),
      ...fields,
    };
    list.push(message);
    pushEvent({ kind: 'message', chatId, message: structuredClone(message) });
    return message;
  };

  const isUpload = (v: unknown): v is Upload =>
    typeof v === 'object' && v !== null && (v as Upload).upload === true;
  const storeUpload = (u: Upload, folder: string) => {
    const f = api.addFile(u.bytes, { path: `${folder}/${randomBytes(6).toString('hex')}-${u.filename}` });
    return { file_id: f.file_id, file_unique_id: f.file_unique_id, file_size: f.file_size };
  };

  const methods: Record<string, (p: Json) => unknown | Promise<unknown>> = {
    getMe: () => ({
      ...botUser,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    }),
    logOut: () => true,
    close: () => true,
    setMyCommands: () => true,
    setWebhook: (p) => {
      const url = String(p.url ?? '');
      if (url === '') {
        webhookInfo = null;
        return true;
      }
      if (!/^https?:\/\//.test(url))
        throw new ApiError(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
      webhookInfo = {
        url,
        secret_token: typeof p.secret_token === 'string' ? p.secret_token : undefined,
        allowed_updates: Array.isArray(p.allowed_updates) ? (p.allowed_updates as string[]) : undefined,
      };
      return true;
    },
    deleteWebhook: (p) => {
      webhookInfo = null;
      if (p.drop_pending_updates === true || p.drop_pending_updates === 'true') queue.length = 0;
      return true;
    },
    getWebhookInfo: () => ({
      url: webhookInfo?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: queue.length,
      allowed_updates: webhookInfo?.allowed_updates,
    }),
    sendMessage: (p) => {
      const chatId = chatOf(p);
      const text = requireText(p);
      const reply_markup = checkMarkup(p);
      return storeMessage(chatId, {
        text,
        ...(reply_markup ? { reply_markup } : {}),
        ...(p.reply_to_message_id ? { reply_to_message_id: Number(p.reply_to_message_id) } : {}),
      });
    },
    sendPhoto: (p) => {
      const chatId = chatOf(p);
      const reply_markup = checkMarkup(p);
      const file_id = isUpload(p.photo)
        ? storeUpload(p.photo, 'photos').file_id
        : String(p.photo ?? 'uploaded');
      const photo = [{ file_id, file_unique_id: 'u', width: 800, height: 600 }];
      return storeMessage(chatId, {
        photo,
        ...(typeof p.caption === 'string' ? { caption: p.caption } : {}),
        ...(reply_markup ? { reply_markup } : {}),
      });
    },
    sendDocument: (p) => {
      const chatId = chatOf(p);
      if (!isUpload(p.document) && typeof p.document !== 'string')
        throw new ApiError(400, 'Bad Request: there is no document in the request');
      const document = isUpload(p.document)
        ? {
            ...storeUpload(p.document, 'documents'),
            file_name: p.document.filename,
            mime_type: p.document.mime,
          }
        : { file_id: p.document as string };
      return storeMessage(chatId, {
        document,
        ...(typeof p.caption === 'string' ? { caption: p.caption } : {}),
      });
    },
    editMessageText: (p) => {
      const chatId = chatOf(p);
      const text = requireText(p);
      const m = findMessage(chatId, Number(p.message_id));
      const markup = checkMarkup(p);
      if (m.text === text && JSON.stringify(m.reply_markup ?? null) === JSON.stringify(markup ?? null)) {
        throw new ApiError(
          400,
          'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
        );
      }
      m.text = text;
      if (markup) m.reply_markup = markup;
      else delete m.reply_markup;
      m.edit_date = now();
      pushEvent({ kind: 'edit', chatId, message: structuredClone(m) });
      return m;
    },
    editMessageReplyMarkup: (p) => {
      const chatId = chatOf(p);
      const m = findMessage(chatId, Number(p.message_id));
      const markup = checkMarkup(p);
      if (markup && (markup.inline_keyboard?.length ?? 0) > 0) m.reply_markup = markup;
      else delete m.reply_markup;
      m.edit_date = now();
      pushEvent({ kind: 'edit', chatId, message: structuredClone(m) });
      return m;
    },
    deleteMessage: (p) => {
      const chatId = chatOf(p);
      const list = messages.get(chatId) ?? [];
      const i = list.findIndex((x) => x.message_id === Number(p.message_id));
      if (i < 0) throw new ApiError(400, 'Bad Request: message to delete not found');
      const [m] = list.splice(i, 1);
      pushEvent({ kind: 'delete', chatId, message: m! });
      return true;
    },
    answerCallbackQuery: (p) => {
      if (!p.callback_query_id)
        throw new ApiError(
          400,
          'Bad Request: query is too old and response timeout expired or query ID is invalid',
        );
      const chatId = Number(String(p.callback_query_id).split(':')[0]) || 0;
      pushEvent({ kind: 'callback_answer', chatId, text: typeof p.text === 'string' ? p.text : '' });
      return true;
    },
    sendChatAction: (p) => {
      const chatId = chatOf(p);
      pushEvent({ kind: 'chat_action', chatId, text: String(p.action ?? '') });
      return true;
    },
    getFile: (p) => {
      const f = files.get(String(p.file_id ?? ''));
      if (!f) throw new ApiError(400, 'Bad Request: invalid file_id');
      return {
        file_id: f.file_id,
        file_unique_id: f.file_unique_id,
        file_size: f.bytes.length,
        file_path: f.file_path,
      };
    },
    getUpdates: async (p) => {
      if (webhookInfo) {
        throw new ApiError(
          409,
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
        );
      }
      const offset = Number(p.offset ?? 0);
      const limit = Math.min(100, Math.max(1, Number(p.limit ?? 100)));
      const timeoutS = Math.min(50, Math.max(0, Number(p.timeout ?? 0)));
      // offset confirms every update below it, as Telegram does
      if (offset > 0) while (queue.length > 0 && Number(queue[0]!.update_id) < offset) queue.shift();
      if (queue.length === 0 && timeoutS > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            updateWaiters.delete(done);
            resolve();
          }, timeoutS * 1000);
          const done = () => {
            clearTimeout(timer);
            resolve();
          };
          updateWaiters.add(done);
        });
      }
      return queue.slice(0, limit);
    },
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { ok: false, error_code: 500, description: String(e) });
    });
  });
  // getUpdates long polls must not keep close() waiting
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = await readBody(req);

    const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (req.method === 'GET' && fileMatch) {
      const f =
        fileMatch[1] === token
          ? [...files.values()].find((x) => x.file_path === decodeURIComponent(fileMatch[2]!))
          : undefined;
      if (!f) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': f.bytes.length });
      return res.end(f.bytes);
    }

    if (url.pathname.startsWith('/_fake/')) return handleFake(req, res, url, body);

    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!m) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    if (m[1] !== token) return send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = m[2]!;
    let params: Json;
    try {
      params = parseParams(req, body, url);
    } catch {
      return send(res, 400, {
        ok: false,
        error_code: 400,
        description: "Bad Request: can't parse JSON object",
      });
    }
    calls.push({ method, params, at: Date.now() });

    const delay = delays.get(method)?.shift();
    if (delay) await new Promise((r) => setTimeout(r, delay));
    const failure = failures.get(method)?.shift();
    if (failure) {
      const description =
        failure.description ??
        (failure.error_code === 429 ? `Too Many Requests: retry after ${failure.retry_after ?? 1}` : 'Error');
      return send(res, failure.error_code, {
        ok: false,
        error_code: failure.error_code,
        description,
        ...(failure.retry_after !== undefined ? { parameters: { retry_after: failure.retry_after } } : {}),
      });
    }
    const impl = methods[method];
    if (!impl)
      return send(res, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    try {
      const result = await impl(params);
      return send(res, 200, { ok: true, result });
    } catch (e) {
      if (e instanceof ApiError)
        return send(res, e.code, { ok: false, error_code: e.code, description: e.description });
      throw e;
    }
  }

  async function handleFake(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer) {
    // GET /_fake/chats/<id>/events?after=<seq>&timeout=<s>: a chat client's view of the conversation
    const ev = /^\/_fake\/chats\/(-?\d+)\/events$/.exec(url.pathname);
    if (req.method === 'GET' && ev) {
      const chatId = Number(ev[1]);
      const after = Number(url.searchParams.get('after') ?? 0);
      const timeoutS = Math.min(50, Number(url.searchParams.get('timeout') ?? 0));
      const pick = () => events.filter((e) => e.chatId === chatId && e.seq > after);
      let found = pick();
      const deadline = Date.now() + timeoutS * 1000;
      while (found.length === 0 && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
          eventWaiters.add(() => {
            clearTimeout(timer);
            resolve();
          });
        });
        found = pick();
      }
      return send(res, 200, { ok: true, result: found });
    }
    if (req.method === 'GET' && url.pathname === '/_fake/calls')
      return send(res, 200, { ok: true, result: calls });
    // POST /_fake/updates: deliver an update (to the webhook, or to getUpdates)
    if (req.method === 'POST' && url.pathname === '/_fake/updates') {
      const update = JSON.parse(body.toString('utf8') || '{}') as Json;
      return send(res, 200, { ok: true, result: await api.sendUpdate(update) });
    }
    // POST /_fake/files (raw bytes): store a file the bot can getFile, e.g. a photo sent by the chat client
    if (req.method === 'POST' && url.pathname === '/_fake/files') {
      return send(res, 200, { ok: true, result: api.addFile(body) });
    }
    return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
  }

  async function postToWebhook(update: Json): Promise<number> {
    const hook = webhookInfo!;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (hook.secret_token) headers['x-telegram-bot-api-secret-token'] = hook.secret_token;
    // like Telegram: redeliver while the webhook answers non-2xx or is unreachable (bounded here)
    let status = 0;
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const r = await fetch(hook.url, { method: 'POST', headers, body: JSON.stringify(update) });
        await r.arrayBuffer();
        status = r.status;
        if (r.ok) return status;
      } catch {
        status = 0;
      }
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
    return status;
  }

  const api: FakeTelegram = {
    url: '',
    token,
    botUser,
    calls,
    events,
    callsOf: (method) => calls.filter((c) => c.method === method),
    messagesTo: (chatId) => structuredClone(messages.get(chatId) ?? []),
    failNext(method, failure, times = 1) {
      const list = failures.get(method) ?? [];
      for (let i = 0; i < times; i++) list.push(failure);
      failures.set(method, list);
    },
    delayNext(method, ms, times = 1) {
      const list = delays.get(method) ?? [];
      for (let i = 0; i < times; i++) list.push(ms);
      delays.set(method, list);
    },
    uploadedFile: (fileId) => files.get(fileId)?.bytes ?? null,
    addFile(bytes, opts = {}) {
      const file_id = `file-${randomBytes(8).toString('hex')}`;
      const file_unique_id = randomBytes(6).toString('hex');
      const file_path = opts.path ?? `photos/${file_unique_id}.jpg`;
      files.set(file_id, { bytes, file_id, file_unique_id, file_path });
      return { file_id, file_unique_id, file_path, file_size: bytes.length };
    },
    nextUpdateId: () => ++lastUpdateId,
    async sendUpdate(update) {
      const u = { ...update };
      if (typeof u.update_id !== 'number') u.update_id = ++lastUpdateId;
      else lastUpdateId = Math.max(lastUpdateId, u.update_id);
      if (webhookInfo) {
        const status = await postToWebhook(u);
        return { update_id: u.update_id as number, status };
      }
      queue.push(u);
      wake(updateWaiters);
      return { update_id: u.update_id as number };
    },
    webhook: () => webhookInfo,
    reset() {
      calls.length = 0;
      events.length = 0;
      failures.clear();
      delays.clear();
      messages.clear();
      queue.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        wake(updateWaiters);
        wake(eventWaiters);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };

  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  api.url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return api;
}

/** Real-shaped update builders (private chat: chat id = user id). */
let messageIds = 1_000;

export function textUpdate(user: FakeUser, text: string, extra: Json = {}): Json {
  const entities = text.startsWith('/')
    ? [{ type: 'bot_command', offset: 0, length: text.split(/\s/)[0]!.length }]
    : undefined;
  return {
    message: {
      message_id: ++messageIds,
      from: { is_bot: false, language_code: 'fr', ...user },
      chat: privateChat(user),
      date: now(),
      text,
      ...(entities ? { entities } : {}),
      ...extra,
    },
  };
}

export function photoUpdate(user: FakeUser, fileId: string, caption?: string): Json {
  return {
    message: {
      message_id: ++messageIds,
      from: { is_bot: false, language_code: 'fr', ...user },
      chat: privateChat(user),
      date: now(),
      photo: [
        { file_id: `${fileId}-small`, file_unique_id: `${fileId}-s`, width: 90, height: 67, file_size: 1200 },
        { file_id: fileId, file_unique_id: `${fileId}-l`, width: 1280, height: 960, file_size: 98_000 },
      ],
      ...(caption ? { caption } : {}),
    },
  };
}

/** A file sent as a document (an uncompressed photo is one, with an image mime_type). */
export function documentUpdate(
  user: FakeUser,
  fileId: string,
  options: { mimeType?: string; fileName?: string; fileSize?: number; caption?: string } = {},
): Json {
  return {
    message: {
      message_id: ++messageIds,
      from: { is_bot: false, language_code: 'fr', ...user },
      chat: privateChat(user),
      date: now(),
      document: {
        file_id: fileId,
        file_unique_id: `${fileId}-d`,
        file_name: options.fileName ?? 'IMG_0001.jpg',
        mime_type: options.mimeType ?? 'image/jpeg',
        file_size: options.fileSize ?? 98_000,
      },
      ...(options.caption ? { caption: options.caption } : {}),
    },
  };
}

export function callbackUpdate(user: FakeUser, data: string, message: BotMessage | null): Json {
  return {
    callback_query: {
      id: `${user.id}:${randomBytes(6).toString('hex')}`,
      from: { is_bot: false, language_code: 'fr', ...user },
      chat_instance: String(user.id * 7),
      data,
      ...(message ? { message } : {}),
    },
  };
}

export function stickerUpdate(user: FakeUser): Json {
  return {
    message: {
      message_id: ++messageIds,
      from: { is_bot: false, ...user },
      chat: privateChat(user),
      date: now(),
      sticker: {
        file_id: 'CAACAgIAAxkBAAIB',
        file_unique_id: 'AgADsticker',
        type: 'regular',
        width: 512,
        height: 512,
        is_animated: false,
        is_video: false,
        emoji: '👍',
      },
    },
  };
}

export function editedTextUpdate(user: FakeUser, text: string): Json {
  return {
    edited_message: {
      message_id: ++messageIds,
      from: { is_bot: false, ...user },
      chat: privateChat(user),
      date: now() - 30,
      edit_date: now(),
      text,
    },
  };
}

function privateChat(user: FakeUser) {
  return {
    id: user.id,
    type: 'private',
    first_name: user.first_name,
    ...(user.last_name ? { last_name: user.last_name } : {}),
    ...(user.username ? { username: user.username } : {}),
  };
}
