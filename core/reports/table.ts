import ExcelJS from 'exceljs';
import { roundKg } from '../weight.ts';

/**
 * A report as rows and typed columns, written as CSV for French Excel (UTF-8 with BOM, `;`, decimal
 * comma) or as an XLSX workbook (typed numeric cells with number formats, a header row, widths).
 */
export type ColumnType = 'text' | 'kg' | 'tonnes' | 'int' | 'rate' | 'date';
export type Cell = string | number | null;

export interface Column {
  header: string;
  type: ColumnType;
  /** characters; a default per type otherwise */
  width?: number;
}

export interface Sheet {
  name: string;
  columns: Column[];
  rows: Cell[][];
}

export interface ReportTable {
  /** without extension: depot-<site>-tonnage-2026-10 */
  fileName: string;
  /** the CSV is the first sheet; the workbook has them all */
  sheets: Sheet[];
}

export type ReportFormat = 'json' | 'csv' | 'xlsx';

export interface ReportFile {
  fileName: string;
  contentType: string;
  body: Buffer;
}

const DECIMALS: Record<ColumnType, number | null> = {
  text: null,
  date: null,
  kg: 3,
  tonnes: 3,
  int: 0,
  rate: 4,
};

const NUMBER_FORMAT: Record<ColumnType, string | undefined> = {
  text: undefined,
  date: 'yyyy-mm-dd',
  kg: '#,##0.000',
  tonnes: '0.000',
  int: '0',
  rate: '0.0%',
};

const DEFAULT_WIDTH: Record<ColumnType, number> = {
  text: 24,
  date: 12,
  kg: 14,
  tonnes: 12,
  int: 10,
  rate: 10,
};

/** A number as French Excel reads it: decimal comma, no thousands separator. */
export function csvNumber(n: number, type: ColumnType): string {
  const decimals = DECIMALS[type];
  if (type === 'kg') {
    // kilos keep the grams they have, without trailing zeros
    const s = String(roundKg(n));
    return s.replace('.', ',');
  }
  return (decimals === null ? String(n) : n.toFixed(decimals)).replace('.', ',');
}

const quote = (s: string) => (/[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function toCsv(sheet: Sheet): Buffer {
  const lines = [sheet.columns.map((c) => quote(c.header)).join(';')];
  for (const row of sheet.rows) {
    lines.push(
      row
        .map((cell, i) => {
          if (cell === null || cell === undefined) return '';
          if (typeof cell === 'number') return csvNumber(cell, sheet.columns[i]!.type);
          return quote(cell);
        })
        .join(';'),
    );
  }
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

export async function toXlsx(table: ReportTable): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Depot';
  for (const sheet of table.sheets) {
    const ws = wb.addWorksheet(sheet.name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = sheet.columns.map((c) => ({
      header: c.header,
      width: c.width ?? Math.max(DEFAULT_WIDTH[c.type], Math.min(40, c.header.length + 2)),
      style: NUMBER_FORMAT[c.type] ? { numFmt: NUMBER_FORMAT[c.type] } : {},
    }));
    ws.getRow(1).font = { bold: true };
    for (const row of sheet.rows) {
      ws.addRow(
        row.map((cell, i) => {
          const type = sheet.columns[i]!.type;
          if (cell === null) return null;
          // a real date cell (Excel serial, read as UTC midnight)
          if (type === 'date' && typeof cell === 'string') return new Date(`${cell}T00:00:00Z`);
          return cell;
        }),
      );
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function renderTable(
  table: ReportTable,
  format: Exclude<ReportFormat, 'json'>,
): Promise<ReportFile> {
  if (format === 'csv') {
    return {
      fileName: `${table.fileName}.csv`,
      contentType: 'text/csv; charset=utf-8',
      body: toCsv(table.sheets[0]!),
    };
  }
  return {
    fileName: `${table.fileName}.xlsx`,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body: await toXlsx(table),
  };
}

/** "2026-10-01".."2026-10-31" → "2026-10"; a quarter's days → "2026-Q4"; else "2026-10-01_2026-11-15". */
export function periodSlug(from: string, to: string): string {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
  if (fd === 1 && td === last && fy === ty) {
    if (fm === tm) return from.slice(0, 7);
    if (tm - fm === 2 && fm % 3 === 1) return `${fy}-Q${(fm + 2) / 3}`;
    if (fm === 1 && tm === 12) return String(fy);
  }
  return `${from}_${to}`;
}
