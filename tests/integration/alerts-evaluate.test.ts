import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { createTestDeps, recordingJobs, type TestDeps } from '../helpers/deps.ts';
import {
  alertsOf,
  categoryId,
  makeRule,
  makeSite,
  makeUser,
  notificationsOf,
  setLevel,
} from '../helpers/alert-fixtures.ts';
import { evaluateAlerts } from '../../core/alerts/evaluate.ts';
import { recordPickup } from '../../core/pickups/record-pickup.ts';
import { systemActor } from '../../core/actor.ts';
import { createDefaultAlertRules } from '../../core/alerts/default-rules.ts';
import { createManualClock } from '../../core/clients/clock.ts';

let db: TestDatabase;
let deps: TestDeps;
let jobs: ReturnType<typeof recordingJobs>;

const T0 = new Date('2026-01-05T10:00:00Z'); // 11:00 in Paris, a Monday
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const hours = (n: number) => minutes(n * 60);

beforeAll(async () => {
  db = await createTestDatabase();
  jobs = recordingJobs();
  deps = createTestDeps(db.sql, { jobs, clock: createManualClock(T0) });
});

afterAll(async () => {
  await deps?.close();
  await db?.drop();
});

const evaluate = (siteId: number, now: Date) => evaluateAlerts(deps, { siteId, now });

async function depositAt(siteId: number, userId: number, code: string, weightKg: number, at: Date) {
  await db.sql`
    insert into deposits (site_id, user_id, category_id, item_name, quantity, weight_kg, destination, decided_by, created_at)
    values (${siteId}, ${userId}, ${await categoryId(db.sql, code)}, 'lot', 1, ${weightKg}, 'shop', 'manual', ${at})`;
}

describe('low_stock', () => {
  it('threshold 5: 6 → nothing; 5 → pending, firing after `for`; back to 6 → resolved with one resolve notification', async () => {
    const site = await makeSite(db.sql);
    const manager = await makeUser(db.sql, site);
    await makeRule(db.sql, site, { kind: 'low_stock', threshold: 5, forSeconds: 600 });

    await setLevel(db.sql, site, 'small_equipment', 'shop', { quantity: 6, weightKg: 12 });
    await evaluate(site, T0);
    expect(await alertsOf(db.sql, site)).toEqual([]);

    await setLevel(db.sql, site, 'small_equipment', 'shop', { quantity: 5, weightKg: 10 });
    await evaluate(site, minutes(1));
    let alerts = await alertsOf(db.sql, site);
    expect(alerts.map((a) => [a.kind, a.state, a.value])).toEqual([['low_stock', 'pending', 5]]);
    expect(await notificationsOf(db.sql, site)).toEqual([]);

    await evaluate(site, minutes(10));
    expect((await alertsOf(db.sql, site))[0]!.state).toBe('pending');

    const fired = await evaluate(site, minutes(11));
    expect(fired.fired).toBe(1);
    alerts = await alertsOf(db.sql, site);
    expect(alerts[0]!.state).toBe('firing');
    let notes = await notificationsOf(db.sql, site);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ userId: manager.id, channel: 'telegram', kind: 'firing' });
    expect(notes[0]!.body).toContain('Stock bas — Petits équipements (boutique) : 5 articles (seuil 5)');
    expect(notes[0]!.alertIds).toEqual([alerts[0]!.id]);
    expect(fired.notificationIdsDueNow).toEqual([notes[0]!.id]);

    await setLevel(db.sql, site, 'small_equipment', 'shop', { quantity: 6, weightKg: 12 });
    await evaluate(site, minutes(20));
    await evaluate(site, minutes(25));
    alerts = await alertsOf(db.sql, site);
    expect(alerts.map((a) => a.state)).toEqual(['resolved']);
    notes = await notificationsOf(db.sql, site);
    expect(notes.map((n) => n.kind)).toEqual(['firing', 'resolved']);
    expect(notes[1]!.body).toContain('✅ Résolu — Stock bas, Petits équipements (boutique) : 6 articles.');
  });

  it('a resolved alert that fires again is a new episode', async () => {
    const site = await makeSite(db.sql);
    await makeUser(db.sql, site);
    await makeRule(db.sql, site, { kind: 'low_stock', threshold: 5 });
    await setLevel(db.sql, site, 'lamps', 'shop', { quantity: 2, weightKg: 1 });
    await evaluate(site, T0);
    await setLevel(db.sql, site, 'lamps', 'shop', { quantity: 9, weightKg: 4 });
    await evaluate(site, minutes(5));
    await setLevel(db.sql, site, 'lamps', 'shop', { quantity: 3, weightKg: 1.5 });
    await evaluate(site, minutes(10));
    const alerts = await alertsOf(db.sql, site);
    expect(alerts.map((a) => a.state)).toEqual(['resolved', 'firing']);
    expect((await notificationsOf(db.sql, site)).map((n) => n.kind)).toEqual([
      'firing',
      'resolved',
      'firing',
    ]);
  });
});

