import postgres from 'postgres';

export type Sql = postgres.Sql<Record<string, never>>;
export type TransactionSql = postgres.TransactionSql<Record<string, never>>;
/** Either the pool or a transaction: query helpers take this first. */
export type Executor = Sql | TransactionSql;

const toNumber = (x: string) => Number(x);

export function createSql(url: string, options: { max?: number; appName?: string } = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    idle_timeout: 30,
    connect_timeout: 10,
    // Seconds a closed connection waits before it reconnects, by failures counted across the pool.
    // postgres.js defaults to 3^n/100 capped at 20 s: while PostgreSQL was down (or just back), a query
    // handed to a closed connection waited up to 20 s (and more when queued) before it even tried, so
    // webhooks hung instead of answering 503. Connection attempts are cheap: retry within half a second.
    backoff: (retries: number) => Math.min(0.05 * retries, 0.5),
    onnotice: () => {},
    transform: postgres.camel,
    connection: { application_name: options.appName ?? 'depot' },
    types: {
      // ids and counts fit in a double; kg and money are numeric(…, 3) at most
      bigint: { to: 20, from: [20], serialize: (x: number) => String(x), parse: toNumber },
      numeric: { to: 1700, from: [1700], serialize: (x: number) => String(x), parse: toNumber },
    },
  }) as unknown as Sql;
}

/** Creates the database named in `url` when it does not exist yet (connects to the `postgres` database). */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${name}`;
    if (rows.length > 0) return false;
    try {
      await sql.unsafe(`create database "${name.replace(/"/g, '""')}"`);
    } catch (e) {
      // another process created it between our check and our create
      if ((e as { code?: string }).code !== '42P04') throw e;
      return false;
    }
    return true;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
