#!/usr/bin/env node
/**
 * Talk to a local Depot as a Telegram user would, with no Telegram account.
 *   npm run chat                      as the demo volunteer
 *   npm run chat -- --as manager      as the demo manager
 * Depot must run in local mode (npm start with no TELEGRAM_BOT_TOKEN). The messages go through the
 * local Bot API server to Depot's webhook route, exactly as Telegram would deliver them.
 */
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import {
  callbackUpdate,
  photoUpdate,
  textUpdate,
  type BotMessage,
  type ChatEvent,
  type FakeUser,
} from '../local/telegram-bot-api.ts';

interface LocalInfo {
  telegram: { url: string } | null;
  twilio: { url: string } | null;
  demo: { volunteer: FakeUser; manager: FakeUser } | null;
}

const { values } = parseArgs({
  options: {
    as: { type: 'string', default: 'volunteer' },
    url: { type: 'string', default: process.env.DEPOT_URL ?? `http://localhost:${process.env.PORT ?? 3000}` },
  },
});
const depotUrl = values.url!.replace(/\/$/, '');

const HELP = `Commandes du client de chat local :
  <texte>              envoyer un message au bot (ex. « micro-ondes Moulinex HS », /stock, /aide)
  <n> ou <libellé>     appuyer sur le bouton n (ou celui qui porte ce libellé) du dernier message
  /photo <fichier> [légende]   envoyer une photo
  /moi benevole | /moi responsable   changer d'utilisateur
  /evaluer             évaluer les alertes maintenant (sinon toutes les 5 minutes et après chaque mouvement de stock)
  /outbox              messages WhatsApp envoyés (boîte d'envoi locale)
  /wa <texte>          répondre sur WhatsApp au dernier message de la boîte d'envoi (ex. /wa OK)
  /quitter             quitter`;

