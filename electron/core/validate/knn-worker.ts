// The exact k-nearest-neighbour kernel under the Gower distance, and the driver that runs it on every core.
//
// Exactness: a reference row is skipped only when a lower bound on its distance is provably above the query's
// current k-th best; every other row gets the full distance summed in column order, exactly as the plain
// definition sums it, so distances are bit-identical to the naive loop. The bounds, cheapest first:
// (1) unequal categorical codes and unequal missingness of numeric cells (missing vs a value costs 1), counted
//     four columns per 32-bit word (a byte each, SWAR). Reference rows are stored sorted by these bytes, so a
//     run of rows sharing word 0 (or every word) that this count rules out is passed over in one step;
// (2) that count plus the numeric terms in a chosen order (eight at once, then two at a time; a pair with a
//     missing cell adds 0 here, as (1) counted it), abandoned as soon as it passes the bound.
// A bound is compared with the k-th best sum raised by 1e-12 (relative): far above the rounding of a few dozen
// terms, so a skipped row is always strictly farther than the k-th best. Rows are visited out of index order,
// so ties are settled by index: the result is the k smallest (distance, row) pairs, which is exactly what the
// plain loop in index order keeps (ties to the lower reference index).
//
// Parallelism: the call stays synchronous (the metrics run inside the validation worker already). Query rows
// are cut into chunks that the calling thread and helper threads claim from a shared counter. Helpers are
// eval'd from this kernel's own source (`searchChunk.toString()`), so they need no bundle entry and no
// TypeScript loader, which would deadlock while the caller blocks on Atomics.wait. If a helper fails or
// stalls, the caller computes the chunks it left, so a result never depends on a helper being alive.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Checkpoint } from './types';

/** One search: query and reference rows in the row-major layouts distance.ts builds, outputs pre-filled. */
export interface KnnTask {
  k: number;
  selfExclude: boolean;
  /**
   * Columns of the full (canonical-order) rows; numeric lower-bound columns (0, or at least 8: padded with
   * zeros, which add nothing; missing cells NaN); 32-bit words of packed bytes (categorical codes, then
   * missing flags of numeric columns; 0 words, or at least 2: padding bytes are equal).
   */
  width: number;
  numWidth: number;
  catWords: number;
  qRows: number;
  rRows: number;
  qFull: Float64Array;
  rFull: Float64Array;
  qNum: Float64Array;
  rNum: Float64Array;
  qCat: Int32Array;
  rCat: Int32Array;
  /**
   * Reference rows are stored sorted by their packed codes: `order` maps a stored position to the reference row;
   * `skipFirst` / `skipAll` give the first position after the run sharing word 0 / every word (empty when there
   * are no categorical columns), so a run whose codes alone rule it out is skipped in one step.
   */
  order: Int32Array;
  skipFirst: Int32Array;
  skipAll: Int32Array;
  /** qRows × k, filled with −1 and +Infinity before the search. */
  indices: Int32Array;
  distances: Float64Array;
}

/**
 * Searches query rows [i0, i1) against every reference row. Self-contained on purpose (no calls out, no nested
 * functions): helper threads run it from its source text.
 */
