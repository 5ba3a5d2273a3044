import {
  COUNT_QUANTITY_MAX,
  COUNT_WEIGHT_MAX_KG_EXCLUSIVE,
  OUTFLOW_QUANTITY_MAX,
  OUTFLOW_WEIGHT_MAX_KG_EXCLUSIVE,
  PARTNER_NAME_MAX_LENGTH,
  PICKUP_REFERENCE_MAX_LENGTH,
} from '../limits.ts';
import type { StockStream } from '../vocabulary.ts';
import { CHANNEL_STREAMS, type RECORDED_OUTFLOW_CHANNELS } from './record-outflow.ts';
import {
  CHANNEL_WORDS,
  PARTNER_WORDS,
  ECO_ORGANISM_WORDS,
  ECO_ORGANISMS,
  STREAM_WORDS,
  REFERENCE_WORDS,
  APPROX_WORDS,
  QUANTITY_WORDS,
  NUMBER_WORDS,
  type ChannelSpec,
} from './outflow-words-fr.ts';
import {
  type Token,
  QUOTE_MARK,
  tokenize,
  isNumberish,
  isWeightNumber,
  isUnit,
  type Read,
  readWeights,
  readQuantity,
  categoryWordsOf,
  readStreams,
} from './read-outflow-words.ts';

/**
 * What a manager typed after /sortie ("don petits équipements 3", "déchèterie gros équipements 120 kg",
 * "ecosystem PAM 350 kg réf 2026-118") or after /inventaire ("écrans boutique 4"), read into the
 * fields of an outflow or a count. Pure: the category stays words, resolved by the caller.
 */

export type RecordedChannel = (typeof RECORDED_OUTFLOW_CHANNELS)[number];

/** The everyday transfers between streams (DESIGN "Where every kilo goes"). */
export const TRANSFER_KINDS = {
  repaired: { from: 'repair', to: 'shop' },
  unsold: { from: 'shop', to: 'recycling' },
  beyond_repair: { from: 'repair', to: 'recycling' },
} as const satisfies Record<string, { from: StockStream; to: StockStream }>;
export type TransferKind = keyof typeof TRANSFER_KINDS;

/** The stream a channel takes stock from when the manager does not say. */
export const DEFAULT_STREAM: Record<Exclude<RecordedChannel, 'transfer'>, StockStream> = {
  sale: 'shop',
  gift: 'shop',
  partner: 'shop',
  eco_organism: 'recycling',
  waste: 'recycling',
};

export interface OutflowDraft {
  channel: RecordedChannel;
  stream: StockStream;
  /** the manager named the stream (otherwise it is the channel's usual one) */
  streamGiven: boolean;
  toStream?: StockStream;
  /** a transfer said as "réparé", "invendu" or "HS" */
  transferKind?: TransferKind;
  /** words naming the category; empty when none were typed (the caller offers buttons) */
  categoryWords: string;
  quantity?: number;
  weightKg?: number;
  /** false when the weight was said approximately ("environ 120 kg") */
  weightMeasured?: boolean;
  partner?: string;
  ecoOrganism?: string;
  reference?: string;
}

export type WordsProblem =
  | { kind: 'no_channel' }
  | { kind: 'several_channels'; words: string[] }
  | { kind: 'several_streams' }
  | { kind: 'stream_not_allowed'; channel: RecordedChannel; stream: StockStream; transferKind?: TransferKind }
  | { kind: 'transfer_streams' }
  | { kind: 'missing_partner' }
  | { kind: 'missing_eco_organism' }
  | { kind: 'missing_reference' }
  | { kind: 'missing_weight' }
  /** reask: the weight grammar's own re-ask (core/deposits/parse-input.ts) */
  | { kind: 'bad_weight'; reask: string }
  | { kind: 'weight_too_big' }
  | { kind: 'bad_quantity'; typed: string }
  | { kind: 'several_numbers'; numbers: string[] }
  | { kind: 'missing_stream' }
  | { kind: 'missing_count' };

export type ParsedOutflowWords = { ok: true; draft: OutflowDraft } | { ok: false; problem: WordsProblem };

export interface CountDraft {
  categoryWords: string;
  stream: StockStream;
  quantity?: number;
  weightKg?: number;
  weightMeasured?: boolean;
  /** what the manager wrote after the count; null when nothing */
  reason: string | null;
}

export type ParsedCountWords = { ok: true; draft: CountDraft } | { ok: false; problem: WordsProblem };

// ---------------------------------------------------------------------------------------------------
// Outflows

const fail = (problem: WordsProblem) => ({ ok: false as const, problem });