describe('inhibition', () => {
  it('out_of_stock and low_stock on the same category: at 0 only out_of_stock fires', async () => {
    const site = await makeSite(db.sql);
    await makeUser(db.sql, site);
    await makeRule(db.sql, site, { kind: 'out_of_stock', threshold: 0 });
    await makeRule(db.sql, site, { kind: 'low_stock', threshold: 5 });
    await setLevel(db.sql, site, 'screens', 'shop', { quantity: 0, weightKg: 0 });
    await evaluate(site, T0);
    await evaluate(site, hours(5));
    expect((await alertsOf(db.sql, site)).map((a) => [a.kind, a.state])).toEqual([
      ['out_of_stock', 'firing'],
    ]);
    const notes = await notificationsOf(db.sql, site);
    expect(notes.map((n) => n.kind)).toEqual(['firing', 'reminder']);
    expect(notes[0]!.body).toContain('Rupture — Écrans (boutique) : plus aucun article');
    expect(notes[0]!.body).not.toContain('Stock bas');
  });

  it('a low_stock already firing is muted, not resolved, while the category is out of stock', async () => {
    const site = await makeSite(db.sql);
    await makeUser(db.sql, site);
    await makeRule(db.sql, site, { kind: 'out_of_stock', threshold: 0 });
    await makeRule(db.sql, site, { kind: 'low_stock', threshold: 5 });
    await setLevel(db.sql, site, 'screens', 'shop', { quantity: 3, weightKg: 20 });
    await evaluate(site, T0);
    await setLevel(db.sql, site, 'screens', 'shop', { quantity: 0, weightKg: 0 });
    await evaluate(site, minutes(5));
    await evaluate(site, hours(5)); // a low_stock reminder would be due: muted
    expect((await alertsOf(db.sql, site)).map((a) => [a.kind, a.state])).toEqual([
      ['low_stock', 'firing'],
      ['out_of_stock', 'firing'],
    ]);
    const notes = await notificationsOf(db.sql, site);
    expect(notes.map((n) => n.kind)).toEqual(['firing', 'firing', 'reminder']);
    expect(notes[0]!.body).toContain('Stock bas');
    expect(notes[1]!.body).toContain('Rupture — Écrans');
    expect(notes[2]!.body).toContain('Rupture — Écrans');
    expect(notes[2]!.body).not.toContain('Stock bas');

    // back in stock but still low: the out_of_stock resolves, low_stock was never resolved
    await setLevel(db.sql, site, 'screens', 'shop', { quantity: 2, weightKg: 10 });
    await evaluate(site, hours(6));
    expect((await alertsOf(db.sql, site)).map((a) => [a.kind, a.state])).toEqual([
      ['low_stock', 'firing'],
      ['out_of_stock', 'resolved'],
    ]);
  });
});

