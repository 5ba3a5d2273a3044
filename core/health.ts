import type { Redis } from 'ioredis';
import type { Sql } from '../db/client.ts';

export interface ComponentHealth {
  status: 'ok' | 'error';
  latencyMs: number;
  error?: string;
}

export interface HealthReport {
  status: 'ok' | 'error';
  components: { postgres: ComponentHealth; redis: ComponentHealth };
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

export async function checkHealth(sql: Sql, redis: Redis, timeoutMs = 1_500): Promise<HealthReport> {
  const [postgres, redisHealth] = await Promise.all([
    timed(() => sql`select 1`, timeoutMs),
    timed(() => redis.ping(), timeoutMs),
  ]);
  const status = postgres.status === 'ok' && redisHealth.status === 'ok' ? 'ok' : 'error';
  return { status, components: { postgres, redis: redisHealth } };
}
