/**
 * npm run bench:latency [-- rounds=150]
 * Latency of the deposit conversation through the webhook (POST /telegram/webhook: secret check,
 * update_id claim, per-chat Redis lock, user lookup, Redis session, replies to the local fake Bot API),
 * with the offline classifier, measured in one run against the webhook answering /aide:
 *  - text → proposal, and tap Valider → saved, p50 / p95, as ratios of /aide's (target: p95 within 5×);
 *  - an album of 5 photos → proposal against a single photo → proposal (target: within 2×). The album
 *    waits for its parts to stop arriving (the debounce window) before it is classified: that wait is
 *    reported on its own and taken out of the comparison;
 *  - the same photo comparison with the local fake Claude, where every photo is downloaded and resized;
 *  - 100 concurrent taps on one Valider: the slowest answer, and how many deposits they made.
 * Needs the local PostgreSQL and Redis.
 */
import sharp from 'sharp';
import { createBotHarness, type BotHarness, type HarnessUser } from '../tests/helpers/bot-harness.ts';
import { createFakeAnthropic } from '../local/anthropic.ts';
import { callbackUpdate, photoUpdate, type Json } from '../local/telegram-bot-api.ts';

const rounds = Number(process.argv[2] ?? 150);
const ALBUM_WINDOW_MS = 800;

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const ms = (x: number) => `${x.toFixed(1).padStart(7)} ms`;

async function timed(fn: () => Promise<{ status: number }>): Promise<number> {
  const t = performance.now();
  const r = await fn();
  const elapsed = performance.now() - t;
  if (r.status !== 200) throw new Error(`webhook answered ${r.status}`);
  return elapsed;
}

/** A 1280×960 JPEG of about 200 kB, like the largest size Telegram keeps of a phone photo. */
async function photoBytes(seed: number): Promise<Buffer> {
  const w = 1280;
  const h = 960;
  const raw = Buffer.alloc(w * h * 3);
  let x = seed;
  for (let i = 0; i < raw.length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    raw[i] = (x >> 16) & 0xff;
  }
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .blur(2)
    .jpeg({ quality: 85 })
    .toBuffer();
}

function report(label: string, xs: number[], base?: number[]) {
  const ratio = base
    ? `   p50 ×${(pct(xs, 0.5) / pct(base, 0.5)).toFixed(2)}, p95 ×${(pct(xs, 0.95) / pct(base, 0.95)).toFixed(2)}`
    : '';
  console.log(`${label.padEnd(44)} p50 ${ms(pct(xs, 0.5))}   p95 ${ms(pct(xs, 0.95))}${ratio}`);
}

async function photoSection(h: BotHarness, user: HarnessUser, photos: Buffer[], n: number) {
  const single: number[] = [];
  const albumRaw: number[] = [];
  const send = (bytes: Buffer, caption?: string, groupId?: string) => {
    const file = h.fake.addFile(bytes);
    const u = photoUpdate(user, file.file_id, caption) as { message: Json };
    if (groupId) u.message.media_group_id = groupId;
    return h.post(u);
  };
  for (let i = 0; i < n; i++) {
    single.push(await timed(() => send(photos[0]!, 'grille-pain')));
    await h.sendText(user, '/annuler');
    const groupId = `bench-${i}-${Math.random().toString(36).slice(2)}`;
    const t = performance.now();
    const parts = await Promise.all(
      photos.map((p, k) => send(p, k === 0 ? 'grille-pain' : undefined, groupId)),
    );
    albumRaw.push(performance.now() - t);
    const proposals = parts.flatMap((r) => r.replies);
    if (proposals.length !== 1 || !/📷 5 photos/.test(proposals[0]!.text ?? '')) {
      throw new Error(
        `album: expected one proposal with 5 photos, got ${proposals.map((m) => m.text).join(' | ')}`,
      );
    }
    await h.sendText(user, '/annuler');
  }
  const album = albumRaw.map((x) => x - ALBUM_WINDOW_MS);
  return { single, albumRaw, album };
}

const photos = await Promise.all([1, 2, 3, 4, 5].map(photoBytes));

// --- offline classifier -------------------------------------------------------------------------
const h = await createBotHarness({ processor: { albums: { windowMs: ALBUM_WINDOW_MS } } });
const site = await h.createSite('Bench');
const user = await h.createUser(site.id);

