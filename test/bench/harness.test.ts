import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTable, machine, median, parseArgs, runComparison, single, writeReport, type Comparison } from '../../bench/harness';
import { tempDir } from '../helpers';

/** Sides that return the next value of a list, so every figure is known in advance. */
function scripted(ours: number[], reference: number[] | null, better: 'higher' | 'lower' = 'higher'): Comparison {
  let i = 0;
  let j = 0;
  return {
    name: 'toy',
    metrics: [{ key: 'v', label: 'train', unit: 'rows/s', better }],
    ours: { label: 'ours', threads: 1, run: () => ({ v: ours[i++] ?? Number.NaN }) },
    reference: reference ? { label: 'ref', threads: 1, run: () => Promise.resolve({ v: reference[j++] ?? Number.NaN }) } : null,
  };
}

describe('bench harness', () => {
  it('alternates the sides after warm-ups that are not counted', async () => {
    const order: string[] = [];
    const c = scripted([1000, 10, 20, 30], [1000, 10, 10, 10]);
    const [f] = await runComparison('s', c, { pairs: 3, warmup: 1, onRun: (side, warm) => order.push(`${side}${warm ? '*' : ''}`) });
    expect(order).toEqual(['ours*', 'reference*', 'ours', 'reference', 'ours', 'reference', 'ours', 'reference']);
    expect(f?.oursRuns).toEqual([10, 20, 30]);
    expect(f?.referenceRuns).toEqual([10, 10, 10]);
    expect(f?.pairs).toBe(3);
  });

  it('reports medians of each side and the median, min and max of the pairwise ratios', async () => {
    // Pairwise ratios 2, 0.5, 4, 1, 3: median 2, whereas the ratio of the medians would be 30 / 20 = 1.5.
    const [f] = await runComparison('s', scripted([20, 10, 40, 30, 60], [10, 20, 10, 30, 20]), { pairs: 5, warmup: 0 });
    expect(f).toMatchObject({ ours: 30, reference: 20, ratio: 2, ratioMin: 0.5, ratioMax: 4 });
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('orients ratios so that above 1 means Airlock is better, for times as for rates', async () => {
    const [f] = await runComparison('s', scripted([2, 4, 2], [4, 4, 8], 'lower'), { pairs: 3, warmup: 0 });
    expect(f).toMatchObject({ ours: 2, reference: 4, ratio: 2, ratioMin: 1, ratioMax: 4 });
  });

  it('measures a side alone when there is no reference', async () => {
    const order: string[] = [];
    const [f] = await runComparison('s', scripted([9, 5, 7, 6], null), { pairs: 3, warmup: 1, onRun: (side) => order.push(side) });
    expect(order).toEqual(['ours', 'ours', 'ours', 'ours']);
    expect(f).toMatchObject({ ours: 6, reference: null, ratio: null, pairs: 3 });
  });

  it('prints one aligned row per figure with the ratio and its range', async () => {
    const figures = [
      ...(await runComparison('s', scripted([20, 10, 40], [10, 20, 10]), { pairs: 3, warmup: 0 })),
      single('s', 'lag', { key: 'p99', label: 'p99', unit: 'ms', better: 'lower' }, 12.345, 'main thread', 1),
    ];
    const lines = formatTable(figures).split('\n');
    expect(lines[0]).toMatch(/figure\s+unit\s+airlock\s+reference\s+ratio\s+min–max\s+runs/);
    expect(lines[1]).toMatch(/toy train\s+rows\/s\s+20.0\s+10.0\s+2.00×\s+0.50–4.00\s+3/);
    expect(lines[2]).toMatch(/lag p99\s+ms ↓\s+12.3\s+1$/);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });

  it('writes every figure and the machine as JSON', async () => {
    const figures = await runComparison('generators', scripted([20, 10], [10, 20]), { pairs: 2, warmup: 0 });
    const file = join(tempDir(), 'bench.json');
    writeReport(file, { machine: machine(), options: { pairs: 2, warmup: 0, quick: true, sections: ['generators'] }, figures });
    const back = JSON.parse(readFileSync(file, 'utf8')) as { machine: Record<string, unknown>; figures: Record<string, unknown>[] };
    expect(Object.keys(back.machine).sort()).toEqual(['cores', 'cpuModel', 'date', 'gitCommit', 'gitDirty', 'loadAverageAtStart', 'node', 'totalMemoryMb']);
    expect(back.machine.cores).toBeGreaterThan(0);
    expect(back.machine.gitCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(back.figures[0]).toMatchObject({ section: 'generators', name: 'toy', unit: 'rows/s', ours: 15, reference: 15, ratio: 1.25, ratioMin: 0.5, ratioMax: 2, pairs: 2, oursThreads: 1, referenceThreads: 1 });
  });

  it('parses sections and options, and refuses unknown ones', () => {
    const known = ['ingest', 'generators', 'dcr'];
    expect(parseArgs(['generators', 'dcr', '--pairs', '3', '--json', 'out.json', '--quick', '--profile'], known)).toEqual({ sections: ['generators', 'dcr'], pairs: 3, warmup: 1, json: 'out.json', quick: true, profile: true });
    expect(parseArgs([], known)).toMatchObject({ sections: [], pairs: 5, warmup: 1, json: null });
    expect(() => parseArgs(['gens'], known)).toThrow(/Unknown section "gens"/);
    expect(() => parseArgs(['--pairs', '0'], known)).toThrow(/at least 1/);
    expect(() => parseArgs(['--json'], known)).toThrow(/needs a value/);
  });
});
