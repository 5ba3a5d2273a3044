import { quietHoursEnd, type QuietHours } from './quiet-hours.ts';
import type { AlertNotificationKind, AlertSeverity, OpenAlertState } from '../vocabulary.ts';

/**
 * The alert lifecycle, as Prometheus Alertmanager runs it, as one pure function:
 * inactive → pending → firing (after the rule's `for`) → resolved; a resolved alert that fires again
 * is a new episode. Notifications: on firing, on resolve (only for an episode the manager heard of),
 * and a reminder every repeat interval while firing and unacknowledged. Silenced alerts change state
 * but notify nothing; quiet hours defer non-critical notifications to their end.
 */

export type { AlertSeverity, OpenAlertState, AlertNotificationKind } from '../vocabulary.ts';

export interface OpenAlert {
  state: OpenAlertState;
  startedAt: Date;
  firedAt: Date | null;
  firingNotifiedAt: Date | null;
  /** when the last firing / reminder notification is (or will be, if deferred) delivered */
  lastNotifiedAt: Date | null;
  remindersSent: number;
  acknowledgedAt: Date | null;
}

export interface RuleTiming {
  forSeconds: number;
  repeatSeconds: number;
  severity: AlertSeverity;
}

export interface TransitionInput {
  /** the open episode for this fingerprint, if any */
  alert: OpenAlert | null;
  /** whether the rule's condition holds now */
  active: boolean;
  rule: RuleTiming;
  silenced: boolean;
  now: Date;
  quietHours?: QuietHours | null;
}

export interface PlannedNotification {
  kind: AlertNotificationKind;
  /** 0 for firing and resolved, n for the n-th reminder: part of the exactly-once key */
  sequence: number;
  notBefore: Date;
}

export type Transition =
  | { type: 'none' }
  /** a new episode */
  | { type: 'open'; alert: OpenAlert; notify: PlannedNotification | null }
  | { type: 'update'; alert: OpenAlert; notify: PlannedNotification | null }
  | { type: 'resolve'; resolvedAt: Date; notify: PlannedNotification | null }
  /** a pending alert whose condition cleared before `for` elapsed: it never fired, forget it */
  | { type: 'drop' };

export function notBeforeFor(now: Date, severity: AlertSeverity, quiet: QuietHours | null | undefined): Date {
  if (severity === 'critical') return now;
  return quietHoursEnd(now, quiet) ?? now;
}

export function transition(input: TransitionInput): Transition {
  const { alert, active, rule, silenced, now } = input;
  const notBefore = () => notBeforeFor(now, rule.severity, input.quietHours);

  if (!alert) {
    if (!active) return { type: 'none' };
    const fresh: OpenAlert = {
      state: 'pending',
      startedAt: now,
      firedAt: null,
      firingNotifiedAt: null,
      lastNotifiedAt: null,
      remindersSent: 0,
      acknowledgedAt: null,
    };
    const advanced = advance(fresh, rule, silenced, now, notBefore);
    return { type: 'open', alert: advanced.alert, notify: advanced.notify };
  }

  if (!active) {
    if (alert.state === 'pending') return { type: 'drop' };
    const heardOf = alert.firingNotifiedAt !== null || alert.acknowledgedAt !== null;
    return {
      type: 'resolve',
      resolvedAt: now,
      notify: heardOf && !silenced ? { kind: 'resolved', sequence: 0, notBefore: notBefore() } : null,
    };
  }

  const advanced = advance(alert, rule, silenced, now, notBefore);
  if (!advanced.changed) return { type: 'none' };
  return { type: 'update', alert: advanced.alert, notify: advanced.notify };
}

function advance(
  current: OpenAlert,
  rule: RuleTiming,
  silenced: boolean,
  now: Date,
  notBefore: () => Date,
): { alert: OpenAlert; notify: PlannedNotification | null; changed: boolean } {
  const next: OpenAlert = { ...current };
  let changed = false;
  let notify: PlannedNotification | null = null;
  const t = now.getTime();

  if (next.state === 'pending' && t - next.startedAt.getTime() >= rule.forSeconds * 1000) {
    next.state = 'firing';
    next.firedAt = now;
    changed = true;
  }
  if (next.state === 'firing' && !silenced) {
    if (next.firingNotifiedAt === null) {
      // an alert acknowledged before anyone was told (e.g. while silenced) needs no firing message
      if (next.acknowledgedAt === null) {
        notify = { kind: 'firing', sequence: 0, notBefore: notBefore() };
        next.lastNotifiedAt = notify.notBefore;
      }
      next.firingNotifiedAt = now;
      changed = true;
    } else if (
      next.acknowledgedAt === null &&
      t - (next.lastNotifiedAt ?? next.firingNotifiedAt).getTime() >= rule.repeatSeconds * 1000
    ) {
      notify = { kind: 'reminder', sequence: next.remindersSent + 1, notBefore: notBefore() };
      next.remindersSent += 1;
      next.lastNotifiedAt = notify.notBefore;
      changed = true;
    }
  }
  return { alert: next, notify, changed };
}
