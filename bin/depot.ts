#!/usr/bin/env node
/**
 * Composition root: reads the environment, opens connections, starts the roles, handles signals.
 *   depot                 all roles in one process
 *   depot --role api      admin API, Twilio webhooks, /health
 *   depot --role bot      Telegram bot (webhook route or long polling), /health
 *   depot --role workers  BullMQ workers (alert evaluation, notification delivery), /health
 */
import { parseArgs } from 'node:util';
import { parseConfig, type Config } from '../core/config.ts';
import { createLogger, wantsPrettyLogs, type Logger } from '../core/logger.ts';
import { createMetrics } from '../core/metrics.ts';
import { systemClock } from '../core/clients/clock.ts';
import { createProducerRedis, createRedis, createWorkerRedis } from '../core/redis.ts';
import type { Deps } from '../core/deps.ts';
import type { HealthProbes } from '../core/health.ts';
import { createTelegramFromConfig } from '../core/clients/telegram-from-config.ts';
import { createClassifierFromConfig } from '../core/classify/classify-items.ts';
import { createWhatsAppClientFromConfig } from '../core/clients/whatsapp-twilio.ts';
import { createSql, ensureDatabase } from '../db/client.ts';
import { migrate } from '../db/migrate.ts';
import { createApp, type AppOptions } from '../api/create-app.ts';
import { startHttpServer } from '../api/server.ts';
import { createJobs } from '../workers/jobs.ts';
import { openQueues, queueDepths } from '../workers/observe-queues.ts';
import { startWorkers } from '../workers/index.ts';
import { startBot } from '../bot/start-bot.ts';
import { startLocalServices } from './local-mode.ts';

type Role = 'api' | 'bot' | 'workers';
const ROLES: Role[] = ['api', 'bot', 'workers'];

function roleArgument(argv: string[]): string | undefined {
  const { values } = parseArgs({ args: argv, options: { role: { type: 'string' } }, allowPositionals: true });
  return values.role;
}

function selectRoles(config: Config, argv: string[]): Role[] {
  const role = roleArgument(argv) ?? config.DEPOT_ROLE;
  if (role === 'all') return ROLES;
  if (!ROLES.includes(role as Role)) {
    throw new Error(`--role must be one of all, ${ROLES.join(', ')} (got "${role}")`);
  }
  return [role as Role];
}

type Stop = { name: string; stop: () => Promise<void> };

