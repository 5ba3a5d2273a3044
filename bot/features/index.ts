import type { Composer } from 'telegraf';
import type { BotContext, BotDeps } from '../context.ts';
import { depositFeature } from './deposit.ts';
import { helpFeature } from './help.ts';
import { stockFeature } from './stock.ts';
import { whatsappFeature } from './whatsapp.ts';
import { alertsFeature } from './alerts.ts';
import { salesFeature } from './sales.ts';
import { outflowsFeature } from './outflows.ts';
import { inventoryFeature } from './inventory.ts';
import { thresholdsFeature } from './thresholds.ts';
import { reportFeature } from './report.ts';

/**
 * The features active users reach, in order, between the access gate and the fallback. Add yours here
 * (a Composer per feature; manager-only commands wrap their handlers with requireManager).
 */
export function userFeatures(deps: BotDeps): Composer<BotContext>[] {
  // depositFeature stays last: any plain text or photo not claimed before it starts a deposit
  return [
    helpFeature(),
    stockFeature(deps),
    whatsappFeature(deps),
    alertsFeature(deps),
    salesFeature(deps),
    outflowsFeature(deps),
    inventoryFeature(deps),
    thresholdsFeature(deps),
    reportFeature(deps),
    depositFeature(deps),
  ];
}
