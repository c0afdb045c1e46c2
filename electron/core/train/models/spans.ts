// The encoded-table layout the data transformer produces, and the index structures the models derive from it.
//
// A row of the encoded matrix is the concatenation of spans, in order, covering [0, width):
//   - 'alpha'    (tanh):    a continuous column's value normalised within its mode, in [-1, 1] (width 1 usually);
//   - 'mode'     (softmax): the one-hot mode of that continuous column;
//   - 'category' (softmax): a categorical column's one-hot category; on a continuous column's index, the one-hot
//                           missingness pattern of all continuous columns with missing values (transformer v2);
//   - 'missing'  (softmax): a missing-value indicator.
import { z } from 'zod';
import { invalidInput } from '../engine/errors';

export const outputSpanSchema = z.object({
  column: z.number().int().nonnegative(),
  kind: z.enum(['alpha', 'mode', 'category', 'missing']),
  start: z.number().int().nonnegative(),
  width: z.number().int().positive(),
  activation: z.enum(['tanh', 'softmax']),
});
export type OutputSpan = z.infer<typeof outputSpanSchema>;

/** The spans must tile [0, width) in order, with tanh on alpha spans and softmax elsewhere. */
export function validateSpans(spans: readonly OutputSpan[], width: number): void {
  if (spans.length === 0) throw invalidInput('The encoded data describes no columns.');
  let at = 0;
  for (const [i, s] of spans.entries()) {
    if (s.start !== at) {
      throw invalidInput(`Span ${i} (column ${s.column}) starts at ${s.start}; the previous span ended at ${at}.`);
    }
    if ((s.kind === 'alpha') !== (s.activation === 'tanh')) {
      throw invalidInput(`Span ${i} (column ${s.column}) is '${s.kind}' with a ${s.activation} activation.`);
    }
    at += s.width;
  }
  if (at !== width) throw invalidInput(`The spans cover ${at} values but each encoded row has ${width}.`);
}

/**
 * Softmax spans laid out for vectorised per-span softmax: logits [N, width] · `gather` [width, count·maxWidth]
 * reshaped to [N, count, maxWidth], plus `padBias` (0 on real slots, −1e9 on padding) before the softmax.
 * `scatter` is the transpose, mapping [N, count·maxWidth] back to [N, width].
 */
export interface SoftmaxLayout {
  spans: OutputSpan[];
  count: number;
  maxWidth: number;
  gather: Float32Array; // width × (count·maxWidth), row-major
  padBias: Float32Array; // count·maxWidth
}

export function softmaxLayout(spans: readonly OutputSpan[], width: number, filter: (s: OutputSpan) => boolean): SoftmaxLayout {
  const chosen = spans.filter((s) => s.activation === 'softmax' && filter(s));
  const maxWidth = chosen.reduce((m, s) => Math.max(m, s.width), 0);
  const cols = chosen.length * maxWidth;
  const gather = new Float32Array(width * cols);
  const padBias = new Float32Array(cols).fill(-1e9);
  chosen.forEach((s, k) => {
    for (let j = 0; j < s.width; j++) {
      gather[(s.start + j) * cols + k * maxWidth + j] = 1;
      padBias[k * maxWidth + j] = 0;
    }
  });
  return { spans: chosen, count: chosen.length, maxWidth, gather, padBias };
}

/** Selection matrix [width, n] picking the tanh columns, and their count. */
export function tanhSelection(spans: readonly OutputSpan[], width: number): { select: Float32Array; count: number; mask: Float32Array } {
  const cols: number[] = [];
  for (const s of spans) if (s.activation === 'tanh') for (let j = 0; j < s.width; j++) cols.push(s.start + j);
  const select = new Float32Array(width * cols.length);
  const mask = new Float32Array(width);
  cols.forEach((c, k) => {
    select[c * cols.length + k] = 1;
    mask[c] = 1;
  });
  return { select, count: cols.length, mask };
}
