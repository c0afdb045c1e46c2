// A worker thread that trains the feature encoder the way the validation worker does, and reports its backend.
import { parentPort } from 'node:worker_threads';
import { trainEncoder } from '../../electron/core/validate/image/encoder';

const size = 16;
const count = 8;
const data = Float32Array.from({ length: count * size * size }, (_, i) => Math.sin(i * 0.37));
const labels = Int32Array.from({ length: count }, (_, i) => i % 2);
const encoder = await trainEncoder({ count, size, data, labels, classes: ['a', 'b'] }, { seed: 'worker', epochs: 1 });
const features = encoder.features({ count: 4, size, data: data.subarray(0, 4 * size * size), labels: null, classes: [] });
parentPort?.postMessage({ backend: encoder.describe.backend, dim: encoder.dim, features: features.length });
encoder.dispose();