it('container_full 800 kg per flow: 799.9 → nothing; 800 → fires; a pickup to 0 → resolved', async () => {
  const site = await makeSite(db.sql);
  await makeUser(db.sql, site);
  await makeRule(db.sql, site, { kind: 'container_full', threshold: 800 });
  // PAM is small_equipment + small_it_telecom
  await setLevel(db.sql, site, 'small_equipment', 'recycling', { quantity: 40, weightKg: 500 });
  await setLevel(db.sql, site, 'small_it_telecom', 'recycling', { quantity: 30, weightKg: 299.9 });
  await evaluate(site, T0);
  expect(await alertsOf(db.sql, site)).toEqual([]);

  await setLevel(db.sql, site, 'small_it_telecom', 'recycling', { weightKg: 300 });
  await evaluate(site, minutes(1));
  let alerts = await alertsOf(db.sql, site);
  expect(alerts.map((a) => [a.kind, a.state, a.flow, a.value])).toEqual([
    ['container_full', 'firing', 'PAM', 800],
  ]);
  expect((await notificationsOf(db.sql, site))[0]!.body).toContain(
    'Conteneur plein — flux PAM (recyclage) : 800 kg (seuil 800 kg). Pensez à réserver un enlèvement.',
  );

  const pickups = await recordPickup(deps, systemActor, {
    siteId: site,
    flow: 'PAM',
    ecoOrganism: 'ecosystem',
  });
  expect(pickups).toHaveLength(2);
  expect(jobs.calls.alertEvaluations).toContain(site);
  await evaluate(site, minutes(30));
  alerts = await alertsOf(db.sql, site);
  expect(alerts.map((a) => a.state)).toEqual(['resolved']);
  expect((await notificationsOf(db.sql, site)).map((n) => n.kind)).toEqual(['firing', 'resolved']);
});

describe('stockout_forecast', () => {
  it('7 days: 20 in stock and 84 sold over 28 days (3/day) → 6.7 days → fires', async () => {
    const site = await makeSite(db.sql);
    await makeUser(db.sql, site);
    await makeRule(db.sql, site, { kind: 'stockout_forecast', threshold: 7 });
    await setLevel(db.sql, site, 'small_equipment', 'shop', { quantity: 20, weightKg: 40 });
    const cat = await categoryId(db.sql, 'small_equipment');
    // 84 items over the last 28 days, plus old sales that must not count
    await db.sql`
      insert into sales (site_id, category_id, quantity, source, sold_at)
      select ${site}, ${cat}, 3, 'seed', ${T0}::timestamptz - make_interval(days => d) + interval '1 hour'
        from generate_series(1, 28) d`;
    await db.sql`insert into sales (site_id, category_id, quantity, source, sold_at)
      values (${site}, ${cat}, 500, 'seed', ${T0}::timestamptz - interval '40 days')`;
    await evaluate(site, T0);
    const alerts = await alertsOf(db.sql, site);
    expect(alerts.map((a) => [a.kind, a.state, a.value])).toEqual([['stockout_forecast', 'firing', 6.667]]);
    expect((await notificationsOf(db.sql, site))[0]!.body).toContain(
      'Rupture prévue — Petits équipements (boutique) : 20 articles, environ 6,7 jours au rythme de 3 ventes/jour',
    );
  });

  it('no sales at all → no pace, no forecast, no alert', async () => {
    const site = await makeSite(db.sql);
    await makeUser(db.sql, site);
    await makeRule(db.sql, site, { kind: 'stockout_forecast', threshold: 7 });
    await setLevel(db.sql, site, 'small_equipment', 'shop', { quantity: 1, weightKg: 2 });
    await evaluate(site, T0);
    expect(await alertsOf(db.sql, site)).toEqual([]);
  });
});

describe('intake_drop 50 %', () => {
  async function siteWithIntake(lastWeekKg: number) {
    const site = await makeSite(db.sql);
    const volunteer = await makeUser(db.sql, site, { role: 'volunteer' });
    await makeUser(db.sql, site);
    await makeRule(db.sql, site, { kind: 'intake_drop', threshold: 50 });
    // previous 4 weeks: 400 kg a week
    for (let week = 1; week <= 4; week++) {
      await depositAt(
        site,
        volunteer.id,
        'large_equipment',
        250,
        new Date(T0.getTime() - (week * 7 + 2) * 86_400_000),
      );
      await depositAt(
        site,
        volunteer.id,
        'small_equipment',
        150,
        new Date(T0.getTime() - (week * 7 + 3) * 86_400_000),
      );
    }
    await depositAt(
      site,
      volunteer.id,
      'small_equipment',
      lastWeekKg,
      new Date(T0.getTime() - 2 * 86_400_000),
    );
    return site;
  }

  it('previous 4 weeks average 400 kg/week, last 7 days 199 kg → fires', async () => {
    const site = await siteWithIntake(199);
    await evaluate(site, T0);
    const alerts = await alertsOf(db.sql, site);
    expect(alerts.map((a) => [a.kind, a.state, a.value])).toEqual([['intake_drop', 'firing', 49.8]]);
    expect((await notificationsOf(db.sql, site))[0]!.body).toContain(
      'Baisse des dépôts — tous les dépôts : 199 kg ces 7 derniers jours',
    );
  });

  it('last 7 days 200 kg → nothing', async () => {
    const site = await siteWithIntake(200);
    await evaluate(site, T0);
    expect(await alertsOf(db.sql, site)).toEqual([]);
  });
});

