import { pino } from 'pino';
import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../core/alerts/evaluate.ts';
import { createManualClock } from '../../core/clients/clock.ts';
import { createNotificationSender } from '../../core/notifications/send.ts';
import { createFakeAnthropic, type FakeAnthropic } from '../../local/anthropic.ts';
import { documentUpdate, photoUpdate, type BotMessage, type Json } from '../../local/telegram-bot-api.ts';
import { makeRule, setLevel } from '../helpers/alert-fixtures.ts';
import { createBotHarness, type BotHarness, type HarnessUser } from '../helpers/bot-harness.ts';

const clock = createManualClock('2026-03-02T09:00:00Z');
let h: BotHarness;
let claude: FakeAnthropic;
let site: { id: number; name: string };
let alice: HarnessUser;
let jpeg: Buffer;

const item = (over: Record<string, unknown> = {}) => ({
  categoryCode: 'small_equipment',
  itemName: 'Grille-pain',
  quantity: 1,
  weightKg: 1.5,
  condition: 'working',
  destination: 'shop',
  confidence: 0.93,
  alternatives: [],
  ...over,
});

const labels = (m: BotMessage | undefined) =>
  h
    .buttonsOf(m)
    .flat()
    .map((b) => b.text);

async function deposits() {
  return h.db.sql<
    {
      itemName: string;
      weightKg: number;
      quantity: number;
      photoFileId: string | null;
      photoFileIds: string[];
    }[]
  >`select item_name, weight_kg, quantity, photo_file_id, photo_file_ids
      from deposits where site_id = ${site.id} order by id`;
}

/** Sends the photos of one album the way Telegram does: one update each, all at once. */
async function sendAlbum(user: HarnessUser, count: number, caption?: string) {
  const groupId = `album-${Math.random().toString(36).slice(2)}`;
  const files = Array.from({ length: count }, () => h.fake.addFile(jpeg));
  const updates = files.map((f, i) => {
    const u = photoUpdate(user, f.file_id, i === 0 ? caption : undefined) as { message: Json };
    u.message.media_group_id = groupId;
    return u;
  });
  const results = await Promise.all(updates.map((u) => h.post(u)));
  return { files, results, replies: results.flatMap((r) => r.replies) };
}

const userTextOfLastCall = () => JSON.stringify(claude.calls.at(-1)!.body!.messages.at(-1)!.content);

const imagesSentToClaude = () =>
  (claude.calls.at(-1)!.body!.messages.at(-1)!.content as { type: string }[]).filter(
    (b) => b.type === 'image',
  ).length;

beforeAll(async () => {
  jpeg = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#888' } })
    .jpeg()
    .toBuffer();
  claude = await createFakeAnthropic({ apiKey: 'sk-ant-test' });
  h = await createBotHarness({
    clock,
    config: { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: claude.url },
  });
  site = await h.createSite('Ressourcerie des Lilas');
  alice = await h.createUser(site.id, { firstName: 'Alice' });
});

afterAll(async () => {
  await h?.close();
  await claude?.close();
});

beforeEach(async () => {
  claude.reset();
  await h.sendText(alice, '/annuler');
});

