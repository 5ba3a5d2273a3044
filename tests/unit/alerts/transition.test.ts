import { describe, expect, it } from 'vitest';
import { transition, type OpenAlert, type RuleTiming } from '../../../core/alerts/transition.ts';

const rule: RuleTiming = { forSeconds: 600, repeatSeconds: 4 * 3600, severity: 'warning' };
const t0 = new Date('2026-01-05T10:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

function apply(
  alert: OpenAlert | null,
  active: boolean,
  now: Date,
  extra: Partial<Parameters<typeof transition>[0]> = {},
) {
  return transition({ alert, active, rule, silenced: false, now, ...extra });
}

function firingAlert(): OpenAlert {
  return {
    state: 'firing',
    startedAt: t0,
    firedAt: at(10),
    firingNotifiedAt: at(10),
    lastNotifiedAt: at(10),
    remindersSent: 0,
    acknowledgedAt: null,
  };
}

describe('alert lifecycle', () => {
  it('an inactive condition with no alert does nothing', () => {
    expect(apply(null, false, t0)).toEqual({ type: 'none' });
  });

  it('a new condition opens a pending episode, which fires once `for` has elapsed', () => {
    const opened = apply(null, true, t0);
    expect(opened.type).toBe('open');
    if (opened.type !== 'open') return;
    expect(opened.alert.state).toBe('pending');
    expect(opened.notify).toBeNull();

    expect(apply(opened.alert, true, at(9))).toEqual({ type: 'none' });

    const fired = apply(opened.alert, true, at(10));
    expect(fired.type).toBe('update');
    if (fired.type !== 'update') return;
    expect(fired.alert.state).toBe('firing');
    expect(fired.alert.firedAt).toEqual(at(10));
    expect(fired.notify).toEqual({ kind: 'firing', sequence: 0, notBefore: at(10) });
  });

  it('fires at once when `for` is zero', () => {
    const r = transition({
      alert: null,
      active: true,
      rule: { ...rule, forSeconds: 0 },
      silenced: false,
      now: t0,
    });
    expect(r.type === 'open' && r.alert.state).toBe('firing');
    expect(r.type === 'open' && r.notify?.kind).toBe('firing');
  });

  it('a pending alert that clears before `for` is dropped without any notification', () => {
    const opened = apply(null, true, t0);
    if (opened.type !== 'open') throw new Error('expected open');
    expect(apply(opened.alert, false, at(5))).toEqual({ type: 'drop' });
  });

  it('a firing alert that clears is resolved with one resolve notification', () => {
    const r = apply(firingAlert(), false, at(30));
    expect(r).toEqual({
      type: 'resolve',
      resolvedAt: at(30),
      notify: { kind: 'resolved', sequence: 0, notBefore: at(30) },
    });
  });

  it('sends exactly one reminder per repeat interval while firing', () => {
    const a = firingAlert();
    expect(apply(a, true, at(10 + 239))).toEqual({ type: 'none' });
    const r = apply(a, true, at(10 + 240));
    expect(r.type).toBe('update');
    if (r.type !== 'update') return;
    expect(r.notify).toEqual({ kind: 'reminder', sequence: 1, notBefore: at(250) });
    expect(apply(r.alert, true, at(255))).toEqual({ type: 'none' });
    const second = apply(r.alert, true, at(250 + 240));
    expect(second.type === 'update' && second.notify?.sequence).toBe(2);
  });

  it('an acknowledged alert gets no more reminders but its resolve is still notified', () => {
    const a = { ...firingAlert(), acknowledgedAt: at(20) };
    expect(apply(a, true, at(10 + 24 * 60))).toEqual({ type: 'none' });
    const r = apply(a, false, at(10 + 24 * 60));
    expect(r.type === 'resolve' && r.notify?.kind).toBe('resolved');
  });

  it('a silenced alert changes state but notifies nothing, and fires its notification when the silence ends', () => {
    const opened = transition({
      alert: null,
      active: true,
      rule: { ...rule, forSeconds: 0 },
      silenced: true,
      now: t0,
    });
    if (opened.type !== 'open') throw new Error('expected open');
    expect(opened.alert.state).toBe('firing');
    expect(opened.notify).toBeNull();
    const later = apply(opened.alert, true, at(60));
    expect(later.type === 'update' && later.notify?.kind).toBe('firing');
  });

  it('a silenced alert that resolves sends no resolve notification', () => {
    const r = apply(firingAlert(), false, at(30), { silenced: true });
    expect(r).toEqual({ type: 'resolve', resolvedAt: at(30), notify: null });
  });

  it('a firing alert never notified (silenced all along) resolves quietly', () => {
    const a = { ...firingAlert(), firingNotifiedAt: null, lastNotifiedAt: null };
    expect(apply(a, false, at(30))).toEqual({ type: 'resolve', resolvedAt: at(30), notify: null });
  });

  it('defers a warning during quiet hours to their end, and a critical one not at all', () => {
    const quietHours = { start: '20:00', end: '08:00', timeZone: 'Europe/Paris' };
    const night = new Date('2026-01-05T21:00:00Z'); // 22:00 in Paris
    const warning = transition({
      alert: null,
      active: true,
      rule: { ...rule, forSeconds: 0 },
      silenced: false,
      now: night,
      quietHours,
    });
    expect(warning.type === 'open' && warning.notify?.notBefore.toISOString()).toBe(
      '2026-01-06T07:00:00.000Z',
    );
    const critical = transition({
      alert: null,
      active: true,
      rule: { ...rule, forSeconds: 0, severity: 'critical' },
      silenced: false,
      now: night,
      quietHours,
    });
    expect(critical.type === 'open' && critical.notify?.notBefore).toEqual(night);
  });

  it('counts the repeat interval from the deferred delivery, so the morning gets one message, not two', () => {
    const quietHours = { start: '20:00', end: '08:00', timeZone: 'Europe/Paris' };
    const night = new Date('2026-01-05T21:00:00Z');
    const opened = transition({
      alert: null,
      active: true,
      rule: { ...rule, forSeconds: 0 },
      silenced: false,
      now: night,
      quietHours,
    });
    if (opened.type !== 'open') throw new Error('expected open');
    // 4 h later it is 02:00 in Paris: the firing message has not even been delivered yet
    const r = transition({
      alert: opened.alert,
      active: true,
      rule,
      silenced: false,
      now: new Date('2026-01-06T01:00:00Z'),
      quietHours,
    });
    expect(r).toEqual({ type: 'none' });
  });

  it('after a resolve, the same condition opens a new episode', () => {
    const r = apply(null, true, at(100));
    expect(r.type).toBe('open');
  });
});