export function searchChunk(t: KnnTask, i0: number, i1: number): void {
  const k = t.k;
  const C = t.width;
  const N = t.numWidth;
  const P = t.catWords;
  const rRows = t.rRows;
  const qFull = t.qFull;
  const rFull = t.rFull;
  const qNum = t.qNum;
  const rNum = t.rNum;
  const qCat = t.qCat;
  const rCat = t.rCat;
  const idx = t.indices;
  const dist = t.distances;
  const self = t.selfExclude;
  const order = t.order;
  const skipFirst = t.skipFirst;
  const skipAll = t.skipAll;
  // Raw (undivided) sums of each query's current k best, and the bound a candidate's lower bound must not pass.
  const sums = new Float64Array((i1 - i0) * k).fill(Number.POSITIVE_INFINITY);
  const bound = new Float64Array(i1 - i0).fill(Number.POSITIVE_INFINITY);
  const BLOCK = 2048; // reference rows per tile: their packed codes and numeric columns stay in L2
  for (let b0 = 0; b0 < rRows; b0 += BLOCK) {
    const b1 = Math.min(rRows, b0 + BLOCK);
    for (let i = i0; i < i1; i++) {
      const base = i * k;
      const local = (i - i0) * k;
      let thr = bound[i - i0]!;
      const qc = i * P;
      const qn = i * N;
      const c0 = P > 0 ? qCat[qc]! : 0;
      const c1 = P > 0 ? qCat[qc + 1]! : 0;
      const h = N > 0 ? qn : -1; // cat-only layouts have no numeric block: the locals stay unused
      const q0 = h < 0 ? 0 : qNum[h]!;
      const q1 = h < 0 ? 0 : qNum[h + 1]!;
      const q2 = h < 0 ? 0 : qNum[h + 2]!;
      const q3 = h < 0 ? 0 : qNum[h + 3]!;
      const q4 = h < 0 ? 0 : qNum[h + 4]!;
      const q5 = h < 0 ? 0 : qNum[h + 5]!;
      const q6 = h < 0 ? 0 : qNum[h + 6]!;
      const q7 = h < 0 ? 0 : qNum[h + 7]!;
      for (let j = b0; j < b1; j++) {
        const jo = order[j]!;
        if (self && jo === i) continue;
        let lb = 0;
        if (P > 0) {
          const rc = j * P;
          // High bit of each byte set iff that byte of x is non-zero, i.e. the two codes differ; then counted.
          let x = c0 ^ rCat[rc]!;
          let m = (((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x) & 0x80808080;
          lb = Math.imul(m >>> 7, 0x01010101) >>> 24;
          if (lb > thr) {
            j = skipFirst[j]! - 1;
            continue;
          }
          x = c1 ^ rCat[rc + 1]!;
          m = (((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x) & 0x80808080;
          lb += Math.imul(m >>> 7, 0x01010101) >>> 24;
          for (let w = 2; w < P; w++) {
            x = qCat[qc + w]! ^ rCat[rc + w]!;
            m = (((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x) & 0x80808080;
            lb += Math.imul(m >>> 7, 0x01010101) >>> 24;
          }
          if (lb > thr) {
            j = skipAll[j]! - 1;
            continue;
          }
        }
        if (N > 0) {
          // The first eight columns at once, the query's cells in locals: one well-predicted branch per row.
          const rn = j * N;
          let d0 = Math.abs(q0 - rNum[rn]!);
          let d1 = Math.abs(q1 - rNum[rn + 1]!);
          let d2 = Math.abs(q2 - rNum[rn + 2]!);
          let d3 = Math.abs(q3 - rNum[rn + 3]!);
          d0 = d0 < 1 ? d0 : d0 === d0 ? 1 : 0;
          d1 = d1 < 1 ? d1 : d1 === d1 ? 1 : 0;
          d2 = d2 < 1 ? d2 : d2 === d2 ? 1 : 0;
          d3 = d3 < 1 ? d3 : d3 === d3 ? 1 : 0;
          let d4 = Math.abs(q4 - rNum[rn + 4]!);
          let d5 = Math.abs(q5 - rNum[rn + 5]!);
          let d6 = Math.abs(q6 - rNum[rn + 6]!);
          let d7 = Math.abs(q7 - rNum[rn + 7]!);
          d4 = d4 < 1 ? d4 : d4 === d4 ? 1 : 0;
          d5 = d5 < 1 ? d5 : d5 === d5 ? 1 : 0;
          d6 = d6 < 1 ? d6 : d6 === d6 ? 1 : 0;
          d7 = d7 < 1 ? d7 : d7 === d7 ? 1 : 0;
          let sa = lb + (d0 + d1 + (d2 + d3));
          let sb = d4 + d5 + (d6 + d7);
          if (sa + sb > thr) continue;
          let c = 8;
          for (; c + 1 < N; c += 2) {
            let d = Math.abs(qNum[qn + c]! - rNum[rn + c]!);
            sa += d < 1 ? d : d === d ? 1 : 0;
            d = Math.abs(qNum[qn + c + 1]! - rNum[rn + c + 1]!);
            sb += d < 1 ? d : d === d ? 1 : 0;
            if (sa + sb > thr) break;
          }
          if (c + 1 < N) continue;
          if (c < N) {
            const d = Math.abs(qNum[qn + c]! - rNum[rn + c]!);
            if (sa + sb + (d < 1 ? d : d === d ? 1 : 0) > thr) continue;
          }
        }
        // The exact distance, summed in column order as the definition does.
        let s = 0;
        const qo = i * C;
        const ro = j * C;
        for (let cc = 0; cc < C; cc++) {
          const d = Math.abs(qFull[qo + cc]! - rFull[ro + cc]!);
          s += d < 1 ? d : 1;
        }
        // Rows come out of index order, so ties are settled by index: the k smallest (distance, row) pairs, which
        // is what the plain loop in index order keeps.
        const dd = s / C;
        const dk = dist[base + k - 1]!;
        if (dd > dk || (dd === dk && jo > idx[base + k - 1]!)) continue;
        let p = k - 1;
        while (p > 0 && (dist[base + p - 1]! > dd || (dist[base + p - 1]! === dd && idx[base + p - 1]! > jo))) {
          dist[base + p] = dist[base + p - 1]!;
          idx[base + p] = idx[base + p - 1]!;
          sums[local + p] = sums[local + p - 1]!;
          p--;
        }
        dist[base + p] = dd;
        idx[base + p] = jo;
        sums[local + p] = s;
        if (idx[base + k - 1]! >= 0) thr = sums[local + k - 1]! * (1 + 1e-12);
      }
      bound[i - i0] = thr;
    }
  }
}

// Shared control words: next chunk to claim, chunks done, a helper failed, the caller cancelled.
const NEXT = 0;
const DONE = 1;
const FAILED = 2;
const CANCEL = 3;
const PAIRS_PER_CHUNK = 1_000_000; // ~10–100 ms of work: the caller checks for cancel between chunks
const STALL_MS = 20_000;

/** Rows per chunk so that each chunk is about PAIRS_PER_CHUNK distance evaluations. */
export function chunkRows(task: KnnTask): number {
  return Math.max(1, Math.min(1024, Math.floor(PAIRS_PER_CHUNK / Math.max(1, task.rRows))));
}

/** Helper threads worth starting: one per spare core, none for small searches (a thread costs ~100 ms). */
export function helperCount(task: KnnTask, threads?: number): number {
  const cores = threads ?? availableParallelism();
  if (threads === undefined && task.qRows * task.rRows < 100_000_000) return 0;
  return Math.max(0, Math.min(cores - 1, Math.ceil(task.qRows / chunkRows(task)) - 1));
}

const ARRAYS = ['qFull', 'rFull', 'qNum', 'rNum', 'qCat', 'rCat', 'order', 'skipFirst', 'skipAll', 'indices', 'distances'] as const;

/** The helper thread's script: the kernel's own source, then a loop claiming chunks until none are left. */
function helperSource(): string {
  return `'use strict';
const { parentPort } = require('node:worker_threads');
const __name = (f) => f; // a transpiler keeping function names may have wrapped inner names with it
const searchChunk = (${searchChunk.toString()});
parentPort.once('message', (m) => {
  const ctrl = new Int32Array(m.ctrl);
  const state = new Int32Array(m.state);
  const t = Object.assign({}, m.task);
  try {
    for (;;) {
      if (Atomics.load(ctrl, ${CANCEL}) !== 0) break;
      const c = Atomics.add(ctrl, ${NEXT}, 1);
      if (c >= m.chunks) break;
      searchChunk(t, c * m.rows, Math.min(t.qRows, (c + 1) * m.rows));
      if (Atomics.exchange(state, c, 1) === 0) Atomics.add(ctrl, ${DONE}, 1);
      Atomics.notify(ctrl, ${DONE});
    }
  } catch (err) {
    Atomics.store(ctrl, ${FAILED}, 1);
    Atomics.notify(ctrl, ${DONE});
  }
  parentPort.close();
});`;
}

/** Copies a typed array into shared memory, so helpers read and write the same cells. */
function shared<T extends Float64Array | Int32Array>(a: T): T {
  const out = (a instanceof Float64Array ? new Float64Array(new SharedArrayBuffer(Math.max(8, a.byteLength))) : new Int32Array(new SharedArrayBuffer(Math.max(8, a.byteLength)))) as T;
  out.set(a);
  return (a.length === out.length ? out : out.subarray(0, a.length)) as T;
}

/**
 * A helper failed or stalled: stop the helpers and compute every chunk not marked done, from fresh outputs (a
 * chunk a helper left half-way holds partial lists), into private arrays copied over once complete.
 */
function takeOver(t: KnnTask, state: Int32Array, chunks: number, rows: number, workers: Worker[], ctrl: Int32Array): number {
  Atomics.store(ctrl, CANCEL, 1);
  for (const w of workers) void w.terminate();
  let taken = 0;
  const own: KnnTask = { ...t, indices: new Int32Array(t.indices.length).fill(-1), distances: new Float64Array(t.distances.length).fill(Number.POSITIVE_INFINITY) };
  for (let c = 0; c < chunks; c++) {
    if (Atomics.load(state, c) !== 0) continue;
    const [i0, i1] = [c * rows, Math.min(t.qRows, (c + 1) * rows)];
    searchChunk(own, i0, i1);
    t.indices.set(own.indices.subarray(i0 * t.k, i1 * t.k), i0 * t.k);
    t.distances.set(own.distances.subarray(i0 * t.k, i1 * t.k), i0 * t.k);
    taken++;
  }
  return taken;
}

/**
 * Runs the whole search, writing task.indices and task.distances. `check` is called between chunks with the
 * share done (at least every ~100 ms); if it throws, helpers stop at their next chunk and the error propagates.
 * Returns how many chunks there were and how many the helper threads computed.
 */
export function runSearch(task: KnnTask, opts: { threads?: number; check?: Checkpoint } = {}): { chunks: number; byHelpers: number } {
  const rows = chunkRows(task);
  const chunks = Math.ceil(task.qRows / rows);
  const helpers = helperCount(task, opts.threads);
  if (helpers === 0) {
    for (let c = 0; c < chunks; c++) {
      opts.check?.(c / chunks);
      searchChunk(task, c * rows, Math.min(task.qRows, (c + 1) * rows));
    }
    return { chunks, byHelpers: 0 };
  }
  const t: KnnTask = { ...task };
  for (const key of ARRAYS) (t as unknown as Record<string, Float64Array | Int32Array>)[key] = shared(task[key]);
  const ctrl = new Int32Array(new SharedArrayBuffer(16));
  const state = new Int32Array(new SharedArrayBuffer(4 * chunks));
  const workers: Worker[] = [];
  let own = 0;
  try {
    for (let h = 0; h < helpers; h++) {
      const w = new Worker(helperSource(), { eval: true });
      w.on('error', () => Atomics.store(ctrl, FAILED, 1));
      w.unref();
      w.postMessage({ ctrl: ctrl.buffer, state: state.buffer, task: t, chunks, rows });
      workers.push(w);
    }
    const run = (c: number): void => {
      searchChunk(t, c * rows, Math.min(t.qRows, (c + 1) * rows));
      if (Atomics.exchange(state, c, 1) === 0) Atomics.add(ctrl, DONE, 1);
      own++;
    };
    for (let c = Atomics.add(ctrl, NEXT, 1); c < chunks; c = Atomics.add(ctrl, NEXT, 1)) {
      opts.check?.(Atomics.load(ctrl, DONE) / chunks);
      run(c);
    }
    // Wait for the helpers' last chunks; take them over if a helper failed or stopped answering.
    let seen = Atomics.load(ctrl, DONE);
    let since = performance.now();
    while (seen < chunks) {
      Atomics.wait(ctrl, DONE, seen, 50);
      opts.check?.(Atomics.load(ctrl, DONE) / chunks);
      const now = Atomics.load(ctrl, DONE);
      if (now !== seen) [seen, since] = [now, performance.now()];
      if (now < chunks && (Atomics.load(ctrl, FAILED) !== 0 || performance.now() - since > STALL_MS)) {
        own += takeOver(t, state, chunks, rows, workers, ctrl);
        break;
      }
    }
  } catch (err) {
    Atomics.store(ctrl, CANCEL, 1);
    throw err;
  } finally {
    for (const w of workers) void w.terminate();
  }
  task.indices.set(t.indices);
  task.distances.set(t.distances);
  return { chunks, byHelpers: chunks - own };
}
