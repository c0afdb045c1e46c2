// Kernels the WASM backend (tfjs-backend-wasm 4.22) lacks for training, built from the backend's own kernels.
//
// Conv2DBackpropFilter is the one gap found by training a dense MLP (LeakyReLU, BatchNormalization, Dropout,
// tanh and softmax heads, Adam), a small DCGAN (Conv2D stride 2, Conv2DTranspose, BatchNormalization,
// LeakyReLU) and the TVAE/CTGAN models here (second-order gradients included) on wasm: every other kernel they
// touch exists. It is needed by the gradient of Conv2D / FusedConv2D with respect to the filter and by the
// gradient of Conv2DTranspose.
//
// For an NHWC convolution y[n,i,j,o] = Σ x[n, i·s_h + a − pad_top, j·s_w + b − pad_left, c] · W[a,b,c,o], the
// filter gradient dW[a,b,c,o] = Σ_{n,i,j} x[n, a + i·s_h − pad_top, b + j·s_w − pad_left, c] · dy[n,i,j,o] is
// itself a stride-1 convolution whose dilation is the forward stride: the input is x transposed to
// [C_in, H, W, N] (batch = input channels, channels = batch), the filter is dy transposed to [H', W', N, C_out].
// Pad the input by the forward padding (extra zeros at the bottom/right if the forward pass read past the
// edge), run a 'valid' Conv2D, keep the first filterHeight × filterWidth outputs and transpose back to
// [fh, fw, C_in, C_out].
import * as tf from '@tensorflow/tfjs';
import { registerWasmMatMul } from './wasm-matmul';
import { registerWasmSharing } from './wasm-share';

type Conv2DBackpropFilterAttrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
};

type Run = (name: string, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap) => tf.TensorInfo;

function backendKernelRunner(backendName: string, backend: tf.KernelBackend): Run {
  return (name, inputs, attrs) => {
    const kernel = tf.getKernel(name, backendName);
    if (!kernel) throw new Error(`The ${backendName} backend has no ${name} kernel.`);
    const out = kernel.kernelFunc({ inputs, backend, attrs });
    if (Array.isArray(out)) throw new Error(`${name} returned several tensors where one was expected.`);
    return out;
  };
}

/** The Conv2DBackpropFilter kernel function for a backend that has Transpose, PadV2, Conv2D and Slice. */
export function conv2dBackpropFilterVia(backendName: string): tf.KernelFunc {
  return ({ inputs, backend: rawBackend, attrs }) => {
    const backend = rawBackend as tf.KernelBackend;
    const run = backendKernelRunner(backendName, backend);
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
    const temps: tf.TensorInfo[] = [];
    const keep = (t: tf.TensorInfo): tf.TensorInfo => {
      temps.push(t);
      return t;
    };
    try {
      let x = inputs.x as tf.TensorInfo;
      let dy = inputs.dy as tf.TensorInfo;
      if (dataFormat === 'NCHW') {
        x = keep(run('Transpose', { x }, { perm: [0, 2, 3, 1] }));
        dy = keep(run('Transpose', { x: dy }, { perm: [0, 2, 3, 1] }));
      }
      const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
      const [, inH, inW] = x.shape as [number, number, number, number];
      const [fh, fw] = filterShape;
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        filterShape,
        [sh, sw],
        1,
        pad,
        dimRoundingMode,
        false,
        'channelsLast',
      );
      const outH = dy.shape[1] as number;
      const outW = dy.shape[2] as number;
      if (outH !== info.outHeight || outW !== info.outWidth) {
        throw new Error(`Conv2DBackpropFilter: dy is ${outH}×${outW} but the forward convolution gives ${info.outHeight}×${info.outWidth}.`);
      }
      const top = info.padInfo.top;
      const left = info.padInfo.left;
      const bottom = Math.max(0, fh + (outH - 1) * sh - inH - top);
      const right = Math.max(0, fw + (outW - 1) * sw - inW - left);

      let xt = keep(run('Transpose', { x }, { perm: [3, 1, 2, 0] })); // [C_in, H, W, N]
      const dyt = keep(run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] })); // [H', W', N, C_out]
      if (top || bottom || left || right) {
        xt = keep(
          run('PadV2', { x: xt }, { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0 }),
        );
      }
      const full = keep(
        run('Conv2D', { x: xt, filter: dyt }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [sh, sw] }),
      ); // [C_in, ≥fh, ≥fw, C_out]
      let cropped = full;
      if (full.shape[1] !== fh || full.shape[2] !== fw) {
        cropped = keep(run('Slice', { x: full }, { begin: [0, 0, 0, 0], size: [full.shape[0] as number, fh, fw, full.shape[3] as number] }));
      }
      return run('Transpose', { x: cropped }, { perm: [1, 2, 0, 3] }); // [fh, fw, C_in, C_out]
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
}

const ours = new Set<string>();

/**
 * Register the kernels the wasm backend lacks for training. Idempotent; registers a kernel only when wasm has
 * none under that name (a later tfjs release that ships its own wins). Returns the names registered now or
 * earlier by this function.
 */
export function registerWasmTrainingKernels(): string[] {
  const added: string[] = [];
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
    tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2dBackpropFilterVia('wasm') });
    ours.add('Conv2DBackpropFilter');
  }
  // A speed-up of an existing kernel, not a missing one: not listed among the added kernels.
  registerWasmMatMul();
  registerWasmSharing();
  for (const name of ours) added.push(name);
  return added;
}
