//! Training a tree classifier on labelled trees and scoring it the way Socher et al. 2013 do.
//!
//! Training runs in the shared loop ([`shared::train::Fit`]): each step takes `batch_size` trees
//! (shuffled each epoch), lays them out level by level, and takes an Adam step on the mean
//! cross-entropy over all their nodes. Before training and after every epoch the evaluation
//! trees are scored:
//!
//! - **fine-grained root accuracy**: the argmax of the root's 5 classes equals its label;
//! - **binary root accuracy**: over roots whose label is not neutral (2), whether
//!   `P(3) + P(4) > P(0) + P(1)` agrees with the label being positive;
//! - **all-node fine accuracy**: the argmax at every node, phrases included.

use crate::model::{CLASSES, ModelKind, Schedule, TreeClassifier};
use crate::tree_batch::TreeBatch;
use anyhow::{Result, ensure};
use burn::module::Module;
use burn::optim::grad_clipping::GradientClippingConfig;
use burn::prelude::Device;
use serde::Serialize;
use shared::data::{Batches, Tree, Vocab};
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;
use shared::train::{Fit, FusedAdamConfig};
use std::time::Instant;

/// How to train one model.
#[derive(Clone, Debug, Serialize)]
pub struct TrainConfig {
    /// Word-vector and node-state width `d`.
    pub width: usize,
    /// Passes over the training trees.
    pub epochs: u64,
    /// Trees per step.
    pub batch_size: usize,
    /// Adam's learning rate.
    pub learning_rate: f64,
    /// Each parameter tensor's gradient is rescaled to at most this L2 norm.
    pub clip_norm: f32,
}

/// Accuracies of a model on a set of trees (fractions in [0, 1]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Scores {
    /// 5-class accuracy at the roots.
    pub fine_root: f64,
    /// Positive-vs-negative accuracy at the non-neutral roots.
    pub binary_root: f64,
    /// 5-class accuracy over all nodes.
    pub fine_all: f64,
}

/// Whether probabilities `p` say "positive" (`P(3) + P(4) > P(0) + P(1)`).
pub fn says_positive(p: &[f32; CLASSES]) -> bool {
    p[3] + p[4] > p[0] + p[1]
}

/// The class with the highest probability.
pub fn argmax(p: &[f32; CLASSES]) -> i64 {
    (0..CLASSES).fold(0, |best, k| if p[k] > p[best] { k } else { best }) as i64
}

/// Running counts behind [`Scores`], so a large set can be scored in chunks.
#[derive(Clone, Copy, Debug, Default)]
pub struct Tally {
    roots: usize,
    fine_root: usize,
    polar_roots: usize,
    binary_root: usize,
    nodes: usize,
    fine_all: usize,
}

impl Tally {
    /// Counts the predictions `probs` (one row per node, global order) of `batch`.
    pub fn add(&mut self, probs: &[[f32; CLASSES]], batch: &TreeBatch) {
        for (p, &label) in probs.iter().zip(&batch.labels) {
            self.nodes += 1;
            self.fine_all += usize::from(argmax(p) == label);
        }
        for &root in &batch.roots {
            let (p, label) = (&probs[root], batch.labels[root]);
            self.roots += 1;
            self.fine_root += usize::from(argmax(p) == label);
            if label != 2 {
                self.polar_roots += 1;
                self.binary_root += usize::from(says_positive(p) == (label > 2));
            }
        }
    }

    /// The accuracies (0 for a set with no such nodes).
    pub fn scores(&self) -> Scores {
        let frac = |hit: usize, all: usize| if all == 0 { 0.0 } else { hit as f64 / all as f64 };
        Scores {
            fine_root: frac(self.fine_root, self.roots),
            binary_root: frac(self.binary_root, self.polar_roots),
            fine_all: frac(self.fine_all, self.nodes),
        }
    }
}

/// Scores `model` on `trees` without autodiff, [`EVAL_CHUNK`] trees per forward pass.
pub fn evaluate(model: &TreeClassifier, trees: &[Tree], vocab: &Vocab, device: &Device) -> Scores {
    let plain = device.clone().inner();
    let model = model.valid();
    let mut tally = Tally::default();
    for chunk in trees.chunks(EVAL_CHUNK) {
        let batch = TreeBatch::new(chunk, vocab);
        tally.add(&model.probabilities(&batch, &plain), &batch);
    }
    tally.scores()
}

/// Trees scored per batched forward pass during evaluation.
pub const EVAL_CHUNK: usize = 256;

