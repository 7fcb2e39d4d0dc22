//! The copy and repeat-copy tasks of the Neural Turing Machine (Graves, Wayne & Danihelka 2014).
//!
//! **Copy**: the model reads `length` random binary vectors of `width` bits, then a delimiter
//! (a step with only the extra delimiter channel on), and must then write the same vectors back,
//! in order, while its input is all zeros. Steps: `time = 2 length + 1`.
//!
//! ```text
//! step:      0 .. length-1 | length    | length+1 .. 2 length
//! input:     bits, delim 0 | delim 1   | zeros
//! target:    (masked)      | (masked)  | the bits again
//! ```
//!
//! **Repeat copy**: after the vectors, one step carries the repeat count `n` (drawn per sequence
//! from 1..=`max_repeats`) on the extra channel, scaled as `n / REPEAT_COUNT_SCALE`; the target
//! is the sequence written `n` times, then one step with the end-marker channel on. Sequences are
//! padded to the longest possible run (`time = length + 2 + max_repeats * length`); padding is
//! masked out.
//!
//! **What the model must learn**: to store a whole sequence and replay it (and, for repeat copy,
//! to count how often). **Why it is hard**: an LSTM's memory is a fixed-size vector that must
//! hold `length x width` random bits at once, and errors compound along the replay; an external
//! memory with content and location addressing (NTM) or attention scales to longer sequences.
//! The memory and attention lectures train on short sequences and test on longer ones.
//!
//! **Baseline**: the bits are fair coins, so predicting 0.5 everywhere costs ln 2 ≈ 0.693 nats
//! of binary cross-entropy per target bit ([`COIN_FLIP_BCE`]), and no constant does better.

use super::{ensure_positive, float_tensor, seeded_rng};
use anyhow::Result;
use burn::prelude::{Device, Tensor};
use rand::RngExt;

/// Binary cross-entropy per bit of predicting 0.5 for fair coin flips: ln 2.
pub const COIN_FLIP_BCE: f32 = std::f32::consts::LN_2;

/// A repeat count `n` is fed to the model as `n / REPEAT_COUNT_SCALE`: a fixed scale, so that a
/// model trained on up to 10 repeats reads 15 repeats as 1.5 rather than a new encoding.
pub const REPEAT_COUNT_SCALE: f32 = 10.0;

/// A batch of binary sequences with their targets and loss mask.
#[derive(Clone, Debug, PartialEq)]
pub struct BitSequenceBatch {
    /// `[batch, time, input_channels]`: data bits (0/1), then one control channel (delimiter or
    /// scaled repeat count).
    pub inputs: Vec<f32>,
    /// `[batch, time, target_channels]`: the bits to write (0/1); repeat copy adds the
    /// end-marker channel last.
    pub targets: Vec<f32>,
    /// `[batch, time]`: 1 where the target counts in the loss, 0 elsewhere.
    pub mask: Vec<f32>,
    /// Repeat copy: the repeat count of each sequence `[batch]`; copy: all 1.
    pub repeats: Vec<usize>,
    /// Sequences in the batch.
    pub batch: usize,
    /// Steps per sequence.
    pub time: usize,
    /// `width + 1`.
    pub input_channels: usize,
    /// `width` for copy, `width + 1` for repeat copy.
    pub target_channels: usize,
}

/// `batch` copy-task sequences of `length` vectors of `width` random bits.
pub fn copy_task(batch: usize, width: usize, length: usize, seed: u64) -> Result<BitSequenceBatch> {
    check_sizes(batch, width, length)?;
    let mut rng = seeded_rng(seed);
    let time = 2 * length + 1;
    let mut out = BitSequenceBatch::zeros(batch, time, width + 1, width);
    for i in 0..batch {
        let bits = random_bits(&mut rng, length * width);
        for t in 0..length {
            let row = &bits[t * width..(t + 1) * width];
            out.input_mut(i, t)[..width].copy_from_slice(row);
            out.target_mut(i, length + 1 + t).copy_from_slice(row);
            out.mask[i * time + length + 1 + t] = 1.0;
        }
        out.input_mut(i, length)[width] = 1.0;
    }
    Ok(out)
}