async function getJson<T>(path: string, base = depotUrl, init?: RequestInit): Promise<T> {
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: HTTP ${res.status} ${text.slice(0, 200)}`);
  return JSON.parse(text) as T;
}

async function main() {
  let info: LocalInfo;
  try {
    info = await getJson<LocalInfo>('/local');
  } catch (e) {
    console.error(`Depot ne répond pas en mode local sur ${depotUrl} (${(e as Error).message}).`);
    console.error('Lancez-le d’abord avec « npm start », sans TELEGRAM_BOT_TOKEN.');
    process.exit(1);
  }
  if (!info.telegram || !info.demo) {
    console.error('Ce Depot utilise un vrai bot Telegram : parlez-lui depuis Telegram.');
    process.exit(1);
  }
  const telegramUrl = info.telegram.url;
  let user: FakeUser = values.as === 'manager' ? info.demo.manager : info.demo.volunteer;
  let lastSeq = 0;
  const latest = new Map<number, BotMessage>();
  let keyboardMessageId: number | null = null;

  const buttonsOf = (m: BotMessage | undefined) =>
    (m?.reply_markup?.inline_keyboard ?? []).flat().filter((b) => b.callback_data);

  function show(event: ChatEvent) {
    const m = event.message;
    if (event.kind === 'chat_action') return;
    if (event.kind === 'callback_answer') {
      if (event.text) console.log(`  (${event.text})`);
      return;
    }
    if (!m) return;
    latest.set(m.message_id, m);
    const text = m.text ?? m.caption ?? '';
    const prefix = event.kind === 'edit' ? 'bot (modifié)>' : 'bot>';
    console.log(`${prefix} ${text.split('\n').join('\n     ')}`);
    const buttons = buttonsOf(m);
    if (buttons.length > 0) {
      keyboardMessageId = m.message_id;
      console.log(buttons.map((b, i) => `  [${i + 1}] ${b.text}`).join('\n'));
    } else if (keyboardMessageId === m.message_id) {
      keyboardMessageId = null;
    }
  }

  async function drain(waitMs: number) {
    const deadline = Date.now() + waitMs;
    let quietSince = Date.now();
    while (Date.now() < deadline) {
      const res = await getJson<{ result: ChatEvent[] }>(
        `/_fake/chats/${user.id}/events?after=${lastSeq}&timeout=1`,
        telegramUrl,
      );
      for (const e of res.result) {
        lastSeq = Math.max(lastSeq, e.seq);
        show(e);
        quietSince = Date.now();
      }
      if (res.result.length === 0 && Date.now() - quietSince > 600) return;
    }
  }

  async function deliver(update: Record<string, unknown>) {
    await getJson('/_fake/updates', telegramUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(update),
    });
    await drain(15_000);
  }

  async function handle(line: string): Promise<boolean> {
    const input = line.trim();
    if (!input) return true;
    if (input === '/quitter' || input === '/quit') return false;
    if (input === '/help' || input === '/?') {
      console.log(HELP);
      return true;
    }
    if (input.startsWith('/moi')) {
      const who =
        input.includes('resp') || input.includes('manager') || input.includes('gérant')
          ? 'manager'
          : 'volunteer';
      user = who === 'manager' ? info.demo!.manager : info.demo!.volunteer;
      lastSeq = 0;
      keyboardMessageId = null;
      const res = await getJson<{ result: ChatEvent[] }>(
        `/_fake/chats/${user.id}/events?after=0`,
        telegramUrl,
      );
      lastSeq = res.result.reduce((max, e) => Math.max(max, e.seq), 0);
      console.log(`(vous êtes maintenant ${user.first_name})`);
      return true;
    }
    if (input === '/evaluer') {
      const r = await getJson<{ fired: number; resolved: number; reminders: number; notifications: number }>(
        '/local/evaluate',
        depotUrl,
        { method: 'POST' },
      );
      console.log(
        `(évaluation : ${r.fired} alerte(s) déclenchée(s), ${r.resolved} résolue(s), ${r.reminders} rappel(s), ${r.notifications} notification(s))`,
      );
      await drain(3_000);
      return true;
    }
    if (input === '/outbox') {
      const { messages } = await getJson<{
        messages: { sid: string; to: string; body: string; status: string }[];
      }>('/local/outbox');
      if (messages.length === 0) console.log('(boîte d’envoi WhatsApp vide)');
      for (const m of messages)
        console.log(`whatsapp ${m.to} [${m.status}] ${m.sid}\n  ${m.body.split('\n').join('\n  ')}`);
      return true;
    }
    if (input.startsWith('/wa')) {
      const body = input.slice(3).trim() || 'OK';
      const res = await getJson<{ status: number; reply?: string }>('/local/outbox/reply', depotUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ body }),
      });
      console.log(
        `(réponse WhatsApp « ${body} » envoyée : HTTP ${res.status})${res.reply ? `\nwhatsapp> ${res.reply}` : ''}`,
      );
      await drain(5_000);
      return true;
    }
    if (input.startsWith('/photo')) {
      const [, path, ...caption] = input.split(/\s+/);
      if (!path) {
        console.log('Usage : /photo <fichier> [légende]');
        return true;
      }
      let bytes: Buffer;
      try {
        bytes = await readFile(path);
      } catch (e) {
        console.log(`Impossible de lire ${path} : ${(e as Error).message}`);
        return true;
      }
      const { result } = await getJson<{ result: { file_id: string } }>('/_fake/files', telegramUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: new Uint8Array(bytes),
      });
      await deliver(photoUpdate(user, result.file_id, caption.join(' ') || undefined));
      return true;
    }
    const keyboard = keyboardMessageId !== null ? latest.get(keyboardMessageId) : undefined;
    const buttons = buttonsOf(keyboard);
    const byNumber = /^\d+$/.test(input) ? buttons[Number(input) - 1] : undefined;
    const label = (t: string) =>
      t
        .toLowerCase()
        .replace(/^[^\p{L}\p{N}]+/u, '')
        .trim();
    const byLabel =
      buttons.find((b) => label(b.text) === label(input)) ??
      buttons.find((b) => label(b.text).startsWith(label(input)) && label(input).length >= 3);
    const button = byNumber ?? byLabel;
    if (button && keyboard) {
      await deliver(callbackUpdate(user, button.callback_data!, keyboard));
      return true;
    }
    await deliver(textUpdate(user, input));
    return true;
  }

  console.log(`Connecté à Depot (${depotUrl}) en tant que ${user.first_name}. Tapez /help pour l’aide.`);
  // show what the bot already said to this user
  await drain(800);

  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  const prompt = () => process.stdin.isTTY && rl.prompt();
  rl.setPrompt('vous> ');
  prompt();
  let chain = Promise.resolve(true);
  rl.on('line', (line) => {
    chain = chain.then(async (go) => {
      if (!go) return false;
      try {
        const more = await handle(line);
        if (!more) rl.close();
        else prompt();
        return more;
      } catch (e) {
        console.log(`(erreur : ${(e as Error).message})`);
        prompt();
        return true;
      }
    });
  });
  rl.on('close', () => {
    void chain.then(() => process.exit(0));
  });
}

void main();