const aide: number[] = [];
const proposal: number[] = [];
const saved: number[] = [];
const ITEMS = [
  'grille-pain Moulinex',
  'bouilloire Philips',
  'micro-ondes Samsung 12 kg',
  'radio Sony HS',
  'lampe de bureau',
];

// warm-up
for (let i = 0; i < 10; i++) {
  await h.sendText(user, '/aide');
  await h.sendText(user, ITEMS[i % ITEMS.length]!);
  await h.tapButton(user, '✅ Valider');
}
for (let i = 0; i < rounds; i++) {
  aide.push(await timed(() => h.sendText(user, '/aide')));
  proposal.push(await timed(() => h.sendText(user, ITEMS[i % ITEMS.length]!)));
  saved.push(
    await timed(async () => {
      const r = await h.tapButton(user, '✅ Valider');
      if (!r.replies.some((m) => /Dépôt n°\d+ enregistré/.test(m.text ?? ''))) throw new Error('not saved');
      return r;
    }),
  );
}
console.log(`Deposit conversation through the webhook, offline classifier, ${rounds} rounds (sequential)`);
report('/aide (baseline)', aide);
report('text → proposal', proposal, aide);
report('tap Valider → saved', saved, aide);
const textRatio = pct(proposal, 0.95) / pct(aide, 0.95);
const tapRatio = pct(saved, 0.95) / pct(aide, 0.95);
console.log(
  `target p95 within 5× of /aide: text → proposal ${textRatio <= 5 ? 'met' : 'MISSED'} (×${textRatio.toFixed(2)}), ` +
    `tap → saved ${tapRatio <= 5 ? 'met' : 'MISSED'} (×${tapRatio.toFixed(2)})`,
);

const photoRounds = Math.max(20, Math.round(rounds / 2));
const offline = await photoSection(h, user, photos, photoRounds);
console.log(
  `\nPhotos, offline classifier (photos are not downloaded: nothing would look at them), ${photoRounds} rounds`,
);
report('1 photo → proposal', offline.single);
report(`album of 5 → proposal, raw (incl. ${ALBUM_WINDOW_MS} ms window)`, offline.albumRaw);
report('album of 5 → proposal, minus the window', offline.album, offline.single);

// 100 concurrent taps on one Valider
const cafetiere = (await h.sendText(user, 'cafetière Krups')).replies.at(-1)!;
const valider = h
  .buttonsOf(cafetiere)
  .flat()
  .find((b) => b.text === '✅ Valider')!.data;
const taps = await Promise.all(
  Array.from({ length: 100 }, () => timed(() => h.post(callbackUpdate(user, valider, cafetiere)))),
);
const [row] = await h.db.sql<{ count: number }[]>`
  select count(*)::int as count from deposits where item_name ilike 'cafeti%' and site_id = ${site.id}`;
console.log(
  `\n100 concurrent taps on one Valider: ${row!.count} deposit(s), p50 ${ms(pct(taps, 0.5))}, slowest ${ms(Math.max(...taps))}`,
);
await h.close();

// --- the local fake Claude: every photo downloaded and resized -----------------------------------
const claude = await createFakeAnthropic({ apiKey: 'sk-ant-bench' });
const hc = await createBotHarness({
  processor: { albums: { windowMs: ALBUM_WINDOW_MS } },
  config: { ANTHROPIC_API_KEY: 'sk-ant-bench', ANTHROPIC_BASE_URL: claude.url },
});
const siteC = await hc.createSite('Bench Claude');
const userC = await hc.createUser(siteC.id);
await photoSection(hc, userC, photos, 2); // warm-up
const withClaude = await photoSection(hc, userC, photos, photoRounds);
console.log(
  `\nPhotos with the local fake Claude (each photo downloaded, resized, sent), ${photoRounds} rounds`,
);
report('1 photo → proposal', withClaude.single);
report('album of 5 → proposal, minus the window', withClaude.album, withClaude.single);
const albumRatio = pct(offline.album, 0.95) / pct(offline.single, 0.95);
const albumRatioClaude = pct(withClaude.album, 0.95) / pct(withClaude.single, 0.95);
console.log(
  `target album within 2× of a single photo (p95, window excluded): offline ${albumRatio <= 2 ? 'met' : 'MISSED'} ` +
    `(×${albumRatio.toFixed(2)}), with fake Claude ${albumRatioClaude <= 2 ? 'met' : 'MISSED'} (×${albumRatioClaude.toFixed(2)})`,
);
await hc.close();
await claude.close();
