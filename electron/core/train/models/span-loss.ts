// Cross-entropy over all softmax spans at once, on the padded [rows, spans, maxWidth] layout of spans.ts (padding
// logits at −1e9, padding targets 0), with a hand-written gradient.
//
// The value is computed by the very ops tf.logSoftmax uses (max-shift, exp, sum, log), so it is the same number.
// The gradient, softmax · Σ target − target, reuses the forward pass's softmax: autodiff through logSoftmax
// recomputes exp(log p) instead, and an exp over the padded layout is one of a TVAE step's costlier kernels.
import * as tf from '@tensorflow/tfjs';

/** −Σ target · log softmax(logits) over the last axis, summed over everything: a scalar. Differentiable in logits. */
export function spanCrossEntropy(logits: tf.Tensor3D, target: tf.Tensor3D): tf.Scalar {
  type Args = (tf.Tensor | tf.GradSaveFunc)[];
  return tf.customGrad((...args: Args) => {
    const [x, save] = args as [tf.Tensor3D, tf.GradSaveFunc];
    const shifted = x.sub(x.max(-1, true));
    const e = shifted.exp();
    const total = e.sum(-1, true);
    const value = tf.neg<tf.Scalar>(target.mul(shifted.sub(total.log())).sum());
    // Saved, not captured: tfjs frees the forward pass's intermediates before the backward pass runs.
    save([e.div(total), target]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [p, t] = saved as [tf.Tensor3D, tf.Tensor3D];
        return [p.mul(t.sum(-1, true)).sub(t).mul(dy)];
      },
    };
  })(logits);
}
