/**
 * Domain limits: how heavy, how many, how long. Zod schemas, the bot's parsers and the deposit
 * conversation derive from here; the schema's CHECKs (db/migrations) agree with the ones marked
 * "schema", and tests/unit/limits.test.ts fails if they drift. A leaf module: it imports nothing.
 * Bounds are inclusive unless the name says EXCLUSIVE.
 */

// Deposits

/** schema: deposits.item_name is 1 to 200 characters */
export const ITEM_NAME_MAX_LENGTH = 200;
/** schema: deposits.description; also the free text of a message kept for classification */
export const DESCRIPTION_MAX_LENGTH = 2000;
/**
 * Weight of one item, kg: the most a volunteer may type, and the most an estimate (Claude, the offline
 * classifier, a category default) may propose. Heavier is a data-entry mistake to re-ask (DESIGN "How
 * volunteers type weights"); each WEEE code's plausible range is in core/classify/plausible-weights.ts.
 */
export const ITEM_WEIGHT_MAX_KG = 500;
/** Items one message may describe: the classifier's answer and the conversation keep the first ones. */
export const ITEMS_PER_MESSAGE_MAX = 20;
/** Pieces a volunteer may type at once, and the classifier may propose for one item. */
export const TYPED_QUANTITY_MAX = 500;
/** schema: deposits.weight_kg (all the items of one line) is > 0 and < 100 000, with 3 decimals */
export const TOTAL_WEIGHT_MIN_KG = 0.001;
export const TOTAL_WEIGHT_MAX_KG_EXCLUSIVE = 100_000;
/** schema: deposits.quantity and sales.quantity are 1 to 10 000 */
export const QUANTITY_MAX = 10_000;
/** Proposals a chat may keep open at once (sent, not yet validated), oldest first. */
export const OPEN_PROPOSALS_MAX = 10;
/** schema: deposits.photo_file_ids holds at most this many photos (a Telegram album's maximum) */
export const DEPOSIT_PHOTOS_MAX = 10;

// Sales

/** A sale line's declared weight, kg (same bound as a deposit line). */
export const SALE_WEIGHT_MAX_KG_EXCLUSIVE = TOTAL_WEIGHT_MAX_KG_EXCLUSIVE;
/** schema: sales.amount_eur is numeric(10, 2) */
export const SALE_AMOUNT_MAX_EUR_EXCLUSIVE = 100_000_000;
export const EXTERNAL_REF_MAX_LENGTH = 200;
/** Sales recorded by one batch call. */
export const SALES_BATCH_MAX = 1000;

// Pickups (an eco-organism empties a container: far more than one deposit)

export const PICKUP_WEIGHT_MAX_KG_EXCLUSIVE = 1_000_000;
export const PICKUP_QUANTITY_MAX = 100_000;
export const FLOW_MAX_LENGTH = 50;
export const ECO_ORGANISM_MAX_LENGTH = 100;
export const PICKUP_REFERENCE_MAX_LENGTH = 200;

// Outflows, counts, reversals, categories (0005_ledger.sql)

/** schema: outflows.partner is 1 to 200 characters */
export const PARTNER_NAME_MAX_LENGTH = 200;
/** schema: outflows.note is at most 500 characters */
export const OUTFLOW_NOTE_MAX_LENGTH = 500;
/** schema: outflows.quantity is 0 to 100 000 (a container holds more than one deposit line) */
export const OUTFLOW_QUANTITY_MAX = PICKUP_QUANTITY_MAX;
/** schema: outflows.weight_kg is >= 0 and < 1 000 000 */
export const OUTFLOW_WEIGHT_MAX_KG_EXCLUSIVE = PICKUP_WEIGHT_MAX_KG_EXCLUSIVE;
/** schema: inventory_counts.counted_quantity is 0 to 1 000 000, counted_weight_kg < 1 000 000 */
export const COUNT_QUANTITY_MAX = 1_000_000;
export const COUNT_WEIGHT_MAX_KG_EXCLUSIVE = 1_000_000;
/** schema: the reason of a count and of a reversal is 1 to 500 characters */
export const LEDGER_REASON_MAX_LENGTH = 500;
/** schema: categories.code, a WEEE code or a site's sub-category: 2 to 64 characters a-z, 0-9, _ */
export const CATEGORY_CODE_PATTERN = /^[a-z0-9_]{2,64}$/;
/** schema: categories.label_fr is 1 to 200 characters */
export const CATEGORY_LABEL_MAX_LENGTH = 200;
/** schema: categories.default_weight_kg (one item) is > 0 and <= 500: an estimate, so the item cap */
export const CATEGORY_DEFAULT_WEIGHT_MAX_KG = ITEM_WEIGHT_MAX_KG;
/** schema: categories.waste_code, a European List of Waste code: '20 01 36', '20 01 23*' (hazardous) */
export const WASTE_CODE_PATTERN = /^[0-9]{2} [0-9]{2} [0-9]{2}\*?$/;

// Alerts

export const RULE_THRESHOLD_MAX = 1_000_000;
/** schema: an intake_drop rule's threshold is a percentage */
export const INTAKE_DROP_THRESHOLD_MAX = 100;
/** schema: alert_rules.repeat_seconds >= 60 */
export const RULE_REPEAT_MIN_SECONDS = 60;
/** The longest silence, in hours (90 days). */
export const SILENCE_MAX_HOURS = 24 * 90;
/** schema: silences.reason is 1 to 500 characters */
export const SILENCE_REASON_MAX_LENGTH = 500;

// Sites, users, keys, invites

/** schema: sites.slug, lowercase letters, digits and dashes, 2 to 63 characters */
export const SITE_SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;
/** schema: sites.name and users.display_name are 1 to 200 characters */
export const NAME_MAX_LENGTH = 200;
/** schema: api_keys.name is 1 to 100 characters */
export const API_KEY_NAME_MAX_LENGTH = 100;
/** schema: invites.max_uses is 1 to 1000 */
export const INVITE_MAX_USES = 1000;
/** How long an invite stays valid, in hours: 72 unless said, 90 days at most. */
export const INVITE_EXPIRY_DEFAULT_HOURS = 72;
export const INVITE_EXPIRY_MAX_HOURS = 24 * 90;

/** Rows one page of a list may ask for, and what it gets when it does not say. */
export const PAGE_SIZE_MAX = 500;
export const PAGE_SIZE_DEFAULT = 50;

// Reports and the till import (0006_reports.sql)

/** A till's CSV file, in bytes: the import route's body limit (every other route keeps 1 MB). */
export const SALE_IMPORT_MAX_BYTES = 100 * 1024 * 1024;
/** Rows of a till import written per transaction. */
export const SALE_IMPORT_BATCH_ROWS = 1000;
/** Rejected rows whose line and reason an import keeps (rows_rejected counts them all). */
export const SALE_IMPORT_ERRORS_KEPT = 1000;
/** The longest period a tonnage report or a register covers, in days. */
export const REPORT_PERIOD_MAX_DAYS = 3 * 366;
/** schema: site_settings address line and recipient names */
export const ADDRESS_LINE_MAX_LENGTH = 150;
export const CITY_MAX_LENGTH = 45;
export const RECIPIENT_NAME_MAX_LENGTH = 150;