describe('reminders', () => {
  it('repeat 4 h: one reminder after 4 h, none once acknowledged, and the resolve is still notified', async () => {
    const site = await makeSite(db.sql);
    const manager = await makeUser(db.sql, site);
    await makeRule(db.sql, site, { kind: 'low_stock', threshold: 5, repeatSeconds: 4 * 3600 });
    await setLevel(db.sql, site, 'lamps', 'shop', { quantity: 1, weightKg: 0.5 });
    await evaluate(site, T0);
    await evaluate(site, hours(2));
    expect((await notificationsOf(db.sql, site)).map((n) => n.kind)).toEqual(['firing']);

    const r1 = await evaluate(site, hours(4));
    expect(r1.reminders).toBe(1);
    await evaluate(site, minutes(4 * 60 + 5));
    await evaluate(site, minutes(4 * 60 + 10));
    let notes = await notificationsOf(db.sql, site);
    expect(notes.map((n) => n.kind)).toEqual(['firing', 'reminder']);
    expect(notes[1]!.body).toMatch(/^⏰ Rappel/);

    const [alert] = await alertsOf(db.sql, site);
    await db.sql`update alerts set acknowledged_at = ${hours(5)}, acknowledged_by_user_id = ${manager.id},
                   version = version + 1 where id = ${alert!.id}`;
    await evaluate(site, hours(8));
    await evaluate(site, hours(12));
    expect((await notificationsOf(db.sql, site)).map((n) => n.kind)).toEqual(['firing', 'reminder']);

    await setLevel(db.sql, site, 'lamps', 'shop', { quantity: 10, weightKg: 5 });
    await evaluate(site, hours(13));
    notes = await notificationsOf(db.sql, site);
    expect(notes.map((n) => n.kind)).toEqual(['firing', 'reminder', 'resolved']);
  });
});

describe('quiet hours 20:00–08:00 Europe/Paris', () => {
  const night = new Date('2026-01-05T21:00:00Z'); // 22:00 in Paris

  it('a warning firing at 22:00 is notified at 08:00; a critical one at once', async () => {
    const site = await makeSite(db.sql, { quietStart: '20:00', quietEnd: '08:00' });
    await makeUser(db.sql, site);
    await makeRule(db.sql, site, { kind: 'low_stock', threshold: 5, severity: 'warning' });
    await makeRule(db.sql, site, { kind: 'container_full', threshold: 100, severity: 'critical' });
    await setLevel(db.sql, site, 'lamps', 'shop', { quantity: 1, weightKg: 0.5 });
    await setLevel(db.sql, site, 'lamps', 'recycling', { quantity: 100, weightKg: 150 });

    const result = await evaluate(site, night);
    const notes = await notificationsOf(db.sql, site);
    expect(notes).toHaveLength(2);
    const warning = notes.find((n) => n.body.includes('Stock bas'))!;
    const critical = notes.find((n) => n.body.includes('Conteneur plein'))!;
    expect(warning.notBefore.toISOString()).toBe('2026-01-06T07:00:00.000Z');
    expect(critical.notBefore.toISOString()).toBe(night.toISOString());
    // only the critical one is handed to the sender now
    expect(result.notificationIdsDueNow).toEqual([critical.id]);

    // both are handed to the sender, which holds the warning back until its not_before
    expect(result.notificationIds.sort()).toEqual([warning.id, critical.id].sort());
    expect(jobs.calls.notifications).toEqual(expect.arrayContaining([warning.id, critical.id]));
  });
});

