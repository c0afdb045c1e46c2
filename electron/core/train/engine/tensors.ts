// Tensors as plain data for postMessage and checkpoints: name, shape, dtype and a standalone ArrayBuffer (copied,
// so it can be transferred without detaching a backend's own storage).
import * as tf from '@tensorflow/tfjs';

export type SerializedDtype = 'float32' | 'int32';

export interface SerializedTensor {
  name: string;
  shape: number[];
  dtype: SerializedDtype;
  data: ArrayBuffer;
}

export function serializeTensor(name: string, t: tf.Tensor): SerializedTensor {
  if (t.dtype !== 'float32' && t.dtype !== 'int32') throw new Error(`Cannot serialise ${name}: dtype ${t.dtype}.`);
  const values = t.dataSync();
  const copy = t.dtype === 'float32' ? new Float32Array(values) : new Int32Array(values);
  return { name, shape: [...t.shape], dtype: t.dtype, data: copy.buffer };
}

export function typedView(s: SerializedTensor): Float32Array | Int32Array {
  return s.dtype === 'float32' ? new Float32Array(s.data) : new Int32Array(s.data);
}

export function deserializeTensor(s: SerializedTensor): tf.Tensor {
  const view = typedView(s);
  const size = s.shape.reduce((a, b) => a * b, 1);
  if (view.length !== size) throw new Error(`${s.name}: ${view.length} values for shape [${s.shape.join(', ')}].`);
  return tf.tensor(view, s.shape, s.dtype);
}

/** The ArrayBuffers to list in postMessage's transfer list. */
export function buffersOf(list: readonly SerializedTensor[]): ArrayBuffer[] {
  return list.map((s) => s.data);
}
