// The seeded holdout split: exact group counts, groups kept whole, reproducible by seed.
import { describe, expect, it } from 'vitest';
import { holdoutAssignment } from '../../electron/core/ingest/table';

describe('holdoutAssignment', () => {
  it('holds out round(fraction × rows) rows when ungrouped', () => {
    const split = holdoutAssignment(768, { seed: 'pima' });
    expect(split).toMatchObject({ groups: 768, holdoutGroups: 154, holdoutRows: 154 });
    expect(split.isHoldout).toHaveLength(768);
    expect(holdoutAssignment(10, { seed: 1, fraction: 0.25 }).holdoutRows).toBe(3); // round(2.5) = 3
  });

  it('is reproducible by seed and changes with it', () => {
    const a = holdoutAssignment(500, { seed: 'alpha' }).isHoldout;
    expect(holdoutAssignment(500, { seed: 'alpha' }).isHoldout).toEqual(a);
    expect(holdoutAssignment(500, { seed: 'beta' }).isHoldout).not.toEqual(a);
    expect(holdoutAssignment(500, { seed: 42 }).isHoldout).toEqual(holdoutAssignment(500, { seed: '42' }).isHoldout);
  });

  it('keeps groups whole, treats each null key as its own group, and ignores row order', () => {
    const keys = ['a', 'b', 'a', null, 'c', 'b', null, 'd', 'e', 'a'];
    const split = holdoutAssignment(keys.length, { seed: 's', fraction: 0.5, groupKeys: keys });
    expect(split).toMatchObject({ groups: 7, holdoutGroups: 4 }); // a b c d e + two nulls; round(3.5) = 4
    const side = (k: string) => keys.flatMap((key, i) => (key === k ? [split.isHoldout[i]] : []));
    for (const k of ['a', 'b']) expect(new Set(side(k)).size).toBe(1);
    // The same keys in another order land on the same sides.
    const order = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
    const shuffled = holdoutAssignment(keys.length, { seed: 's', fraction: 0.5, groupKeys: order.map((i) => keys[i] ?? null) });
    order.forEach((from, to) => {
      if (keys[from] !== null) expect(shuffled.isHoldout[to]).toBe(split.isHoldout[from]);
    });
  });

  it('spreads the holdout over the table rather than a block', () => {
    const { isHoldout } = holdoutAssignment(1000, { seed: 'spread' });
    const firstHalf = isHoldout.slice(0, 500).filter(Boolean).length;
    expect(firstHalf).toBeGreaterThan(70);
    expect(firstHalf).toBeLessThan(130);
  });

  it('refuses bad arguments', () => {
    expect(() => holdoutAssignment(3, { seed: 's', fraction: 1.5 })).toThrow(/between 0 and 1/);
    expect(() => holdoutAssignment(3, { seed: 's', groupKeys: ['a'] })).toThrow(/one key per row/);
    expect(() => holdoutAssignment(-1, { seed: 's' })).toThrow();
    expect(holdoutAssignment(0, { seed: 's' })).toMatchObject({ groups: 0, holdoutGroups: 0, holdoutRows: 0 });
  });
});