describe('recipients and grouping', () => {
  it('alerts firing together go to each active manager in one message per channel; volunteers get nothing', async () => {
    const site = await makeSite(db.sql);
    const tg = await makeUser(db.sql, site, { channel: 'telegram' });
    const wa = await makeUser(db.sql, site, { channel: 'whatsapp', whatsapp: true });
    const both = await makeUser(db.sql, site, { channel: 'both', whatsapp: true });
    const waNotOptedIn = await makeUser(db.sql, site, { channel: 'whatsapp' });
    await makeUser(db.sql, site, { role: 'volunteer' });
    await makeUser(db.sql, site, { status: 'disabled' });
    await makeRule(db.sql, site, { kind: 'low_stock', threshold: 5 });
    await setLevel(db.sql, site, 'lamps', 'shop', { quantity: 1, weightKg: 0.5 });
    await setLevel(db.sql, site, 'screens', 'shop', { quantity: 2, weightKg: 10 });
    await evaluate(site, T0);

    const alerts = await alertsOf(db.sql, site);
    expect(alerts).toHaveLength(2);
    const notes = await notificationsOf(db.sql, site);
    expect(notes.map((n) => [n.userId, n.channel]).sort()).toEqual(
      [
        [tg.id, 'telegram'],
        [wa.id, 'whatsapp'],
        [both.id, 'whatsapp'],
        [both.id, 'telegram'],
        [waNotOptedIn.id, 'telegram'],
      ].sort(),
    );
    for (const n of notes) {
      expect(n.alertIds).toEqual(alerts.map((a) => a.id));
      expect(n.body.split('\n')[0]).toMatch(/— 2 alertes$/);
    }
  });
});

describe('no data', () => {
  it('a new site with default rules and no stock rows raises nothing', async () => {
    const site = await makeSite(db.sql);
    await makeUser(db.sql, site);
    await db.sql.begin((tx) => createDefaultAlertRules(tx, site));
    const result = await evaluate(site, T0);
    expect(result.candidates).toBe(0);
    expect(await alertsOf(db.sql, site)).toEqual([]);
  });

  it('default rules only speak about categories that have stock rows', async () => {
    const site = await makeSite(db.sql);
    await makeUser(db.sql, site);
    await db.sql.begin((tx) => createDefaultAlertRules(tx, site));
    await setLevel(db.sql, site, 'lamps', 'shop', { quantity: 0, weightKg: 0 });
    await setLevel(db.sql, site, 'screens', 'shop', { quantity: 30, weightKg: 200 });
    await evaluate(site, T0);
    await evaluate(site, hours(1));
    const alerts = await alertsOf(db.sql, site);
    expect(alerts.map((a) => [a.kind, a.state, a.categoryId])).toEqual([
      ['out_of_stock', 'firing', await categoryId(db.sql, 'lamps')],
    ]);
  });
});

describe('rule scope', () => {
  it('a per-category rule overrides the site-wide one for that category only', async () => {
    const site = await makeSite(db.sql);
    await makeUser(db.sql, site);
    await makeRule(db.sql, site, { kind: 'low_stock', threshold: 2 });
    await makeRule(db.sql, site, { kind: 'low_stock', threshold: 10, categoryCode: 'screens' });
    await setLevel(db.sql, site, 'screens', 'shop', { quantity: 8, weightKg: 80 });
    await setLevel(db.sql, site, 'lamps', 'shop', { quantity: 8, weightKg: 4 });
    await evaluate(site, T0);
    const alerts = await alertsOf(db.sql, site);
    expect(alerts.map((a) => [a.kind, a.categoryId, a.value])).toEqual([
      ['low_stock', await categoryId(db.sql, 'screens'), 8],
    ]);
  });
});