async function main() {
  const env: Record<string, string | undefined> = { ...process.env };
  // Local mode: one process with every role and a third party without credentials gets a local fake.
  const wantsAll = (roleArgument(process.argv.slice(2)) ?? env.DEPOT_ROLE ?? 'all') === 'all';
  const local = wantsAll && env.DEPOT_LOCAL_MODE !== 'off' ? await startLocalServices(env) : null;
  const parsed = parseConfig(env);
  if (!parsed.ok) {
    process.stderr.write(
      `Depot cannot start: invalid configuration\n${parsed.errors.map((e) => `  - ${e}`).join('\n')}\n`,
    );
    process.exit(78);
  }
  const config = parsed.config;
  const logger = createLogger({
    level: config.LOG_LEVEL,
    pretty: wantsPrettyLogs({ nodeEnv: config.NODE_ENV, isTTY: process.stdout.isTTY }),
  });
  let roles: Role[];
  try {
    roles = selectRoles(config, process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(64);
  }
  // a bot process without a token would answer /health 200 while doing nothing
  if (roles.length === 1 && roles[0] === 'bot' && !config.TELEGRAM_BOT_TOKEN) {
    process.stderr.write('Depot cannot start: the bot role needs TELEGRAM_BOT_TOKEN (from @BotFather)\n');
    process.exit(78);
  }
  logger.info({ roles }, 'starting Depot');
  for (const line of local?.announcements ?? []) logger.info(line);

  const stops: Stop[] = [];
  let stopping = false;
  // set when the HTTP server had to cut requests at SHUTDOWN_TIMEOUT_MS
  let cut: { requests: number; afterMs: number } | null = null;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'shutdown took too long, exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS + 2_000);
    timer.unref();
    for (const { name, stop } of [...stops].reverse()) {
      try {
        await stop();
        logger.debug({ component: name }, 'stopped');
      } catch (err) {
        logger.error({ err, component: name }, 'error while stopping');
      }
    }
    if (cut) {
      logger.error(
        { cut: cut.requests, timeoutMs: config.SHUTDOWN_TIMEOUT_MS },
        `shutdown timed out after ${cut.afterMs} ms; ${cut.requests} requests cut`,
      );
      process.exit(1);
    }
    logger.info('stopped cleanly');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  if (local) stops.push({ name: 'local services', stop: () => local.close() });

  if (await ensureDatabase(config.DATABASE_URL)) logger.info('database created');
  const sql = createSql(config.DATABASE_URL, { appName: `depot-${roles.join('+')}` });
  stops.push({ name: 'postgres', stop: () => sql.end({ timeout: 5 }) });
  const applied = await migrate(sql);
  logger.info({ applied }, applied.length ? 'migrations applied' : 'database schema up to date');

  const redis = createRedis(config.REDIS_URL);
  stops.push({ name: 'redis', stop: async () => void (await redis.quit()) });
  const producer = createProducerRedis(config.REDIS_URL);
  stops.push({ name: 'redis-producer', stop: async () => void (await producer.quit()) });
  const jobs = createJobs(producer, { prefix: config.REDIS_PREFIX });
  stops.push({ name: 'queues', stop: () => jobs.close() });

  const telegram = createTelegramFromConfig(config, redis, logger, { keyPrefix: config.REDIS_PREFIX });
  // null without Twilio credentials (local mode points TWILIO_* at its fake Twilio server)
  const whatsapp = createWhatsAppClientFromConfig(config);
  const metrics = createMetrics();
  const classifier = createClassifierFromConfig(config, logger, metrics);
  const deps: Deps = {
    config,
    logger,
    sql,
    redis,
    clock: systemClock,
    jobs,
    telegram,
    whatsapp,
    classifier,
    metrics,
  };
  const appOptions: AppOptions = { api: roles.includes('api'), local: local?.routes };
  if (roles.includes('api') || roles.includes('workers')) {
    // queue depths on /metrics, and the dashboard's queues in the api role
    const queues = openQueues(producer, config.REDIS_PREFIX);
    stops.push({ name: 'queue handles', stop: () => queues.close() });
    metrics.watchQueues(queueDepths(queues.queues));
    if (roles.includes('api')) appOptions.queues = queues.queues;
  }

  if (local) await local.seedIfEmpty(sql, logger);
  const probes = await startRoles(deps, roles, appOptions, stops, logger);

  const app = createApp({ ...deps, ...probes }, appOptions);
  const http = await startHttpServer(app, { port: config.PORT, logger });
  // last in, first stopped: no new work is taken while the rest stops
  stops.push({
    name: 'http',
    stop: async () => {
      const closed = await http.close(config.SHUTDOWN_TIMEOUT_MS);
      // updates whose requests were cut: give their claims back so Telegram's redeliveries are processed
      await appOptions.telegramWebhook?.releaseUnfinished?.();
      if (closed.timedOut && closed.cut > 0) cut = { requests: closed.cut, afterMs: closed.ms };
    },
  });
  logger.info(
    { port: http.port, roles },
    `Depot listening on http://localhost:${http.port} (health: /health)`,
  );
  local?.afterStart(logger);
}

/**
 * Starts what each role needs besides HTTP, and hands createApp what the role's routes need. Returns
 * what /health checks besides PostgreSQL and Redis (the workers' schedules).
 */
async function startRoles(
  deps: Deps,
  roles: Role[],
  appOptions: AppOptions,
  stops: Stop[],
  _logger: Logger,
): Promise<HealthProbes> {
  const probes: HealthProbes = {};
  if (roles.includes('bot')) {
    // webhook mode when PUBLIC_URL is set (route below), long polling otherwise; null without a token
    const bot = await startBot(deps, { keyPrefix: deps.config.REDIS_PREFIX });
    if (bot) {
      appOptions.telegramWebhook = bot.webhook;
      appOptions.botUsername ??= () => bot.botInfo.username;
      stops.push({ name: 'bot', stop: bot.stop });
    }
  }
  if (roles.includes('workers')) {
    const connection = createWorkerRedis(deps.config.REDIS_URL);
    const workers = await startWorkers(deps, { connection, prefix: deps.config.REDIS_PREFIX });
    probes.schedules = { missingSchedules: () => workers.missingSchedules?.() ?? Promise.resolve([]) };
    stops.push({
      name: 'workers',
      stop: async () => {
        await workers.close();
        await connection.quit();
      },
    });
  }
  return probes;
}

main().catch((err) => {
  process.stderr.write(`Depot failed to start: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
