import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyActor, userActor, type Actor } from '../../core/actor.ts';
import type { ClassificationResult } from '../../core/classify/types.ts';
import { createManualClock } from '../../core/clients/clock.ts';
import { continueDeposit } from '../../core/deposits/continue-deposit.ts';
import type { ConversationState } from '../../core/deposits/conversation/model.ts';
import { startConversation } from '../../core/deposits/conversation/start.ts';
import { handleAction } from '../../core/deposits/conversation/steps.ts';
import { proposeDeposit } from '../../core/deposits/propose-deposit.ts';
import { saveDeposits } from '../../core/deposits/save-deposits.ts';
import { isAppError } from '../../core/errors.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createTestDeps, type TestDeps } from '../helpers/deps.ts';

let db: TestDatabase;
let deps: TestDeps;
let siteA: number;
let siteB: number;
let aliceId: number;
let alice: Actor;
let disabled: Actor;

const scope = () => `test:${randomBytes(6).toString('hex')}`;

async function depositsOf(siteId: number) {
  return db.sql<{ code: string; itemName: string; weightKg: number; idempotencyKey: string | null }[]>`
    select c.code, d.item_name, d.weight_kg, d.idempotency_key
      from deposits d join categories c on c.id = d.category_id
     where d.site_id = ${siteId} order by d.id`;
}

async function errorOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

/** A conversation of site A with the given items proposed with certainty (no classifier involved). */
async function conversation(items: { code: string; name: string; kg: number }[]): Promise<ConversationState> {
  const categories = await db.sql<{ code: string; labelFr: string; weeeCode: string }[]>`
    select code, label_fr, weee_code from categories where site_id is null or site_id = ${siteA} order by id`;
  const result: ClassificationResult = {
    source: 'ai',
    model: 'claude-haiku-4-5',
    items: items.map((i) => ({
      categoryCode: i.code,
      itemName: i.name,
      quantity: 1,
      weightKg: i.kg,
      condition: 'working',
      destination: 'shop',
      confidence: 0.95,
      alternatives: [],
    })),
  };
  const step = startConversation({
    id: randomBytes(6).toString('base64url'),
    createdAt: '2026-03-02T09:00:00.000Z',
    description: items.map((i) => i.name).join(', '),
    photoFileId: null,
    categories,
    result,
  });
  return step.state!;
}

beforeAll(async () => {
  db = await createTestDatabase();
  // no ANTHROPIC_API_KEY: deps.classifier is the offline classifier
  deps = createTestDeps(db.sql, { clock: createManualClock('2026-03-02T09:00:00Z') });
  const sites = await db.sql<{ id: number }[]>`
    insert into sites (slug, name) values ('verbs-a', 'Ressourcerie A'), ('verbs-b', 'Ressourcerie B') returning id`;
  siteA = sites[0]!.id;
  siteB = sites[1]!.id;
  const users = await db.sql<{ id: number }[]>`
    insert into users (site_id, telegram_id, display_name, role, status) values
      (${siteA}, 5001, 'Alice', 'volunteer', 'active'),
      (${siteA}, 5002, 'Dominique', 'volunteer', 'disabled')
    returning id`;
  aliceId = users[0]!.id;
  alice = userActor({ id: aliceId, siteId: siteA, role: 'volunteer' });
  disabled = userActor({ id: users[1]!.id, siteId: siteA, role: 'volunteer' });
  await db.sql`
    insert into categories (site_id, parent_id, code, weee_code, label_fr)
    select ${siteA}, id, 'micro_ondes', weee_code, 'Micro-ondes' from categories where code = 'small_equipment'`;
  await db.sql`
    insert into categories (site_id, parent_id, code, weee_code, label_fr)
    select ${siteB}, id, 'velos_elec', weee_code, 'Vélos électriques' from categories where code = 'large_equipment'`;
});

afterAll(async () => {
  await deps?.close();
  await db?.drop();
});

describe('proposeDeposit', () => {
  it('proposes among the site’s own categories, offline without Claude, and records nothing yet', async () => {
    const step = await proposeDeposit(deps, alice, {
      text: '  micro-ondes Moulinex, marche ',
      photoFileId: null,
    });
    const state = step.state!;
    expect(state.source).toBe('offline');
    expect(state.description).toBe('micro-ondes Moulinex, marche');
    expect(state.items[0]).toMatchObject({ categoryCode: 'micro_ondes', status: 'open' });
    const codes = state.categories.map((c) => c.code);
    expect(codes).toContain('micro_ondes');
    expect(codes).not.toContain('velos_elec');
    expect(step.messages[0]!.text).toContain('Micro-ondes');
    expect(await depositsOf(siteA)).toEqual([]);
  });

  it('with nothing to classify, the volunteer picks the category', async () => {
    const step = await proposeDeposit(deps, alice, { text: '   ', photoFileId: null });
    expect(step.state).toMatchObject({ source: 'manual', awaiting: 'category', description: null });
    expect(step.messages[0]!.text).toMatch(/Quelle catégorie/);
  });

  it('is for an active user of the site: not a disabled account, another site, nor an API key', async () => {
    const input = { text: 'grille-pain', photoFileId: null };
    const refused = await errorOf(proposeDeposit(deps, disabled, input));
    expect(isAppError(refused) && refused.code).toBe('forbidden');
    const elsewhere = userActor({ id: aliceId, siteId: siteB, role: 'volunteer' });
    const foreign = await errorOf(proposeDeposit(deps, elsewhere, input));
    expect(isAppError(foreign) && foreign.code).toBe('not_found');
    const key = await errorOf(proposeDeposit(deps, keyActor('api_key', 1, siteA), input));
    expect(isAppError(key) && key.code).toBe('forbidden');
  });
});

