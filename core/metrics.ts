import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AlertKind, DecidedBy, NotificationChannel } from './vocabulary.ts';

/** How the bot's update path ended (bot/process-update.ts). */
export type TelegramUpdateOutcome = 'processed' | 'duplicate' | 'deferred' | 'error';
/** Who proposed a deposit's category: Claude, the offline classifier, or nobody (the volunteer picks). */
export type ClassificationSource = 'claude' | 'offline' | 'manual';
export type ClaudeOutcome = 'ok' | 'timeout' | 'off_schema' | 'error';
/** 'dropped': a pending episode whose condition went away before it fired. */
export type AlertTransitionState = 'pending' | 'firing' | 'resolved' | 'dropped';
/** Sender outcomes, then the delivery statuses Twilio reports back. */
export type NotificationStatus =
  'sent' | 'failed' | 'retrying' | 'deferred' | 'delivered' | 'read' | 'undelivered';
/** 'retrying': the attempt failed and BullMQ will try again. */
export type JobOutcome = 'completed' | 'failed' | 'retrying';

/** Job counts by state for each queue, read when Prometheus scrapes (workers/ implements it with BullMQ). */
export type QueueDepthSource = () => Promise<Record<string, Record<string, number>>>;

/** What the core and the adapters record. One instance per process, built in bin/ and passed in Deps. */
export interface Metrics {
  /** Content-Type of render()'s text (Prometheus exposition format 0.0.4). */
  readonly contentType: string;
  render(): Promise<string>;
  /** `route` is the route pattern (/api/v1/sites/:id), never the raw path. */
  httpRequest(request: { method: string; route: string; status: number; seconds: number }): void;
  telegramUpdate(outcome: TelegramUpdateOutcome): void;
  classification(source: ClassificationSource): void;
  claudeRequest(outcome: ClaudeOutcome, seconds: number): void;
  depositRecorded(decidedBy: DecidedBy): void;
  alertEvaluation(scope: 'site' | 'all', outcome: 'ok' | 'error', seconds: number): void;
  alertTransition(kind: AlertKind, state: AlertTransitionState): void;
  notification(channel: NotificationChannel, status: NotificationStatus): void;
  jobFinished(queue: string, outcome: JobOutcome, seconds: number | null): void;
  /** Adds a source of queue depths, read at each scrape (bounded by `timeoutMs`, default 2 s). */
  watchQueues(source: QueueDepthSource, options?: { timeoutMs?: number }): void;
}

