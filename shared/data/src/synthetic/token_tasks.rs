//! Sequence-to-sequence toy tasks on digit tokens: copy, reverse, sort.
//!
//! The source is a random string of digits 0-9 (length drawn per example from a range) followed
//! by [`EOS`]; the target is the same digits copied, reversed, or sorted ascending. The decoder
//! is trained with teacher forcing: it reads [`BOS`] + target and must predict target + [`EOS`].
//! Rows are padded with [`PAD`] to the batch's common width `time = max_length + 1`.
//!
//! ```text
//! reverse, digits 3 1 4:
//! source          3 1 4 EOS PAD      (token ids: digit d is d + FIRST_DIGIT)
//! decoder_input   BOS 4 1 3 PAD
//! decoder_target  4 1 3 EOS PAD
//! ```
//!
//! **What the model must learn**: copy needs memory of the whole string; reverse makes the first
//! output depend on the last input (easy for attention, hard for a plain encoder-decoder whose
//! bottleneck vector must hold everything: Sutskever et al. 2014 reversed the source for that
//! reason); sort needs to compare every pair (the pointer-network and attention lectures).
//!
//! **Baseline**: without looking at the source, each copied or reversed digit is uniform over 10,
//! so the cross-entropy per digit is ln 10 ≈ 2.303 nats ([`UNIFORM_DIGIT_CE`]); sorted outputs
//! are slightly predictable from the position alone (early digits are small), so that bound is
//! only an upper bound for sort.

use super::{ensure_positive, int_tensor, seeded_rng};
use anyhow::{Result, ensure};
use burn::prelude::{Device, Int, Tensor};
use rand::RngExt;
use std::ops::RangeInclusive;

/// Padding token id (ignore it in the loss, e.g. `CrossEntropyLossConfig::with_pad_tokens`).
pub const PAD: i64 = 0;
/// Beginning-of-sequence token id: the decoder's first input.
pub const BOS: i64 = 1;
/// End-of-sequence token id: closes the source and the target.
pub const EOS: i64 = 2;
/// Token id of the digit 0; digit `d` is `FIRST_DIGIT + d`.
pub const FIRST_DIGIT: i64 = 3;
/// Token ids run over 0..VOCAB_SIZE: PAD, BOS, EOS and the ten digits.
pub const VOCAB_SIZE: usize = 13;
/// Cross-entropy per digit of a uniform guess over the ten digits: ln 10.
pub const UNIFORM_DIGIT_CE: f32 = std::f32::consts::LN_10;

/// Which transformation of the source the target is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenTask {
    /// Target = source.
    Copy,
    /// Target = source backwards.
    Reverse,
    /// Target = source sorted ascending.
    Sort,
}

/// A batch of (source, target) token pairs for teacher-forced sequence-to-sequence training.
#[derive(Clone, Debug, PartialEq)]
pub struct TokenPairs {
    /// `[batch, time]`: digits, EOS, then PAD.
    pub source: Vec<i64>,
    /// `[batch, time]`: BOS, target digits, then PAD.
    pub decoder_input: Vec<i64>,
    /// `[batch, time]`: target digits, EOS, then PAD.
    pub decoder_target: Vec<i64>,
    /// `[batch]`: digits per example (before EOS).
    pub lengths: Vec<usize>,
    /// Examples in the batch.
    pub batch: usize,
    /// Tokens per row: the longest allowed length plus one (for EOS / BOS).
    pub time: usize,
}

/// The token id of digit `digit` (0-9); an error for anything else.
pub fn digit_token(digit: u8) -> Result<i64> {
    ensure!(digit <= 9, "a digit token needs a digit 0-9, got {digit}");
    Ok(FIRST_DIGIT + i64::from(digit))
}

/// The digit a token id stands for, or `None` for PAD, BOS, EOS and ids out of the vocabulary.
pub fn token_digit(token: i64) -> Option<u8> {
    (FIRST_DIGIT..FIRST_DIGIT + 10).contains(&token).then(|| (token - FIRST_DIGIT) as u8)
}

