/** Queue names and their payloads. Payloads carry ids only: never message text or phone numbers. */
export const QUEUES = {
  alertEvaluation: 'alert-evaluation',
  notifications: 'notifications',
} as const;

export interface AlertEvaluationPayload {
  /** null: every site (the scheduled pass) */
  siteId: number | null;
  reason: 'schedule' | 'stock_moved' | 'manual';
}

export interface NotificationPayload {
  notificationId: number;
}

/** Seconds a stock movement waits before its site is evaluated, so a burst gives one evaluation. */
export const ALERT_DEBOUNCE_MS = 5_000;