export interface MetricsOptions {
  /** process_* and nodejs_* metrics (default true; tests turn them off) */
  defaultMetrics?: boolean;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const SLOW_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60];

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** A Prometheus registry of its own (never prom-client's global one), so tests get a fresh one each. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });

  const httpRequests = new Counter({
    name: 'depot_http_requests_total',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const httpDuration = new Histogram({
    name: 'depot_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const telegramUpdates = new Counter({
    name: 'depot_telegram_updates_total',
    help: 'Telegram updates by outcome (processed, duplicate, deferred, error)',
    labelNames: ['outcome'] as const,
    registers,
  });
  const classifications = new Counter({
    name: 'depot_classifications_total',
    help: 'Deposit classifications by source (claude, offline, manual)',
    labelNames: ['source'] as const,
    registers,
  });
  const claudeDuration = new Histogram({
    name: 'depot_claude_request_duration_seconds',
    help: 'Claude classification requests by outcome (ok, timeout, off_schema, error)',
    labelNames: ['outcome'] as const,
    buckets: SLOW_BUCKETS,
    registers,
  });
  const deposits = new Counter({
    name: 'depot_deposits_recorded_total',
    help: 'Deposits recorded, by who chose the category (ai, offline, manual)',
    labelNames: ['decided_by'] as const,
    registers,
  });
  const alertEvaluations = new Histogram({
    name: 'depot_alert_evaluation_duration_seconds',
    help: 'Alert evaluations by scope (site, all) and outcome (ok, error)',
    labelNames: ['scope', 'outcome'] as const,
    buckets: SLOW_BUCKETS,
    registers,
  });
  const alertTransitions = new Counter({
    name: 'depot_alert_transitions_total',
    help: 'Alert episodes entering a state (pending, firing, resolved, dropped), by alert kind',
    labelNames: ['kind', 'state'] as const,
    registers,
  });
  const notifications = new Counter({
    name: 'depot_notifications_total',
    help: 'Notifications reaching a status, by channel (sender outcomes and Twilio status callbacks)',
    labelNames: ['channel', 'status'] as const,
    registers,
  });
  const jobOutcomes = new Counter({
    name: 'depot_queue_job_outcomes_total',
    help: 'BullMQ jobs finished by this process, by queue and outcome (completed, failed, retrying)',
    labelNames: ['queue', 'outcome'] as const,
    registers,
  });
  const jobDuration = new Histogram({
    name: 'depot_queue_job_duration_seconds',
    help: 'BullMQ job processing time, by queue and outcome',
    labelNames: ['queue', 'outcome'] as const,
    buckets: SLOW_BUCKETS,
    registers,
  });
  const collectErrors = new Counter({
    name: 'depot_metrics_collect_errors_total',
    help: 'Scrapes in which a collector failed (its values are then missing from that scrape)',
    labelNames: ['collector'] as const,
    registers,
  });

  const queueSources: { source: QueueDepthSource; timeoutMs: number }[] = [];
  const queueJobs = new Gauge({
    name: 'depot_queue_jobs',
    help: 'BullMQ jobs by queue and state (waiting, active, delayed, failed, completed…), read at scrape',
    labelNames: ['queue', 'state'] as const,
    registers,
  });
  let reading: Promise<void> | null = null;
  /** Read before rendering (not in a collect callback) so that a failure is counted in the same scrape. */
  async function readQueueDepths() {
    queueJobs.reset();
    for (const { source, timeoutMs } of queueSources) {
      try {
        const depths = await withTimeout(source(), timeoutMs);
        for (const [queue, counts] of Object.entries(depths)) {
          for (const [state, count] of Object.entries(counts)) queueJobs.set({ queue, state }, count);
        }
      } catch {
        // Redis away: the scrape still answers, without these queue depths
        collectErrors.inc({ collector: 'queues' });
      }
    }
  }

  return {
    contentType: registry.contentType,
    async render() {
      // concurrent scrapes share one reading
      reading ??= readQueueDepths().finally(() => (reading = null));
      await reading;
      return registry.metrics();
    },
    httpRequest({ method, route, status, seconds }) {
      const labels = { method, route, status: String(status) };
      httpRequests.inc(labels);
      httpDuration.observe(labels, seconds);
    },
    telegramUpdate: (outcome) => telegramUpdates.inc({ outcome }),
    classification: (source) => classifications.inc({ source }),
    claudeRequest: (outcome, seconds) => claudeDuration.observe({ outcome }, seconds),
    depositRecorded: (decidedBy) => deposits.inc({ decided_by: decidedBy }),
    alertEvaluation: (scope, outcome, seconds) => alertEvaluations.observe({ scope, outcome }, seconds),
    alertTransition: (kind, state) => alertTransitions.inc({ kind, state }),
    notification: (channel, status) => notifications.inc({ channel, status }),
    jobFinished(queue, outcome, seconds) {
      jobOutcomes.inc({ queue, outcome });
      if (seconds !== null) jobDuration.observe({ queue, outcome }, seconds);
    },
    watchQueues(source, o = {}) {
      queueSources.push({ source, timeoutMs: o.timeoutMs ?? 2_000 });
    },
  };
}

/** Seconds elapsed since a performance.now() reading. */
export const secondsSince = (started: number): number => (performance.now() - started) / 1000;