describe('the next item never waits for the previous one', () => {
  it('five items sent, then validated in reverse order: five deposits with the right names and weights', async () => {
    const before = (await deposits()).length;
    const names = [
      'Grille-pain',
      'Bouilloire Philips',
      'Micro-ondes Samsung',
      'Lampe de bureau',
      'Radio Sony',
    ];
    const proposals: BotMessage[] = [];
    for (const [i, name] of names.entries()) {
      claude.enqueue({ items: [item({ itemName: name, weightKg: i + 1 })] });
      const sent = await h.sendText(alice, name.toLowerCase());
      expect(sent.replies.map((m) => m.text).join('\n')).not.toMatch(/déjà en cours/);
      proposals.push(sent.replies.at(-1)!);
    }
    // each proposal has its own message and buttons naming it
    const valider = proposals.map(
      (p) =>
        h
          .buttonsOf(p)
          .flat()
          .find((b) => b.text === '✅ Valider')!.data,
    );
    expect(new Set(valider).size).toBe(5);
    for (const data of valider) expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);

    const toasts: string[] = [];
    for (const p of [...proposals].reverse()) {
      const tap = await h.tapButton(alice, '✅ Valider', { messageId: p.message_id });
      expect(tap.replies.at(-1)!.text).toMatch(/Dépôt n°\d+ enregistré/);
      toasts.push(...tap.callbackAnswers);
    }
    expect(toasts).toEqual([
      'Dépôt enregistré ✅ — encore 4 à valider',
      'Dépôt enregistré ✅ — encore 3 à valider',
      'Dépôt enregistré ✅ — encore 2 à valider',
      'Dépôt enregistré ✅ — encore 1 à valider',
      'Dépôt enregistré ✅',
    ]);
    const rows = (await deposits()).slice(before);
    expect(rows.map((r) => [r.itemName, r.weightKg])).toEqual(
      names.map((n, i) => [n, i + 1] as const).reverse(),
    );
  });

  it('"bouilloire Philips 1,4 kg" while "micro-ondes Samsung" is open: two proposals, the microwave untouched; a correction goes to the latest and says so', async () => {
    const before = (await deposits()).length;
    claude.enqueue({ items: [item({ itemName: 'Micro-ondes Samsung', weightKg: 12 })] });
    const microwave = (await h.sendText(alice, 'micro-ondes Samsung')).replies.at(-1)!;
    claude.enqueue({ items: [item({ itemName: 'Bouilloire Philips', weightKg: 1.4 })] });
    const kettle = await h.sendText(alice, 'bouilloire Philips 1,4 kg');
    expect(kettle.replies).toHaveLength(1);
    expect(kettle.replies[0]!.message_id).not.toBe(microwave.message_id);
    expect(kettle.replies[0]!.text).toContain('Bouilloire Philips');
    expect(h.fake.messagesTo(alice.id).find((m) => m.message_id === microwave.message_id)).toEqual(microwave);

    const typed = await h.sendText(alice, '2 kg');
    expect(typed.replies.at(-1)!.text).toContain('Pour « Bouilloire Philips » :');
    expect(typed.replies.at(-1)!.text).toContain('Poids : 2 kg ✔️');

    // "⚖️ Poids" on the older proposal: the weight typed next answers that one
    const asked = await h.tapButton(alice, '⚖️ Poids', { messageId: microwave.message_id });
    expect(asked.replies.at(-1)!.text).toMatch(/Quel poids pour « Micro-ondes Samsung »/);
    const answered = await h.sendText(alice, '11 kg');
    expect(answered.replies.at(-1)!.text).toContain('Pour « Micro-ondes Samsung » :');
    expect(answered.replies.at(-1)!.text).toContain('Poids : 11 kg ✔️');

    await h.tapButton(alice, '✅ Valider', { messageId: answered.replies.at(-1)!.message_id });
    const saved = await h.tapButton(alice, '✅ Valider', { messageId: typed.replies.at(-1)!.message_id });
    expect(saved.callbackAnswers).toEqual(['Dépôt enregistré ✅']);
    expect((await deposits()).slice(before).map((r) => [r.itemName, r.weightKg])).toEqual([
      ['Micro-ondes Samsung', 11],
      ['Bouilloire Philips', 2],
    ]);
  });

  it('a weight written with the item is what the volunteer weighed; a washing machine\'s "8 kg" is its load', async () => {
    const before = (await deposits()).length;
    claude.enqueue({ items: [item({ itemName: 'Bouilloire Philips', weightKg: 2 })] });
    const kettle = (await h.sendText(alice, 'bouilloire Philips 1,4 kg')).replies.at(-1)!;
    expect(kettle.text).toContain('Poids : 1,4 kg (pesé)');
    claude.enqueue({
      items: [item({ itemName: 'Lave-linge Bosch', categoryCode: 'large_equipment', weightKg: 65 })],
    });
    const washer = (await h.sendText(alice, 'lave-linge Bosch 8 kg')).replies.at(-1)!;
    expect(washer.text).toContain('Poids : 65 kg (estimé)');
    await h.tapButton(alice, '✅ Valider', { messageId: kettle.message_id });
    await h.tapButton(alice, '✅ Valider', { messageId: washer.message_id });
    const rows = await h.db.sql<{ itemName: string; weightKg: number; weightMeasured: boolean }[]>`
      select item_name, weight_kg, weight_measured from deposits where site_id = ${site.id} order by id`;
    expect(rows.slice(before).map((r) => [r.itemName, r.weightKg, r.weightMeasured])).toEqual([
      ['Bouilloire Philips', 1.4, true],
      ['Lave-linge Bosch', 65, false],
    ]);
  });

  it('/annuler says what it dropped, each open proposal by name', async () => {
    claude.enqueue({ items: [item({ itemName: 'Micro-ondes Samsung' })] });
    await h.sendText(alice, 'micro-ondes Samsung');
    claude.enqueue({ items: [item({ itemName: 'Bouilloire Philips' })] });
    const kettle = (await h.sendText(alice, 'bouilloire Philips')).replies.at(-1)!;
    const dropped = await h.sendText(alice, '/annuler');
    expect(dropped.replies.at(-1)!.text).toBe(
      '2 dépôts abandonnés : « Micro-ondes Samsung », « Bouilloire Philips ». Rien n’a été enregistré. ' +
        'Envoyez une photo ou décrivez un objet pour recommencer.',
    );
    const late = await h.tapButton(alice, '✅ Valider', { messageId: kettle.message_id });
    expect(late.callbackAnswers).toEqual(['Ce dépôt a été abandonné.']);
    expect((await h.sendText(alice, '/annuler')).replies.at(-1)!.text).toMatch(/Aucun dépôt en cours/);
  });

  it('a chat keeps at most 10 open proposals and says so kindly, losing none of them', async () => {
    for (let i = 0; i < 10; i++) await h.sendText(alice, `grille-pain ${i + 1}`);
    const eleventh = await h.sendText(alice, 'bouilloire');
    expect(eleventh.replies.at(-1)!.text).toMatch(/10 objets attendent déjà d’être validés/);
    const dropped = await h.sendText(alice, '/annuler');
    expect(dropped.replies.at(-1)!.text).toMatch(/^10 dépôts abandonnés/);
  });
});

