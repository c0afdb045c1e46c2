// The backend ladder: on this workstation (no tfjs-node packages, no GPU) it lands on WASM and says why it
// skipped each native rung; AIRLOCK_TF_BACKEND forces a rung and refuses one it cannot load.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { describeLoadError, parseForced, selectBackend } from '../../electron/core/train/engine/backend';

describe('backend ladder', () => {
  it('picks wasm here and records the native rungs it skipped, with reasons', async () => {
    delete process.env.AIRLOCK_TF_BACKEND;
    const info = await selectBackend();
    expect(info).toMatchObject({
      name: 'wasm',
      tfjsVersion: tf.version_core,
      backendVersion: '4.22.0',
      threads: 1,
      addedKernels: ['Conv2DBackpropFilter'],
      fallbacks: [
        { name: 'tensorflow-gpu', reason: 'not installed' },
        { name: 'tensorflow', reason: 'not installed' },
      ],
    });
    expect(typeof info.simd).toBe('boolean');
    expect(tf.getBackend()).toBe('wasm');
    expect(await selectBackend()).toBe(info); // chosen once per process
  });

  it('validates AIRLOCK_TF_BACKEND', () => {
    expect(parseForced(undefined)).toBeUndefined();
    expect(parseForced('')).toBeUndefined();
    expect(parseForced('cpu')).toBe('cpu');
    expect(parseForced('node-gpu')).toBe('node-gpu');
    expect(() => parseForced('gpu')).toThrow(/must be one of node-gpu, node, wasm, cpu/);
  });

  it('describes a missing package as "not installed" and keeps other load errors', () => {
    expect(describeLoadError(Object.assign(new Error("Cannot find package '@tensorflow/tfjs-node'"), { code: 'ERR_MODULE_NOT_FOUND' }))).toBe('not installed');
    expect(describeLoadError(new Error('libcudart.so.11.0: cannot open shared object file\nmore'))).toBe('libcudart.so.11.0: cannot open shared object file');
  });
});
