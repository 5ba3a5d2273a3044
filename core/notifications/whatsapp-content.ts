import type { Config } from '../config.ts';
import type { WhatsAppMode } from '../vocabulary.ts';
import type { WhatsAppContent } from '../clients/whatsapp.ts';
import type { DeliveryRow } from '../../db/queries/notification-delivery.ts';

/** WhatsApp's customer-service window: free-form messages only within 24 h of the person's last one. */
const WINDOW_MS = 24 * 60 * 60 * 1000;

/** WhatsApp template parameters may not hold new lines, tabs or long runs of spaces. */
export function templateVariablesFor(
  row: Pick<DeliveryRow, 'body' | 'templateVariables'>,
): Record<string, string> {
  if (row.templateVariables && Object.keys(row.templateVariables).length > 0) return row.templateVariables;
  const flat = row.body
    .split(/\n+/)
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join(' · ');
  return { '1': flat.length > 1000 ? `${flat.slice(0, 999)}…` : flat };
}

export function chooseWhatsAppContent(
  row: Pick<DeliveryRow, 'body' | 'templateSid' | 'templateVariables' | 'whatsappLastInboundAt'>,
  config: Pick<Config, 'TWILIO_ALERT_TEMPLATE_SID' | 'TWILIO_ALERT_TEMPLATE_ALWAYS'>,
  now: Date,
): { mode: WhatsAppMode; content: WhatsAppContent } | { mode: 'none' } {
  const inWindow =
    row.whatsappLastInboundAt !== null && now.getTime() - row.whatsappLastInboundAt.getTime() < WINDOW_MS;
  const templateSid = row.templateSid ?? config.TWILIO_ALERT_TEMPLATE_SID ?? null;
  if (inWindow && !config.TWILIO_ALERT_TEMPLATE_ALWAYS)
    return { mode: 'freeform', content: { body: row.body } };
  if (!templateSid) return { mode: 'none' };
  return {
    mode: 'template',
    content: { contentSid: templateSid, contentVariables: templateVariablesFor(row) },
  };
}

/**
 * Does a message found at Twilio carry this notification? Free-form: the same text. Template: Twilio may
 * list it without any body, or with the rendered text (then it holds the variables). An empty body
 * identifies nothing by itself: it is safe only because at most one send per number is ever unresolved
 * (claimWhatsAppForSending), so an untaken template message to this number since this row's first
 * attempt can only be this row's.
 */
export function messageMatches(
  found: { body: string },
  row: Pick<DeliveryRow, 'body' | 'templateVariables'>,
  mode: WhatsAppMode | 'none',
): boolean {
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
  if (norm(found.body) === norm(row.body)) return true;
  if (mode !== 'template') return false;
  if (norm(found.body) === '') return true;
  const values = Object.values(templateVariablesFor(row)).filter((v) => v.length > 0);
  return values.length > 0 && values.every((v) => norm(found.body).includes(norm(v)));
}

/** The status callback URL of one notification: Twilio calls it back with the notification's id. */
export function statusCallbackUrl(publicUrl: string, notificationId: number): string {
  const url = new URL('/twilio/status', publicUrl);
  url.searchParams.set('n', String(notificationId));
  return url.toString();
}