/// A trained model with its curves.
pub struct Trained {
    /// Which model.
    pub kind: ModelKind,
    /// The model after the last epoch.
    pub model: TreeClassifier,
    /// Scores on the evaluation trees after every epoch (epoch 1 first).
    pub per_epoch: Vec<Scores>,
    /// Mean training loss over the last tenth of the steps.
    pub final_loss: f64,
    /// Seconds spent training (evaluations excluded).
    pub train_seconds: f64,
}

impl Trained {
    /// The scores after the last epoch.
    pub fn scores(&self) -> Scores {
        self.per_epoch.last().copied().unwrap_or_default()
    }
}

/// What to train on.
pub struct TrainingData<'a> {
    /// Training trees.
    pub train: &'a [Tree],
    /// Trees scored after every epoch.
    pub eval: &'a [Tree],
    /// The vocabulary (built from the training trees).
    pub vocab: &'a Vocab,
}

/// Trains a fresh `kind` model (weights seeded with `seed`) on `data` in the shared loop,
/// scoring the evaluation trees before training and after every epoch. Adds the curves
/// `<kind> train loss` and `<kind> eval binary root accuracy` (against steps) to `record`.
pub fn train(
    kind: ModelKind,
    data: &TrainingData,
    config: &TrainConfig,
    seed: u64,
    device: &Device,
    record: &mut ExperimentRecord,
) -> Result<Trained> {
    ensure!(!data.train.is_empty(), "no training trees");
    let model = seeded_on(device, seed, |d| kind.init(data.vocab.size(), config.width, d));
    let optimiser = FusedAdamConfig::new()
        .with_grad_clipping(Some(GradientClippingConfig::Norm(config.clip_norm)))
        .init();
    let batches = Batches::new(data.train.len(), config.batch_size, seed, false)?;
    let steps_per_epoch = batches.batches_per_epoch() as u64;
    let mut batches = batches.stream();
    let (mut per_epoch, mut evaluation_seconds) = (Vec::new(), 0.0);
    let started = Instant::now();
    let fitted = Fit::new(kind.to_string(), steps_per_epoch * config.epochs, config.learning_rate)
        .loss_unit("cross-entropy (all nodes)")
        .evaluate_every(steps_per_epoch, "eval binary root accuracy", |updates, model: &TreeClassifier| {
            let clock = Instant::now();
            let scores = evaluate(model, data.eval, data.vocab, device);
            evaluation_seconds += clock.elapsed().as_secs_f64();
            if updates > 0 {
                per_epoch.push(scores);
            }
            Ok(scores.binary_root)
        })
        .run(model, optimiser, record, |model, step| {
            let batch = TreeBatch::new(batches.at(step).iter().map(|&i| &data.train[i]), data.vocab);
            Ok(model.loss(&batch, Schedule::Levels, device).0)
        })?;
    let train_seconds = started.elapsed().as_secs_f64() - evaluation_seconds;
    Ok(Trained { kind, model: fitted.model, per_epoch, final_loss: fitted.final_loss, train_seconds })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_count_roots_polar_roots_and_all_nodes() {
        let trees: Vec<Tree> = ["(1 (2 not) (3 good))", "(2 meh)"].map(|t| t.parse().unwrap()).to_vec();
        let batch = TreeBatch::new(&trees, &Vocab::from_tokens(["not", "good", "meh"]));
        // Global order: not, good, meh, (not good). Predict 2, 3, 2 at the leaves, 0 at the root.
        let probs = [
            [0.0, 0.1, 0.8, 0.1, 0.0],
            [0.0, 0.0, 0.2, 0.7, 0.1],
            [0.1, 0.1, 0.6, 0.1, 0.1],
            [0.5, 0.3, 0.0, 0.1, 0.1],
        ];
        let mut tally = Tally::default();
        tally.add(&probs, &batch);
        let s = tally.scores();
        // Roots: (not good) label 1 predicted 0 (fine wrong, binary right); meh label 2 predicted 2.
        assert_eq!((s.fine_root, s.binary_root, s.fine_all), (0.5, 1.0, 0.75));
    }

    #[test]
    fn argmax_and_polarity() {
        assert_eq!(argmax(&[0.1, 0.1, 0.1, 0.6, 0.1]), 3);
        assert!(says_positive(&[0.1, 0.1, 0.3, 0.3, 0.2]));
        assert!(!says_positive(&[0.3, 0.2, 0.3, 0.1, 0.1]));
    }
}
