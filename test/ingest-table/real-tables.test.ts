// The three real clinical tables: shape, missing counts (checked once with Python's csv module), inferred types, flags.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { flagIdentifying, holdoutAssignment, type TableSummary } from '../../electron/core/ingest/table';
import { column, DATA, readAll } from './table-helpers';

const typesOf = (s: TableSummary) => Object.fromEntries(s.profiles.map((p) => [p.name, p.inferredType]));
const missingOf = (s: TableSummary) => Object.fromEntries(s.profiles.filter((p) => p.missing > 0).map((p) => [p.name, p.missing]));

describe('pbc.csv (Mayo PBC trial)', () => {
  it('reads 418 rows × 20 columns, hashing the bytes as it streams', async () => {
    const { summary, rows } = await readAll(`${DATA}/pbc.csv`);
    expect(summary).toMatchObject({ encoding: 'utf-8', bom: false, delimiter: ',', rowCount: 418, bytes: 31698 });
    expect(summary.header).toHaveLength(20);
    expect(rows).toHaveLength(418);
    expect(rows[0]).toEqual(['1', '400', '2', '1', '58.7652292950034', 'f', '1', '1', '1', '1', '14.5', '261', '2.6', '156', '1718', '137.95', '172', '190', '12.2', '4']);
    expect(summary.sha256).toBe(createHash('sha256').update(readFileSync(`${DATA}/pbc.csv`)).digest('hex'));
  });

  it('counts missing values as Python’s csv module does (empty fields)', async () => {
    const { summary } = await readAll(`${DATA}/pbc.csv`);
    expect(missingOf(summary)).toEqual({ trt: 106, ascites: 106, hepato: 106, spiders: 106, chol: 134, copper: 108, 'alk.phos': 106, ast: 106, trig: 136, platelet: 11, protime: 2, stage: 6 });
    expect(column(summary, 'time').distinct).toBe(399);
  });

  it('infers sensible types', async () => {
    const { summary } = await readAll(`${DATA}/pbc.csv`);
    expect(typesOf(summary)).toEqual({
      id: 'identifier', time: 'integer', status: 'integer', trt: 'integer', age: 'number', sex: 'categorical',
      ascites: 'integer', hepato: 'integer', spiders: 'integer', edema: 'number', bili: 'number', chol: 'integer',
      albumin: 'number', copper: 'integer', 'alk.phos': 'number', ast: 'number', trig: 'integer', platelet: 'integer',
      protime: 'number', stage: 'integer',
    });
    expect(column(summary, 'status')).toMatchObject({ distinct: 3, distinctCapped: false });
    expect(column(summary, 'sex').stats.top).toEqual([{ value: 'f', count: 374 }, { value: 'm', count: 44 }]);
    // Mean and sample SD agree with Python's statistics.mean / statistics.stdev.
    const age = column(summary, 'age').stats.numeric;
    expect(age?.mean).toBeCloseTo(50.741551470612315, 10);
    expect(age?.std).toBeCloseTo(10.447214386177881, 10);
    expect(column(summary, 'id').stats.top).toBeUndefined();
  });

  it('flags only the id column, as a key to drop but usable for grouping', async () => {
    const { summary } = await readAll(`${DATA}/pbc.csv`);
    const flagged = summary.profiles.map((p) => [p.name, flagIdentifying(p)] as const).filter(([, f]) => f.identifying);
    expect(flagged.map(([n, f]) => [n, f.kind, f.suggested])).toEqual([['id', 'identifier', 'drop']]);
    expect(flagged[0]?.[1].reason).toMatch(/holdout group key/);
  });
});

describe('PimaIndiansDiabetes2.csv', () => {
  it('reads 768 × 9 with diabetes categorical (pos/neg) and zeros-as-missing counted', async () => {
    const { summary, batches } = await readAll(`${DATA}/PimaIndiansDiabetes2.csv`);
    expect(summary.rowCount).toBe(768);
    expect(summary.header).toEqual(['pregnant', 'glucose', 'pressure', 'triceps', 'insulin', 'mass', 'pedigree', 'age', 'diabetes']);
    expect(batches).toBe(2);
    expect(typesOf(summary)).toEqual({
      pregnant: 'integer', glucose: 'integer', pressure: 'integer', triceps: 'integer', insulin: 'integer',
      mass: 'number', pedigree: 'number', age: 'integer', diabetes: 'categorical',
    });
    expect(missingOf(summary)).toEqual({ glucose: 5, pressure: 35, triceps: 227, insulin: 374, mass: 11 });
    expect(column(summary, 'diabetes').stats.top).toEqual([{ value: 'neg', count: 500 }, { value: 'pos', count: 268 }]);
    expect(summary.profiles.some((p) => flagIdentifying(p).identifying)).toBe(false);
  });
});

describe('colon.csv (two rows per patient)', () => {
  it('reads 1858 × 16; id is an identifier although every id appears twice', async () => {
    const { summary } = await readAll(`${DATA}/colon.csv`);
    expect(summary.rowCount).toBe(1858);
    expect(summary.header).toHaveLength(16);
    expect(column(summary, 'id')).toMatchObject({ inferredType: 'identifier', distinct: 929, unique: false });
    expect(column(summary, 'rx')).toMatchObject({ inferredType: 'categorical', distinct: 3 });
    expect(column(summary, 'sex').inferredType).toBe('integer');
    // 1067 distinct times: more than the profiler remembers with counts, still counted exactly.
    expect(column(summary, 'time')).toMatchObject({ inferredType: 'integer', distinctCapped: false, distinct: 1067 });
    expect(missingOf(summary)).toEqual({ nodes: 36, differ: 46 });
  });

  it('holds out round(0.2 × 929) patients with both their rows, reproducibly', async () => {
    const { summary, rows } = await readAll(`${DATA}/colon.csv`);
    const idAt = summary.header.indexOf('id');
    const ids = rows.map((r) => r[idAt] ?? null);
    const split = holdoutAssignment(rows.length, { seed: 'colon-2026', groupKeys: ids });
    expect(split).toMatchObject({ groups: 929, holdoutGroups: 186, holdoutRows: 372 });
    const side = new Map<string, boolean>();
    ids.forEach((id, i) => {
      const held = split.isHoldout[i];
      if (side.has(id as string)) expect(side.get(id as string)).toBe(held);
      else side.set(id as string, held as boolean);
    });
    expect([...side.values()].filter(Boolean)).toHaveLength(186);
    expect(holdoutAssignment(rows.length, { seed: 'colon-2026', groupKeys: ids }).isHoldout).toEqual(split.isHoldout);
    expect(holdoutAssignment(rows.length, { seed: 'colon-2027', groupKeys: ids }).isHoldout).not.toEqual(split.isHoldout);
  });
});
