//! This lecture's benchmark workload for `cargo xtask bench`: one training step of the
//! label-noise experiment's MLP (claims 3 and 4).
//!
//! images `[50, 784]` -> Linear -> ReLU `[50, 256]` -> Linear `[50, 10]` -> cross-entropy on
//! labels `[50]`; He-normal weights; Adam (the shared bench optimiser).

use crate::mlp::Mlp;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::prelude::*;
use shared::bench::inputs::{PIXELS, batch_rng, classes, uniform};
use shared::bench::{Trainee, Workload};
use shared::data::mnist::CLASSES;

/// The workload: the net, Adam, and one fixed batch of random images and labels.
pub struct MemorisationMlp {
    trainee: Trainee<Mlp>,
    images: Tensor<2>,
    labels: Tensor<1, Int>,
}

impl MemorisationMlp {
    /// Width 256 and batch 50, as in the experiment.
    pub const BENCH: (usize, usize) = (256, 50);

    /// Steps per timed run by default.
    pub const DEFAULT_STEPS: usize = 200;

    /// A fresh net and a batch of pixels uniform in [-1, 1) with uniform labels.
    pub fn new((width, batch): (usize, usize), device: &Device) -> Self {
        let mut rng = batch_rng();
        Self {
            trainee: Trainee::new(Mlp::new(width, device)),
            images: uniform(&mut rng, [batch, shared::data::mnist::PIXELS], PIXELS, device),
            labels: classes(&mut rng, [batch], CLASSES, device),
        }
    }
}

impl Workload for MemorisationMlp {
    fn name(&self) -> &'static str {
        "memorisation_mlp"
    }

    fn description(&self) -> &'static str {
        "MLP 784-256-10 ReLU (He init), batch 50, cross-entropy, Adam"
    }

    fn step(&mut self) -> f32 {
        self.trainee.train_step(|model| {
            let logits = model.forward(self.images.clone());
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
        let losses: Vec<f32> = seeded(0, |device| {
            let mut workload = MemorisationMlp::new((16, 6), device);
            (0..60).map(|_| workload.step()).collect()
        });
        assert!(losses.iter().all(|l| l.is_finite()));
        assert!(losses[59] < losses[0] - 0.3, "Adam fits one batch: {} -> {}", losses[0], losses[59]);
    }
}
