/**
 * A local stand-in for Anthropic's Messages API (POST /v1/messages), speaking its wire format: the
 * SDK pointed at it with `baseURL` cannot tell the difference. By default it answers with the tool
 * call the offline classifier would make, so local mode gets sensible proposals without an account.
 * Run standalone: `tsx tests/fakes/anthropic.ts [--port 4010]`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { createOfflineClassifier } from '../core/classify/offline-classifier.ts';
import type { CategoryOption, ItemProposal } from '../core/classify/types.ts';
import { WEEE_CODES } from '../core/classify/weee-codes.ts';

export type FakeAnthropicMode = 'answer' | 'off_schema' | 'error500' | 'overloaded' | 'slow' | 'invalid_json';

export interface FakeAnthropicCall {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** the parsed JSON body, or null when it was not JSON */
  body: MessagesRequestBody | null;
  status: number;
}

/** The parts of a Messages API request the fake reads. */
export interface MessagesRequestBody {
  model: string;
  max_tokens: number;
  system?: string | { type: 'text'; text: string }[];
  tools?: { name: string; input_schema: Record<string, unknown> }[];
  tool_choice?: { type: string; name?: string };
  messages: {
    role: 'user' | 'assistant';
    content:
      | string
      | (
          | { type: 'text'; text: string }
          | { type: 'image'; source: { type: 'base64'; media_type: string; data: string } }
        )[];
  }[];
}

/** A scripted answer: the tool input to return, or a function of the request building it. */
export type ScriptedAnswer =
  Record<string, unknown> | ((body: MessagesRequestBody) => Record<string, unknown>);

export interface FakeAnthropic {
  url: string;
  calls: FakeAnthropicCall[];
  setMode(mode: FakeAnthropicMode): void;
  /** answers returned (in order) by the next calls in 'answer' mode, before the offline default */
  enqueue(answer: ScriptedAnswer): void;
  reset(): void;
  close(): Promise<void>;
}

export interface FakeAnthropicOptions {
  port?: number;
  host?: string;
  /** when set, any other x-api-key gets a 401 authentication_error */
  apiKey?: string;
  mode?: FakeAnthropicMode;
  /** how long 'slow' holds a request before answering (default 120 s) */
  slowMs?: number;
}

const WEEE = new Set<string>(WEEE_CODES);

function systemText(body: MessagesRequestBody): string {
  if (typeof body.system === 'string') return body.system;
  return (body.system ?? []).map((b) => b.text).join('\n');
}

function userText(body: MessagesRequestBody): string {
  const last = [...body.messages].reverse().find((m) => m.role === 'user');
  if (!last) return '';
  const text =
    typeof last.content === 'string'
      ? last.content
      : last.content
          .filter((b): b is { type: 'text'; text: string } => b.type === 'text')
          .map((b) => b.text)
          .join('\n');
  const tagged = text.match(/<volunteer_message>\n?([\s\S]*?)\n?<\/volunteer_message>/);
  return tagged ? tagged[1]! : '';
}

function categoryEnum(body: MessagesRequestBody): string[] {
  const tool = body.tools?.find((t) => t.name === body.tool_choice?.name) ?? body.tools?.[0];
  const schema = tool?.input_schema as
    | { properties?: { items?: { items?: { properties?: { categoryCode?: { enum?: string[] } } } } } }
    | undefined;
  return schema?.properties?.items?.items?.properties?.categoryCode?.enum ?? [];
}

/** Categories and examples as the system prompt lists them ("- code: label", "- "text" → code"). */
function readPrompt(body: MessagesRequestBody): {
  categories: CategoryOption[];
  examples: { text: string; categoryCode: string }[];
} {
  const codes = categoryEnum(body);
  const categories: CategoryOption[] = [];
  const examples: { text: string; categoryCode: string }[] = [];
  let parent: string | null = null;
  for (const line of systemText(body).split('\n')) {
    const cat = line.match(/^(\s*)- ([a-z0-9_]+): (.*)$/);
    if (cat && codes.includes(cat[2]!)) {
      const code = cat[2]!;
      const explicitParent = cat[3]!.match(/site sub-category of ([a-z0-9_]+)/)?.[1];
      const weeeCode = WEEE.has(code) ? code : (explicitParent ?? parent ?? 'small_equipment');
      if (WEEE.has(code)) parent = code;
      categories.push({ code, labelFr: cat[3]!.replace(/\s*\(site sub-category.*\)$/, ''), weeeCode });
      continue;
    }
    const ex = line.match(/^\s*- (".*") → ([a-z0-9_]+)$/);
    if (ex && codes.includes(ex[2]!)) {
      try {
        examples.push({ text: JSON.parse(ex[1]!) as string, categoryCode: ex[2]! });
      } catch {
        // not an example line
      }
    }
  }
  for (const code of codes) {
    if (!categories.some((c) => c.code === code)) {
      categories.push({ code, labelFr: code, weeeCode: WEEE.has(code) ? code : 'small_equipment' });
    }
  }
  return { categories, examples };
}

