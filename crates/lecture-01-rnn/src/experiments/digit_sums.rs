//! The data of the CNN+RNN experiment: sequences of MNIST digit images and the running sums of
//! their labels, and the accuracies of the guesses that cannot see the whole sequence.
//!
//! A sequence of `T` images `x_1 .. x_T` with labels `d_1 .. d_T` has the running sums
//! `s_t = d_1 + .. + d_t`; the answer is `s_T`, a class in `0..=9 T`.

use anyhow::{Result, ensure};
use burn::prelude::{Device, Int, Tensor, TensorData};
use rand::RngExt;
use shared::data::LabelledImages;
use shared::data::synthetic::seeded_rng;
use std::ops::RangeInclusive;

/// A batch of digit sequences, all of the same length.
#[derive(Clone, Debug)]
pub struct DigitSequences {
    /// Image indices into the split, `[batch * time]`, sequence after sequence.
    pub indices: Vec<usize>,
    /// Their labels `d`, in the same order.
    pub digits: Vec<usize>,
    pub batch: usize,
    pub time: usize,
}

impl DigitSequences {
    /// `batch` sequences of `time` images drawn uniformly (with replacement) from `split`.
    pub fn draw(split: &LabelledImages, batch: usize, time: usize, seed: u64) -> Result<DigitSequences> {
        ensure!(batch > 0 && time > 0, "digit sequences need batch > 0 and time > 0, got {batch} x {time}");
        ensure!(!split.is_empty(), "digit sequences need a non-empty split of images");
        let mut rng = seeded_rng(seed);
        let indices: Vec<usize> = (0..batch * time).map(|_| rng.random_range(0..split.len())).collect();
        let digits = indices.iter().map(|&i| usize::from(split.labels()[i])).collect();
        Ok(DigitSequences { indices, digits, batch, time })
    }

    /// The images `[batch, time, 1, 28, 28]`, scaled to [0, 1].
    pub fn frames(&self, split: &LabelledImages, device: &Device) -> Tensor<5> {
        let side = split.side();
        split.images_tensor(&self.indices, device).reshape([self.batch, self.time, 1, side, side])
    }

    /// The running sums `s_t`, `[batch * time]` in the order of [`DigitSequences::indices`].
    pub fn running_sums(&self) -> Vec<usize> {
        self.digits
            .chunks(self.time)
            .flat_map(|sequence| {
                sequence.iter().scan(0, |sum, &d| {
                    *sum += d;
                    Some(*sum)
                })
            })
            .collect()
    }

    /// The totals `s_T`, one per sequence.
    pub fn totals(&self) -> Vec<usize> {
        self.digits.chunks(self.time).map(|sequence| sequence.iter().sum()).collect()
    }

    /// [`DigitSequences::running_sums`] as the class targets `[batch, time]`.
    pub fn running_sum_targets(&self, device: &Device) -> Tensor<2, Int> {
        let sums: Vec<i64> = self.running_sums().into_iter().map(|s| s as i64).collect();
        Tensor::from_data(TensorData::new(sums, [self.batch, self.time]), device)
    }
}

/// `P(d_1 + .. + d_n = s)` for `s` in `0..=9 n`, with the digits independent and uniform on 0..=9.
pub fn sum_distribution(n: usize) -> Vec<f64> {
    (0..n).fold(vec![1.0], |distribution, _| {
        let mut next = vec![0.0; distribution.len() + 9];
        for (s, p) in distribution.iter().enumerate() {
            for digit in 0..10 {
                next[s + digit] += p / 10.0;
            }
        }
        next
    })
}

/// Accuracy of the best constant guess of `s_T` when `T` is uniform on `lengths` and nothing is
/// seen: `max_s mean_T P(S_T = s)` (chance).
pub fn chance_accuracy(lengths: RangeInclusive<usize>) -> f64 {
    best_guess(lengths.map(sum_distribution).collect())
}

/// Accuracy of the best guess of `s_T` from the last frame alone, read perfectly: `d_T` plus the
/// most likely sum of the `T - 1` unseen digits, `max_s mean_T P(S_{T-1} = s)` (the same for every
/// `d_T`). This is what the "CNN only" model can reach at best.
pub fn one_frame_accuracy(lengths: RangeInclusive<usize>) -> f64 {
    best_guess(lengths.map(|time| sum_distribution(time.saturating_sub(1))).collect())
}

/// `max_s` of the mean of the distributions (each padded with zeros to the longest).
fn best_guess(distributions: Vec<Vec<f64>>) -> f64 {
    let count = distributions.len().max(1) as f64;
    let longest = distributions.iter().map(Vec::len).max().unwrap_or(0);
    (0..longest)
        .map(|s| distributions.iter().map(|d| d.get(s).copied().unwrap_or(0.0)).sum::<f64>() / count)
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_sums_restart_with_every_sequence() {
        let sequences =
            DigitSequences { indices: vec![0; 6], digits: vec![3, 4, 5, 9, 0, 1], batch: 2, time: 3 };
        assert_eq!(sequences.running_sums(), [3, 7, 12, 9, 9, 10]);
        assert_eq!(sequences.totals(), [12, 10]);
    }

    #[test]
    fn the_sum_of_two_digits_is_most_often_nine() {
        let two = sum_distribution(2);
        assert_eq!(two.len(), 19);
        assert!((two.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!((two[9] - 0.10).abs() < 1e-12 && (two[0] - 0.01).abs() < 1e-12);
    }

    #[test]
    fn one_frame_beats_chance_but_stays_far_below_one() {
        // T = 3 only: chance is P(S_3 = 13) = 75/1000; one frame leaves S_2 unseen, P(S_2 = 9) = 1/10.
        assert!((chance_accuracy(3..=3) - 0.075).abs() < 1e-12);
        assert!((one_frame_accuracy(3..=3) - 0.1).abs() < 1e-12);
        assert!(one_frame_accuracy(3..=5) < 0.1 && chance_accuracy(3..=5) < one_frame_accuracy(3..=5));
    }

    #[test]
    fn sequences_hold_the_labels_of_their_images() {
        let mnist = shared::data::Mnist::embedded().expect("embedded MNIST");
        let sequences = DigitSequences::draw(&mnist.test, 4, 3, 7).expect("draws");
        assert_eq!(sequences.indices.len(), 12);
        for (&i, &d) in sequences.indices.iter().zip(&sequences.digits) {
            assert_eq!(usize::from(mnist.test.labels()[i]), d);
        }
        assert!(DigitSequences::draw(&mnist.test, 0, 3, 7).is_err());
    }
}
