import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { assertAllSites, assertManager, assertSiteAccess, type Actor } from '../actor.ts';
import { channelsFor } from '../alerts/evaluate.ts';
import { formatNumber } from '../format-fr.ts';
import { TelegramApiError } from '../clients/telegram.ts';
import type { OutflowChannel } from '../vocabulary.ts';
import { listAlertRecipients } from '../../db/queries/alerts.ts';
import { listReportSites, type ReportSite } from '../../db/queries/reports.ts';
import {
  claimMonthlyDelivery,
  insertReportNotifications,
  markDocumentDone,
  markMessagesQueued,
  releaseMonthlyDelivery,
} from '../../db/queries/reports-monthly.ts';
import { getTonnageReport, tonnageTable, type TonnageReport } from './tonnage.ts';
import { Month, monthLabelFr, monthRange, previousMonth } from './period.ts';
import { localDate, localParts } from '../time-zone.ts';
import { renderFlowChart, type FlowBar } from './chart.ts';
import { toXlsx } from './table.ts';

/** The flows of the chart, in DESIGN.md's order. */
const FLOWS = ['GEM F', 'GEM HF', 'Écrans', 'PAM', 'Lampes', 'PV', 'Hors DEEE'];
const OUT_CHANNELS: [OutflowChannel, string][] = [
  ['sale', 'ventes'],
  ['gift', 'dons'],
  ['partner', 'partenaires'],
  ['eco_organism', 'éco-organismes'],
  ['waste', 'déchèterie'],
  ['inventory', 'écarts d’inventaire'],
];

const kgFr = (kg: number) => `${formatNumber(Math.round(kg))} kg`;
const ofMonth = (label: string) => (/^[aeiouyéèâ]/i.test(label) ? `d’${label}` : `de ${label}`);

export interface MonthlyReport {
  siteId: number;
  siteName: string;
  month: string;
  from: string;
  to: string;
  /** the current month, so far */
  monthToDate: boolean;
  report: TonnageReport;
  /** the key figures, in French, for a chat message */
  text: string;
  bars: FlowBar[];
}

/** The key figures of a month as a short French message. */
export function renderMonthlyText(m: Omit<MonthlyReport, 'text'>): string {
  const r = m.report;
  const [, , day] = m.to.split('-').map(Number) as [number, number, number];
  const label = monthLabelFr(m.month);
  const title = `📊 Bilan ${ofMonth(label)} – ${m.siteName}${m.monthToDate ? ` (au ${day === 1 ? '1er' : day} ${label.split(' ')[0]})` : ''}`;
  const outs = OUT_CHANNELS.filter(([c]) => Math.abs(r.outflowKgByChannel[c]) >= 0.5).map(
    ([c, name]) => `${name} ${kgFr(r.outflowKgByChannel[c])}`,
  );
  const lines = [
    title,
    `Entrées : ${kgFr(r.intakeKg)} (${r.intakeCount} dépôt${r.intakeCount > 1 ? 's' : ''})`,
    `Sorties : ${kgFr(r.outflowKg - r.outflowKgByChannel.transfer)}${outs.length ? ` — ${outs.join(', ')}` : ''}`,
    r.reuseRate === null
      ? 'Réemploi : rien de collecté sur la période'
      : `Réemploi : ${Math.round(r.reuseRate * 100)} % des kilos collectés (vendus, donnés ou confiés)`,
    `Stock : ${kgFr(r.stockStartKg)} au début, ${kgFr(r.stockEndKg)} à la fin`,
    `Non expliqué : ${kgFr(r.unexplainedKg)}`,
  ];
  return lines.join('\n');
}

function flowBars(r: TonnageReport): FlowBar[] {
  const real = (byChannel: Record<OutflowChannel, number>) =>
    OUT_CHANNELS.filter(([c]) => c !== 'inventory').reduce((n, [c]) => n + byChannel[c], 0);
  return FLOWS.map((flow) => {
    const out = r.outflows.byFlow.find((f) => f.flow === flow);
    return {
      label: flow,
      inKg: Math.max(0, r.intake.byFlow.find((f) => f.flow === flow)?.kg ?? 0),
      outKg: out ? Math.max(0, real(out.byChannel)) : 0,
    };
  });
}

async function buildMonthly(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  site: ReportSite,
  month: string,
  today: string,
): Promise<MonthlyReport> {
  const range = monthRange(month);
  if (range.from > today) throw new AppError('validation_failed', `${month} has not started yet`);
  const monthToDate = range.to >= today;
  const to = monthToDate ? today : range.to;
  const report = await getTonnageReport(deps, actor, { siteId: site.id, from: range.from, to });
  const base = { siteId: site.id, siteName: site.name, month, from: range.from, to, monthToDate, report };
  return { ...base, bars: flowBars(report), text: renderMonthlyText({ ...base, bars: [] }) };
}

/**
 * /bilan: a month's key figures (this month so far by default) and the chart of kg in and out by flow,
 * for the site's managers.
 */