describe('concurrency', () => {
  async function twin() {
    const site = await makeSite(db.sql);
    await makeUser(db.sql, site);
    await makeUser(db.sql, site, { channel: 'both', whatsapp: true });
    await makeRule(db.sql, site, { kind: 'low_stock', threshold: 5 });
    await makeRule(db.sql, site, { kind: 'container_full', threshold: 100 });
    for (const code of ['lamps', 'screens', 'small_equipment', 'large_equipment']) {
      await setLevel(db.sql, site, code, 'shop', { quantity: 1, weightKg: 3 });
      await setLevel(db.sql, site, code, 'recycling', { quantity: 10, weightKg: 300 });
    }
    return site;
  }
  const shape = async (site: number) =>
    (await notificationsOf(db.sql, site)).map((n) => `${n.kind}/${n.channel}/${n.alertIds.length}`).sort();

  it('two evaluations started at the same time produce the same notifications as one', async () => {
    const once = await twin();
    const racing = await twin();
    await evaluate(once, T0);
    const results = await Promise.all([evaluate(racing, T0), evaluate(racing, T0), evaluate(racing, T0)]);
    expect(await shape(racing)).toEqual(await shape(once));
    expect((await alertsOf(db.sql, racing)).length).toBe((await alertsOf(db.sql, once)).length);
    expect(results.reduce((n, r) => n + r.notifications, 0)).toBe(
      (await notificationsOf(db.sql, once)).length,
    );

    // and again at the reminder time, with a whole-database evaluation racing a single-site one
    await Promise.all([evaluateAlerts(deps, { now: hours(4) }), evaluate(racing, hours(4))]);
    await evaluate(once, hours(4));
    expect(await shape(racing)).toEqual(await shape(once));
    expect((await shape(racing)).filter((s) => s.startsWith('reminder'))).not.toHaveLength(0);
  });
});

describe('crash mid-run', () => {
  it('a run that dies after some batches committed loses nothing and duplicates nothing when run again', async () => {
    const first = await makeSite(db.sql);
    const second = await makeSite(db.sql);
    for (const site of [first, second]) {
      await makeUser(db.sql, site);
      await makeRule(db.sql, site, { kind: 'low_stock', threshold: 5 });
      await setLevel(db.sql, site, 'lamps', 'shop', { quantity: 1, weightKg: 0.5 });
    }
    // the second site's batch fails half-way (its alerts are inserted, then writing its notification throws)
    await db.sql.unsafe(`
      create function fail_for_site() returns trigger language plpgsql as $$
      begin
        if new.site_id = ${second} then raise exception 'simulated crash'; end if;
        return new;
      end $$;
      create trigger crash_notifications before insert on notifications
        for each row execute function fail_for_site();`);
    const now = hours(24 * 50);
    await expect(evaluateAlerts(deps, { now, batchSize: 1 })).rejects.toThrow(/simulated crash/);
    expect((await alertsOf(db.sql, first)).map((a) => a.state)).toEqual(['firing']);
    expect(await notificationsOf(db.sql, first)).toHaveLength(1);
    expect(await alertsOf(db.sql, second)).toEqual([]); // rolled back with its batch

    await db.sql.unsafe('drop trigger crash_notifications on notifications; drop function fail_for_site()');
    await evaluateAlerts(deps, { now: new Date(now.getTime() + 60_000), batchSize: 1 });
    expect(await notificationsOf(db.sql, first)).toHaveLength(1);
    expect((await alertsOf(db.sql, second)).map((a) => a.state)).toEqual(['firing']);
    expect(await notificationsOf(db.sql, second)).toHaveLength(1);
  });
});

describe('rule changes', () => {
  it('disabling a rule resolves its open alerts without a message; a new threshold is shown on the alert', async () => {
    const site = await makeSite(db.sql);
    await makeUser(db.sql, site);
    const rule = await makeRule(db.sql, site, { kind: 'low_stock', threshold: 5 });
    await setLevel(db.sql, site, 'lamps', 'shop', { quantity: 3, weightKg: 1.5 });
    await evaluate(site, T0);
    await db.sql`update alert_rules set threshold = 4 where id = ${rule}`;
    await evaluate(site, minutes(5));
    const [open] = await db.sql`select threshold from alerts where site_id = ${site}`;
    expect(open!.threshold).toBe(4);
    await db.sql`update alert_rules set enabled = false where id = ${rule}`;
    await evaluate(site, minutes(10));
    expect((await alertsOf(db.sql, site)).map((a) => a.state)).toEqual(['resolved']);
    expect((await notificationsOf(db.sql, site)).map((n) => n.kind)).toEqual(['firing']);
  });
});
