//! This lecture's benchmark workload for `cargo xtask bench`: one training step of the MNIST MLP
//! objective's net at a middle configuration (a trial is a few hundred of these).
//!
//! images `[64, 784]` -> 2 x (Linear -> ReLU -> dropout 0.2) `[64, 64]` -> Linear `[64, 10]` ->
//! cross-entropy on labels `[64]`; weights `N(0, 2 / fan_in)` (gain √2); Adam (the shared bench
//! optimiser; the search's trials use SGD).

use crate::mnist_model::{Mlp, MlpConfig};
use burn::nn::loss::CrossEntropyLossConfig;
use burn::prelude::*;
use rand::rngs::StdRng;
use shared::bench::inputs::{PIXELS, batch_rng, classes, uniform};
use shared::bench::{Trainee, Workload};

/// The workload: the net, Adam, one fixed batch, and the dropout masks' generator.
pub struct TrialStep {
    trainee: Trainee<Mlp>,
    images: Tensor<2>,
    labels: Tensor<1, Int>,
    masks: StdRng,
}

impl TrialStep {
    /// Width 64, depth 2, dropout 0.2, gain √2; batch 64.
    pub const BENCH: (MlpConfig, usize) =
        (MlpConfig { width: 64, depth: 2, dropout: 0.2, gain: std::f64::consts::SQRT_2 }, 64);

    /// Steps per timed run by default (about 1-3 s on flex).
    pub const DEFAULT_STEPS: usize = 400;

    /// A fresh net and a batch of pixels uniform in [-1, 1) with uniform labels.
    pub fn new((net, batch): (MlpConfig, usize), device: &Device) -> Self {
        let mut rng = batch_rng();
        Self {
            trainee: Trainee::new(net.init(device)),
            images: uniform(&mut rng, [batch, shared::data::mnist::PIXELS], PIXELS, device),
            labels: classes(&mut rng, [batch], shared::data::mnist::CLASSES, device),
            masks: batch_rng(),
        }
    }
}

impl Workload for TrialStep {
    fn name(&self) -> &'static str {
        "mnist_mlp_trial_step"
    }

    fn description(&self) -> &'static str {
        "MNIST MLP trial step: 784-2x64-10, ReLU, dropout 0.2, batch 64, cross-entropy, Adam"
    }

    fn step(&mut self) -> f32 {
        let masks = &mut self.masks;
        self.trainee.train_step(|model| {
            let logits = model.forward_train(self.images.clone(), masks);
            CrossEntropyLossConfig::new().init(&logits.device()).forward(logits, self.labels.clone())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::testing::seeded;

    #[test]
    fn the_workload_trains_on_its_fixed_batch() {
        let (mut net, _) = TrialStep::BENCH;
        (net.width, net.dropout) = (16, 0.0);
        let losses: Vec<f32> = seeded(0, |device| {
            let mut workload = TrialStep::new((net, 8), device);
            (0..60).map(|_| workload.step()).collect()
        });
        assert!(losses.iter().all(|l| l.is_finite()));
        assert!(losses[59] < losses[0] - 0.3, "Adam fits one batch: {} -> {}", losses[0], losses[59]);
    }
}
