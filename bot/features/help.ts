import { Composer } from 'telegraf';
import { isManager } from '../../core/users/access.ts';
import type { BotContext } from '../context.ts';
import { texts } from '../texts.ts';

export function helpFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command(['aide', 'help'], (ctx) => ctx.reply(texts.help(isManager(ctx.user))));
  return c;
}
