//! A real objective: train a small MNIST MLP with the trial's hyperparameters, return its
//! validation error.
//!
//! ```text
//! hyperparameters: learning rate (SGD) ∈ [1e-3, 1] log    width ∈ [16, 256] log, integer
//!                  depth ∈ {1, 2, 3}                       dropout ∈ [0, 0.5]
//!                  initial scale (gain) ∈ [0.1, 10] log    batch size ∈ [16, 256] log, integer
//! net:     x [batch, 784] -> depth x (Linear -> ReLU -> dropout) [batch, width] -> Linear [batch, 10]
//! init:    W ~ N(0, gain² / fan_in), b = 0                 (gain √2 is He's)
//! trial:   budget x STEPS_PER_UNIT steps of SGD on the first 9000 training images (shared::train::Fit)
//! value:   error rate on the held-out training images 9000..9000 + validation
//! ```
//!
//! A run whose loss turns NaN or infinite (too large a learning rate or scale) stops there and
//! scores chance, 0.9: a search must survive its own bad proposals. Everything random in a trial
//! (weights, batches, dropout masks) is drawn from its seed, so trials can run on any thread.

use super::super::mnist_model::{Mlp, MlpConfig};
use crate::objective::{Evaluation, Objective};
use crate::space::{Dimension, Space};
use anyhow::{Result, ensure};
use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::SgdConfig;
use burn::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use shared::backend::seeded_on;
use shared::data::batching::Batches;
use shared::data::{Mnist, sub_seed};
use shared::report::ExperimentRecord;
use shared::train::{Fit, correct};

/// Training images (the first ones of the training split); the validation images follow them.
pub const TRAIN_IMAGES: usize = 9000;
/// The error a diverged run scores: chance on 10 classes.
pub const CHANCE_ERROR: f64 = 0.9;

const WEIGHTS_STREAM: u64 = 1;
const BATCHES_STREAM: u64 = 2;
const DROPOUT_STREAM: u64 = 3;

/// The MNIST MLP objective.
pub struct MnistMlp {
    mnist: Mnist,
    space: Space,
    device: Device,
    /// Training steps per budget unit.
    pub steps_per_unit: u64,
    /// The budget of a full trial, in units.
    pub full_budget: u64,
    /// Validation images (after the training images).
    pub validation: usize,
}

impl MnistMlp {
    /// The six-hyperparameter space of the module docs.
    pub fn space() -> Space {
        Space::new(vec![
            Dimension::log("learning rate", 1e-3, 1.0),
            Dimension::log("width", 16.0, 256.0).integer(),
            Dimension::linear("depth", 0.5, 3.5).integer(),
            Dimension::linear("dropout", 0.0, 0.5),
            Dimension::log("initial scale", 0.1, 10.0),
            Dimension::log("batch size", 16.0, 256.0).integer(),
        ])
        .expect("the ranges are valid")
    }

    /// The objective on `mnist` (at least `TRAIN_IMAGES + validation` training images).
    pub fn new(
        mnist: Mnist,
        device: &Device,
        steps_per_unit: u64,
        full_budget: u64,
        validation: usize,
    ) -> Result<MnistMlp> {
        let have = mnist.train.len();
        ensure!(
            have >= TRAIN_IMAGES + validation,
            "the MNIST objective needs {} training images ({TRAIN_IMAGES} to train, {validation} to \
             validate), the data has {have}",
            TRAIN_IMAGES + validation
        );
        Ok(MnistMlp {
            mnist,
            space: MnistMlp::space(),
            device: device.clone(),
            steps_per_unit,
            full_budget,
            validation,
        })
    }

    /// The net and its training settings at unit point `point`.
    pub fn config(&self, point: &[f64]) -> (MlpConfig, f64, usize) {
        let v = self.space.values(point);
        let net = MlpConfig { width: v[1] as usize, depth: v[2] as usize, dropout: v[3], gain: v[4] };
        (net, v[0], v[5] as usize)
    }

    /// Trains the net of `point` for `steps` steps; returns it (`None` if it diverged).
    pub fn train(&self, point: &[f64], steps: u64, seed: u64) -> Result<Option<Mlp>> {
        let (net, learning_rate, batch) = self.config(point);
        let model = seeded_on(&self.device, sub_seed(seed, WEIGHTS_STREAM), |d| net.init(d));
        let mut batches = Batches::new(TRAIN_IMAGES, batch, sub_seed(seed, BATCHES_STREAM), true)?.stream();
        let mut masks = StdRng::seed_from_u64(sub_seed(seed, DROPOUT_STREAM));
        let loss_fn = CrossEntropyLossConfig::new().init(&self.device);
        let mut record = ExperimentRecord::new("lecture-13-hyperparameters", "trial");
        let train = &self.mnist.train;
        let fitted = Fit::new("trial", steps, learning_rate).silent().stop_on_divergence().run(
            model,
            SgdConfig::new().init(),
            &mut record,
            |model: &Mlp, step| {
                let indices = batches.at(step);
                let logits = model.forward_train(train.features_tensor(indices, &self.device), &mut masks);
                Ok(loss_fn.forward(logits, train.labels_tensor(indices, &self.device)))
            },
        )?;
        Ok(fitted.diverged.is_none().then_some(fitted.model))
    }

    /// The validation error of `model` (test mode, no dropout).
    pub fn validation_error(&self, model: &Mlp) -> f64 {
        let plain = self.device.clone().inner();
        let indices: Vec<usize> = (TRAIN_IMAGES..TRAIN_IMAGES + self.validation).collect();
        let right: usize = indices
            .chunks(1000)
            .map(|chunk| {
                let logits = model.valid().forward(self.mnist.train.features_tensor(chunk, &plain));
                correct(logits, self.mnist.train.labels_tensor(chunk, &plain))
            })
            .sum();
        1.0 - right as f64 / indices.len() as f64
    }
}

impl Objective for MnistMlp {
    fn name(&self) -> String {
        "MNIST MLP".to_string()
    }

    fn space(&self) -> &Space {
        &self.space
    }

    fn max_budget(&self) -> u64 {
        self.full_budget
    }

    fn evaluate(&self, point: &[f64], budget: u64, seed: u64) -> Result<Evaluation> {
        let steps = budget * self.steps_per_unit;
        let value = match self.train(point, steps, seed)? {
            Some(model) => self.validation_error(&model),
            None => CHANCE_ERROR,
        };
        let value = if value.is_finite() { value } else { CHANCE_ERROR };
        Ok(Evaluation { value, cost: steps })
    }
}