export async function getMonthlyReport(
  deps: Pick<Deps, 'sql' | 'clock'>,
  actor: Actor,
  input: { siteId: number; month?: string | null },
): Promise<MonthlyReport & { chartPng: Buffer }> {
  assertSiteAccess(actor, input.siteId, 'site');
  assertManager(actor);
  const [site] = await listReportSites(deps.sql, input.siteId);
  if (!site) throw new AppError('not_found', 'site not found');
  const today = localDate(deps.clock.now(), site.timeZone);
  const month = input.month ? Month.parse(input.month) : today.slice(0, 7);
  const m = await buildMonthly(deps, actor, site, month, today);
  const chartPng = await renderFlowChart(`${site.name} – ${monthLabelFr(month)}`, m.bars);
  return { ...m, chartPng };
}

/** It is the 1st from 08:00 site time (or one of the next days, when no worker ran on the 1st). */
export function monthlyReportDue(now: Date, timeZone: string): string | null {
  const { day, hour } = localParts(now, timeZone);
  if ((day === 1 && hour >= 8) || (day > 1 && day <= 7)) return previousMonth(localDate(now, timeZone));
  return null;
}

const LEASE_MS = 5 * 60 * 1000;

export interface MonthlyRunResult {
  sites: number;
  managers: number;
  notifications: number;
  documents: number;
}

/**
 * Sends every manager of every site where it is due last month's report, once per manager and month
 * whatever the number of workers or restarts: a row per site × manager × month is claimed in
 * PostgreSQL first. The figures go as notifications (WhatsApp or Telegram, per the manager's channel,
 * through the notification sender); the XLSX goes to their Telegram chat as a document.
 */
export async function sendMonthlyReports(
  deps: Pick<Deps, 'sql' | 'clock' | 'jobs' | 'logger' | 'telegram'>,
  actor: Actor,
  input: { siteIds?: number[] } = {},
): Promise<MonthlyRunResult> {
  assertAllSites(actor);
  const now = deps.clock.now();
  const result: MonthlyRunResult = { sites: 0, managers: 0, notifications: 0, documents: 0 };
  let retryLater: Error | null = null;
  const sites = (await listReportSites(deps.sql, null)).filter(
    (s) => !input.siteIds || input.siteIds.includes(s.id),
  );
  for (const site of sites) {
    const month = monthlyReportDue(now, site.timeZone);
    if (!month) continue;
    const managers = await listAlertRecipients(deps.sql, [site.id]);
    let built: { m: MonthlyReport; xlsx: Buffer } | null = null;
    for (const manager of managers) {
      const claim = await claimMonthlyDelivery(deps.sql, {
        siteId: site.id,
        userId: manager.id,
        month: `${month}-01`,
        now,
        leaseUntil: new Date(now.getTime() + LEASE_MS),
      });
      if (!claim) continue;
      if (!built) {
        const m = await buildMonthly(deps, actor, site, month, localDate(now, site.timeZone));
        built = { m, xlsx: await toXlsx(tonnageTable(m.report)) };
        result.sites += 1;
      }
      result.managers += 1;
      if (!claim.messagesQueuedAt) {
        const ids = await insertReportNotifications(
          deps.sql,
          channelsFor(manager).map((channel) => ({
            siteId: site.id,
            userId: manager.id,
            channel,
            body: built!.m.text,
            dedupeKey: `report:${site.id}:${manager.id}:${month}:${channel}`,
          })),
          now,
        );
        await markMessagesQueued(deps.sql, claim, now);
        result.notifications += ids.length;
        try {
          await deps.jobs.enqueueNotifications(ids);
        } catch (err) {
          // the rows are pending and due: the sender's sweep hands them over
          deps.logger.warn({ err, ids }, 'could not enqueue the monthly report now');
        }
      }
      if (!claim.documentDoneAt) {
        if (manager.telegramId === null) {
          await markDocumentDone(deps.sql, claim, now, 'no Telegram chat');
          continue;
        }
        try {
          await deps.telegram.sendDocument(
            manager.telegramId,
            {
              data: built.xlsx,
              filename: `${tonnageTable(built.m.report).fileName}.xlsx`,
              contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            },
            { caption: `Bilan ${ofMonth(monthLabelFr(month))} (tableur)` },
          );
          await markDocumentDone(deps.sql, claim, deps.clock.now(), null);
          result.documents += 1;
        } catch (err) {
          if (err instanceof TelegramApiError && err.permanent) {
            await markDocumentDone(deps.sql, claim, deps.clock.now(), err.message.slice(0, 300));
          } else {
            await releaseMonthlyDelivery(deps.sql, claim, deps.clock.now(), String(err).slice(0, 300));
            retryLater = err as Error;
          }
        }
      }
    }
  }
  // the job is retried; what went out is not sent again
  if (retryLater) throw retryLater;
  return result;
}
