import type { Deps } from '../deps.ts';
import type { Actor } from '../actor.ts';
import { getTonnageReport, tonnageTable, type TonnageInput, type TonnageReport } from './tonnage.ts';
import { ecoOrganismTable, getEcoOrganismDeclaration, type EcoOrganismDeclaration } from './eco-organisms.ts';
import { getWasteRegister, registerTable, type WasteRegister } from './register.ts';
import { renderTable, type ReportFile, type ReportFormat, type ReportTable } from './table.ts';

export type { ReportFile, ReportFormat } from './table.ts';

/** A report as data (JSON) or as a file (CSV, XLSX). */
export type ReportOutput<T> = { kind: 'data'; data: T } | { kind: 'file'; file: ReportFile };

async function output<T>(
  data: T,
  table: (d: T) => ReportTable,
  format: ReportFormat,
): Promise<ReportOutput<T>> {
  if (format === 'json') return { kind: 'data', data };
  return { kind: 'file', file: await renderTable(table(data), format) };
}

export async function exportTonnageReport(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  input: TonnageInput & { format: ReportFormat },
): Promise<ReportOutput<TonnageReport>> {
  return output(await getTonnageReport(deps, actor, input), tonnageTable, input.format);
}

export async function exportEcoOrganismDeclaration(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  input: { siteId: number; quarter: string; format: ReportFormat },
): Promise<ReportOutput<EcoOrganismDeclaration>> {
  return output(await getEcoOrganismDeclaration(deps, actor, input), ecoOrganismTable, input.format);
}

export async function exportWasteRegister(
  deps: Pick<Deps, 'sql'>,
  actor: Actor,
  input: { siteId: number; from: string; to: string; format: ReportFormat },
): Promise<ReportOutput<WasteRegister>> {
  return output(await getWasteRegister(deps, actor, input), registerTable, input.format);
}
