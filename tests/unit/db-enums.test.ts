import { describe, expect, it } from 'vitest';
import * as enums from '../../db/enums.ts';
import { migrationStatements, schemaCheckLists, schemaEnums, sqlStatements } from '../helpers/schema-sql.ts';

const ENUM_TYPES: Record<string, readonly string[]> = {
  user_role: enums.USER_ROLES,
  user_status: enums.USER_STATUSES,
  notify_channel_pref: enums.NOTIFY_CHANNEL_PREFS,
  item_condition: enums.ITEM_CONDITIONS,
  item_destination: enums.ITEM_DESTINATIONS,
  stock_stream: enums.STOCK_STREAMS,
  decided_by: enums.DECIDED_BY,
  deposit_status: enums.DEPOSIT_STATUSES,
  movement_kind: enums.MOVEMENT_KINDS,
  alert_kind: enums.ALERT_KINDS,
  alert_severity: enums.ALERT_SEVERITIES,
  alert_state: enums.ALERT_STATES,
  notification_channel: enums.NOTIFICATION_CHANNELS,
  notification_kind: enums.NOTIFICATION_KINDS,
  notification_status: enums.NOTIFICATION_STATUSES,
  intake_source: enums.INTAKE_SOURCES,
  outflow_channel: enums.OUTFLOW_CHANNELS,
  sale_import_status: enums.SALE_IMPORT_STATUSES,
};

const CHECK_LISTS: Record<string, readonly string[]> = {
  'categories.weee_code': enums.WEEE_CODES,
  'site_waste_codes.weee_code': enums.WEEE_CODES,
  'invites.role': enums.INVITE_ROLES,
  'sales.source': enums.SALE_SOURCES,
  'processed_updates.source': enums.UPDATE_SOURCES,
  'audit_log.actor_type': enums.AUDIT_ACTOR_TYPES,
  'notifications.whatsapp_mode': enums.WHATSAPP_MODES,
  'whatsapp_inbound_messages.intent': enums.INBOUND_MESSAGE_INTENTS,
};

describe('db/enums.ts, the schema vocabulary', () => {
  it('has every enum type of the migrations, each with exactly its values in order', () => {
    const schema = schemaEnums();
    expect(Object.keys(schema).sort()).toEqual(Object.keys(ENUM_TYPES).sort());
    for (const [type, values] of Object.entries(ENUM_TYPES)) {
      expect({ type, values: [...values] }).toEqual({ type, values: schema[type] });
    }
  });

  it('has every CHECK (column in (…)) list of the migrations, exactly', () => {
    const schema = schemaCheckLists();
    expect(Object.keys(schema).sort()).toEqual(Object.keys(CHECK_LISTS).sort());
    for (const [column, values] of Object.entries(CHECK_LISTS)) {
      expect({ column, values: [...values] }).toEqual({ column, values: schema[column] });
    }
  });

  it('lists the WEEE codes in the order 0001 seeds them', () => {
    const insert = migrationStatements().find((s) => /^insert into categories /.test(s))!;
    const seeded = [...insert.matchAll(/\('(\w+)', '(\w+)',/g)].map((m) => m[1]);
    expect(seeded).toEqual([...enums.WEEE_CODES]);
  });

  it('subsets only name values of their enum (open states are those of the open-episode index)', () => {
    const openIndex = migrationStatements().find((s) => s.startsWith('create unique index alerts_open'))!;
    expect(openIndex).toContain(
      `where state in (${enums.OPEN_ALERT_STATES.map((v) => `'${v}'`).join(', ')})`,
    );
    expect(enums.ALERT_NOTIFICATION_KINDS.every((k) => enums.NOTIFICATION_KINDS.includes(k))).toBe(true);
    expect(enums.RECORDED_SALE_SOURCES).not.toContain('seed');
    expect(enums.KEY_TYPES.every((k) => enums.AUDIT_ACTOR_TYPES.includes(k))).toBe(true);
  });

  it('follows later migrations: added and renamed values, new CHECK lists', () => {
    const statements = sqlStatements(`
      create type t as enum ('a', 'b');
      alter type t add value 'c' before 'b';
      alter type t add value if not exists 'd';
      alter type t rename value 'a' to 'z';
      alter table x add column mode text check (mode in ('p', 'q'));`);
    expect(schemaEnums(statements)).toEqual({ t: ['z', 'c', 'b', 'd'] });
    expect(schemaCheckLists(statements)).toEqual({ 'x.mode': ['p', 'q'] });
  });
});
