//! This lecture's benchmark workloads: one training step of the binary Tree-LSTM on a fixed
//! batch of SST training trees, batched level by level (`tree_lstm_levels`) and node at a time
//! (`tree_lstm_nodes`), so `cargo xtask bench` tracks both and their ratio.
//!
//! The batch is the first [`BENCH_TREES`] sentences of SST's training split, every node
//! labelled; the model is [`crate::tree_lstm::TreeLstm`] of width [`BENCH_WIDTH`] with a
//! softmax at every node; Adam (the workloads' shared optimiser settings).

use crate::model::{ModelKind, Schedule, TreeClassifier};
use crate::tree_batch::TreeBatch;
use crate::treebank::vocabulary;
use anyhow::Result;
use burn::prelude::Device;
use shared::bench::{Trainee, Workload};
use shared::data::Treebank;

/// Trees per step: the batch size of Tai et al. 2015's SST experiments is 25.
pub const BENCH_TREES: usize = 25;
/// Word-vector and state width.
pub const BENCH_WIDTH: usize = 64;

/// A Tree-LSTM sentiment classifier and one fixed batch of SST trees.
pub struct TreeLstmStep {
    trainee: Trainee<TreeClassifier>,
    batch: TreeBatch,
    schedule: Schedule,
    device: Device,
}

impl TreeLstmStep {
    /// Steps per timed run by default, per schedule (about 1-3 s a run on flex).
    pub fn default_steps(schedule: Schedule) -> usize {
        match schedule {
            Schedule::Levels => 10,
            Schedule::NodeAtATime => 2,
        }
    }

    /// The model (seeded by `device`) and the first `trees` SST training trees.
    pub fn new(trees: usize, width: usize, schedule: Schedule, device: &Device) -> Result<Self> {
        let sst = Treebank::sst()?;
        let trees = &sst.train[..trees.min(sst.train.len())];
        let vocab = vocabulary(trees);
        let model = ModelKind::TreeLstm.init(vocab.size(), width, device);
        Ok(Self {
            trainee: Trainee::new(model),
            batch: TreeBatch::new(trees, &vocab),
            schedule,
            device: device.clone(),
        })
    }
}

impl Workload for TreeLstmStep {
    fn name(&self) -> &'static str {
        match self.schedule {
            Schedule::Levels => "tree_lstm_levels",
            Schedule::NodeAtATime => "tree_lstm_nodes",
        }
    }

    fn description(&self) -> &'static str {
        match self.schedule {
            Schedule::Levels => {
                "binary Tree-LSTM d=64, 25 SST trees, all nodes of equal height batched, Adam"
            }
            Schedule::NodeAtATime => "binary Tree-LSTM d=64, 25 SST trees, one node at a time, Adam",
        }
    }

    fn step(&mut self) -> f32 {
        let (loss, _) = self.trainee.model().loss(&self.batch, self.schedule, &self.device);
        let mut grads = loss.backward();
        self.trainee.update(&mut grads);
        loss.into_scalar()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::testing::seeded;

    #[test]
    fn both_workloads_train_on_their_fixed_batch() {
        for schedule in [Schedule::Levels, Schedule::NodeAtATime] {
            let losses: Vec<f32> = seeded(0, |device| {
                let mut workload = TreeLstmStep::new(3, 8, schedule, device).unwrap();
                (0..40).map(|_| workload.step()).collect()
            });
            assert!(losses.iter().all(|l| l.is_finite()));
            assert!(losses[39] < losses[0] - 0.3, "{schedule:?}: {} -> {}", losses[0], losses[39]);
        }
    }
}
