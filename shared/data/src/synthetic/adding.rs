//! The adding problem (Hochreiter & Schmidhuber 1997; Le, Jaitly & Hinton 2015).
//!
//! **Input**: a sequence of `time` steps, each a pair `(value, marker)`: the values are uniform
//! in [0, 1]; exactly two markers are 1, one in the first half (`t < time / 2`) and one in the
//! second half, all others 0. **Target**: the sum of the two marked values, in [0, 2].
//!
//! **What the model must learn**: to ignore the unmarked values, store the first marked value
//! across up to `time` steps, and add the second one. **Why it is hard**: the error signal has to
//! travel from the last step back to the first marker, half a sequence or more away; a plain tanh
//! RNN's gradient vanishes over a few dozen steps, an LSTM (or an IRNN) carries it.
//!
//! **Baseline**: the best constant guess is the mean of the target, 1.0. Its mean squared error
//! is the target's variance: the sum of two independent U(0, 1) has variance 2 x 1/12 = 1/6
//! (MSE ≈ 0.167, [`CONSTANT_BASELINE_MSE`]). A model has learned the task only when it goes well
//! below this line (Le et al. call MSE < 0.1 "beating the baseline"); the RNN lecture compares
//! its LSTM and tanh RNN against it.

use super::{ensure_positive, float_tensor, seeded_rng};
use anyhow::{Result, ensure};
use burn::prelude::{Device, Tensor};
use rand::RngExt;

/// Features per time step: `[value, marker]`.
pub const ADDING_FEATURES: usize = 2;

/// The MSE of always predicting 1.0: Var(U1 + U2) = 1/6.
pub const CONSTANT_BASELINE_MSE: f32 = 1.0 / 6.0;

/// A batch of adding-problem sequences.
#[derive(Clone, Debug, PartialEq)]
pub struct AddingBatch {
    /// `[batch, time, 2]` row-major: channel 0 the value in [0, 1], channel 1 the marker (0 or 1).
    pub inputs: Vec<f32>,
    /// `[batch]`: the sum of the two marked values.
    pub targets: Vec<f32>,
    /// Sequences in the batch.
    pub batch: usize,
    /// Steps per sequence.
    pub time: usize,
}

/// `batch` sequences of `time` steps (`time >= 2`, so that each half holds a marker).
pub fn adding_problem(batch: usize, time: usize, seed: u64) -> Result<AddingBatch> {
    ensure_positive("adding problem batch size", batch)?;
    ensure!(time >= 2, "adding problem needs time >= 2 (one marker per half), got {time}");
    let mut rng = seeded_rng(seed);
    let mut inputs = Vec::with_capacity(batch * time * ADDING_FEATURES);
    let mut targets = Vec::with_capacity(batch);
    for _ in 0..batch {
        let half = time / 2;
        let first = rng.random_range(0..half);
        let second = rng.random_range(half..time);
        let mut target = 0.0;
        for t in 0..time {
            let value: f32 = rng.random();
            let marked = t == first || t == second;
            if marked {
                target += value;
            }
            inputs.extend([value, if marked { 1.0 } else { 0.0 }]);
        }
        targets.push(target);
    }
    Ok(AddingBatch { inputs, targets, batch, time })
}

impl AddingBatch {
    /// The inputs as a `[batch, time, 2]` tensor.
    pub fn input_tensor(&self, device: &Device) -> Result<Tensor<3>> {
        float_tensor(&self.inputs, [self.batch, self.time, ADDING_FEATURES], device)
    }

    /// The targets as a `[batch, 1]` tensor (the shape of a one-output regression head).
    pub fn target_tensor(&self, device: &Device) -> Result<Tensor<2>> {
        float_tensor(&self.targets, [self.batch, 1], device)
    }

    /// The mean squared error of predicting `constant` for every sequence.
    pub fn constant_prediction_mse(&self, constant: f32) -> f32 {
        let total: f32 = self.targets.iter().map(|y| (y - constant).powi(2)).sum();
        total / self.targets.len() as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The `(value, marker)` pair at step `t` of sequence `i`.
    fn step(b: &AddingBatch, i: usize, t: usize) -> (f32, f32) {
        let at = (i * b.time + t) * ADDING_FEATURES;
        (b.inputs[at], b.inputs[at + 1])
    }

    fn check_invariants(b: &AddingBatch) {
        assert_eq!(b.inputs.len(), b.batch * b.time * ADDING_FEATURES);
        assert_eq!(b.targets.len(), b.batch);
        let half = b.time / 2;
        for i in 0..b.batch {
            let steps: Vec<(f32, f32)> = (0..b.time).map(|t| step(b, i, t)).collect();
            assert!(steps.iter().all(|&(v, m)| (0.0..=1.0).contains(&v) && (m == 0.0 || m == 1.0)));
            let marked: Vec<usize> = (0..b.time).filter(|&t| steps[t].1 == 1.0).collect();
            assert_eq!(marked.len(), 2, "exactly two markers in sequence {i}");
            assert!(marked[0] < half && marked[1] >= half, "markers {marked:?}, half {half}");
            let sum = steps[marked[0]].0 + steps[marked[1]].0;
            assert_eq!(b.targets[i], sum, "target of sequence {i}");
        }
    }

    #[test]
    fn constant_one_predictor_scores_one_sixth() {
        let b = adding_problem(20_000, 10, 1).unwrap();
        let mse = b.constant_prediction_mse(1.0);
        // Standard error of the mean of (S - 1)^2 over 20k draws is ~0.0014.
        assert!((mse - CONSTANT_BASELINE_MSE).abs() < 0.006, "mse {mse}");
        // 1.0 is the best constant: any other constant does worse.
        assert!(b.constant_prediction_mse(0.8) > mse && b.constant_prediction_mse(1.2) > mse);
    }

    #[test]
    fn same_seed_same_data_other_seed_other_data() {
        assert_eq!(adding_problem(4, 8, 5).unwrap(), adding_problem(4, 8, 5).unwrap());
        assert_ne!(adding_problem(4, 8, 5).unwrap(), adding_problem(4, 8, 6).unwrap());
    }

    #[test]
    fn invalid_sizes_are_errors() {
        assert!(adding_problem(0, 10, 0).is_err());
        let err = adding_problem(3, 1, 0).unwrap_err().to_string();
        assert!(err.contains("time >= 2"), "{err}");
    }

    #[test]
    fn tensors_have_the_documented_shapes() {
        let device = shared_backend::test_device();
        let b = adding_problem(3, 7, 0).unwrap();
        assert_eq!(b.input_tensor(&device).unwrap().dims(), [3, 7, 2]);
        let y: Vec<f32> = b.target_tensor(&device).unwrap().into_data().try_to_vec().unwrap();
        assert_eq!(y, b.targets);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn every_batch_has_two_markers_and_the_right_sum(
            batch in 1usize..6, time in 2usize..40, seed in any::<u64>()
        ) {
            check_invariants(&adding_problem(batch, time, seed).unwrap());
        }
    }
}
