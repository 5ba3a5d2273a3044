/**
 * A small stroke font, drawn as SVG paths: the chart needs no installed font (the slim Docker image
 * has none, and librsvg would then draw nothing for <text>). Capitals, digits and a few signs on a
 * 4 × 6 grid; accents are dropped ("Écrans" → "ECRANS").
 */
type Stroke = [number, number][];

// prettier-ignore
const O: Stroke = [[1, 0], [3, 0], [4, 1], [4, 5], [3, 6], [1, 6], [0, 5], [0, 1], [1, 0]];
// prettier-ignore
const P: Stroke[] = [[[0, 6], [0, 0], [3, 0], [4, 1], [4, 2], [3, 3], [0, 3]]];

// prettier-ignore
const GLYPHS: Record<string, Stroke[]> = {
  A: [[[0, 6], [0, 2], [2, 0], [4, 2], [4, 6]], [[0, 3.5], [4, 3.5]]],
  B: [[[0, 0], [0, 6], [3, 6], [4, 5], [4, 4], [3, 3], [0, 3]], [[0, 0], [3, 0], [4, 1], [4, 2], [3, 3]]],
  C: [[[4, 1], [3, 0], [1, 0], [0, 1], [0, 5], [1, 6], [3, 6], [4, 5]]],
  D: [[[0, 0], [0, 6], [2, 6], [4, 4], [4, 2], [2, 0], [0, 0]]],
  E: [[[4, 0], [0, 0], [0, 6], [4, 6]], [[0, 3], [3, 3]]],
  F: [[[4, 0], [0, 0], [0, 6]], [[0, 3], [3, 3]]],
  G: [[[4, 1], [3, 0], [1, 0], [0, 1], [0, 5], [1, 6], [3, 6], [4, 5], [4, 3], [2, 3]]],
  H: [[[0, 0], [0, 6]], [[4, 0], [4, 6]], [[0, 3], [4, 3]]],
  I: [[[1, 0], [3, 0]], [[2, 0], [2, 6]], [[1, 6], [3, 6]]],
  J: [[[4, 0], [4, 5], [3, 6], [1, 6], [0, 5]]],
  K: [[[0, 0], [0, 6]], [[4, 0], [0, 4]], [[1, 3], [4, 6]]],
  L: [[[0, 0], [0, 6], [4, 6]]],
  M: [[[0, 6], [0, 0], [2, 3], [4, 0], [4, 6]]],
  N: [[[0, 6], [0, 0], [4, 6], [4, 0]]],
  O: [O],
  P,
  Q: [O, [[2, 4], [4, 6]]],
  R: [...P, [[2, 3], [4, 6]]],
  S: [[[4, 1], [3, 0], [1, 0], [0, 1], [0, 2], [1, 3], [3, 3], [4, 4], [4, 5], [3, 6], [1, 6], [0, 5]]],
  T: [[[0, 0], [4, 0]], [[2, 0], [2, 6]]],
  U: [[[0, 0], [0, 5], [1, 6], [3, 6], [4, 5], [4, 0]]],
  V: [[[0, 0], [2, 6], [4, 0]]],
  W: [[[0, 0], [1, 6], [2, 3], [3, 6], [4, 0]]],
  X: [[[0, 0], [4, 6]], [[4, 0], [0, 6]]],
  Y: [[[0, 0], [2, 3], [4, 0]], [[2, 3], [2, 6]]],
  Z: [[[0, 0], [4, 0], [0, 6], [4, 6]]],
  '0': [O, [[3, 1], [1, 5]]],
  '1': [[[1, 1], [2, 0], [2, 6]], [[1, 6], [3, 6]]],
  '2': [[[0, 1], [1, 0], [3, 0], [4, 1], [4, 2], [0, 6], [4, 6]]],
  '3': [[[0, 1], [1, 0], [3, 0], [4, 1], [4, 2], [3, 3], [4, 4], [4, 5], [3, 6], [1, 6], [0, 5]], [[1, 3], [3, 3]]],
  '4': [[[3, 6], [3, 0], [0, 4], [4, 4]]],
  '5': [[[4, 0], [0, 0], [0, 3], [3, 3], [4, 4], [4, 5], [3, 6], [1, 6], [0, 5]]],
  '6': [[[3, 0], [1, 0], [0, 1], [0, 5], [1, 6], [3, 6], [4, 5], [4, 4], [3, 3], [0, 3]]],
  '7': [[[0, 0], [4, 0], [1, 6]]],
  '8': [
    [[1, 0], [3, 0], [4, 1], [4, 2], [3, 3], [1, 3], [0, 2], [0, 1], [1, 0]],
    [[1, 3], [0, 4], [0, 5], [1, 6], [3, 6], [4, 5], [4, 4], [3, 3]],
  ],
  '9': [[[4, 3], [1, 3], [0, 2], [0, 1], [1, 0], [3, 0], [4, 1], [4, 5], [3, 6], [1, 6]]],
  ',': [[[2, 5], [1, 7]]],
  '.': [[[2, 5.6], [2, 6]]],
  '-': [[[1, 3], [3, 3]]],
  ':': [[[2, 1.6], [2, 2]], [[2, 4.6], [2, 5]]],
  '/': [[[4, 0], [0, 6]]],
  '%': [[[0, 6], [4, 0]], [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], [[3, 5], [4, 5], [4, 6], [3, 6], [3, 5]]],
  '(': [[[3, 0], [2, 1], [2, 5], [3, 6]]],
  ')': [[[1, 0], [2, 1], [2, 5], [1, 6]]],
  '+': [[[2, 1], [2, 5]], [[0, 3], [4, 3]]],
  "'": [[[2, 0], [2, 1.5]]],
};

/** What the font can draw of a text: capitals without accents; unknown characters become spaces. */
export const fontText = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’]/g, "'")
    .toUpperCase();

/** Width of a text drawn `size` pixels high (capital height). */
export const textWidth = (text: string, size: number) => (fontText(text).length * (size * 5)) / 6 - size / 6;

/** An SVG path drawing `text` with its capitals `size` pixels high, from (x, y) = top left. */
export function textPath(
  text: string,
  x: number,
  y: number,
  size: number,
  opts: { color?: string; weight?: number; anchor?: 'start' | 'middle' | 'end' } = {},
): string {
  const s = size / 6;
  const t = fontText(text);
  const width = textWidth(t, size);
  const x0 = opts.anchor === 'middle' ? x - width / 2 : opts.anchor === 'end' ? x - width : x;
  const d: string[] = [];
  [...t].forEach((ch, i) => {
    for (const stroke of GLYPHS[ch] ?? []) {
      d.push(
        stroke
          .map(
            ([gx, gy], k) =>
              `${k === 0 ? 'M' : 'L'}${(x0 + (i * 5 + gx) * s).toFixed(1)} ${(y + gy * s).toFixed(1)}`,
          )
          .join(''),
      );
    }
  });
  if (d.length === 0) return '';
  return `<path d="${d.join('')}" fill="none" stroke="${opts.color ?? '#222'}" stroke-width="${(opts.weight ?? Math.max(1.2, size / 8)).toFixed(1)}" stroke-linecap="round" stroke-linejoin="round"/>`;
}
