import type { Clock } from '../clients/clock.ts';
import type { Logger } from '../logger.ts';
import type { Sql } from '../../db/client.ts';
import { fromWhatsAppAddress } from '../clients/whatsapp.ts';
import {
  acknowledgeAlertsFromReply,
  findUserByWhatsAppNumber,
  logInboundMessage,
  optOutWhatsApp,
  touchWhatsAppInbound,
} from '../../db/queries/whatsapp-inbound.ts';
import type { InboundMessageIntent } from '../vocabulary.ts';

/** what a known sender's message means (an unknown sender's is logged as 'unknown_sender') */
export type InboundIntent = Exclude<InboundMessageIntent, 'unknown_sender'>;

const strip = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\p{Emoji_Modifier}/gu, '')
    .replace(/\uFE0F/g, '')
    .replace(/[.!,;:?'"()*_~-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const ACK_WORDS = new Set([
  'ok',
  'okay',
  'oki',
  'okk',
  'd accord',
  'dacc',
  'dac',
  'vu',
  'bien recu',
  'recu',
  'note',
  'c est note',
  '1',
  '👍',
  '✅',
]);
const POLITE = /^(merci( beaucoup| bien)?|thanks|super|parfait|👍|🙏)$/;
const STOP_WORDS = new Set(['stop', 'arret', 'arreter', 'stopper', 'desabonner', 'unsubscribe', 'stop all']);

/** "OK", "ok merci", "1", "👍" acknowledge; "STOP" opts out; anything else gets help. Pure. */
export function parseInboundIntent(body: string): InboundIntent {
  const text = strip(body);
  if (STOP_WORDS.has(text)) return 'stop';
  if (ACK_WORDS.has(text)) return 'ack';
  for (const word of ACK_WORDS) {
    if (text.startsWith(`${word} `) && POLITE.test(text.slice(word.length + 1))) return 'ack';
  }
  if (/^(👍)+$/u.test(text.replace(/\s/g, ''))) return 'ack';
  return 'help';
}

export const INBOUND_TEXTS = {
  acknowledged: (n: number) =>
    n > 1
      ? `C'est noté ✅ ${n} alertes acquittées, plus de rappel.`
      : `C'est noté ✅ Alerte acquittée, plus de rappel.`,
  nothingToAcknowledge: `Merci ! Aucune alerte en cours à acquitter.`,
  stopped:
    `C'est noté : vous ne recevrez plus d'alertes sur WhatsApp. Elles arriveront sur Telegram. ` +
    `Pour réactiver : /whatsapp dans le bot.`,
  help: `Répondez OK pour acquitter la dernière alerte, ou STOP pour ne plus recevoir d'alertes ici.`,
} as const;

export interface InboundDeps {
  sql: Sql;
  clock: Clock;
  logger: Logger;
}

export interface InboundInput {
  messageSid: string;
  from: string;
  body: string;
  /** the SID of the message this one quotes (WhatsApp "reply to") */
  originalRepliedMessageSid: string | null;
}

/** The answer to send back, or null for nothing (unknown sender, redelivered message). */
export async function handleInboundWhatsApp(deps: InboundDeps, input: InboundInput): Promise<string | null> {
  const phone = fromWhatsAppAddress(input.from);
  const now = deps.clock.now();
  return deps.sql.begin(async (tx) => {
    const user = await findUserByWhatsAppNumber(tx, phone);
    const intent = user ? parseInboundIntent(input.body) : 'unknown_sender';
    const fresh = await logInboundMessage(tx, {
      messageSid: input.messageSid,
      fromNumber: phone,
      userId: user?.id ?? null,
      body: input.body.slice(0, 4000),
      repliedToSid: input.originalRepliedMessageSid,
      intent,
      now,
    });
    if (!fresh || !user) {
      deps.logger.info(
        { messageSid: input.messageSid, duplicate: !fresh, known: Boolean(user) },
        'inbound ignored',
      );
      return null;
    }
    await touchWhatsAppInbound(tx, user.id, now);
    if (intent === 'stop') {
      await optOutWhatsApp(tx, user.id, now);
      return INBOUND_TEXTS.stopped;
    }
    if (intent === 'ack') {
      const ids = await acknowledgeAlertsFromReply(tx, {
        userId: user.id,
        siteId: user.siteId,
        repliedToSid: input.originalRepliedMessageSid,
        now,
        messageSid: input.messageSid,
      });
      deps.logger.info({ userId: user.id, alertIds: ids }, 'alerts acknowledged from WhatsApp');
      return ids.length > 0 ? INBOUND_TEXTS.acknowledged(ids.length) : INBOUND_TEXTS.nothingToAcknowledge;
    }
    return INBOUND_TEXTS.help;
  });
}
