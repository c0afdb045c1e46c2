// A faster BatchMatMul for the WASM backend when an operand is transposed.
//
// tfjs-backend-wasm 4.22 sends a matmul to XNNPACK only when neither operand is transposed; with transposeA or
// transposeB it falls back to a scalar loop that is 5–10× slower. Backpropagation through a dense layer is exactly
// those two cases (dX = dY·Wᵀ, dW = Xᵀ·dY), so they were ~80 % of a TVAE step. The wrapper transposes the operand
// explicitly (a cheap copy) and runs the untransposed, XNNPACK path. Same products, summed in XNNPACK's order
// instead of the loop's: results agree with the CPU backend to float32 rounding (test/train-engine/fast-kernels).
import * as tf from '@tensorflow/tfjs';

interface BatchMatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

type Original = tf.KernelConfig;

/** Swap the last two axes of a rank ≥ 2 tensor with the backend's own Transpose kernel. */
function transposeLast(backendName: string, backend: tf.KernelBackend, x: tf.TensorInfo): tf.TensorInfo {
  const kernel = tf.getKernel('Transpose', backendName);
  if (!kernel) throw new Error(`The ${backendName} backend has no Transpose kernel.`);
  const rank = x.shape.length;
  const perm = [...Array(rank).keys()];
  [perm[rank - 2], perm[rank - 1]] = [rank - 1, rank - 2];
  const out = kernel.kernelFunc({ inputs: { x }, backend, attrs: { perm } });
  if (Array.isArray(out)) throw new Error('Transpose returned several tensors where one was expected.');
  return out;
}

/** A BatchMatMul kernel function that hands `original` only untransposed operands. */
export function untransposedMatMul(backendName: string, original: Original): tf.KernelFunc {
  return ({ inputs, backend: rawBackend, attrs }) => {
    const backend = rawBackend as tf.KernelBackend;
    const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
    if (!transposeA && !transposeB) return original.kernelFunc({ inputs, backend, attrs });
    const temps: tf.TensorInfo[] = [];
    try {
      let a = inputs.a as tf.TensorInfo;
      let b = inputs.b as tf.TensorInfo;
      if (transposeA) temps.push((a = transposeLast(backendName, backend, a)));
      if (transposeB) temps.push((b = transposeLast(backendName, backend, b)));
      return original.kernelFunc({ inputs: { a, b }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
}

let wrapped = false;

/**
 * Replace wasm's BatchMatMul by the wrapper (keeping its setup and dispose functions). Idempotent. Returns whether
 * the wrapper is in place.
 */
export function registerWasmMatMul(): boolean {
  if (wrapped) return true;
  const original = tf.getKernel('BatchMatMul', 'wasm');
  if (!original) return false;
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({ ...original, kernelFunc: untransposedMatMul('wasm', original) });
  wrapped = true;
  return true;
}