/** "réf 2026-118", "réf. 2026-118", "réf:2026-118", "n° 118", "#118": the pickup's reference. */
function readReference(tokens: Token[]): Read<string | null | undefined> {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const glued = /^(?:r[ée]f(?:[ée]rence)?|n°|#)[.:]?(.+)$/i.exec(t.raw);
    if (glued && /\d/.test(glued[1]!)) {
      t.used = true;
      return { ok: true, value: glued[1]!.slice(0, PICKUP_REFERENCE_MAX_LENGTH) };
    }
    const keyword = REFERENCE_WORDS.has(t.key) || /^n°$/i.test(t.raw) || t.raw === '#';
    if (!keyword) continue;
    const next = tokens[i + 1];
    // "bon" or "ticket" is a reference keyword only before something with a digit
    if ((t.key === 'bon' || t.key === 'ticket') && !(next && /\d/.test(next.raw))) continue;
    t.used = true;
    if (!next || next.used) return { ok: true, value: null };
    next.used = true;
    return { ok: true, value: next.raw.slice(0, PICKUP_REFERENCE_MAX_LENGTH) };
  }
  return { ok: true, value: undefined };
}

/** "partenaire Emmaüs", "partenaire « Secours populaire »", "partenaire Secours populaire : …". */
function readPartner(tokens: Token[], quoted: string | null): string | null | undefined {
  const at = tokens.findIndex((t) => PARTNER_WORDS.has(t.key));
  if (at < 0) return undefined;
  tokens[at]!.used = true;
  let i = at + 1;
  while (tokens[i] && ['a', 'chez', 'pour'].includes(tokens[i]!.key)) tokens[i++]!.used = true;
  const quotedToken = tokens.find((t) => t.key === QUOTE_MARK);
  if (quoted && quotedToken) {
    quotedToken.used = true;
    return quoted.slice(0, PARTNER_NAME_MAX_LENGTH);
  }
  const first = tokens[i];
  if (!first || first.used || isNumberish(first) || STREAM_WORDS.has(first.key)) return null;
  // several words only when a ":" or "," closes the name, within a few words
  let end = i;
  for (let j = i; j < Math.min(tokens.length, i + 5); j++) {
    if (tokens[j]!.ends) {
      end = j;
      break;
    }
  }
  const name = tokens.slice(i, end + 1);
  for (const t of name) t.used = true;
  return name
    .map((t) => t.raw)
    .join(' ')
    .slice(0, PARTNER_NAME_MAX_LENGTH);
}

/** "ecosystem", "Ecologic", "éco-organisme Citeo": the eco-organism, with its usual spelling. */
function readEcoOrganism(tokens: Token[]): string | null | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const known = ECO_ORGANISMS.get(t.key);
    if (known) {
      t.used = true;
      return known;
    }
    if (ECO_ORGANISM_WORDS.has(t.key)) {
      t.used = true;
      const next = tokens[i + 1];
      if (!next || next.used || isNumberish(next)) return null;
      next.used = true;
      return ECO_ORGANISMS.get(next.key) ?? next.raw;
    }
  }
  return undefined;
}