/// `batch` repeat-copy sequences: `length` vectors of `width` bits, repeated 1..=`max_repeats`
/// times (uniform per sequence), then the end marker.
pub fn repeat_copy_task(
    batch: usize,
    width: usize,
    length: usize,
    max_repeats: usize,
    seed: u64,
) -> Result<BitSequenceBatch> {
    check_sizes(batch, width, length)?;
    ensure_positive("repeat copy max_repeats", max_repeats)?;
    let mut rng = seeded_rng(seed);
    let time = length + 2 + max_repeats * length;
    let mut out = BitSequenceBatch::zeros(batch, time, width + 1, width + 1);
    for i in 0..batch {
        let bits = random_bits(&mut rng, length * width);
        let repeats = rng.random_range(1..=max_repeats);
        for t in 0..length {
            out.input_mut(i, t)[..width].copy_from_slice(&bits[t * width..(t + 1) * width]);
        }
        out.input_mut(i, length)[width] = repeats as f32 / REPEAT_COUNT_SCALE;
        let first_output = length + 1;
        for k in 0..repeats * length {
            let t = k % length;
            out.target_mut(i, first_output + k)[..width].copy_from_slice(&bits[t * width..(t + 1) * width]);
        }
        let end = first_output + repeats * length;
        out.target_mut(i, end)[width] = 1.0;
        out.mask[i * time + first_output..=i * time + end].fill(1.0);
        out.repeats[i] = repeats;
    }
    Ok(out)
}

impl BitSequenceBatch {
    fn zeros(batch: usize, time: usize, input_channels: usize, target_channels: usize) -> Self {
        BitSequenceBatch {
            inputs: vec![0.0; batch * time * input_channels],
            targets: vec![0.0; batch * time * target_channels],
            mask: vec![0.0; batch * time],
            repeats: vec![1; batch],
            batch,
            time,
            input_channels,
            target_channels,
        }
    }

    fn input_mut(&mut self, i: usize, t: usize) -> &mut [f32] {
        let at = (i * self.time + t) * self.input_channels;
        &mut self.inputs[at..at + self.input_channels]
    }

    fn target_mut(&mut self, i: usize, t: usize) -> &mut [f32] {
        let at = (i * self.time + t) * self.target_channels;
        &mut self.targets[at..at + self.target_channels]
    }

    /// The inputs as a `[batch, time, input_channels]` tensor.
    pub fn input_tensor(&self, device: &Device) -> Result<Tensor<3>> {
        float_tensor(&self.inputs, [self.batch, self.time, self.input_channels], device)
    }

    /// The targets as a `[batch, time, target_channels]` tensor.
    pub fn target_tensor(&self, device: &Device) -> Result<Tensor<3>> {
        float_tensor(&self.targets, [self.batch, self.time, self.target_channels], device)
    }

    /// The loss mask as a `[batch, time]` tensor of 0/1.
    pub fn mask_tensor(&self, device: &Device) -> Result<Tensor<2>> {
        float_tensor(&self.mask, [self.batch, self.time], device)
    }
}

fn check_sizes(batch: usize, width: usize, length: usize) -> Result<()> {
    ensure_positive("copy task batch size", batch)?;
    ensure_positive("copy task width", width)?;
    ensure_positive("copy task length", length)
}

