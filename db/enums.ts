/**
 * The schema's vocabulary: every enum type of db/migrations, and every text column whose CHECK lists
 * its allowed values, as an `as const` array (same order as the SQL) and its type. Everything else
 * derives from here (TypeScript unions, zod schemas); tests/unit/db-enums.test.ts fails when a
 * migration and this file disagree. A leaf module: it imports nothing.
 */

// create type … as enum (0001_initial.sql)

export const USER_ROLES = ['volunteer', 'manager', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const USER_STATUSES = ['pending', 'active', 'rejected', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** users.notify_channel: where a user wants alerts */
export const NOTIFY_CHANNEL_PREFS = ['whatsapp', 'telegram', 'both'] as const;
export type NotifyChannelPref = (typeof NOTIFY_CHANNEL_PREFS)[number];

export const ITEM_CONDITIONS = ['working', 'repairable', 'broken', 'unknown'] as const;
export type ItemCondition = (typeof ITEM_CONDITIONS)[number];

/** Where a deposited item goes; 'waste' is recorded but never enters stock. */
export const ITEM_DESTINATIONS = ['shop', 'repair', 'recycling', 'waste'] as const;
export type ItemDestination = (typeof ITEM_DESTINATIONS)[number];

export const STOCK_STREAMS = ['shop', 'repair', 'recycling'] as const;
export type StockStream = (typeof STOCK_STREAMS)[number];

/** Who chose a deposit's category: the LLM, the offline classifier, or the volunteer. */
export const DECIDED_BY = ['ai', 'offline', 'manual'] as const;
export type DecidedBy = (typeof DECIDED_BY)[number];

export const DEPOSIT_STATUSES = ['confirmed', 'cancelled'] as const;
export type DepositStatus = (typeof DEPOSIT_STATUSES)[number];

/** 'outflow' and 'reversal' come from 0005_ledger.sql */
export const MOVEMENT_KINDS = [
  'deposit',
  'sale',
  'pickup',
  'transfer',
  'adjustment',
  'cancellation',
  'outflow',
  'reversal',
] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

export const ALERT_KINDS = [
  'out_of_stock',
  'low_stock',
  'container_full',
  'stockout_forecast',
  'intake_drop',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const ALERT_STATES = ['pending', 'firing', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];
/** an episode still open (alerts_open_fingerprint_uq): at most one per fingerprint */
export const OPEN_ALERT_STATES = ['pending', 'firing'] as const satisfies readonly AlertState[];
export type OpenAlertState = (typeof OPEN_ALERT_STATES)[number];

export const NOTIFICATION_CHANNELS = ['whatsapp', 'telegram'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

export const NOTIFICATION_KINDS = [
  'firing',
  'resolved',
  'reminder',
  'verification',
  'reply',
  'fallback',
  // 0006_reports.sql: the monthly report
  'report',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
/** the notification kinds an alert episode sends */
export const ALERT_NOTIFICATION_KINDS = [
  'firing',
  'reminder',
  'resolved',
] as const satisfies readonly NotificationKind[];
export type AlertNotificationKind = (typeof ALERT_NOTIFICATION_KINDS)[number];

export const NOTIFICATION_STATUSES = [
  'pending',
  'queued',
  'sending',
  'sent',
  'delivered',
  'read',
  'failed',
  'undelivered',
] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

// create type … as enum (0005_ledger.sql)

/** deposits.source: how the items reached the site */
export const INTAKE_SOURCES = ['drop_off', 'home_collection', 'house_clearance', 'partner'] as const;
export type IntakeSource = (typeof INTAKE_SOURCES)[number];

/** Where stock goes out; 'inventory' names a physical count's adjustments, never an outflow row's channel. */
export const OUTFLOW_CHANNELS = [
  'sale',
  'gift',
  'partner',
  'eco_organism',
  'waste',
  'transfer',
  'inventory',
] as const;
export type OutflowChannel = (typeof OUTFLOW_CHANNELS)[number];

// create type … as enum (0006_reports.sql)

/** sale_imports.status: a till import being written, done, or stopped by an error (which may be retried) */
export const SALE_IMPORT_STATUSES = ['processing', 'completed', 'failed'] as const;
export type SaleImportStatus = (typeof SALE_IMPORT_STATUSES)[number];

// text columns with a CHECK (… in (…)) list

/** categories.weee_code: the global WEEE codes of DESIGN.md, in their display order (seeded by 0001). */
export const WEEE_CODES = [
  'temperature_exchange',
  'screens',
  'lamps',
  'large_equipment',
  'small_equipment',
  'small_it_telecom',
  'photovoltaic_panels',
  'non_eee',
] as const;
export type WeeeCode = (typeof WEEE_CODES)[number];

/** invites.role: an invite never makes an admin */
export const INVITE_ROLES = ['volunteer', 'manager'] as const satisfies readonly UserRole[];
export type InviteRole = (typeof INVITE_ROLES)[number];

/** sales.source; 'seed' marks demo data written by db/seed.ts */
export const SALE_SOURCES = ['api', 'csv', 'bot', 'till', 'seed'] as const;
export type SaleSource = (typeof SALE_SOURCES)[number];
/** the sources a caller may declare when recording a sale */
export const RECORDED_SALE_SOURCES = ['api', 'csv', 'bot', 'till'] as const satisfies readonly SaleSource[];
export type RecordedSaleSource = (typeof RECORDED_SALE_SOURCES)[number];

/** processed_updates.source: whose update ids are claimed once */
export const UPDATE_SOURCES = ['telegram', 'twilio_inbound'] as const;
export type UpdateSource = (typeof UPDATE_SOURCES)[number];

/** audit_log.actor_type; 'cli' (the admin command line) comes from 0007_cli_audit.sql */
export const AUDIT_ACTOR_TYPES = ['bootstrap_key', 'api_key', 'user', 'system', 'cli'] as const;
export type AuditActorType = (typeof AUDIT_ACTOR_TYPES)[number];
export const KEY_TYPES = ['bootstrap_key', 'api_key'] as const satisfies readonly AuditActorType[];
export type KeyType = (typeof KEY_TYPES)[number];

/** notifications.whatsapp_mode: free-form inside the 24 h window, or a template */
export const WHATSAPP_MODES = ['freeform', 'template'] as const;
export type WhatsAppMode = (typeof WHATSAPP_MODES)[number];

/** whatsapp_inbound_messages.intent: what an inbound WhatsApp message was taken to mean */
export const INBOUND_MESSAGE_INTENTS = ['ack', 'stop', 'help', 'unknown_sender'] as const;
export type InboundMessageIntent = (typeof INBOUND_MESSAGE_INTENTS)[number];
