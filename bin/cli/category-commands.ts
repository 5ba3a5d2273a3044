/** category list | create | rename | deactivate | activate: a site's sub-categories under the WEEE codes. */
import { listCategories } from '../../core/categories/list-categories.ts';
import { createCategory } from '../../core/categories/create-category.ts';
import { updateCategory } from '../../core/categories/update-category.ts';
import type { CategoryDetail } from '../../core/categories/ledger-category.ts';
import { WEEE_CODES } from '../../core/vocabulary.ts';
import {
  asOptions,
  decimal,
  oneOf,
  positiveId,
  required,
  resolveSite,
  siteLabel,
  str,
  table,
  type Command,
} from './kit.ts';

const kg = (n: number | null) => (n === null ? null : `${n} kg`);

const categoryLabel = (c: CategoryDetail) =>
  `category ${c.id} "${c.labelFr}" (${c.code}${c.parentId === null ? '' : `, under ${c.weeeCode}`}, site ${c.siteId})`;

/** The options of the category commands, by the field names of the category verbs. */
const CATEGORY_OPTIONS = {
  parentCode: '--parent',
  labelFr: '--label',
  code: '--code',
  defaultWeightKg: '--default-weight',
  wasteCode: '--waste-code',
};

/** category activate / deactivate: the same verb as PATCH /api/v1/categories/{id} with `active`. */
function categoryActivation(active: boolean): Command {
  const verb = active ? 'activate' : 'deactivate';
  return {
    name: `category ${verb}`,
    summary: active
      ? 'Offer a deactivated sub-category again'
      : 'Stop offering a sub-category for new deposits and sales (its history and stock stay)',
    usage: `category ${verb} ID`,
    options: {},
    args: ['ID'],
    example: `npm run depot -- category ${verb} 42`,
    async run(ctx) {
      const id = positiveId('ID', ctx.args[0]!);
      const { sql, actor } = await ctx.open();
      const category = await updateCategory({ sql }, actor, { id, active });
      return {
        data: category,
        text: active
          ? `${categoryLabel(category)} active: offered again on the bot's buttons and to the classifier`
          : `${categoryLabel(category)} deactivated: no longer offered for new deposits and sales; its history and stock stay`,
      };
    },
  };
}

export const categoryCommands: Command[] = [
  {
    name: 'category list',
    summary: "List a site's categories: the WEEE codes, then its own sub-categories",
    usage: 'category list --site ID|SLUG [--active]',
    options: {
      site: { type: 'string', help: 'site id or slug' },
      active: { type: 'boolean', help: 'only the active ones (what the bot offers)' },
    },
    example: 'npm run depot -- category list --site ressourcerie-de-belleville',
    async run(ctx) {
      const site = await resolveSite(ctx, required(ctx.values, 'site'));
      const { sql, actor } = await ctx.open();
      const categories = await listCategories({ sql }, actor, {
        siteId: site.id,
        active: ctx.values.active === true ? true : null,
      });
      return {
        data: categories,
        text: table(
          ['ID', 'CODE', 'UNDER', 'STATUS', 'KG/ITEM', 'WASTE CODE', 'LABEL'],
          categories.map((c) => [
            c.id,
            c.code,
            c.parentId === null ? null : c.weeeCode,
            c.active ? 'active' : 'inactive',
            kg(c.effectiveDefaultWeightKg),
            c.effectiveWasteCode,
            c.labelFr,
          ]),
          `no categories for ${siteLabel(site)}`,
        ),
      };
    },
  },
  {
    name: 'category create',
    summary: 'Add a sub-category under a WEEE code (e.g. micro-ondes under small_equipment)',
    usage:
      'category create --site ID|SLUG --parent WEEE_CODE --label LABEL [--code CODE] [--default-weight KG] [--waste-code "20 01 36"]',
    options: {
      site: { type: 'string', help: 'site id or slug' },
      parent: { type: 'string', help: `the WEEE code it sits under: ${WEEE_CODES.join(', ')}` },
      label: { type: 'string', help: 'the French label volunteers see' },
      code: { type: 'string', help: 'a-z, 0-9 and _, 2-64 characters (default: from the label)' },
      'default-weight': { type: 'string', help: "kg per item (default: the WEEE code's)" },
      'waste-code': {
        type: 'string',
        help: 'European List of Waste code, such as "20 01 36" (default: the WEEE code\'s)',
      },
    },
    example:
      'npm run depot -- category create --site ressourcerie-de-belleville --parent small_equipment --label "Micro-ondes" --default-weight 12 --waste-code "20 01 36"',
    async run(ctx) {
      const parentCode = oneOf('--parent', required(ctx.values, 'parent'), WEEE_CODES);
      const labelFr = required(ctx.values, 'label');
      const weight = str(ctx.values, 'default-weight');
      const input = {
        parentCode,
        labelFr,
        code: str(ctx.values, 'code'),
        defaultWeightKg: weight === undefined ? undefined : decimal('--default-weight', weight),
        wasteCode: str(ctx.values, 'waste-code'),
      };
      const site = await resolveSite(ctx, required(ctx.values, 'site'));
      const { sql, actor } = await ctx.open();
      const category = await asOptions(
        ctx,
        createCategory({ sql }, actor, { siteId: site.id, ...input }),
        CATEGORY_OPTIONS,
      );
      const weightText = kg(category.effectiveDefaultWeightKg) ?? 'no default weight';
      return {
        data: category,
        text: `${categoryLabel(category)} created: ${weightText}, waste code ${category.effectiveWasteCode ?? '-'}`,
      };
    },
  },
  {
    name: 'category rename',
    summary: "Change a sub-category's label (its code, history and stock stay)",
    usage: 'category rename ID --label LABEL',
    options: { label: { type: 'string', help: 'the new French label' } },
    args: ['ID'],
    example: 'npm run depot -- category rename 42 --label "Fours micro-ondes"',
    async run(ctx) {
      const id = positiveId('ID', ctx.args[0]!);
      const labelFr = required(ctx.values, 'label');
      const { sql, actor } = await ctx.open();
      const category = await asOptions(
        ctx,
        updateCategory({ sql }, actor, { id, labelFr }),
        CATEGORY_OPTIONS,
      );
      return { data: category, text: `${categoryLabel(category)} renamed` };
    },
  },
  categoryActivation(false),
  categoryActivation(true),
];