/// Copy task: target = source. Lengths uniform in `lengths` (which must start at 1 or more).
pub fn copy_tokens(batch: usize, lengths: RangeInclusive<usize>, seed: u64) -> Result<TokenPairs> {
    token_pairs(TokenTask::Copy, batch, lengths, seed)
}

/// Reversal task: target = source backwards.
pub fn reverse_tokens(batch: usize, lengths: RangeInclusive<usize>, seed: u64) -> Result<TokenPairs> {
    token_pairs(TokenTask::Reverse, batch, lengths, seed)
}

/// Sorting task: target = source digits sorted ascending.
pub fn sort_tokens(batch: usize, lengths: RangeInclusive<usize>, seed: u64) -> Result<TokenPairs> {
    token_pairs(TokenTask::Sort, batch, lengths, seed)
}

/// `batch` examples of `task`, each of a length drawn uniformly from `lengths`.
pub fn token_pairs(
    task: TokenTask,
    batch: usize,
    lengths: RangeInclusive<usize>,
    seed: u64,
) -> Result<TokenPairs> {
    ensure_positive("token task batch size", batch)?;
    let (shortest, longest) = (*lengths.start(), *lengths.end());
    ensure!(
        shortest >= 1 && shortest <= longest,
        "token task lengths must be a non-empty range starting at 1 or more, got {shortest}..={longest}"
    );
    let mut rng = seeded_rng(seed);
    let time = longest + 1;
    let mut out = TokenPairs {
        source: vec![PAD; batch * time],
        decoder_input: vec![PAD; batch * time],
        decoder_target: vec![PAD; batch * time],
        lengths: Vec::with_capacity(batch),
        batch,
        time,
    };
    for i in 0..batch {
        let len = rng.random_range(lengths.clone());
        let digits: Vec<i64> = (0..len).map(|_| FIRST_DIGIT + rng.random_range(0..10)).collect();
        let target = transform(task, &digits);
        let row = i * time..(i + 1) * time;
        write_row(&mut out.source[row.clone()], &[&digits, &[EOS]]);
        write_row(&mut out.decoder_input[row.clone()], &[&[BOS], &target]);
        write_row(&mut out.decoder_target[row], &[&target, &[EOS]]);
        out.lengths.push(len);
    }
    Ok(out)
}

fn transform(task: TokenTask, digits: &[i64]) -> Vec<i64> {
    let mut target = digits.to_vec();
    match task {
        TokenTask::Copy => {}
        TokenTask::Reverse => target.reverse(),
        TokenTask::Sort => target.sort_unstable(),
    }
    target
}

fn write_row(row: &mut [i64], parts: &[&[i64]]) {
    for (slot, &token) in row.iter_mut().zip(parts.iter().flat_map(|p| p.iter())) {
        *slot = token;
    }
}

impl TokenPairs {
    /// The source as a `[batch, time]` tensor.
    pub fn source_tensor(&self, device: &Device) -> Result<Tensor<2, Int>> {
        int_tensor(&self.source, [self.batch, self.time], device)
    }

    /// The decoder's teacher-forced input as a `[batch, time]` tensor.
    pub fn decoder_input_tensor(&self, device: &Device) -> Result<Tensor<2, Int>> {
        int_tensor(&self.decoder_input, [self.batch, self.time], device)
    }