describe('albums', () => {
  it('3 photos captioned "grille-pain" are one item with 3 photos, and Claude sees all 3', async () => {
    const before = (await deposits()).length;
    claude.enqueue({ items: [item({ itemName: 'Grille-pain Moulinex', weightKg: 1.8 })] });
    const album = await sendAlbum(alice, 3, 'grille-pain');
    expect(album.results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(album.replies).toHaveLength(1);
    expect(album.replies[0]!.text).toContain('Grille-pain Moulinex');
    expect(album.replies[0]!.text).toContain('📷 3 photos');
    expect(claude.calls).toHaveLength(1);
    expect(imagesSentToClaude()).toBe(3);

    await h.tapButton(alice, '✅ Valider');
    const [row] = (await deposits()).slice(before);
    expect(row).toMatchObject({ itemName: 'Grille-pain Moulinex', photoFileId: album.files[0]!.file_id });
    expect(row!.photoFileIds).toEqual(album.files.map((f) => f.file_id));
  });

  it('"3 lampes" on an album is one line of quantity 3 (same item ×3); "une bouilloire et un grille-pain" two items', async () => {
    const lamps = await sendAlbum(alice, 3, '3 lampes');
    expect(lamps.replies).toHaveLength(1);
    expect(lamps.replies[0]!.text).toMatch(/Quantité : 3/);
    expect(imagesSentToClaude()).toBe(3);

    const two = await sendAlbum(alice, 2, 'une bouilloire et un grille-pain');
    expect(two.replies).toHaveLength(1);
    expect(two.replies[0]!.text).toMatch(/J’ai compris 2 objets/);
    expect(two.replies[0]!.text).toContain('Objet 1/2');
  });

  it('an album without caption is still one proposal, never a refusal of the second photo', async () => {
    const album = await sendAlbum(alice, 2);
    expect(album.replies).toHaveLength(1);
    expect(album.replies.map((m) => m.text).join('\n')).not.toMatch(/déjà en cours|pas compris/);
    expect(imagesSentToClaude()).toBe(2);
  });
});

describe('stale and repeated taps are cheap', () => {
  it('a tap on an already-handled button: one answerCbQuery, no edit', async () => {
    claude.enqueue({ items: [item({ itemName: 'Cafetière', weightKg: 1 })] });
    await h.sendText(alice, 'cafetière');
    const proposal = h.lastReplies(alice.id)[0]!;
    await h.tapButton(alice, '✅ Valider');
    const edits = h.fake.callsOf('editMessageText').length + h.fake.callsOf('editMessageReplyMarkup').length;
    const answers = h.fake.callsOf('answerCallbackQuery').length;

    const stale = await h.post({
      callback_query: {
        id: `${alice.id}:stale`,
        from: alice,
        chat_instance: '1',
        data: h
          .buttonsOf(proposal)
          .flat()
          .find((b) => b.text === '✅ Valider')!.data,
        message: proposal,
      },
    });
    expect(stale.callbackAnswers).toEqual(['Déjà enregistré ✅']);
    expect(stale.replies).toEqual([]);
    expect(h.fake.callsOf('answerCallbackQuery').length).toBe(answers + 1);
    expect(h.fake.callsOf('editMessageText').length + h.fake.callsOf('editMessageReplyMarkup').length).toBe(
      edits,
    );
  });

  it('100 concurrent taps on the same Valider: exactly one deposit, one edit, every tap answered, no error logged', async () => {
    const errors: string[] = [];
    const logger = h.deps.logger;
    h.deps.logger = pino({ level: 'error' }, { write: (line: string) => void errors.push(line) });
    try {
      const before = (await deposits()).length;
      claude.enqueue({ items: [item({ itemName: 'Radio Philips', weightKg: 2 })] });
      await h.sendText(alice, 'radio philips');
      const edits = h.fake.callsOf('editMessageText').length;
      const markups = h.fake.callsOf('editMessageReplyMarkup').length;
      const answers = h.fake.callsOf('answerCallbackQuery').length;
      const taps = await Promise.all(Array.from({ length: 100 }, () => h.tapButton(alice, '✅ Valider')));
      expect(taps.every((t) => t.status === 200)).toBe(true);
      expect((await deposits()).slice(before).map((r) => r.itemName)).toEqual(['Radio Philips']);
      expect(h.fake.callsOf('editMessageText').length - edits).toBe(1);
      expect(h.fake.callsOf('editMessageReplyMarkup').length - markups).toBe(0);
      const answered = h.fake.callsOf('answerCallbackQuery').slice(answers);
      expect(answered).toHaveLength(100);
      expect(answered.filter((c) => c.params.text === 'Dépôt enregistré ✅')).toHaveLength(1);
      expect(errors).toEqual([]);
    } finally {
      h.deps.logger = logger;
    }
  });
});

describe('voice messages and documents', () => {
  const message = (extra: Json): Json => ({
    message: {
      message_id: Math.floor(Math.random() * 1e6),
      from: { is_bot: false, ...alice },
      chat: { id: alice.id, type: 'private', first_name: alice.first_name },
      date: Math.floor(Date.now() / 1000),
      ...extra,
    },
  });

  it('get a short, kind answer saying what to send instead, and start nothing', async () => {
    const voice = await h.post(
      message({ voice: { file_id: 'voice-1', file_unique_id: 'v1', duration: 4, mime_type: 'audio/ogg' } }),
    );
    const document = await h.post(
      message({
        document: {
          file_id: 'doc-1',
          file_unique_id: 'd1',
          file_name: 'facture.pdf',
          mime_type: 'application/pdf',
        },
      }),
    );
    for (const r of [voice, document]) {
      expect(r.status).toBe(200);
      expect(r.replies.map((m) => m.text)).toEqual([
        "Je ne sais lire que du texte et des photos. Envoyez une photo de l'objet ou décrivez-le en quelques mots.",
      ]);
    }
    expect(claude.calls).toHaveLength(0);
    expect((await h.sendText(alice, '/annuler')).replies.at(-1)!.text).toMatch(/Aucun dépôt en cours/);
  });
});

describe('images sent as documents (uncompressed photos)', () => {
  it.each([
    ['image/jpeg', 'jpeg'],
    ['image/png', 'png'],
    ['image/webp', 'webp'],
  ] as const)(
    '%s counts as a photo: caption as text, Claude sees it, the deposit keeps it',
    async (mimeType, format) => {
      const before = (await deposits()).length;
      const file = h.fake.addFile(await sharp(jpeg).toFormat(format).toBuffer());
      claude.enqueue({ items: [item({ itemName: 'Grille-pain Moulinex' })] });
      const r = await h.post(documentUpdate(alice, file.file_id, { mimeType, caption: 'grille-pain' }));
      expect(r.replies.at(-1)!.text).toContain('Grille-pain Moulinex');
      expect(r.replies.map((m) => m.text).join('\n')).not.toMatch(/Je ne sais lire/);
      expect(imagesSentToClaude()).toBe(1);
      expect(userTextOfLastCall()).toContain('grille-pain');
      await h.tapButton(alice, '✅ Valider');
      const [row] = (await deposits()).slice(before);
      expect(row).toMatchObject({ itemName: 'Grille-pain Moulinex', photoFileId: file.file_id });
    },
  );

  it('a HEIC document is a photo too: kept on the deposit, its caption decides', async () => {
    const file = h.fake.addFile(Buffer.from('not-decodable-heic'));
    claude.enqueue({ items: [item({ itemName: 'Bouilloire' })] });
    const r = await h.post(
      documentUpdate(alice, file.file_id, {
        mimeType: 'image/heic',
        fileName: 'IMG_2.HEIC',
        caption: 'bouilloire',
      }),
    );
    expect(r.replies.at(-1)!.text).toContain('Bouilloire');
    expect(userTextOfLastCall()).toContain('bouilloire');
    const before = (await deposits()).length;
    await h.tapButton(alice, '✅ Valider');
    const [row] = (await deposits()).slice(before);
    expect(row).toMatchObject({ itemName: 'Bouilloire', photoFileId: file.file_id });
  });

  it('an album of image documents is one proposal with every photo', async () => {
    const groupId = `docs-${Math.random().toString(36).slice(2)}`;
    const files = [h.fake.addFile(jpeg), h.fake.addFile(jpeg)];
    claude.enqueue({ items: [item({ itemName: 'Lampe de bureau' })] });
    const updates = files.map((f, i) => {
      const u = documentUpdate(alice, f.file_id, i === 0 ? { caption: 'lampe' } : {}) as { message: Json };
      u.message.media_group_id = groupId;
      return u;
    });
    const results = await Promise.all(updates.map((u) => h.post(u)));
    const replies = results.flatMap((r) => r.replies);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toContain('Lampe de bureau');
    expect(replies[0]!.text).toContain('📷 2 photos');
    expect(imagesSentToClaude()).toBe(2);
  });

  it('an image document over 20 MB gets a kind answer and starts nothing', async () => {
    const r = await h.post(
      documentUpdate(alice, 'too-big', {
        mimeType: 'image/jpeg',
        fileSize: 25 * 1024 * 1024,
        caption: 'frigo',
      }),
    );
    expect(r.replies.map((m) => m.text)).toEqual([
      'Cette image est trop lourde pour moi (20 Mo au plus). Envoyez-la comme photo (compressée), ou décrivez l’objet en quelques mots.',
    ]);
    expect(claude.calls).toHaveLength(0);
  });
});

describe('alerts answered where they arrive (Telegram)', () => {
  async function alertSentOnTelegram(categories: string[]) {
    const s = await h.createSite(`Ressourcerie ${Math.random().toString(36).slice(2, 7)}`);
    const manager = await h.createUser(s.id, { role: 'manager', firstName: 'Maud' });
    await makeRule(h.deps.sql, s.id, { kind: 'low_stock', threshold: 5 });
    for (const code of categories)
      await setLevel(h.deps.sql, s.id, code, 'shop', { quantity: 2, weightKg: 1 });
    const { notificationIds } = await evaluateAlerts(h.deps, { siteId: s.id });
    expect(notificationIds).toHaveLength(1);
    const sender = createNotificationSender({ ...h.deps, whatsapp: null, telegram: h.deps.telegram });
    await sender.send(notificationIds[0]!, { finalAttempt: false });
    const alerts = await h.deps.sql<
      { id: number }[]
    >`select id from alerts where site_id = ${s.id} order by id`;
    return { manager, alertIds: alerts.map((a) => a.id), message: h.lastReplies(manager.id)[0]! };
  }

  const acknowledged = async (alertIds: number[]) =>
    (
      await h.deps.sql<{ acknowledgedAt: Date | null }[]>`
      select acknowledged_at from alerts where id = any(${alertIds}::bigint[]) order by id`
    ).map((a) => a.acknowledgedAt !== null);

  it('comes with Acquitter / Silence 24 h and no "Répondez OK"; Acquitter acknowledges it', async () => {
    const { manager, alertIds, message } = await alertSentOnTelegram(['lamps']);
    expect(message.text).toContain('Stock bas');
    expect(message.text).not.toMatch(/Répondez OK/);
    expect(labels(message)).toEqual(['✅ Acquitter', '🔕 Silence 24 h']);
    const tap = await h.tapButton(manager, '✅ Acquitter');
    expect(tap.callbackAnswers).toEqual(['Alerte acquittée ✅ Plus de rappel pour celle-ci.']);
    expect(await acknowledged(alertIds)).toEqual([true]);
  });

  it('several alerts in one message: "Tout acquitter" acknowledges them all', async () => {
    const { manager, alertIds, message } = await alertSentOnTelegram(['lamps', 'screens']);
    expect(labels(message)).toEqual(['✅ Tout acquitter', '🔕 Tout en silence 24 h']);
    await h.tapButton(manager, '✅ Tout acquitter');
    expect(await acknowledged(alertIds)).toEqual([true, true]);
  });

  it('"Ok 👍" typed right after an alert acknowledges it and starts no deposit; later, "ok" is just text', async () => {
    const { manager, alertIds } = await alertSentOnTelegram(['lamps']);
    clock.advance(10 * 60_000);
    const ok = await h.sendText(manager, 'Ok 👍');
    expect(ok.replies.map((m) => m.text)).toEqual(["C'est noté ✅ Alerte acquittée, plus de rappel."]);
    expect(await acknowledged(alertIds)).toEqual([true]);
    expect(claude.calls).toHaveLength(0);
    expect((await h.sendText(manager, '/annuler')).replies.at(-1)!.text).toMatch(/Aucun dépôt en cours/);

    const later = await alertSentOnTelegram(['screens']);
    clock.advance(31 * 60_000);
    await h.sendText(later.manager, 'ok');
    expect(await acknowledged(later.alertIds)).toEqual([false]);
  });
});
