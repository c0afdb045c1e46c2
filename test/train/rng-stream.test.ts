// Pins the first draws of both seeded streams to the values the original (boxed-number) implementations gave, so a
// faster generator can never change a seeded run's weights, samples or validation splits without this failing.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../electron/core/train/engine/rng';
import { createRng } from '../../electron/core/train/rng';

describe('createRng (tabular, validation) stream', () => {
  it('gives the pinned first draws for seed "airlock"', () => {
    const r = createRng('airlock');
    expect([r.uniform(), r.uniform(), r.uniform()]).toEqual([0.6645365810709783, 0.017457143980513234, 0.3417772196469643]);
    expect([r.normal(), r.normal(), r.normal()]).toEqual([-0.07723144362229839, 0.4795886602838582, -0.05425331114413584]);
    expect([r.int(10), r.int(1000), r.int(2 ** 32), r.int(7)]).toEqual([0, 262, 2976946551, 1]);
    expect([r.choice([1, 2, 3]), r.choice([0, 5, 1])]).toEqual([1, 2]);
    expect(r.shuffle([0, 1, 2, 3, 4, 5, 6, 7])).toEqual([0, 7, 5, 4, 6, 1, 2, 3]);
    const f = r.fork('child');
    expect([f.uniform(), f.int(100)]).toEqual([0.5912220322783542, 7]);
    expect(r.uniform()).toBe(0.31444179035785236);
  });

  it('gives the pinned checksums over a million draws', () => {
    const a = createRng(7);
    let sum = 0;
    for (let i = 0; i < 1e5; i++) sum += a.uniform();
    expect(sum).toBe(49991.908839646036);
    const b = createRng(7);
    let x = 0;
    for (let i = 0; i < 1e6; i++) x = (x ^ b.int(2 ** 32)) >>> 0;
    expect(x).toBe(2520548262);
  });
});

describe('engine Rng (training) stream', () => {
  it('gives the pinned first draws for seed 42', () => {
    const e = Rng.fromSeed(42);
    expect([e.nextUint32(), e.nextUint32(), e.nextUint32()]).toEqual([1028872839, 2516511472, 400437680]);
    expect([e.uniform(), e.uniform()]).toEqual([0.1986696231894315, 0.8355816293403567]);
    expect(e.uniformOpen()).toBe(0.9291548465550287);
    expect([e.int(10), e.int(2 ** 32), e.int(3)]).toEqual([9, 940062293, 1]);
    // Normals by the ziggurat since 3 December 2026 (Box–Muller gave −1.5607765913009644, 2.3409252166748047, …).
    expect(Array.from(e.normal(5, 1, 2))).toEqual([3.257375955581665, 0.871350109577179, 4.445208549499512, 0.9032630920410156, 0.6606481671333313]);
    expect(Array.from(e.fillUniform(new Float32Array(3), -1, 1))).toEqual([-0.3965221345424652, 0.5883389711380005, 0.6035186648368835]);
    expect(Array.from(e.permutation(8))).toEqual([6, 3, 4, 2, 5, 7, 0, 1]);
    expect(e.state()).toEqual([2422428745, 157972677, 705753598, 3317318759]);
  });

  it('resumes from a state exactly, and gives the pinned checksum over a million draws', () => {
    const s = Rng.fromState([1, 2, 3, 0xffffffff]);
    expect([s.nextUint32(), s.nextUint32(), s.nextUint32()]).toEqual([2, 29, 56623150]);
    expect(s.state()).toEqual([56733714, 37776645, 2264926255, 2]);
    const l = Rng.fromSeed(7);
    let x = 0;
    for (let i = 0; i < 1e6; i++) x = (x ^ l.nextUint32()) >>> 0;
    expect(x).toBe(3492897607);
    expect(l.state()).toEqual([2093687079, 4021147703, 1219813636, 2373217178]);
    const again = Rng.fromState(l.state());
    expect(again.nextUint32()).toBe(l.nextUint32());
  });

  it('fills large buffers with the same values as one-value fills, whatever the split', () => {
    const bulk = Rng.fromSeed(3);
    const one = Rng.fromSeed(3);
    const n = Array.from(bulk.normal(100_001, 0.5, 2));
    const expected: number[] = [];
    // One value at a time, then in uneven pieces: the stream, the tail and the wedge draws included, is the same.
    for (let i = 0; i < 1001; i++) expected.push(one.normal(1, 0.5, 2)[0] as number);
    for (let at = 1001; at < 100_001; at += 997) expected.push(...one.normal(Math.min(997, 100_001 - at), 0.5, 2));
    expect(n).toEqual(expected);
    expect(bulk.state()).toEqual(one.state());
    // The fill went through the tail (|z| > R = 3.654) more than once, so that path is covered too.
    expect(n.filter((z) => Math.abs(z - 0.5) > 2 * 3.6541528853610088).length).toBeGreaterThan(1);
    expect(Array.from(bulk.permutation(500))).toEqual(Array.from(Rng.fromState(one.state()).permutation(500)));
  });
});
