import sharp from 'sharp';
import { textPath, textWidth } from './stroke-font.ts';

export interface FlowBar {
  label: string;
  inKg: number;
  outKg: number;
}

const WIDTH = 900;
const HEIGHT = 520;
const IN_COLOR = '#2e7d32';
const OUT_COLOR = '#ef6c00';

/** "1234.6" → "1 235" */
const kgLabel = (kg: number) => String(Math.round(kg)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');

/** A round step for the y axis: 1, 2 or 5 × 10^n, about five lines. */
function niceStep(max: number): number {
  const raw = max / 5;
  const p = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
}

/** The bar chart as SVG: kg in and out per flow, every text drawn as paths. */
export function flowChartSvg(title: string, bars: FlowBar[]): string {
  const left = 80;
  const right = 30;
  const top = 110;
  const bottom = 70;
  const plotW = WIDTH - left - right;
  const plotH = HEIGHT - top - bottom;
  const max = Math.max(1, ...bars.flatMap((b) => [b.inKg, b.outKg]));
  const step = niceStep(max);
  const yMax = Math.ceil(max / step) * step;
  const y = (kg: number) => top + plotH - (kg / yMax) * plotH;
  const parts: string[] = [`<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`];
  parts.push(textPath(title, WIDTH / 2, 22, 22, { anchor: 'middle', weight: 2.6 }));
  parts.push(
    textPath('Kilos entrés et sortis, par flux', WIDTH / 2, 56, 13, { anchor: 'middle', color: '#555' }),
  );
  // legend
  const lx = WIDTH - right - 250;
  parts.push(`<rect x="${lx}" y="80" width="14" height="14" fill="${IN_COLOR}"/>`);
  parts.push(textPath('Entrees', lx + 22, 81, 12));
  parts.push(`<rect x="${lx + 130}" y="80" width="14" height="14" fill="${OUT_COLOR}"/>`);
  parts.push(textPath('Sorties', lx + 152, 81, 12));
  for (let v = 0; v <= yMax + 1e-9; v += step) {
    const gy = y(v);
    parts.push(
      `<line x1="${left}" y1="${gy.toFixed(1)}" x2="${WIDTH - right}" y2="${gy.toFixed(1)}" stroke="#ddd" stroke-width="1"/>`,
    );
    parts.push(textPath(kgLabel(v), left - 10, gy - 5, 10, { anchor: 'end', color: '#666' }));
  }
  parts.push(
    `<line x1="${left}" y1="${top + plotH}" x2="${WIDTH - right}" y2="${top + plotH}" stroke="#333" stroke-width="1.5"/>`,
  );
  const group = plotW / Math.max(1, bars.length);
  const barW = Math.min(40, group * 0.35);
  bars.forEach((b, i) => {
    const cx = left + group * (i + 0.5);
    for (const [k, value, color] of [
      [-1, b.inKg, IN_COLOR],
      [1, b.outKg, OUT_COLOR],
    ] as const) {
      const x = k < 0 ? cx - barW - 2 : cx + 2;
      const by = y(value);
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${by.toFixed(1)}" width="${barW.toFixed(1)}" height="${(top + plotH - by).toFixed(1)}" fill="${color}"/>`,
      );
      const label = kgLabel(value);
      const size = Math.min(11, (barW + 3) / Math.max(1, textWidth(label, 1)));
      parts.push(textPath(label, x + barW / 2, by - size - 5, size, { anchor: 'middle', color: '#333' }));
    }
    const size = Math.min(13, (group - 8) / Math.max(1, textWidth(b.label, 1)));
    parts.push(textPath(b.label, cx, top + plotH + 14, size, { anchor: 'middle' }));
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">${parts.join('')}</svg>`;
}

/** The chart as a PNG (sharp renders the SVG). */
export async function renderFlowChart(title: string, bars: FlowBar[]): Promise<Buffer> {
  return sharp(Buffer.from(flowChartSvg(title, bars)))
    .png({ compressionLevel: 9 })
    .toBuffer();
}
