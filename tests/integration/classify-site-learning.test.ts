import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userActor, type Actor } from '../../core/actor.ts';
import { createManualClock } from '../../core/clients/clock.ts';
import { createDeposit, type CreateDepositInput } from '../../core/deposits/create-deposit.ts';
import { LOW_CONFIDENCE } from '../../core/deposits/conversation/model.ts';
import { proposeDeposit } from '../../core/deposits/propose-deposit.ts';
import { listRecentExamples } from '../../db/queries/deposits.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';

// "Learn from the site" (issue 13): with Claude absent, the offline classifier follows what this site's
// volunteers corrected, and proposes the weights they typed; another site is not affected.

let db: TestDatabase;
let deps: TestDeps;
const clock = createManualClock('2026-03-02T09:00:00Z');
let siteA: number;
let siteB: number;
let aliceId: number;
let alice: Actor;
let bob: Actor;

/** a deposit alice (site A) confirms */
const deposit = (over: Partial<CreateDepositInput>): CreateDepositInput => ({
  categoryCode: 'small_equipment',
  itemName: 'Objet',
  description: null,
  quantity: 1,
  weightKg: 1,
  condition: 'working',
  destination: 'shop',
  decidedBy: 'offline',
  aiCategoryCode: 'small_equipment',
  aiConfidence: 0.9,
  aiModel: null,
  ...over,
});

async function proposed(actor: Actor, text: string) {
  const step = await proposeDeposit(deps, actor, { text, photoFileId: null });
  expect(step.state!.source).toBe('offline');
  return step.state!.items[0]!;
}

beforeAll(async () => {
  db = await createTestDatabase();
  // no ANTHROPIC_API_KEY: deps.classifier is the offline classifier
  deps = createTestDeps(db.sql, { clock });
  const sites = await db.sql<{ id: number }[]>`
    insert into sites (slug, name) values ('learn-a', 'Ressourcerie A'), ('learn-b', 'Ressourcerie B') returning id`;
  siteA = sites[0]!.id;
  siteB = sites[1]!.id;
  const users = await db.sql<{ id: number }[]>`
    insert into users (site_id, telegram_id, display_name, role, status) values
      (${siteA}, 7101, 'Alice', 'volunteer', 'active'),
      (${siteB}, 7102, 'Bob', 'volunteer', 'active')
    returning id`;
  aliceId = users[0]!.id;
  alice = userActor({ id: aliceId, siteId: siteA, role: 'volunteer' });
  bob = userActor({ id: users[1]!.id, siteId: siteB, role: 'volunteer' });
});

afterAll(async () => {
  await deps?.close();
  await db?.drop();
});

