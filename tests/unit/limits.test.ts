import { describe, expect, it } from 'vitest';
import * as limits from '../../core/limits.ts';
import { createTable, migrationStatements } from '../helpers/schema-sql.ts';

describe('core/limits.ts agrees with the schema CHECKs it names', () => {
  it('deposits', () => {
    const t = createTable('deposits');
    expect(t).toContain(`check (length(btrim(item_name)) between 1 and ${limits.ITEM_NAME_MAX_LENGTH})`);
    expect(t).toContain(`check (length(description) <= ${limits.DESCRIPTION_MAX_LENGTH})`);
    expect(t).toContain(`check (quantity between 1 and ${limits.QUANTITY_MAX})`);
    expect(t).toContain(
      `weight_kg numeric(10, 3) not null check (weight_kg > 0 and weight_kg < ${limits.TOTAL_WEIGHT_MAX_KG_EXCLUSIVE})`,
    );
    // numeric(10, 3): the smallest weight above zero it stores
    expect(limits.TOTAL_WEIGHT_MIN_KG).toBe(0.001);
    expect(migrationStatements().join('\n')).toContain(
      `check (cardinality(photo_file_ids) <= ${limits.DEPOSIT_PHOTOS_MAX}`,
    );
  });

  it('sales', () => {
    const t = createTable('sales');
    expect(t).toContain(`check (quantity between 1 and ${limits.QUANTITY_MAX})`);
    // numeric(10, 2): eight digits before the point
    expect(t).toContain('amount_eur numeric(10, 2)');
    expect(limits.SALE_AMOUNT_MAX_EUR_EXCLUSIVE).toBe(10 ** 8);
  });

  it('alert rules and silences', () => {
    const rules = createTable('alert_rules');
    expect(rules).toContain(`check (repeat_seconds >= ${limits.RULE_REPEAT_MIN_SECONDS})`);
    expect(rules).toContain(
      `check (kind not in ('intake_drop') or threshold <= ${limits.INTAKE_DROP_THRESHOLD_MAX})`,
    );
    expect(createTable('silences')).toContain(
      `check (length(btrim(reason)) between 1 and ${limits.SILENCE_REASON_MAX_LENGTH})`,
    );
  });

  it('sites, users, API keys, invites', () => {
    expect(createTable('sites')).toContain(`check (slug ~ '${limits.SITE_SLUG_PATTERN.source}')`);
    expect(createTable('sites')).toContain(
      `check (length(btrim(name)) between 1 and ${limits.NAME_MAX_LENGTH})`,
    );
    expect(createTable('users')).toContain(
      `check (length(btrim(display_name)) between 1 and ${limits.NAME_MAX_LENGTH})`,
    );
    expect(createTable('api_keys')).toContain(
      `check (length(btrim(name)) between 1 and ${limits.API_KEY_NAME_MAX_LENGTH})`,
    );
    expect(createTable('invites')).toContain(`check (max_uses between 1 and ${limits.INVITE_MAX_USES})`);
  });

  it('outflows, inventory counts, reversals and categories (0005_ledger.sql)', () => {
    const outflows = createTable('outflows');
    expect(outflows).toContain(`check (quantity between 0 and ${limits.OUTFLOW_QUANTITY_MAX})`);
    expect(outflows).toContain(
      `check (weight_kg >= 0 and weight_kg < ${limits.OUTFLOW_WEIGHT_MAX_KG_EXCLUSIVE})`,
    );
    expect(outflows).toContain(
      `check (length(btrim(partner)) between 1 and ${limits.PARTNER_NAME_MAX_LENGTH})`,
    );
    expect(outflows).toContain(
      `check (length(btrim(eco_organism)) between 1 and ${limits.ECO_ORGANISM_MAX_LENGTH})`,
    );
    expect(outflows).toContain(
      `check (length(btrim(reference)) between 1 and ${limits.PICKUP_REFERENCE_MAX_LENGTH})`,
    );
    expect(outflows).toContain(`check (length(note) <= ${limits.OUTFLOW_NOTE_MAX_LENGTH})`);
    const counts = createTable('inventory_counts');
    expect(counts).toContain(`check (counted_quantity between 0 and ${limits.COUNT_QUANTITY_MAX})`);
    expect(counts).toContain(
      `check (counted_weight_kg >= 0 and counted_weight_kg < ${limits.COUNT_WEIGHT_MAX_KG_EXCLUSIVE})`,
    );
    expect(counts).toContain(
      `check (length(btrim(reason)) between 1 and ${limits.LEDGER_REASON_MAX_LENGTH})`,
    );
    const statements = migrationStatements();
    expect(statements.join('\n')).toContain(
      `kind::text <> 'reversal' or length(btrim(reason)) between 1 and ${limits.LEDGER_REASON_MAX_LENGTH})`,
    );
    const categories = statements.find((x) =>
      x.startsWith('alter table categories add column default_weight_kg'),
    )!;
    expect(categories).toContain(
      `check (default_weight_kg > 0 and default_weight_kg <= ${limits.CATEGORY_DEFAULT_WEIGHT_MAX_KG})`,
    );
    expect(categories).toContain(`check (waste_code ~ '${limits.WASTE_CODE_PATTERN.source}')`);
    expect(createTable('categories')).toContain(
      `check (length(btrim(label_fr)) between 1 and ${limits.CATEGORY_LABEL_MAX_LENGTH})`,
    );
    expect(createTable('categories')).toContain(`check (code ~ '${limits.CATEGORY_CODE_PATTERN.source}')`);
  });

  it('what a volunteer may type stays within what one deposit line may hold', () => {
    expect(limits.ITEM_WEIGHT_MAX_KG).toBeLessThan(limits.TOTAL_WEIGHT_MAX_KG_EXCLUSIVE);
    expect(limits.TYPED_QUANTITY_MAX).toBeLessThanOrEqual(limits.QUANTITY_MAX);
  });
});
