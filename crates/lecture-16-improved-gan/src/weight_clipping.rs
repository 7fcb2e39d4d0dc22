//! Weight clipping (Arjovsky, Chintala and Bottou 2017): after every critic update, every
//! parameter is clamped into `[-c, c]`,
//!
//! ```text
//! w <- clamp(w, -c, c)      for every weight and bias of the critic      (the paper: c = 0.01)
//! ```
//!
//! A network with bounded weights is K-Lipschitz for some K, so the critic estimates `K W_1`.
//! The price (Gulrajani et al. 2017, figure 1): to be as steep as the loss asks, the critic
//! pushes its weights against the bounds, most of them end up at `±c`, and the functions it
//! can express are crude; with `c` too small its gradients vanish, too large they explode.

use crate::critic::Critic;
use burn::module::{Module, ModuleMapper, Param};
use burn::prelude::*;

/// Every parameter of `critic` clamped into `[-c, c]`.
pub fn clip_weights(critic: Critic, c: f64) -> Critic {
    critic.map(&mut Clamp { c })
}

struct Clamp {
    c: f64,
}

impl ModuleMapper for Clamp {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        // As burn's optimisers update a parameter: on the inner (non-autodiff) tensor, then
        // tracked again, so that the clipped weight is a fresh leaf of the next graph.
        let (id, w, mapper) = param.consume();
        let tracked = w.is_require_grad();
        let clipped = if w.is_autodiff() {
            Tensor::from_inner(w.inner().clamp(-self.c, self.c))
        } else {
            w.clamp(-self.c, self.c)
        };
        Param::from_mapped_value(id, if tracked { clipped.require_grad() } else { clipped }, mapper)
    }
}

/// All the weights of `critic`'s layers (not the biases), for a histogram.
pub fn weight_values(critic: &Critic) -> Vec<f32> {
    critic
        .net()
        .layers()
        .iter()
        .flat_map(|layer| layer.weight.val().into_data().iter::<f32>().collect::<Vec<_>>())
        .collect()
}

/// Fraction of the weights within `1%` of `c` of a bound `±c`.
pub fn fraction_at_bounds(weights: &[f32], c: f64) -> f64 {
    let near = |w: &f32| (f64::from(w.abs()) - c).abs() <= 0.01 * c;
    weights.iter().filter(|w| near(w)).count() as f64 / weights.len().max(1) as f64
}