describe('the offline classifier learns from the site', () => {
  it('a category a volunteer corrected wins next time for the same words, on that site only', async () => {
    const before = await proposed(alice, 'bidule X');
    expect(before.categoryCode).not.toBe('large_equipment');

    // proposed as small equipment, the volunteer picked large equipment and typed 37 kg
    await createDeposit(
      deps,
      alice,
      deposit({
        description: 'bidule X',
        itemName: 'Bidule X',
        categoryCode: 'large_equipment',
        decidedBy: 'manual',
        aiCategoryCode: 'small_equipment',
        aiConfidence: 0.15,
        weightKg: 37,
        weightMeasured: true,
      }),
    );
    clock.advance(60_000);

    const after = await proposed(alice, 'bidule X');
    expect(after.categoryCode).toBe('large_equipment');
    expect(after.confidence).toBeGreaterThanOrEqual(LOW_CONFIDENCE);
    expect(after.unitWeightKg).toBe(37);
    // the same words as volunteers type them again: case, plural, condition, quantity
    const again = await proposed(alice, '2 Bidules x HS');
    expect(again).toMatchObject({ categoryCode: 'large_equipment', quantity: 2, unitWeightKg: 37 });

    const elsewhere = await proposed(bob, 'bidule X');
    expect(elsewhere.categoryCode).not.toBe('large_equipment');
    expect(elsewhere.unitWeightKg).toBeNull();
  });

  it('a correction outranks the built-in rules and an older confirmation of the same words', async () => {
    // a microwave, confirmed as proposed, then corrected by a volunteer to the site's habit
    await createDeposit(
      deps,
      alice,
      deposit({ description: 'micro-ondes pro Bartscher', itemName: 'Micro-ondes' }),
    );
    clock.advance(60_000);
    await createDeposit(
      deps,
      alice,
      deposit({
        description: 'micro-ondes pro Bartscher',
        itemName: 'Micro-ondes',
        categoryCode: 'large_equipment',
        decidedBy: 'manual',
        aiCategoryCode: 'small_equipment',
      }),
    );
    clock.advance(60_000);
    expect((await proposed(alice, 'micro ondes pro bartscher')).categoryCode).toBe('large_equipment');
    expect((await proposed(alice, 'micro-ondes Samsung')).categoryCode).toBe('small_equipment');
    expect((await proposed(bob, 'micro-ondes pro Bartscher')).categoryCode).toBe('small_equipment');
  });

  it('the weight volunteers typed for an item becomes its estimate: the median of the typed ones', async () => {
    const lexiconDefault = (await proposed(bob, 'aspirateur traîneau Rowenta')).unitWeightKg;
    for (const [weightKg, quantity, weightMeasured] of [
      [6, 1, true],
      [16, 2, true], // 8 kg each
      [7.5, 1, true],
      [40, 1, false], // estimated, not typed: ignored
    ] as const) {
      await createDeposit(
        deps,
        alice,
        deposit({
          description: 'Aspirateur traîneau Rowenta',
          itemName: 'Aspirateur Rowenta',
          weightKg,
          quantity,
          weightMeasured,
        }),
      );
      clock.advance(60_000);
    }
    const item = await proposed(alice, 'aspirateur traineau rowenta');
    expect(item.categoryCode).toBe('small_equipment');
    expect(item.unitWeightKg).toBe(7.5);
    expect((await proposed(bob, 'aspirateur traîneau Rowenta')).unitWeightKg).toBe(lexiconDefault);
    expect(lexiconDefault).not.toBe(7.5);
  });

  it('lists the site’s examples with corrections first, the item of a several-item message, typed weights', async () => {
    await createDeposit(
      deps,
      alice,
      deposit({ description: 'frigo et télé', itemName: 'Télévision', categoryCode: 'screens', weightKg: 9 }),
    );
    await createDeposit(
      deps,
      alice,
      deposit({
        description: 'frigo et télé',
        itemName: 'Réfrigérateur',
        categoryCode: 'temperature_exchange',
        weightKg: 41,
        weightMeasured: true,
      }),
    );
    const examples = await listRecentExamples(db.sql, siteA, 50);
    const firstPlain = examples.findIndex((e) => !e.corrected);
    expect(examples.slice(0, firstPlain).every((e) => e.corrected)).toBe(true);
    expect(examples.slice(firstPlain).some((e) => e.corrected)).toBe(false);
    expect(examples.find((e) => e.text === 'bidule X')).toMatchObject({
      categoryCode: 'large_equipment',
      corrected: true,
      typedWeightsKg: [37],
    });
    const fridge = examples.find((e) => e.text === 'frigo et télé' && e.itemName === 'Réfrigérateur');
    expect(fridge).toMatchObject({ categoryCode: 'temperature_exchange', typedWeightsKg: [41] });
    expect(examples.find((e) => e.itemName === 'Télévision')).toMatchObject({ typedWeightsKg: [] });
    expect(examples.find((e) => e.text.startsWith('Aspirateur'))!.typedWeightsKg).toEqual([7.5, 8, 6]);
    expect((await listRecentExamples(db.sql, siteB, 50)).map((e) => e.text)).not.toContain('bidule X');

    // the weight typed for the fridge of that message is the estimate for a fridge, not for a television
    expect((await proposed(alice, 'frigo')).unitWeightKg).toBe(41);
    expect((await proposed(alice, 'télé')).unitWeightKg).not.toBe(41);
  });
});
