import type { Deps } from '../../core/deps.ts';
import { systemActor } from '../../core/actor.ts';
import { evaluateAlertsNow } from '../../core/alerts/evaluate-alerts-now.ts';
import { errorResponse } from '../errors.ts';
import type { ApiApp } from '../types.ts';

export interface LocalOutboxMessage {
  sid: string;
  to: string;
  from: string;
  body: string;
  status: string;
  contentSid: string | null;
  dateCreated: Date;
}

/** What local mode (bin/local-mode.ts) shows through its /local routes. */
export interface LocalMode {
  /** GET /local: the simulated services and the demo users, for `npm run chat` */
  describe(): Record<string, unknown>;
  /** the simulated Twilio's outbox; null when Twilio is real */
  outbox: {
    list(): LocalOutboxMessage[];
    /** answers an outbox message as its recipient would; resolves to the webhook's answer */
    reply(sid: string, body: string): Promise<{ status: number; body: string; sid: string }>;
  } | null;
}

/** GET /local, GET /local/outbox, POST /local/evaluate, POST /local/outbox/reply (local mode only). */
export function registerLocalRoutes(app: ApiApp, deps: Deps, local: LocalMode) {
  app.get('/local', (c) => c.json(local.describe()));
  app.get('/local/outbox', (c) =>
    c.json({
      messages: (local.outbox?.list() ?? []).map((m) => ({
        sid: m.sid,
        to: m.to,
        from: m.from,
        body: m.body,
        status: m.status,
        contentSid: m.contentSid,
        dateCreated: m.dateCreated.toISOString(),
      })),
    }),
  );
  // the admin API's POST /api/v1/alerts/evaluate needs a key; in local mode the chat client may ask directly
  app.post('/local/evaluate', async (c) => c.json(await evaluateAlertsNow(deps, systemActor)));
  app.post('/local/outbox/reply', async (c) => {
    if (!local.outbox) return errorResponse(c, 'not_found', 'Twilio is not simulated');
    const { body, sid } = (await c.req.json().catch(() => ({}))) as { body?: string; sid?: string };
    const outbox = local.outbox.list();
    const target = sid ? outbox.find((m) => m.sid === sid) : outbox[outbox.length - 1];
    if (!target) return errorResponse(c, 'not_found', 'the outbox is empty');
    const result = await local.outbox.reply(target.sid, body?.trim() || 'OK');
    const reply = /<Message>([\s\S]*?)<\/Message>/.exec(result.body)?.[1];
    return c.json({ status: result.status, sid: result.sid, reply: reply ?? null });
  });
}