function sendJson(res: ServerResponse, status: number, payload: unknown, requestId: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId });
  res.end(JSON.stringify(payload));
}

function apiError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  requestId: string,
): void {
  sendJson(res, status, { type: 'error', error: { type, message }, request_id: requestId }, requestId);
}

export async function createFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const offline = createOfflineClassifier();
  const calls: FakeAnthropicCall[] = [];
  const queue: ScriptedAnswer[] = [];
  const sockets = new Set<Socket>();
  const held = new Set<NodeJS.Timeout>();
  let mode: FakeAnthropicMode = options.mode ?? 'answer';

  const answerFor = (body: MessagesRequestBody): Record<string, unknown> => {
    const scripted = queue.shift();
    if (scripted) return typeof scripted === 'function' ? scripted(body) : scripted;
    const { categories, examples } = readPrompt(body);
    const text = userText(body);
    const items: ItemProposal[] = offline.classify({ siteId: 0, text: text || null, categories, examples });
    return { items };
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const requestId = `req_fake_${randomBytes(8).toString('hex')}`;
      let body: MessagesRequestBody | null = null;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as MessagesRequestBody;
      } catch {
        body = null;
      }
      const call: FakeAnthropicCall = {
        method: req.method ?? '',
        path: (req.url ?? '').split('?')[0]!,
        headers: req.headers,
        body,
        status: 0,
      };
      calls.push(call);
      const fail = (status: number, type: string, message: string) => {
        call.status = status;
        apiError(res, status, type, message, requestId);
      };

      if (call.method !== 'POST' || call.path !== '/v1/messages')
        return fail(404, 'not_found_error', 'Not found');
      // SDK 1.x sends the key as "Authorization: Bearer …"; older clients and curl use x-api-key.
      const bearer = req.headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
      const key = req.headers['x-api-key'] ?? bearer;
      if (typeof key !== 'string' || key.length === 0 || (options.apiKey && key !== options.apiKey)) {
        return fail(401, 'authentication_error', 'invalid x-api-key');
      }
      if (typeof req.headers['anthropic-version'] !== 'string') {
        return fail(400, 'invalid_request_error', 'anthropic-version: header is required');
      }
      if (
        !body ||
        typeof body.model !== 'string' ||
        typeof body.max_tokens !== 'number' ||
        !Array.isArray(body.messages)
      ) {
        return fail(400, 'invalid_request_error', 'model, max_tokens and messages are required');
      }

      switch (mode) {
        case 'error500':
          return fail(500, 'api_error', 'Internal server error');
        case 'overloaded':
          return fail(529, 'overloaded_error', 'Overloaded');
        case 'invalid_json':
          call.status = 200;
          res.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId });
          res.end('{"id":"msg_fake","type":"message","content":[{"type":"tool_use",');
          return;
        case 'slow': {
          const timer = setTimeout(() => {
            held.delete(timer);
            if (!res.writableEnded) fail(504, 'timeout_error', 'too slow');
          }, options.slowMs ?? 120_000);
          held.add(timer);
          res.on('close', () => {
            clearTimeout(timer);
            held.delete(timer);
          });
          return;
        }
        case 'answer':
        case 'off_schema': {
          const input = answerFor(body);
          if (mode === 'off_schema' && Array.isArray(input.items)) {
            input.items = (input.items as Record<string, unknown>[]).map((i) => ({
              ...i,
              categoryCode: 'xyz',
            }));
          }
          const toolName = body.tool_choice?.name ?? body.tools?.[0]?.name ?? 'tool';
          const promptChars = JSON.stringify(body).length;
          call.status = 200;
          sendJson(
            res,
            200,
            {
              id: `msg_fake_${randomBytes(8).toString('hex')}`,
              type: 'message',
              role: 'assistant',
              model: body.model,
              content: [
                {
                  type: 'tool_use',
                  id: `toolu_fake_${randomBytes(8).toString('hex')}`,
                  name: toolName,
                  input,
                },
              ],
              stop_reason: 'tool_use',
              stop_sequence: null,
              usage: {
                input_tokens: Math.ceil(promptChars / 4),
                output_tokens: Math.ceil(JSON.stringify(input).length / 4),
                cache_creation_input_tokens: 0,
                cache_read_input_tokens: 0,
              },
            },
            requestId,
          );
          return;
        }
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    calls,
    setMode(next) {
      mode = next;
    },
    enqueue(answer) {
      queue.push(answer);
    },
    reset() {
      calls.length = 0;
      queue.length = 0;
      mode = options.mode ?? 'answer';
    },
    async close() {
      for (const t of held) clearTimeout(t);
      held.clear();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Starts the fake for local mode; point ANTHROPIC_BASE_URL at the printed URL. */
export const startFakeAnthropic = createFakeAnthropic;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const portArg = process.argv.indexOf('--port');
  const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 4010;
  const fake = await createFakeAnthropic({ port });
  process.stdout.write(
    `fake Anthropic Messages API listening on ${fake.url} (ANTHROPIC_BASE_URL=${fake.url})\n`,
  );
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
