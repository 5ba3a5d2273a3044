/** Queue names and their payloads. Payloads carry ids only: never message text or phone numbers. */
export const QUEUES = {
  alertEvaluation: 'alert-evaluation',
  notifications: 'notifications',
  /** the periodic hand-over of due notifications that no live job carries */
  notificationRelease: 'notifications-release',
  /** hourly: last month's report to the managers of sites where it is the 1st, 08:00 */
  monthlyReports: 'monthly-reports',
} as const;

/** Every Depot queue, for the dashboard and the queue metrics. */
export const QUEUE_NAMES: readonly string[] = Object.values(QUEUES);

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
