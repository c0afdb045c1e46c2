// Identity and same-dtype Cast on the WASM backend without a copy.
//
// tfjs clones every tensor it saves for the backward pass (an Identity kernel), and the gradients of Mul, Div and
// friends cast float32 to float32; tfjs-backend-wasm 4.22 copies the whole buffer for both (97 of a TVAE step's 300
// kernels, 278 of a CTGAN step's 894). Sharing the buffer by reference count is what wasm's own Reshape and the CPU
// backend's Identity do: tfjs tensors are immutable, so the values are the same and only the copy goes.
import * as tf from '@tensorflow/tfjs';

type Counted = tf.KernelBackend & { incRef(dataId: tf.DataId): void };

function share(backend: tf.KernelBackend, x: tf.TensorInfo): tf.TensorInfo {
  (backend as Counted).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** Identity: shares x's buffer (strings keep the original kernel). */
export function sharedIdentity(original: tf.KernelConfig): tf.KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    return x.dtype === 'string' ? original.kernelFunc(args) : share(args.backend as tf.KernelBackend, x);
  };
}

/** Cast: shares x's buffer when the dtype does not change; a real conversion keeps the original kernel. */
export function sharedCast(original: tf.KernelConfig): tf.KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const { dtype } = args.attrs as unknown as { dtype: tf.DataType };
    return x.dtype === dtype && dtype !== 'string' && dtype !== 'complex64' ? share(args.backend as tf.KernelBackend, x) : original.kernelFunc(args);
  };
}

let replaced = false;

/** Replace wasm's Identity and Cast by the sharing versions (keeping setup/dispose). Idempotent. */
export function registerWasmSharing(): boolean {
  if (replaced) return true;
  const identity = tf.getKernel('Identity', 'wasm');
  const cast = tf.getKernel('Cast', 'wasm');
  if (!identity || !cast) return false;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({ ...identity, kernelFunc: sharedIdentity(identity) });
  tf.unregisterKernel('Cast', 'wasm');
  tf.registerKernel({ ...cast, kernelFunc: sharedCast(cast) });
  replaced = true;
  return true;
}