fn random_bits(rng: &mut impl RngExt, count: usize) -> Vec<f32> {
    (0..count).map(|_| if rng.random_bool(0.5) { 1.0 } else { 0.0 }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn input(b: &BitSequenceBatch, i: usize, t: usize) -> &[f32] {
        let at = (i * b.time + t) * b.input_channels;
        &b.inputs[at..at + b.input_channels]
    }

    fn target(b: &BitSequenceBatch, i: usize, t: usize) -> &[f32] {
        let at = (i * b.time + t) * b.target_channels;
        &b.targets[at..at + b.target_channels]
    }

    fn check_copy(b: &BitSequenceBatch, width: usize, length: usize) {
        assert_eq!(b.time, 2 * length + 1);
        assert_eq!(b.inputs.len(), b.batch * b.time * (width + 1));
        assert_eq!(b.targets.len(), b.batch * b.time * width);
        for i in 0..b.batch {
            for t in 0..length {
                assert_eq!(input(b, i, t)[width], 0.0, "no delimiter inside the sequence");
                assert_eq!(&input(b, i, t)[..width], target(b, i, length + 1 + t));
            }
            assert_eq!(input(b, i, length)[..width], vec![0.0; width][..]);
            assert_eq!(input(b, i, length)[width], 1.0, "the delimiter");
            let mask = &b.mask[i * b.time..(i + 1) * b.time];
            assert!(mask[..=length].iter().all(|&m| m == 0.0));
            assert!(mask[length + 1..].iter().all(|&m| m == 1.0));
            assert!((length + 1..b.time).all(|t| input(b, i, t).iter().all(|&x| x == 0.0)));
        }
        assert!(b.inputs.iter().chain(&b.targets).all(|&x| x == 0.0 || x == 1.0));
    }

    fn check_repeat_copy(b: &BitSequenceBatch, width: usize, length: usize, max: usize) {
        assert_eq!(b.time, length + 2 + max * length);
        for i in 0..b.batch {
            let n = b.repeats[i];
            assert!((1..=max).contains(&n));
            assert_eq!(input(b, i, length)[width], n as f32 / REPEAT_COUNT_SCALE);
            for k in 0..n * length {
                let written = target(b, i, length + 1 + k);
                assert_eq!(&written[..width], &input(b, i, k % length)[..width]);
                assert_eq!(written[width], 0.0);
            }
            let end = length + 1 + n * length;
            assert_eq!(target(b, i, end)[width], 1.0, "end marker of sequence {i}");
            let mask = &b.mask[i * b.time..(i + 1) * b.time];
            let counted: Vec<usize> = (0..b.time).filter(|&t| mask[t] == 1.0).collect();
            assert_eq!(counted, (length + 1..=end).collect::<Vec<_>>());
        }
    }

    #[test]
    fn target_bits_are_fair_coins_so_the_half_baseline_is_ln2() {
        let b = copy_task(200, 8, 10, 3).unwrap();
        let ones: f32 = b.targets.iter().sum();
        let fraction = ones / (200 * 8 * 10) as f32;
        assert!((fraction - 0.5).abs() < 0.02, "fraction of ones {fraction}");
        let bce_of_half = -(0.5f32.ln());
        assert!((bce_of_half - COIN_FLIP_BCE).abs() < 1e-7);
    }

    #[test]
    fn same_seed_same_data_other_seed_other_data() {
        assert_eq!(copy_task(2, 4, 5, 1).unwrap(), copy_task(2, 4, 5, 1).unwrap());
        assert_ne!(copy_task(2, 4, 5, 1).unwrap(), copy_task(2, 4, 5, 2).unwrap());
        let repeat = |seed| repeat_copy_task(2, 4, 5, 3, seed).unwrap();
        assert_eq!(repeat(1), repeat(1));
        assert_ne!(repeat(1), repeat(2));
    }

    #[test]
    fn zero_sizes_are_errors() {
        assert!(copy_task(0, 8, 5, 0).is_err());
        assert!(copy_task(1, 0, 5, 0).is_err());
        let err = copy_task(1, 8, 0, 0).unwrap_err().to_string();
        assert!(err.contains("length"), "{err}");
        assert!(repeat_copy_task(1, 8, 5, 0, 0).is_err());
    }

    #[test]
    fn tensors_have_the_documented_shapes() {
        let device = shared_backend::test_device();
        let b = repeat_copy_task(3, 4, 2, 2, 0).unwrap();
        assert_eq!(b.input_tensor(&device).unwrap().dims(), [3, 8, 5]);
        assert_eq!(b.target_tensor(&device).unwrap().dims(), [3, 8, 5]);
        assert_eq!(b.mask_tensor(&device).unwrap().dims(), [3, 8]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        #[test]
        fn copy_targets_replay_the_inputs(
            batch in 1usize..4, width in 1usize..9, length in 1usize..12, seed in any::<u64>()
        ) {
            check_copy(&copy_task(batch, width, length, seed).unwrap(), width, length);
        }

        #[test]
        fn repeat_copy_targets_replay_n_times_then_end(
            batch in 1usize..4, width in 1usize..6, length in 1usize..6, max in 1usize..5,
            seed in any::<u64>()
        ) {
            let b = repeat_copy_task(batch, width, length, max, seed).unwrap();
            check_repeat_copy(&b, width, length, max);
        }
    }
}
