// HTML for what only an image validation's report has: grids of synthetic sample images. Each image is a PNG
// checked byte by byte before it is inlined as a data: URL, so nothing but a picture can enter the page.
import { AirlockError } from '../../errors';

export interface SampleGridItem {
  /** The class the generator was asked for, or a plain number when the spec has no classes. */
  label: string;
  pngBase64: string;
}
export interface SampleGrid {
  caption: string;
  items: SampleGridItem[];
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** True when the text is base64 of bytes that start with the PNG signature. */
export function isPngBase64(text: string): boolean {
  if (!BASE64.test(text) || text.length % 4 !== 0) return false;
  const head = atob(text.slice(0, 12));
  return PNG_SIGNATURE.every((b, i) => head.charCodeAt(i) === b);
}

function escape(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One grid as a figure of small images with their labels; anything that is not a PNG is refused. */
export function sampleGridHtml(grid: SampleGrid): string {
  const cells = grid.items.map((item, i) => {
    if (!isPngBase64(item.pngBase64)) {
      throw new AirlockError('INVALID_ARGUMENT', `Image ${i + 1} of “${grid.caption}” is not a PNG picture, so it cannot go into the report.`);
    }
    return `<div class="sample"><img alt="${escape(item.label)}" src="data:image/png;base64,${item.pngBase64}"><span>${escape(item.label)}</span></div>`;
  });
  return `<figure class="samples"><div class="grid">${cells.join('')}</div><figcaption>${escape(grid.caption)}</figcaption></figure>`;
}

/** Extra print rules, added to the page only when it holds a sample grid. */
export const SAMPLE_GRID_CSS = `
figure.samples { margin: 12px 0 18px; break-inside: avoid; }
figure.samples .grid { display: flex; flex-wrap: wrap; gap: 6px; }
figure.samples .sample { width: 72px; text-align: center; font-size: 7.5pt; color: #444444; }
figure.samples img { display: block; width: 72px; height: 72px; image-rendering: pixelated; background: #000000; }
`;
