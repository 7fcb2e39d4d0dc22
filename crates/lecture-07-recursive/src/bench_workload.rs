//! One training step of a recursive sentiment model on a fixed batch of SST trees: the
//! lecture's benchmark workloads and the unit the batching experiment times.
//!
//! `cargo xtask bench` runs the binary Tree-LSTM of width [`BENCH_WIDTH`] on the first
//! [`BENCH_TREES`] SST training sentences, batched level by level (`tree_lstm_levels`) and node
//! at a time (`tree_lstm_nodes`), so both and their ratio are tracked. A step is the forward
//! pass over every node, the cross-entropy at every node, backward, and Adam (the workloads'
//! shared optimiser settings).

use crate::model::{ModelKind, Schedule, TreeClassifier};
use crate::tree_batch::TreeBatch;
use crate::treebank::vocabulary;
use crate::work::composition_calls;
use burn::prelude::Device;
use shared::bench::{Trainee, Workload};
use shared::data::Tree;

/// Trees per step: the batch size of Tai et al. 2015's SST experiments is 25.
pub const BENCH_TREES: usize = 25;
/// Word-vector and state width of the benchmark.
pub const BENCH_WIDTH: usize = 64;

/// A sentiment classifier and one fixed batch of trees.
pub struct TreeStep {
    kind: ModelKind,
    trainee: Trainee<TreeClassifier>,
    batch: TreeBatch,
    schedule: Schedule,
    device: Device,
}

impl TreeStep {
    /// Steps per timed benchmark run by default, per schedule (about 1-3 s a run on flex).
    pub fn default_steps(schedule: Schedule) -> usize {
        match schedule {
            Schedule::Levels => 10,
            Schedule::NodeAtATime => 2,
        }
    }

    /// A `kind` model of width `width` (seeded by `device`) over the vocabulary of `trees`,
    /// which form the fixed batch.
    pub fn new(kind: ModelKind, trees: &[Tree], width: usize, schedule: Schedule, device: &Device) -> Self {
        let vocab = vocabulary(trees);
        Self {
            kind,
            trainee: Trainee::new(kind.init(vocab.size(), width, device)),
            batch: TreeBatch::new(trees, &vocab),
            schedule,
            device: device.clone(),
        }
    }

    /// The batch the step trains on.
    pub fn batch(&self) -> &TreeBatch {
        &self.batch
    }

    /// The composition calls `schedule` makes over the batch ([`composition_calls`]).
    pub fn calls(&self, schedule: Schedule) -> usize {
        composition_calls(&self.trainee.model().composer, &self.batch, schedule, &self.device)
    }

    /// The loss of the current model on the batch, without a step.
    pub fn loss(&self, schedule: Schedule) -> f32 {
        self.trainee.model().loss(&self.batch, schedule, &self.device).0.into_scalar()
    }
}

impl Workload for TreeStep {
    fn name(&self) -> &'static str {
        match (self.kind, self.schedule) {
            (ModelKind::TreeLstm, Schedule::Levels) => "tree_lstm_levels",
            (ModelKind::TreeLstm, Schedule::NodeAtATime) => "tree_lstm_nodes",
            (ModelKind::Rntn, Schedule::Levels) => "rntn_levels",
            (ModelKind::Rntn, Schedule::NodeAtATime) => "rntn_nodes",
            (ModelKind::MvRnn, Schedule::Levels) => "mv_rnn_levels",
            (ModelKind::MvRnn, Schedule::NodeAtATime) => "mv_rnn_nodes",
            (ModelKind::Rnn, Schedule::Levels) => "rnn_levels",
            (ModelKind::Rnn, Schedule::NodeAtATime) => "rnn_nodes",
            (ModelKind::Bag, Schedule::Levels) => "bag_levels",
            (ModelKind::Bag, Schedule::NodeAtATime) => "bag_nodes",
        }
    }

    fn description(&self) -> &'static str {
        match self.schedule {
            Schedule::Levels => {
                "recursive sentiment model on SST trees, all nodes of equal height batched, Adam"
            }
            Schedule::NodeAtATime => "recursive sentiment model on SST trees, one node at a time, Adam",
        }
    }

    fn step(&mut self) -> f32 {
        self.trainee.train_step(|model| model.loss(&self.batch, self.schedule, &self.device).0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::testing::seeded;

    #[test]
    fn both_schedules_train_on_their_fixed_batch() {
        let trees: Vec<Tree> =
            ["(1 (2 not) (3 good))", "(3 (2 a) (3 (3 fine) (2 film)))"].map(|t| t.parse().unwrap()).to_vec();
        for schedule in [Schedule::Levels, Schedule::NodeAtATime] {
            let losses: Vec<f32> = seeded(0, |device| {
                let mut workload = TreeStep::new(ModelKind::TreeLstm, &trees, 8, schedule, device);
                (0..150).map(|_| workload.step()).collect()
            });
            assert!(losses.iter().all(|l| l.is_finite()));
            assert!(losses[149] < losses[0] - 0.5, "{schedule:?}: {} -> {}", losses[0], losses[149]);
        }
    }
}
