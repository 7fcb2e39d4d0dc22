//! Passing a gradient through a sampled token (Jang, Gu and Poole 2017; Maddison et al. 2017).
//!
//! ```text
//! g_v = -log(-log u_v),  u_v ~ U(0, 1)                 Gumbel noise            [N, V]
//! hard:           y = onehot(argmax_v (l_v + g_v))     an exact sample of softmax(l) (Gumbel-max)
//! Gumbel-softmax: y = softmax((l + g) / τ)             a point of the simplex, smooth in l
//! straight-through: y = hard + soft - stopgrad(soft)   hard going forward, soft's gradient back
//! ```
//!
//! The hard sample is what a discriminator of real sentences sees, and it has no derivative: the
//! arg-max is piecewise constant in `l` (zero gradient almost everywhere, undefined at the
//! jumps), so burn's autodiff finds no path from `y` back to `l` at all. The relaxation has a
//! gradient; its temperature trades bias for variance. As `τ -> 0` the soft sample becomes the
//! hard one (unbiased, but the gradient concentrates on the rare samples near a tie: high
//! variance); a large `τ` flattens every sample towards uniform (smooth, low variance, but the
//! gradient of a different, blurred objective).

use burn::prelude::*;
use burn::tensor::activation::softmax;
use rand::RngExt;

/// Gumbel noise of `shape` from the caller's random generator.
pub fn gumbel_noise<const D: usize>(shape: [usize; D], rng: &mut impl RngExt, device: &Device) -> Tensor<D> {
    let count = shape.iter().product();
    let values: Vec<f32> = (0..count)
        .map(|_| {
            let u = rng.random::<f64>().max(f64::MIN_POSITIVE);
            -(-u.ln()).ln() as f32
        })
        .collect();
    Tensor::from_data(TensorData::new(values, shape), device)
}

/// `softmax((l + g) / τ)` over the last dimension of `logits: [N, V]`.
pub fn gumbel_softmax(logits: Tensor<2>, noise: Tensor<2>, temperature: f64) -> Tensor<2> {
    softmax((logits + noise) / temperature, 1)
}

/// `onehot(argmax(l + g))`, `[N, V]`: a sample of `softmax(l)`, cut from the graph.
pub fn hard_sample(logits: Tensor<2>, noise: Tensor<2>) -> Tensor<2> {
    let vocab = logits.dims()[1];
    (logits + noise).argmax(1).squeeze_dim::<1>(1).one_hot::<2>(vocab).float()
}

/// The straight-through estimator: the hard sample's value with the Gumbel-softmax's gradient.
pub fn straight_through(logits: Tensor<2>, noise: Tensor<2>, temperature: f64) -> Tensor<2> {
    let soft = gumbel_softmax(logits.clone(), noise.clone(), temperature);
    hard_sample(logits, noise) + soft.clone() - soft.detach()
}
