import type { Redis } from 'ioredis';
import type { Sql } from '../db/client.ts';

export interface ComponentHealth {
  status: 'ok' | 'error';
  latencyMs: number;
  error?: string;
}

export interface HealthReport {
  status: 'ok' | 'error';
  components: { postgres: ComponentHealth; redis: ComponentHealth; schedules?: ComponentHealth };
}

/**
 * What a workers process adds to its health: the BullMQ schedules it keeps (alert evaluation,
 * notification sweep). They live in Redis only; missing ones are re-created within a minute, and
 * /health answers 503 naming `schedules` until then.
 */
export interface HealthProbes {
  schedules?: { missingSchedules(): Promise<string[]> } | null;
}

async function timed(check: () => Promise<unknown>, timeoutMs: number): Promise<ComponentHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'ok', latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (e) {
    return {
      status: 'error',
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
      error: (e as Error).message || String(e),
    };
  } finally {
    clearTimeout(timer);
  }
}

export async function checkHealth(
  sql: Sql,
  redis: Redis,
  timeoutMs = 1_500,
  probes: HealthProbes = {},
): Promise<HealthReport> {
  const probe = probes.schedules;
  const [postgres, redisHealth, schedules] = await Promise.all([
    timed(() => sql`select 1`, timeoutMs),
    timed(() => redis.ping(), timeoutMs),
    probe
      ? timed(async () => {
          const missing = await probe.missingSchedules();
          if (missing.length > 0) throw new Error(`missing: ${missing.join(', ')}`);
        }, timeoutMs)
      : undefined,
  ]);
  const components = { postgres, redis: redisHealth, ...(schedules ? { schedules } : {}) };
  const status = Object.values(components).every((c) => c.status === 'ok') ? 'ok' : 'error';
  return { status, components };
}