describe('saveDeposits', () => {
  it('keeps what was saved when a later item fails; Valider again saves the rest once', async () => {
    const state = await conversation([
      { code: 'small_equipment', name: 'Grille-pain', kg: 1.5 },
      { code: 'micro_ondes', name: 'Micro-ondes', kg: 12 },
    ]);
    const all = handleAction(state, { type: 'all', conv: state.id });
    expect(all.save).toHaveLength(2);
    const idempotencyScope = scope();
    await db.sql`update categories set active = false where code = 'micro_ondes'`;
    const partial = await saveDeposits(deps, alice, { state: all.state!, save: all.save, idempotencyScope });
    await db.sql`update categories set active = true where code = 'micro_ondes'`;
    expect(partial).toMatchObject({ saved: 1, failure: 'category_gone' });
    expect(partial.state!.items.map((i) => i.status)).toEqual(['saved', 'open']);
    expect(partial.messages[0]!.text).toMatch(/Dépôt n°\d+ enregistré : Grille-pain/);
    expect((await depositsOf(siteA)).map((d) => d.code)).toEqual(['small_equipment']);

    const retry = handleAction(partial.state, { type: 'ok', conv: state.id, index: 1 });
    const done = await saveDeposits(deps, alice, { state: retry.state!, save: retry.save, idempotencyScope });
    expect(done).toMatchObject({ saved: 1, failure: null, state: null });
    // the first tap redelivered: same keys, nothing written twice
    const again = await saveDeposits(deps, alice, { state: all.state!, save: all.save, idempotencyScope });
    expect(again).toMatchObject({ saved: 2, failure: null });
    const rows = await depositsOf(siteA);
    expect(rows.map((d) => d.code)).toEqual(['small_equipment', 'micro_ondes']);
    expect(rows.map((d) => d.idempotencyKey)).toEqual([
      `${idempotencyScope}:conv:${state.id}:0`,
      `${idempotencyScope}:conv:${state.id}:1`,
    ]);
  });

  it('impossible figures are refused as such and nothing is written', async () => {
    const state = await conversation([{ code: 'lamps', name: 'Lampe', kg: 0.5 }]);
    const ok = handleAction(state, { type: 'ok', conv: state.id, index: 0 });
    const before = (await depositsOf(siteA)).length;
    const result = await saveDeposits(deps, alice, {
      state: ok.state!,
      save: [{ ...ok.save[0]!, weightKg: 250_000 }],
      idempotencyScope: scope(),
    });
    expect(result).toMatchObject({ saved: 0, failure: 'impossible_values', messages: [] });
    expect(result.state).toBe(ok.state);
    expect(await depositsOf(siteA)).toHaveLength(before);
  });

  it('refuses a disabled account before writing anything', async () => {
    const state = await conversation([{ code: 'lamps', name: 'Lampe', kg: 0.5 }]);
    const ok = handleAction(state, { type: 'ok', conv: state.id, index: 0 });
    const before = (await depositsOf(siteA)).length;
    const err = await errorOf(
      saveDeposits(deps, disabled, { state: ok.state!, save: ok.save, idempotencyScope: scope() }),
    );
    expect(isAppError(err) && err.code).toBe('forbidden');
    expect(await depositsOf(siteA)).toHaveLength(before);
  });
});

describe('continueDeposit', () => {
  it('reads a typed correction, then Valider records the deposit with it', async () => {
    const state = await conversation([{ code: 'small_equipment', name: 'Bouilloire', kg: 1 }]);
    const idempotencyScope = scope();
    const queue = { open: [state], finished: [] };
    const typed = await continueDeposit(deps, alice, { queue, text: ' 3,5 kg ', idempotencyScope });
    expect(typed).toMatchObject({ saved: 0, failure: null });
    expect(typed.messages[0]!.text).toContain('Poids : 3,5 kg ✔️');
    const action = { type: 'ok', conv: state.id, index: 0 } as const;
    const ok = await continueDeposit(deps, alice, { queue: typed.queue, action, idempotencyScope });
    expect(ok).toMatchObject({ saved: 1, failure: null, state: null, queue: { open: [] } });
    expect((await depositsOf(siteA)).at(-1)).toMatchObject({ itemName: 'Bouilloire', weightKg: 3.5 });
  });

  it('a button of a conversation that is over changes nothing', async () => {
    const action = { type: 'ok', conv: 'gone', index: 0 } as const;
    const before = (await depositsOf(siteA)).length;
    const queue = { open: [], finished: [] };
    const stale = await continueDeposit(deps, alice, { queue, action, idempotencyScope: scope() });
    expect(stale).toMatchObject({ saved: 0, clearButtons: true, toast: 'Ce dépôt n’est plus en cours.' });
    expect(await depositsOf(siteA)).toHaveLength(before);
  });
});