    /// The decoder's targets as a `[batch, time]` tensor.
    pub fn decoder_target_tensor(&self, device: &Device) -> Result<Tensor<2, Int>> {
        int_tensor(&self.decoder_target, [self.batch, self.time], device)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn row(tokens: &[i64], b: &TokenPairs, i: usize) -> Vec<i64> {
        tokens[i * b.time..(i + 1) * b.time].to_vec()
    }

    fn check(task: TokenTask, b: &TokenPairs, lengths: RangeInclusive<usize>) {
        assert_eq!(b.time, lengths.end() + 1);
        for i in 0..b.batch {
            let len = b.lengths[i];
            assert!(lengths.contains(&len));
            let source = row(&b.source, b, i);
            let digits: Vec<u8> = source[..len].iter().map(|&t| token_digit(t).unwrap()).collect();
            assert_eq!(source[len], EOS);
            let mut expected = digits.clone();
            match task {
                TokenTask::Copy => {}
                TokenTask::Reverse => expected.reverse(),
                TokenTask::Sort => expected.sort(),
            }
            let target = row(&b.decoder_target, b, i);
            let written: Vec<u8> = target[..len].iter().map(|&t| token_digit(t).unwrap()).collect();
            assert_eq!(written, expected, "{task:?} of {digits:?}");
            assert_eq!(target[len], EOS);
            let input = row(&b.decoder_input, b, i);
            assert_eq!(input[0], BOS);
            assert_eq!(&input[1..=len], &target[..len], "decoder input is target shifted right");
            for padded in [&source, &input, &target] {
                assert!(padded[len + 1..].iter().all(|&t| t == PAD));
            }
        }
        let all = b.source.iter().chain(&b.decoder_input).chain(&b.decoder_target);
        assert!(all.into_iter().all(|&t| (0..VOCAB_SIZE as i64).contains(&t)));
    }

    #[test]
    fn the_vocabulary_constants_are_distinct_and_fill_the_vocabulary() {
        let mut ids = vec![PAD, BOS, EOS];
        ids.extend((0..10).map(|d| digit_token(d).unwrap()));
        ids.sort();
        ids.dedup();
        assert_eq!(ids, (0..VOCAB_SIZE as i64).collect::<Vec<_>>());
        assert_eq!(token_digit(digit_token(7).unwrap()), Some(7));
        assert_eq!(token_digit(EOS), None);
        assert!(digit_token(10).is_err());
    }

    #[test]
    fn the_docs_example_and_sorting_with_repeats() {
        // Digits 3 1 4 are token ids 6 4 7.
        assert_eq!(transform(TokenTask::Reverse, &[6, 4, 7]), vec![7, 4, 6]);
        assert_eq!(transform(TokenTask::Sort, &[6, 4, 7, 4]), vec![4, 4, 6, 7]);
        assert_eq!(transform(TokenTask::Copy, &[6, 4]), vec![6, 4]);
    }

    #[test]
    fn same_seed_same_data_other_seed_other_data() {
        assert_eq!(sort_tokens(4, 2..=6, 1).unwrap(), sort_tokens(4, 2..=6, 1).unwrap());
        assert_ne!(sort_tokens(4, 2..=6, 1).unwrap(), sort_tokens(4, 2..=6, 2).unwrap());
    }

    #[test]
    fn empty_or_zero_lengths_are_errors() {
        assert!(copy_tokens(0, 1..=3, 0).is_err());
        let err = copy_tokens(2, 0..=3, 0).unwrap_err().to_string();
        assert!(err.contains("0..=3"), "{err}");
        #[allow(clippy::reversed_empty_ranges)]
        let empty = 5..=3;
        assert!(reverse_tokens(2, empty, 0).is_err());
    }

    #[test]
    fn tensors_have_the_documented_shapes() {
        let device = shared_backend::test_device();
        let b = copy_tokens(3, 1..=5, 0).unwrap();
        assert_eq!(b.source_tensor(&device).unwrap().dims(), [3, 6]);
        let target: Vec<i64> = b.decoder_target_tensor(&device).unwrap().into_data().try_to_vec_as().unwrap();
        assert_eq!(target, b.decoder_target);
        assert_eq!(b.decoder_input_tensor(&device).unwrap().dims(), [3, 6]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        #[test]
        fn targets_are_the_task_applied_to_the_source(
            task in prop_oneof![Just(TokenTask::Copy), Just(TokenTask::Reverse), Just(TokenTask::Sort)],
            batch in 1usize..6, shortest in 1usize..6, extra in 0usize..6, seed in any::<u64>()
        ) {
            let lengths = shortest..=shortest + extra;
            let b = token_pairs(task, batch, lengths.clone(), seed).unwrap();
            check(task, &b, lengths);
        }
    }
}
