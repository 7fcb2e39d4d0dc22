//! This lecture's benchmark workloads for `cargo xtask bench`: one SGD step of the MLP with our
//! reverse mode, and the same step with burn's autodiff, so that the cost of our engine's
//! readability is on record.
//!
//! images `[128, 784]` -> tanh `[128, 256]` -> `[128, 10]` -> cross-entropy on labels `[128]`;
//! LeCun-normal weights; plain SGD at 0.1 on both sides (the same update, so only the
//! differentiation differs).

use crate::differentiate::{by_burn_autodiff, by_reverse_mode};
use crate::mlp::{MlpShape, mlp_loss};
use crate::parameters::Parameters;
use burn::prelude::{Device, Int, Tensor};
use shared::bench::Workload;
use shared::bench::inputs::{PIXELS, batch_rng, classes, uniform};

/// Which engine differentiates the step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Differentiation {
    OurReverseMode,
    BurnAutodiff,
}

/// The workload: the MLP's weights and one fixed batch of random images and labels.
pub struct MlpStep {
    differentiation: Differentiation,
    parameters: Parameters,
    images: Tensor<2>,
    labels: Tensor<1, Int>,
}

impl MlpStep {
    /// 784 -> 256 tanh -> 10, batch 128.
    pub const BENCH: (MlpShape, usize) = (MlpShape { input: 784, hidden: 256, classes: 10 }, 128);
    /// The SGD step size.
    pub const LEARNING_RATE: f64 = 0.1;
    /// Steps per timed run by default (about 1-3 s on flex).
    pub const DEFAULT_STEPS: usize = 60;

    /// Fresh weights (seed 0) and a batch of pixels uniform in [-1, 1) with uniform labels,
    /// on `device` without autodiff (burn's side adds it for its own step).
    pub fn new(
        differentiation: Differentiation,
        (shape, batch): (MlpShape, usize),
        device: &Device,
    ) -> MlpStep {
        let device = device.clone().without_autodiff();
        let mut rng = batch_rng();
        MlpStep {
            differentiation,
            parameters: shape.init(0, &device),
            images: uniform(&mut rng, [batch, shape.input], PIXELS, &device),
            labels: classes(&mut rng, [batch], shape.classes, &device),
        }
    }
}

impl Workload for MlpStep {
    fn name(&self) -> &'static str {
        match self.differentiation {
            Differentiation::OurReverseMode => "mlp_our_engine",
            Differentiation::BurnAutodiff => "mlp_burn_autodiff",
        }
    }

    fn description(&self) -> &'static str {
        match self.differentiation {
            Differentiation::OurReverseMode => {
                "MLP 784-256-10 tanh, batch 128, cross-entropy, SGD; our reverse mode"
            }
            Differentiation::BurnAutodiff => {
                "MLP 784-256-10 tanh, batch 128, cross-entropy, SGD; burn's autodiff"
            }
        }
    }

    fn step(&mut self) -> f32 {
        let p = &self.parameters;
        let (x, y) = (&self.images, &self.labels);
        let (loss, gradients) = match self.differentiation {
            Differentiation::OurReverseMode => {
                by_reverse_mode(&p.names, &p.tensors, |g, w| mlp_loss(g, w, x, y))
            }
            Differentiation::BurnAutodiff => by_burn_autodiff(&p.tensors, |e, w| mlp_loss(e, w, x, y)),
        };
        self.parameters = p.sgd_step(&gradients, Self::LEARNING_RATE);
        loss as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::backend::test_device;

    #[test]
    fn both_workloads_take_the_same_steps_on_their_fixed_batch() {
        let shape = MlpShape { input: 12, hidden: 8, classes: 3 };
        let device = test_device();
        let losses = [Differentiation::OurReverseMode, Differentiation::BurnAutodiff].map(|d| {
            let mut workload = MlpStep::new(d, (shape, 6), &device);
            (0..40).map(|_| workload.step()).collect::<Vec<f32>>()
        });
        assert!(
            losses[0][39] < losses[0][0] - 0.3,
            "SGD fits one batch: {} -> {}",
            losses[0][0],
            losses[0][39]
        );
        for (a, b) in losses[0].iter().zip(&losses[1]) {
            assert!((a - b).abs() < 1e-5, "our engine {a}, burn {b}");
        }
    }
}
