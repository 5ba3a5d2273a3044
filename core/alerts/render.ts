import type { AlertNotificationKind, AlertSeverity, AlertKind, StockStream } from '../vocabulary.ts';
import type { AlertDetails } from '../../db/queries/alerts.ts';
import { formatNumber, shortLabel, STREAM_FR } from '../format-fr.ts';

export type { AlertKind, StockStream } from '../vocabulary.ts';
/** The figures behind an alert's value, stored in alerts.details. */
export type { AlertDetails } from '../../db/queries/alerts.ts';

export interface AlertView {
  kind: AlertKind;
  severity: AlertSeverity;
  /** the category's French label, or null for a site-wide or per-flow alert */
  categoryLabel: string | null;
  flow: string | null;
  stream: StockStream | null;
  value: number | null;
  threshold: number;
  details: AlertDetails;
}

export const KIND_LABELS: Record<AlertKind, string> = {
  out_of_stock: 'Rupture',
  low_stock: 'Stock bas',
  container_full: 'Conteneur plein',
  stockout_forecast: 'Rupture prévue',
  intake_drop: 'Baisse des dépôts',
};

const SEVERITY_MARK: Record<AlertSeverity, string> = { critical: '🔴', warning: '🟠', info: '🟡' };

const MAX_BODY = 1500;

export const num = formatNumber;
const items = (n: number) => `${num(n)} article${Math.abs(n) >= 2 ? 's' : ''}`;

function subject(a: AlertView): string {
  const stream = a.stream ? ` (${STREAM_FR[a.stream]})` : '';
  if (a.categoryLabel) return `${shortLabel(a.categoryLabel)}${stream}`;
  if (a.flow) return `flux ${a.flow}${stream}`;
  return a.kind === 'intake_drop' ? 'tous les dépôts' : `toutes catégories${stream}`;
}

function figures(a: AlertView): string {
  const d = a.details;
  switch (a.kind) {
    case 'out_of_stock':
      return 'plus aucun article';
    case 'low_stock':
      return `${items(d.quantity ?? a.value ?? 0)} (seuil ${num(a.threshold)})`;
    case 'container_full':
      return `${num(d.weightKg ?? a.value ?? 0)} kg (seuil ${num(a.threshold)} kg)`;
    case 'stockout_forecast':
      return (
        `${items(d.quantity ?? 0)}, environ ${num(d.days ?? a.value ?? 0)} jours au rythme de ` +
        `${num(d.perDay ?? 0)} vente${(d.perDay ?? 0) >= 2 ? 's' : ''}/jour (seuil ${num(a.threshold)} jours)`
      );
    case 'intake_drop':
      return (
        `${num(d.last7DaysKg ?? 0)} kg ces 7 derniers jours, ${num(d.percent ?? a.value ?? 0)} % de la ` +
        `moyenne (${num(d.weeklyAverageKg ?? 0)} kg/semaine, seuil ${num(a.threshold)} %)`
      );
  }
}

const ADVICE: Record<AlertKind, string> = {
  out_of_stock: 'Pensez à réapprovisionner le rayon.',
  low_stock: 'Pensez à réapprovisionner le rayon.',
  container_full: 'Pensez à réserver un enlèvement.',
  stockout_forecast: 'Pensez à préparer des articles pour le rayon.',
  intake_drop: 'Pensez à relancer les apports (affiches, réseaux, collectes).',
};

function resolvedFigures(a: AlertView): string {
  const d = a.details;
  switch (a.kind) {
    case 'out_of_stock':
    case 'low_stock':
      return items(d.quantity ?? a.value ?? 0);
    case 'container_full':
      return `${num(d.weightKg ?? a.value ?? 0)} kg`;
    case 'stockout_forecast':
      return d.days !== undefined ? `environ ${num(d.days)} jours de stock` : 'plus de prévision de rupture';
    case 'intake_drop':
      return d.percent !== undefined ? `${num(d.percent)} % de la moyenne` : 'dépôts revenus à la normale';
  }
}

/** One line for one alert. */
export function renderAlertLine(kind: AlertNotificationKind, a: AlertView): string {
  if (kind === 'resolved')
    return `✅ Résolu — ${KIND_LABELS[a.kind]}, ${subject(a)} : ${resolvedFigures(a)}.`;
  return `${SEVERITY_MARK[a.severity]} ${KIND_LABELS[a.kind]} — ${subject(a)} : ${figures(a)}. ${ADVICE[a.kind]}`;
}

