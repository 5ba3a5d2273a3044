import { Composer } from 'telegraf';
import {
  formatPhone,
  hasOpenVerification,
  optOutWhatsAppLink,
  setNotifyChannel,
  startWhatsAppLink,
  verifyWhatsAppCode,
  type ChannelChoice,
} from '../../core/notifications/whatsapp-link.ts';
import { requireManager } from '../access.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { button, inlineKeyboard } from '../keyboards.ts';

export const WHATSAPP_TEXTS = {
  usage:
    'Pour recevoir les alertes sur WhatsApp : /whatsapp +33612345678\n' +
    'Pour arrêter : /whatsapp off\nPour choisir le canal : /canal',
  invalidNumber: 'Ce numéro ne semble pas valide. Exemple : /whatsapp +33612345678 (ou 06 12 34 56 78).',
  numberTaken: 'Ce numéro est déjà relié à un autre compte Depot.',
  tooSoon: 'Un code vient d’être envoyé. Patientez 30 secondes avant d’en demander un autre.',
  notConfigured: 'WhatsApp n’est pas configuré sur ce Depot. Les alertes arrivent ici, sur Telegram.',
  sendFailed: 'Impossible d’envoyer le code sur WhatsApp pour le moment. Réessayez dans quelques minutes.',
  codeSent: (phone: string) =>
    `Code envoyé sur WhatsApp au ${formatPhone(phone)}. Tapez ici les 6 chiffres (valable 10 minutes).`,
  verified: (phone: string) =>
    `✅ WhatsApp relié au ${formatPhone(phone)}. Les alertes arriveront sur WhatsApp. Répondez OK pour acquitter. /canal pour changer.`,
  wrongCode: (remaining: number) => `Code incorrect. Encore ${remaining} essai${remaining > 1 ? 's' : ''}.`,
  expired: 'Ce code a expiré. Demandez-en un nouveau avec /whatsapp suivi de votre numéro.',
  tooManyAttempts: 'Trop d’essais. Demandez un nouveau code avec /whatsapp suivi de votre numéro.',
  optedOut: 'C’est noté : plus d’alertes sur WhatsApp. Elles arriveront ici, sur Telegram.',
  chooseChannel: 'Où voulez-vous recevoir les alertes ?',
  channelSet: {
    whatsapp: 'Alertes sur WhatsApp. ✅',
    telegram: 'Alertes sur Telegram. ✅',
    both: 'Alertes sur WhatsApp et Telegram. ✅',
  },
  notLinked: 'Reliez d’abord votre WhatsApp : /whatsapp +33612345678',
  unknownChannel: 'Choisissez : /canal whatsapp, /canal telegram ou /canal les deux.',
} as const;

const CHANNEL_WORDS: Record<string, ChannelChoice> = {
  whatsapp: 'whatsapp',
  wa: 'whatsapp',
  telegram: 'telegram',
  tg: 'telegram',
  both: 'both',
  'les deux': 'both',
  deux: 'both',
  tous: 'both',
};

const argOf = (text: string) => text.replace(/^\/\w+(@\w+)?/, '').trim();

/**
 * /whatsapp <number> sends a code over WhatsApp; the manager types it here. /whatsapp off opts out.
 * /canal chooses WhatsApp, Telegram or both.
 */
export function whatsappFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();

  c.command('whatsapp', requireManager, async (ctx) => {
    const arg = argOf(ctx.message.text);
    if (!arg) return void (await ctx.reply(WHATSAPP_TEXTS.usage));
    if (/^(off|stop|non|arret|arrêt)$/i.test(arg)) {
      await optOutWhatsAppLink(deps, ctx.actor);
      return void (await ctx.reply(WHATSAPP_TEXTS.optedOut));
    }
    await ctx.sendChatAction('typing').catch(() => {});
    const result = await startWhatsAppLink(deps, ctx.actor, { phone: arg });
    if (result.ok) return void (await ctx.reply(WHATSAPP_TEXTS.codeSent(result.phone)));
    const reply = {
      invalid_number: WHATSAPP_TEXTS.invalidNumber,
      number_taken: WHATSAPP_TEXTS.numberTaken,
      too_soon: WHATSAPP_TEXTS.tooSoon,
      not_configured: WHATSAPP_TEXTS.notConfigured,
      send_failed: WHATSAPP_TEXTS.sendFailed,
    }[result.reason];
    await ctx.reply(reply);
  });

  // a bare 6-digit message is a code only while one is waiting; otherwise it goes on (a deposit weight…)
  c.hears(/^\s*(\d{3})\s?(\d{3})\s*$/, async (ctx, next) => {
    if (!(await hasOpenVerification(deps, ctx.actor))) return next();
    const code = `${ctx.match[1]}${ctx.match[2]}`;
    const result = await verifyWhatsAppCode(deps, ctx.actor, { code });
    if (result.ok) return void (await ctx.reply(WHATSAPP_TEXTS.verified(result.phone)));
    if (result.reason === 'wrong_code')
      return void (await ctx.reply(WHATSAPP_TEXTS.wrongCode(result.remaining)));
    if (result.reason === 'number_taken') return void (await ctx.reply(WHATSAPP_TEXTS.numberTaken));
    await ctx.reply(
      result.reason === 'too_many_attempts' ? WHATSAPP_TEXTS.tooManyAttempts : WHATSAPP_TEXTS.expired,
    );
  });

  const choose = async (ctx: BotContext, channel: ChannelChoice) => {
    const result = await setNotifyChannel(deps, ctx.actor, { channel });
    return result.ok ? WHATSAPP_TEXTS.channelSet[channel] : WHATSAPP_TEXTS.notLinked;
  };

  c.command('canal', requireManager, async (ctx) => {
    const arg = argOf(ctx.message.text).toLowerCase();
    if (!arg) {
      return void (await ctx.reply(
        WHATSAPP_TEXTS.chooseChannel,
        inlineKeyboard([
          [button('WhatsApp', 'canal:whatsapp'), button('Telegram', 'canal:telegram')],
          [button('Les deux', 'canal:both')],
        ]),
      ));
    }
    const channel = CHANNEL_WORDS[arg];
    await ctx.reply(channel ? await choose(ctx, channel) : WHATSAPP_TEXTS.unknownChannel);
  });

  c.action(/^canal:(whatsapp|telegram|both)$/, requireManager, async (ctx) => {
    const text = await choose(ctx, ctx.match[1] as ChannelChoice);
    await ctx.answerCbQuery(text.slice(0, 200)).catch(() => {});
    await ctx.editMessageText(text).catch(() => ctx.reply(text));
  });

  return c;
}
