/**
 * npx tsx bench/deposit-throughput.ts [deposits=1000] [concurrency=8]
 * Cost of recording a deposit (category check, deposit row, ledger row and level in one transaction)
 * compared with a bare insert of the deposit row, sequential and concurrent on ONE category (the
 * worst case: every transaction updates the same stock level row). Ends by checking ledger = level.
 * Needs the local PostgreSQL.
 */
import { createDeposit } from '../core/deposits/create-deposit.ts';
import { userActor } from '../core/actor.ts';
import { systemClock } from '../core/clients/clock.ts';
import { createLogger } from '../core/logger.ts';
import { createTestDatabase } from '../tests/helpers/db.ts';

const total = Number(process.argv[2] ?? 1000);
const concurrency = Number(process.argv[3] ?? 8);

const db = await createTestDatabase();
const [site] = await db.sql<
  { id: number }[]
>`insert into sites (slug, name) values ('bench', 'Bench') returning id`;
const [user] = await db.sql<{ id: number }[]>`
  insert into users (site_id, display_name, status) values (${site!.id}, 'Bench', 'active') returning id`;
const [category] = await db.sql<{ id: number }[]>`select id from categories where code = 'small_equipment'`;
const deps = {
  sql: db.sql,
  clock: systemClock,
  logger: createLogger({ level: 'silent' }),
  jobs: { requestAlertEvaluation: async () => {}, enqueueNotifications: async () => {} },
};
const volunteer = userActor({ id: user!.id, siteId: site!.id, role: 'volunteer' });
let n = 0;

async function run(label: string, parallel: number, one: () => Promise<unknown>) {
  const started = performance.now();
  let remaining = total;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (remaining-- > 0) await one();
    }),
  );
  const rate = total / ((performance.now() - started) / 1000);
  console.log(`${label.padEnd(44)} ${total} in ${parallel} lane(s): ${rate.toFixed(0)}/s`);
  return rate;
}

const bare = () =>
  db.sql`insert into deposits (site_id, user_id, category_id, item_name, weight_kg, destination, decided_by)
         values (${site!.id}, ${user!.id}, ${category!.id}, 'Bare', 1.5, 'waste', 'manual')`;
const full = () =>
  createDeposit(deps, volunteer, {
    categoryCode: 'small_equipment',
    itemName: 'Grille-pain',
    description: 'grille-pain',
    quantity: 1,
    weightKg: 1.5,
    condition: 'working',
    destination: 'shop',
    decidedBy: 'ai',
    idempotencyKey: `bench-${n++}`,
  });

await run('warm-up', 4, full);
const bareSeq = await run('bare insert', 1, bare);
const fullSeq = await run('createDeposit (deposit + ledger + level)', 1, full);
const bareConc = await run('bare insert', concurrency, bare);
const fullConc = await run('createDeposit (same level row)', concurrency, full);
console.log(`createDeposit / bare insert throughput, sequential: ${(fullSeq / bareSeq).toFixed(2)}`);
console.log(
  `createDeposit / bare insert throughput, ${concurrency} lanes: ${(fullConc / bareConc).toFixed(2)}`,
);

const [check] = await db.sql<{ ledger: number; level: number; deposits: number }[]>`
  select (select sum(quantity_delta) from stock_movements)::int as ledger,
         (select sum(quantity) from stock_levels)::int as level,
         (select count(*) from deposits where destination = 'shop')::int as deposits`;
console.log(
  `ledger ${check!.ledger} = level ${check!.level} = shop deposits ${check!.deposits}: ${check!.ledger === check!.level && check!.level === check!.deposits ? 'ok' : 'MISMATCH'}`,
);
await db.drop();