/**
 * The message for one recipient covering one or several alerts of one site that fired, were
 * reminded or resolved together. Short: WhatsApp previews cut after a couple of lines.
 */
export function renderNotification(input: {
  siteName: string;
  kind: AlertNotificationKind;
  alerts: AlertView[];
}): string {
  const { siteName, kind, alerts } = input;
  if (alerts.length === 0) throw new Error('renderNotification needs at least one alert');
  const n = alerts.length;
  const head =
    kind === 'resolved'
      ? n === 1
        ? `Depot · ${siteName}`
        : `Depot · ${siteName} — ${n} alertes résolues`
      : kind === 'reminder'
        ? `⏰ Rappel · ${siteName}${n > 1 ? ` — ${n} alertes toujours actives` : ''}`
        : `Depot · ${siteName}${n > 1 ? ` — ${n} alertes` : ''}`;
  const footer = kind === 'resolved' ? '' : ACK_FOOTER;
  const sorted = [...alerts].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  const lines: string[] = [];
  let used = head.length + footer.length + 2;
  for (const [i, a] of sorted.entries()) {
    const line = (n > 1 ? '• ' : '') + renderAlertLine(kind, a);
    const remaining = n - i;
    if (used + line.length + 1 > MAX_BODY - 40 && remaining > 0 && i > 0) {
      lines.push(`… et ${remaining} autre${remaining > 1 ? 's' : ''} (voir /alertes).`);
      break;
    }
    lines.push(line);
    used += line.length + 1;
  }
  return [head, ...lines, footer].filter(Boolean).join('\n');
}

/** WhatsApp's way to acknowledge (a reply). Telegram alerts carry buttons instead (telegramAlertMessage). */
export const ACK_FOOTER = 'Répondez OK pour acquitter.';

export const ALERT_BUTTON_LABELS = {
  acknowledge: '✅ Acquitter',
  silence: '🔕 Silence 24 h',
  acknowledgeAll: '✅ Tout acquitter',
  silenceAll: '🔕 Tout en silence 24 h',
} as const;

/**
 * callback_data of the alert buttons: `alert:ack:<alert id>` / `alert:sil:<alert id>` for one alert,
 * `alert:ackn:<notification id>` / `alert:siln:<notification id>` for every alert of a notification.
 */
export const alertCallbackData = (action: 'ack' | 'sil' | 'ackn' | 'siln', id: number) =>
  `alert:${action}:${id}`;

/** Acquitter / Silence 24 h for one alert (the /alertes list, a notification about a single alert). */
export function alertButtons(alertId: number, options: { acknowledged?: boolean } = {}) {
  return [
    [
      ...(options.acknowledged
        ? []
        : [{ text: ALERT_BUTTON_LABELS.acknowledge, data: alertCallbackData('ack', alertId) }]),
      { text: ALERT_BUTTON_LABELS.silence, data: alertCallbackData('sil', alertId) },
    ],
  ];
}

/**
 * A notification as Telegram shows it: typing OK does not answer there (the chat is the deposit
 * counter), so the OK line goes and the alerts it still covers get buttons. `openAlertIds`: the
 * notification's alerts that are neither resolved nor acknowledged.
 */
export function telegramAlertMessage(
  notification: { id: number; body: string },
  openAlertIds: number[],
): { text: string; buttons: { text: string; data: string }[][] } {
  const text =
    notification.body
      .split('\n')
      .filter((line) => line.trim() !== ACK_FOOTER)
      .join('\n')
      .trim() || notification.body;
  if (openAlertIds.length === 0) return { text, buttons: [] };
  if (openAlertIds.length === 1) return { text, buttons: alertButtons(openAlertIds[0]!) };
  return {
    text,
    buttons: [
      [
        { text: ALERT_BUTTON_LABELS.acknowledgeAll, data: alertCallbackData('ackn', notification.id) },
        { text: ALERT_BUTTON_LABELS.silenceAll, data: alertCallbackData('siln', notification.id) },
      ],
    ],
  };
}

function severityRank(s: AlertSeverity): number {
  return s === 'critical' ? 2 : s === 'warning' ? 1 : 0;
}
