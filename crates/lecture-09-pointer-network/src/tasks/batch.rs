//! A batch of one pointer task: `batch` instances of `n` inputs each, their answers as the
//! models' output positions, ready for teacher forcing.
//!
//! ```text
//! inputs   [batch, n, features]
//! targets  [batch, time]   answer positions + 1, then STOP (0), padded with STOP
//! weights  [batch, time]   1 up to and including the first STOP, 0 after (hulls differ in length)
//! ```

use super::PointerTask;
use crate::masking;
use anyhow::Result;
use burn::prelude::*;
use shared::data::synthetic::{float_tensor, int_tensor, seeded_rng};

/// The output position that ends an answer.
pub const STOP: usize = 0;

/// See the module docs.
#[derive(Clone, Debug)]
pub struct PointerBatch {
    pub task: PointerTask,
    pub batch: usize,
    /// Inputs per instance.
    pub n: usize,
    /// `[batch, n, features]`.
    pub inputs: Vec<f32>,
    /// The exact answers as input positions (0-based), one per instance.
    pub answers: Vec<Vec<usize>>,
    /// `[batch, time]`: the answers as output positions, STOP-terminated and padded.
    pub targets: Vec<i64>,
    /// `[batch, time]`.
    pub weights: Vec<f32>,
    /// The longest answer plus one.
    pub time: usize,
}

impl PointerBatch {
    /// `batch` instances of `task` with `n` inputs each, drawn from `seed`.
    pub fn draw(task: PointerTask, batch: usize, n: usize, seed: u64) -> Result<PointerBatch> {
        let mut rng = seeded_rng(seed);
        let mut inputs = Vec::with_capacity(batch * n * task.features());
        let mut answers = Vec::with_capacity(batch);
        for _ in 0..batch {
            let (x, answer) = task.instance(n, &mut rng)?;
            inputs.extend(x);
            answers.push(answer);
        }
        let time = answers.iter().map(Vec::len).max().unwrap_or(0) + 1;
        let mut targets = vec![STOP as i64; batch * time];
        let mut weights = vec![0.0; batch * time];
        for (b, answer) in answers.iter().enumerate() {
            for (t, &i) in answer.iter().enumerate() {
                targets[b * time + t] = i as i64 + 1;
            }
            weights[b * time..b * time + answer.len() + 1].fill(1.0);
        }
        Ok(PointerBatch { task, batch, n, inputs, answers, targets, weights, time })
    }

    /// `[batch, n]` inputs as `[n * features]` slices, one per instance.
    pub fn instance(&self, b: usize) -> &[f32] {
        let width = self.n * self.task.features();
        &self.inputs[b * width..(b + 1) * width]
    }

    /// `[batch, n, features]`.
    pub fn inputs_tensor(&self, device: &Device) -> Tensor<3> {
        float_tensor(&self.inputs, [self.batch, self.n, self.task.features()], device).expect("sizes agree")
    }

    /// `[batch, time]`.
    pub fn targets_tensor(&self, device: &Device) -> Tensor<2, Int> {
        int_tensor(&self.targets, [self.batch, self.time], device).expect("sizes agree")
    }

    /// `[batch, time]`: each step's previous choice, the decoder's input under teacher forcing
    /// (STOP stands for "nothing yet" at step 0).
    pub fn previous_tensor(&self, device: &Device) -> Tensor<2, Int> {
        let previous: Vec<i64> = self
            .targets
            .chunks_exact(self.time)
            .flat_map(|row| std::iter::once(STOP as i64).chain(row[..self.time - 1].iter().copied()))
            .collect();
        int_tensor(&previous, [self.batch, self.time], device).expect("sizes agree")
    }

    /// `[batch, time]`.
    pub fn weights_tensor(&self, device: &Device) -> Tensor<2> {
        float_tensor(&self.weights, [self.batch, self.time], device).expect("sizes agree")
    }

    /// Teacher forcing's masks `[batch, time, classes]` ([`masking::teacher_forced`]).
    pub fn mask_tensor(&self, classes: usize, device: &Device) -> Tensor<3, Bool> {
        let mask = masking::teacher_forced(self.task.stop_rule(), &self.targets, self.time, self.n, classes);
        Tensor::from_data(TensorData::new(mask, [self.batch, self.time, classes]), device)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hull_answers_are_stop_terminated_padded_and_weighted() {
        let batch = PointerBatch::draw(PointerTask::ConvexHull, 5, 8, 3).unwrap();
        for (b, answer) in batch.answers.iter().enumerate() {
            let row = &batch.targets[b * batch.time..(b + 1) * batch.time];
            let weights = &batch.weights[b * batch.time..(b + 1) * batch.time];
            assert!(answer.iter().zip(row).all(|(&i, &t)| t == i as i64 + 1));
            assert!(row[answer.len()..].iter().all(|&t| t == STOP as i64));
            assert_eq!(weights.iter().sum::<f32>(), (answer.len() + 1) as f32);
        }
        assert_eq!(batch.time, batch.answers.iter().map(Vec::len).max().unwrap() + 1);
    }

    #[test]
    fn a_batch_is_a_function_of_its_seed() {
        let a = PointerBatch::draw(PointerTask::Tsp, 3, 6, 9).unwrap();
        let b = PointerBatch::draw(PointerTask::Tsp, 3, 6, 9).unwrap();
        assert_eq!((a.inputs, a.targets), (b.inputs, b.targets));
        assert!(PointerBatch::draw(PointerTask::Tsp, 3, 2, 9).is_err());
    }
}
