import type { Logger } from '../logger.ts';
import { sleep, type TelegramPacer } from './telegram-pacer.ts';

/** Telegram refuses a message whose buttons carry more callback_data than this, in UTF-8 bytes. */
export const CALLBACK_DATA_MAX_BYTES = 64;

export interface TelegramButton {
  text: string;
  /** callback_data, at most CALLBACK_DATA_MAX_BYTES */
  data: string;
}

export interface SendOptions {
  buttons?: TelegramButton[][];
  replyToMessageId?: number;
}

/** The one outbound Telegram client: paced per chat and globally, honours 429 retry_after. */
export interface TelegramClient {
  sendMessage(chatId: number, text: string, opts?: SendOptions): Promise<{ messageId: number }>;
  /** `buttons: []` removes the keyboard */
  editMessageText(
    chatId: number,
    messageId: number,
    text: string,
    opts?: { buttons?: TelegramButton[][] },
  ): Promise<void>;
  answerCallbackQuery(callbackQueryId: string, opts?: { text?: string; showAlert?: boolean }): Promise<void>;
  sendChatAction(chatId: number, action?: 'typing' | 'upload_photo'): Promise<void>;
  /** Downloads a file server-side. The download URL holds the bot token: it never leaves this module. */
  getFileBytes(fileId: string, opts?: { maxBytes?: number }): Promise<{ data: Buffer; filePath: string }>;
  /** Uploads a file (multipart) as a document, e.g. a report's XLSX. */
  sendDocument(chatId: number, file: UploadFile, opts?: { caption?: string }): Promise<{ messageId: number }>;
  /** Uploads an image (multipart), e.g. a chart. */
  sendPhoto(chatId: number, file: UploadFile, opts?: { caption?: string }): Promise<{ messageId: number }>;
}

/** A file to upload: its bytes, the name the chat shows, and its type. */
export interface UploadFile {
  data: Buffer;
  filename: string;
  contentType: string;
}

/** A Bot API error. `permanent`: retrying cannot help (blocked by the user, chat not found…). */
export class TelegramApiError extends Error {
  readonly method: string;
  readonly errorCode: number;
  readonly description: string;
  readonly retryAfter: number | null;
  constructor(method: string, errorCode: number, description: string, retryAfter: number | null = null) {
    super(`Telegram ${method} failed: ${errorCode} ${description}`);
    this.name = 'TelegramApiError';
    this.method = method;
    this.errorCode = errorCode;
    this.description = description;
    this.retryAfter = retryAfter;
  }
  get permanent(): boolean {
    return (
      this.errorCode === 400 || this.errorCode === 401 || this.errorCode === 403 || this.errorCode === 404
    );
  }
}

/** Methods that put something in a chat and so count against Telegram's flood limits. */
export const PACED_METHODS = new Set([
  'sendMessage',
  'sendPhoto',
  'sendDocument',
  'sendMediaGroup',
  'sendLocation',
  'copyMessage',
  'forwardMessage',
  'editMessageText',
  'editMessageCaption',
  'editMessageReplyMarkup',
  'editMessageMedia',
]);

export interface RetryPolicy {
  /** attempts in all, first included */
  attempts: number;
  /** a 429 asking to wait longer than this is not retried here (the caller's deadline matters more) */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, maxRetryAfterMs: 30_000 };

/** Reads retry_after from a TelegramApiError, telegraf's TelegramError or a raw error body. */
export function retryAfterOf(err: unknown): number | null {
  if (err instanceof TelegramApiError) return err.errorCode === 429 ? (err.retryAfter ?? 1) : null;
  const e = err as {
    code?: unknown;
    response?: { error_code?: unknown; parameters?: { retry_after?: unknown } };
    parameters?: { retry_after?: unknown };
  };
  const code = e?.response?.error_code ?? e?.code;
  if (code !== 429) return null;
  const ra = Number(e.response?.parameters?.retry_after ?? e.parameters?.retry_after ?? 1);
  return Number.isFinite(ra) && ra >= 0 ? ra : 1;
}

/**
 * Runs one Bot API call with pacing (for chat methods) and 429 handling: waits retry_after, tells the
 * pacer so other senders to this chat wait too, and tries again.
 */
export async function callPaced<T>(
  pacer: TelegramPacer,
  method: string,
  chatId: number | string | null,
  call: () => Promise<T>,
  options: { retry?: RetryPolicy; logger?: Logger } = {},
): Promise<T> {
  const retry = options.retry ?? DEFAULT_RETRY;
  for (let attempt = 1; ; attempt++) {
    // pacing is a courtesy to Telegram (429s are still handled below): a Redis outage must not stop replies
    if (chatId !== null && PACED_METHODS.has(method)) {
      await pacer
        .reserve(chatId)
        .catch((err: unknown) => options.logger?.warn({ err }, 'pacing unavailable, sending unpaced'));
    }
    try {
      return await call();
    } catch (err) {
      const retryAfter = retryAfterOf(err);
      const waitMs = retryAfter === null ? null : retryAfter * 1000;
      if (waitMs === null || attempt >= retry.attempts || waitMs > retry.maxRetryAfterMs) throw err;
      options.logger?.warn({ method, retryAfter, attempt }, 'telegram rate limited, waiting');
      if (chatId !== null) await pacer.penalize(chatId, waitMs).catch(() => {});
      await sleep(waitMs);
    }
  }
}

export interface LiveTelegramOptions {
  token: string;
  apiRoot?: string;
  pacer: TelegramPacer;
  logger: Logger;
  retry?: RetryPolicy;
  /** per request */
  timeoutMs?: number;
}