/** The words after /sortie, read into an outflow; the category stays words (categoryWords). */
export function parseOutflowWords(text: string): ParsedOutflowWords {
  const { tokens, quoted } = tokenize(text);

  const partner = readPartner(tokens, quoted);
  const ecoOrganism = partner === undefined ? readEcoOrganism(tokens) : undefined;
  const reference = readReference(tokens);
  if (!reference.ok) return reference;

  const specs: { spec: ChannelSpec; raw: string }[] = [];
  if (partner !== undefined) specs.push({ spec: { channel: 'partner' }, raw: 'partenaire' });
  if (ecoOrganism !== undefined) specs.push({ spec: { channel: 'eco_organism' }, raw: ecoOrganism ?? '' });
  for (const t of tokens) {
    const spec = t.used ? undefined : CHANNEL_WORDS.get(t.key);
    if (!spec) continue;
    t.used = true;
    const same = specs.some(
      (s) =>
        s.spec.channel === spec.channel &&
        (s.spec.channel !== 'transfer' ||
          (spec.channel === 'transfer' && s.spec.transferKind === spec.transferKind)),
    );
    if (!same) specs.push({ spec, raw: t.raw });
  }
  if (specs.length === 0) return fail({ kind: 'no_channel' });
  if (specs.length > 1) return fail({ kind: 'several_channels', words: specs.map((s) => s.raw) });
  const spec = specs[0]!.spec;

  const weights = readWeights(tokens, OUTFLOW_WEIGHT_MAX_KG_EXCLUSIVE);
  if (!weights.ok) return weights;
  const streams = readStreams(tokens);
  const quantity = readQuantity(tokens, OUTFLOW_QUANTITY_MAX, 1);
  if (!quantity.ok) return quantity;

  const draft: OutflowDraft = {
    channel: spec.channel,
    stream: 'shop',
    streamGiven: streams.length > 0,
    categoryWords: categoryWordsOf(tokens),
  };
  if (spec.channel === 'transfer') {
    if (spec.transferKind) {
      const { from, to } = TRANSFER_KINDS[spec.transferKind];
      const other = streams.find((s) => s !== from && s !== to);
      if (other) {
        return fail({
          kind: 'stream_not_allowed',
          channel: 'transfer',
          stream: other,
          transferKind: spec.transferKind,
        });
      }
      Object.assign(draft, { stream: from, toStream: to, transferKind: spec.transferKind });
    } else {
      if (streams.length !== 2) return fail({ kind: 'transfer_streams' });
      Object.assign(draft, { stream: streams[0], toStream: streams[1] });
    }
  } else {
    if (streams.length > 1) return fail({ kind: 'several_streams' });
    const stream = streams[0] ?? DEFAULT_STREAM[spec.channel];
    if (!CHANNEL_STREAMS[spec.channel].includes(stream)) {
      return fail({ kind: 'stream_not_allowed', channel: spec.channel, stream });
    }
    draft.stream = stream;
  }

  if (partner === null) return fail({ kind: 'missing_partner' });
  if (partner) draft.partner = partner;
  if (ecoOrganism) draft.ecoOrganism = ecoOrganism;
  if (reference.value === null) return fail({ kind: 'missing_reference' });
  if (reference.value !== undefined) draft.reference = reference.value;
  if (spec.channel === 'eco_organism') {
    if (ecoOrganism === null) return fail({ kind: 'missing_eco_organism' });
    if (!weights.value) return fail({ kind: 'missing_weight' });
    if (draft.reference === undefined) return fail({ kind: 'missing_reference' });
  }

  if (quantity.value !== null) draft.quantity = quantity.value;
  if (weights.value) {
    draft.weightKg = weights.value.kg;
    draft.weightMeasured = !weights.value.approx;
  }
  // one item when nothing is counted, as /vente does; a sale always counts its items
  if (draft.quantity === undefined && (draft.weightKg === undefined || spec.channel === 'sale')) {
    draft.quantity = 1;
  }
  return { ok: true, draft };
}

// ---------------------------------------------------------------------------------------------------
// Counts

/**
 * The words after /inventaire: the category, its stream, the count (items, kg or both), then an
 * optional reason: "écrans boutique 4", "petits équipements recyclage 230 kg casse constatée".
 */
export function parseCountWords(text: string): ParsedCountWords {
  const { tokens: all, quoted } = tokenize(text);
  // the count starts at the first number; the reason is what follows the count
  const start = all.findIndex((t) => isWeightNumber(t) && !NUMBER_WORDS.has(t.key));
  if (start < 0) {
    const streams = readStreams(all);
    return fail(streams.length === 0 ? { kind: 'missing_stream' } : { kind: 'missing_count' });
  }
  let end = start;
  while (end < all.length) {
    const t = all[end]!;
    if (
      isWeightNumber(t) ||
      isUnit(t) ||
      QUANTITY_WORDS.has(t.key) ||
      APPROX_WORDS.has(t.key) ||
      t.key === 'et'
    )
      end++;
    else break;
  }
  const head = all.slice(0, end);
  const streams = readStreams(head.slice(0, start));
  if (streams.length === 0) return fail({ kind: 'missing_stream' });
  if (streams.length > 1) return fail({ kind: 'several_streams' });
  for (const t of head) if (t.key === 'et') t.used = true;
  const weights = readWeights(head, COUNT_WEIGHT_MAX_KG_EXCLUSIVE);
  if (!weights.ok) return weights;
  const quantity = readQuantity(head, COUNT_QUANTITY_MAX, 0);
  if (!quantity.ok) return quantity;
  if (quantity.value === null && !weights.value) return fail({ kind: 'missing_count' });

  const reason = all
    .slice(end)
    .map((t) => (t.key === QUOTE_MARK ? (quoted ?? '') : t.raw))
    .join(' ')
    .replace(/^\s*(?:raison|motif|car|parce que)\s*/i, '')
    .trim();
  const draft: CountDraft = {
    categoryWords: categoryWordsOf(head),
    stream: streams[0]!,
    reason: reason || null,
  };
  if (quantity.value !== null) draft.quantity = quantity.value;
  if (weights.value) {
    draft.weightKg = weights.value.kg;
    draft.weightMeasured = !weights.value.approx;
  }
  return { ok: true, draft };
}
