import type { Executor } from '../client.ts';
import type { UpdateSource } from '../enums.ts';

/**
 * Claims an update id atomically. 'claimed': this caller must process it. 'done': processed before.
 * 'in_progress': claimed by someone within the lease and not finished (it may still fail: the caller
 * should ask for a redelivery rather than drop it). An unfinished claim older than the lease is taken over.
 */
export async function claimUpdate(
  sql: Executor,
  source: UpdateSource,
  updateId: string,
  leaseSeconds: number,
): Promise<'claimed' | 'done' | 'in_progress'> {
  const rows = await sql`
    insert into processed_updates (source, update_id) values (${source}, ${updateId})
    on conflict (source, update_id) do update set received_at = now()
     where processed_updates.completed_at is null
       and processed_updates.received_at < now() - make_interval(secs => ${leaseSeconds})
    returning update_id`;
  if (rows.length > 0) return 'claimed';
  const [row] = await sql<{ completedAt: Date | null }[]>`
    select completed_at from processed_updates where source = ${source} and update_id = ${updateId}`;
  // gone between the two statements: released by its holder, so it is not done
  return row?.completedAt ? 'done' : 'in_progress';
}

export async function completeUpdate(sql: Executor, source: UpdateSource, updateId: string): Promise<void> {
  await sql`
    update processed_updates set completed_at = now()
     where source = ${source} and update_id = ${updateId} and completed_at is null`;
}

/** Gives the update back so that its redelivery is processed. */
export async function releaseUpdate(sql: Executor, source: UpdateSource, updateId: string): Promise<void> {
  await sql`
    delete from processed_updates where source = ${source} and update_id = ${updateId} and completed_at is null`;
}

export async function pruneProcessedUpdates(sql: Executor, olderThanDays: number): Promise<number> {
  const rows = await sql`
    delete from processed_updates where received_at < now() - make_interval(days => ${olderThanDays})
    returning 1`;
  return rows.length;
}