const toMarkup = (buttons: TelegramButton[][] | undefined) =>
  buttons === undefined
    ? undefined
    : { inline_keyboard: buttons.map((row) => row.map((b) => ({ text: b.text, callback_data: b.data }))) };

/** The live client over the Bot API (global fetch). Also what workers use to message managers. */
export function createTelegramClient(options: LiveTelegramOptions): TelegramClient {
  const apiRoot = (options.apiRoot ?? 'https://api.telegram.org').replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function raw<T>(method: string, params: Record<string, unknown> | FormData): Promise<T> {
    let res: Response;
    try {
      const multipart = params instanceof FormData;
      res = await fetch(`${apiRoot}/bot${options.token}/${method}`, {
        method: 'POST',
        // fetch sets the multipart boundary itself
        headers: multipart ? {} : { 'content-type': 'application/json' },
        body: multipart ? params : JSON.stringify(params),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      // the fetch error message may hold the URL, hence the token: keep only its kind
      throw new TelegramApiError(method, 0, `network error (${(e as Error).name})`);
    }
    let body: {
      ok?: boolean;
      result?: T;
      error_code?: number;
      description?: string;
      parameters?: { retry_after?: number };
    };
    try {
      body = (await res.json()) as typeof body;
    } catch {
      throw new TelegramApiError(method, res.status, `unreadable answer (HTTP ${res.status})`);
    }
    if (!body.ok) {
      throw new TelegramApiError(
        method,
        body.error_code ?? res.status,
        body.description ?? `HTTP ${res.status}`,
        body.parameters?.retry_after ?? null,
      );
    }
    return body.result as T;
  }

  const call = <T>(method: string, chatId: number | null, params: Record<string, unknown>) =>
    callPaced(options.pacer, method, chatId, () => raw<T>(method, params), {
      retry: options.retry,
      logger: options.logger,
    });

  const upload = async (
    method: 'sendDocument' | 'sendPhoto',
    field: 'document' | 'photo',
    chatId: number,
    file: UploadFile,
    caption: string | undefined,
  ) => {
    const m = await callPaced(
      options.pacer,
      method,
      chatId,
      () => {
        // a fresh form per attempt: a body is read once
        const form = new FormData();
        form.append('chat_id', String(chatId));
        if (caption) form.append('caption', caption);
        form.append(field, new Blob([new Uint8Array(file.data)], { type: file.contentType }), file.filename);
        return raw<{ message_id: number }>(method, form);
      },
      { retry: options.retry, logger: options.logger },
    );
    return { messageId: m.message_id };
  };

  return {
    async sendMessage(chatId, text, opts = {}) {
      const m = await call<{ message_id: number }>('sendMessage', chatId, {
        chat_id: chatId,
        text,
        reply_markup: toMarkup(opts.buttons),
        ...(opts.replyToMessageId
          ? { reply_parameters: { message_id: opts.replyToMessageId, allow_sending_without_reply: true } }
          : {}),
      });
      return { messageId: m.message_id };
    },
    async editMessageText(chatId, messageId, text, opts = {}) {
      try {
        await call('editMessageText', chatId, {
          chat_id: chatId,
          message_id: messageId,
          text,
          reply_markup: toMarkup(opts.buttons),
        });
      } catch (e) {
        // editing to the same content is a success for our purposes
        if (e instanceof TelegramApiError && /message is not modified/.test(e.description)) return;
        throw e;
      }
    },
    async answerCallbackQuery(callbackQueryId, opts = {}) {
      await call('answerCallbackQuery', null, {
        callback_query_id: callbackQueryId,
        text: opts.text,
        show_alert: opts.showAlert,
      });
    },
    async sendChatAction(chatId, action = 'typing') {
      await call('sendChatAction', chatId, { chat_id: chatId, action });
    },
    sendDocument: (chatId, file, opts = {}) => upload('sendDocument', 'document', chatId, file, opts.caption),
    sendPhoto: (chatId, file, opts = {}) => upload('sendPhoto', 'photo', chatId, file, opts.caption),
    async getFileBytes(fileId, opts = {}) {
      const maxBytes = opts.maxBytes ?? 20 * 1024 * 1024;
      const file = await call<{ file_path?: string; file_size?: number }>('getFile', null, {
        file_id: fileId,
      });
      if (!file.file_path)
        throw new TelegramApiError('getFile', 400, 'file has no path (too big for the Bot API?)');
      if (file.file_size !== undefined && file.file_size > maxBytes) {
        throw new TelegramApiError('getFile', 413, `file is larger than ${maxBytes} bytes`);
      }
      let res: Response;
      try {
        res = await fetch(`${apiRoot}/file/bot${options.token}/${file.file_path}`, {
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (e) {
        throw new TelegramApiError('downloadFile', 0, `network error (${(e as Error).name})`);
      }
      if (!res.ok)
        throw new TelegramApiError('downloadFile', res.status, `download failed (HTTP ${res.status})`);
      const data = Buffer.from(await res.arrayBuffer());
      if (data.length > maxBytes)
        throw new TelegramApiError('downloadFile', 413, `file is larger than ${maxBytes} bytes`);
      return { data, filePath: file.file_path };
    },
  };
}

/** Stand-in when no bot token is configured: any use says so clearly. */
export function createUnconfiguredTelegram(): TelegramClient {
  const fail = async (): Promise<never> => {
    throw new TelegramApiError('(none)', 0, 'Telegram is not configured (TELEGRAM_BOT_TOKEN is empty)');
  };
  return {
    sendMessage: fail,
    editMessageText: fail,
    answerCallbackQuery: fail,
    sendChatAction: fail,
    getFileBytes: fail,
    sendDocument: fail,
    sendPhoto: fail,
  };
}
