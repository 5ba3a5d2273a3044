import { WEEE_CODES } from '../classify/weee-codes.ts';
import { STOCK_STREAMS, type StockStream as Stream } from '../vocabulary.ts';
import { formatKg, shortLabel, STREAM_FR, weeeShortLabel } from '../format-fr.ts';
import { roundKg } from '../weight.ts';

export interface StockRow {
  code: string;
  weeeCode: string;
  labelFr: string;
  stream: Stream;
  quantity: number;
  weightKg: number;
}

const STREAMS: readonly Stream[] = STOCK_STREAMS;

type Totals = Partial<Record<Stream, { quantity: number; weightKg: number }>>;

const add = (totals: Totals, row: StockRow) => {
  const t = (totals[row.stream] ??= { quantity: 0, weightKg: 0 });
  t.quantity += row.quantity;
  t.weightKg = roundKg(t.weightKg + row.weightKg);
};

const describe = (totals: Totals) =>
  STREAMS.filter((s) => totals[s] && (totals[s]!.quantity > 0 || totals[s]!.weightKg > 0))
    .map((s) => `${STREAM_FR[s]} ${totals[s]!.quantity} (${formatKg(totals[s]!.weightKg)})`)
    .join(' · ');

/**
 * /stock: one line per WEEE code with its streams, the site's sub-categories indented beneath
 * (the WEEE line is the roll-up, sub-categories included). Empty levels are left out.
 */
export function renderStock(siteName: string, rows: StockRow[]): string {
  const nonEmpty = rows.filter((r) => r.quantity > 0 || r.weightKg > 0);
  if (nonEmpty.length === 0) {
    return `Le stock de ${siteName} est vide pour l’instant. Le prochain dépôt le remplira 🙂`;
  }
  const lines = [`📦 Stock de ${siteName}`];
  const order = (code: string) => {
    const i = (WEEE_CODES as readonly string[]).indexOf(code);
    return i < 0 ? WEEE_CODES.length : i;
  };
  const weeeCodes = [...new Set(nonEmpty.map((r) => r.weeeCode))].sort((a, b) => order(a) - order(b));
  for (const weee of weeeCodes) {
    const group = nonEmpty.filter((r) => r.weeeCode === weee);
    const total: Totals = {};
    group.forEach((r) => add(total, r));
    lines.push(`• ${weeeShortLabel(weee)} : ${describe(total)}`);
    const subs = [...new Set(group.filter((r) => r.code !== weee).map((r) => r.code))].sort();
    for (const code of subs) {
      const subTotal: Totals = {};
      const subRows = group.filter((r) => r.code === code);
      subRows.forEach((r) => add(subTotal, r));
      lines.push(`    ↳ ${shortLabel(subRows[0]!.labelFr)} : ${describe(subTotal)}`);
    }
  }
  return lines.join('\n');
}
