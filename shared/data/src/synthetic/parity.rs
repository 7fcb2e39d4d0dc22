//! k-bit parity: is the number of ones in a random bit vector odd?
//!
//! **Input**: `bits` independent fair bits. **Label**: their XOR (1 when the count of ones is
//! odd). In the ±1 encoding (bit `b` becomes `1 - 2b`, so 0 -> +1 and 1 -> -1) the label is 1
//! exactly when the product of the inputs is -1.
//!
//! **What the model must learn**: a function of all k bits at once: flipping any single bit
//! flips the label, so no subset of fewer than k bits (and no linear function) carries any
//! information about it. **Why it is hard**: gradients of a randomly initialised net see no
//! signal from low-order correlations, and a shallow net needs exponentially many units; deep or
//! recurrent nets (a running XOR) need few. The depth, SELU and memorisation lectures use it.
//!
//! **Baseline**: classes are balanced, so guessing gives 50% accuracy and a binary cross-entropy
//! of ln 2 ≈ 0.693 per example.

use super::{ensure_positive, float_tensor, int_tensor, seeded_rng};
use anyhow::Result;
use burn::prelude::{Device, Int, Tensor};
use rand::RngExt;

/// How a bit is written as a float.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BitEncoding {
    /// 0 -> 0.0, 1 -> 1.0.
    ZeroOne,
    /// 0 -> +1.0, 1 -> -1.0: the label is 1 when the product of the inputs is -1.
    PlusMinusOne,
}

/// A batch of bit vectors and their parities.
#[derive(Clone, Debug, PartialEq)]
pub struct ParityBatch {
    /// `[batch, bits]`: each bit 0 or 1.
    pub bits: Vec<u8>,
    /// `[batch]`: the XOR of the example's bits, 0 or 1.
    pub labels: Vec<i64>,
    /// Examples in the batch.
    pub batch: usize,
    /// Bits per example (`k`).
    pub width: usize,
}

/// `batch` random vectors of `width` fair bits with their parity labels.
pub fn parity(batch: usize, width: usize, seed: u64) -> Result<ParityBatch> {
    ensure_positive("parity batch size", batch)?;
    ensure_positive("parity bit count k", width)?;
    let mut rng = seeded_rng(seed);
    let bits: Vec<u8> = (0..batch * width).map(|_| u8::from(rng.random_bool(0.5))).collect();
    let labels = bits.chunks(width).map(|row| i64::from(xor(row))).collect();
    Ok(ParityBatch { bits, labels, batch, width })
}

fn xor(bits: &[u8]) -> u8 {
    bits.iter().fold(0, |acc, &b| acc ^ b)
}

impl ParityBatch {
    /// The bits as floats in `encoding`, `[batch, bits]` row-major.
    pub fn encoded(&self, encoding: BitEncoding) -> Vec<f32> {
        let encode = |b: u8| match encoding {
            BitEncoding::ZeroOne => f32::from(b),
            BitEncoding::PlusMinusOne => 1.0 - 2.0 * f32::from(b),
        };
        self.bits.iter().map(|&b| encode(b)).collect()
    }

    /// The inputs of a feed-forward net: `[batch, bits]`.
    pub fn input_tensor(&self, encoding: BitEncoding, device: &Device) -> Result<Tensor<2>> {
        float_tensor(&self.encoded(encoding), [self.batch, self.width], device)
    }

    /// The inputs of a recurrent net, one bit per step: `[batch, bits, 1]`.
    pub fn sequence_tensor(&self, encoding: BitEncoding, device: &Device) -> Result<Tensor<3>> {
        float_tensor(&self.encoded(encoding), [self.batch, self.width, 1], device)
    }

    /// The labels as class indices `[batch]` (for cross-entropy over two classes).
    pub fn label_tensor(&self, device: &Device) -> Result<Tensor<1, Int>> {
        int_tensor(&self.labels, [self.batch], device)
    }

    /// The labels as floats `[batch, 1]` (for a sigmoid output and binary cross-entropy).
    pub fn label_float_tensor(&self, device: &Device) -> Result<Tensor<2>> {
        let labels: Vec<f32> = self.labels.iter().map(|&y| y as f32).collect();
        float_tensor(&labels, [self.batch, 1], device)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(b: &ParityBatch) {
        assert_eq!(b.bits.len(), b.batch * b.width);
        assert_eq!(b.labels.len(), b.batch);
        let signed = b.encoded(BitEncoding::PlusMinusOne);
        for i in 0..b.batch {
            let row = &b.bits[i * b.width..(i + 1) * b.width];
            assert!(row.iter().all(|&x| x <= 1));
            let ones = row.iter().filter(|&&x| x == 1).count();
            assert_eq!(b.labels[i], (ones % 2) as i64, "label of {row:?}");
            let product: f32 = signed[i * b.width..(i + 1) * b.width].iter().product();
            assert_eq!(product == -1.0, b.labels[i] == 1, "±1 product rule for {row:?}");
        }
    }

    #[test]
    fn labels_of_known_vectors() {
        assert_eq!(xor(&[0, 0, 0]), 0);
        assert_eq!(xor(&[1, 0, 0]), 1);
        assert_eq!(xor(&[1, 1, 0]), 0);
        assert_eq!(xor(&[1, 1, 1]), 1);
    }

    #[test]
    fn classes_are_balanced() {
        for width in [1, 2, 7, 20] {
            let b = parity(10_000, width, 4).unwrap();
            let odd = b.labels.iter().sum::<i64>() as f32 / 10_000.0;
            assert!((odd - 0.5).abs() < 0.02, "k = {width}: fraction odd {odd}");
        }
    }

    #[test]
    fn same_seed_same_data_other_seed_other_data() {
        assert_eq!(parity(8, 10, 1).unwrap(), parity(8, 10, 1).unwrap());
        assert_ne!(parity(8, 10, 1).unwrap(), parity(8, 10, 2).unwrap());
    }

    #[test]
    fn zero_sizes_are_errors() {
        let err = parity(4, 0, 0).unwrap_err().to_string();
        assert!(err.contains("bit count k"), "{err}");
        assert!(parity(0, 4, 0).is_err());
    }

    #[test]
    fn tensors_have_the_documented_shapes() {
        let device = shared_backend::test_device();
        let b = parity(5, 3, 0).unwrap();
        assert_eq!(b.input_tensor(BitEncoding::ZeroOne, &device).unwrap().dims(), [5, 3]);
        let seq = b.sequence_tensor(BitEncoding::PlusMinusOne, &device).unwrap();
        assert_eq!(seq.dims(), [5, 3, 1]);
        assert_eq!(b.label_tensor(&device).unwrap().dims(), [5]);
        assert_eq!(b.label_float_tensor(&device).unwrap().dims(), [5, 1]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn every_label_is_the_xor(batch in 1usize..20, width in 1usize..40, seed in any::<u64>()) {
            check(&parity(batch, width, seed).unwrap());
        }
    }
}
