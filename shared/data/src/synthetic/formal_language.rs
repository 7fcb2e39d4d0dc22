//! Counting languages for next-symbol prediction (Joulin & Mikolov 2015, stack-augmented RNNs).
//!
//! - aⁿbⁿ: `n` a's then `n` b's;
//! - aⁿbⁿcⁿ: `n` a's, `n` b's, `n` c's;
//! - aⁿbᵐcⁿ⁺ᵐ: `n` a's, `m` b's, then `n + m` c's (addition).
//!
//! Words (`n, m >= 1`, drawn uniformly from a range) are concatenated into one stream without
//! separators, and the model predicts each next symbol. Only part of a word is predictable: the
//! number of a's (and of b's) is random, but once the first b of aⁿbⁿ or aⁿbⁿcⁿ (the first c of
//! aⁿbᵐcⁿ⁺ᵐ) has been read, every later symbol of the word, and the first `a` of the next word,
//! follows. The `deterministic` mask marks those predictions; the lecture scores only them, and
//! counts a word correct only when all of its deterministic predictions are.
//!
//! **What the model must learn**: to count `n` up while reading a's and down while writing b's,
//! i.e. an unbounded counter (a stack). **Why it is hard**: a finite-state model can only memorise
//! the `n` it saw; the test is generalisation to `n` beyond the training range.
//!
//! **Baseline**: predicting "the same symbol again" is right on every deterministic position but
//! the block ends: on aⁿbⁿ that is `n - 1` of the `n` deterministic predictions (it misses b -> a),
//! a per-symbol accuracy of `1 - 1/n` that looks good while its word accuracy is 0.

use super::{ensure_positive, float_tensor, int_tensor, seeded_rng};
use anyhow::{Result, ensure};
use burn::prelude::{Device, Int, Tensor};
use rand::RngExt;
use std::ops::RangeInclusive;

/// Token id of `a`.
pub const A: i64 = 0;
/// Token id of `b`.
pub const B: i64 = 1;
/// Token id of `c`.
pub const C: i64 = 2;
/// Token ids run over 0..VOCAB_SIZE.
pub const VOCAB_SIZE: usize = 3;

/// Which counting language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// aⁿbⁿ.
    AnBn,
    /// aⁿbⁿcⁿ.
    AnBnCn,
    /// aⁿbᵐcⁿ⁺ᵐ.
    AnBmCnm,
}

/// Next-symbol prediction batch: `batch` rows cut from concatenated words.
#[derive(Clone, Debug, PartialEq)]
pub struct LanguageStream {
    /// `[batch, time]`: the symbols read.
    pub inputs: Vec<i64>,
    /// `[batch, time]`: the next symbol (inputs shifted left by one).
    pub targets: Vec<i64>,
    /// `[batch, time]`: whether the target is determined by the symbols read so far.
    pub deterministic: Vec<bool>,
    /// Rows in the batch.
    pub batch: usize,
    /// Symbols per row.
    pub time: usize,
}

impl Language {
    /// The word with counts `n` (and `m`, used only by aⁿbᵐcⁿ⁺ᵐ); both must be at least 1.
    pub fn word(self, n: usize, m: usize) -> Result<Vec<i64>> {
        ensure!(n >= 1 && m >= 1, "{self:?} word needs n, m >= 1, got n = {n}, m = {m}");
        Ok(self.build_word(n, m))
    }

    fn build_word(self, n: usize, m: usize) -> Vec<i64> {
        let block = |symbol: i64, count: usize| std::iter::repeat_n(symbol, count);
        match self {
            Language::AnBn => block(A, n).chain(block(B, n)).collect(),
            Language::AnBnCn => block(A, n).chain(block(B, n)).chain(block(C, n)).collect(),
            Language::AnBmCnm => block(A, n).chain(block(B, m)).chain(block(C, n + m)).collect(),
        }
    }

    /// Whether `word` is in the language (the empty word is not: `n >= 1`).
    pub fn is_member(self, word: &[i64]) -> bool {
        let runs = runs(word);
        match (self, runs.as_slice()) {
            (Language::AnBn, [(A, n), (B, m)]) => n == m,
            (Language::AnBnCn, [(A, n), (B, m), (C, k)]) => n == m && m == k,
            (Language::AnBmCnm, [(A, n), (B, m), (C, k)]) => n + m == *k,
            _ => false,
        }
    }

    /// For each symbol of `word`: whether the symbol after it is determined by the word so far
    /// (true from the first b, or the first c for aⁿbᵐcⁿ⁺ᵐ, to the end of the word).
    pub fn deterministic_positions(self, word: &[i64]) -> Vec<bool> {
        let trigger = if self == Language::AnBmCnm { C } else { B };
        let first = word.iter().position(|&s| s == trigger).unwrap_or(word.len());
        (0..word.len()).map(|t| t >= first).collect()
    }

    fn random_word(self, counts: &RangeInclusive<usize>, rng: &mut impl RngExt) -> Vec<i64> {
        let n = rng.random_range(counts.clone());
        let m = rng.random_range(counts.clone());
        self.build_word(n, m)
    }
}

/// Maximal runs of equal symbols: `aabbb` -> `[(A, 2), (B, 3)]`.
fn runs(word: &[i64]) -> Vec<(i64, usize)> {
    let mut runs: Vec<(i64, usize)> = Vec::new();
    for &symbol in word {
        match runs.last_mut() {
            Some((last, count)) if *last == symbol => *count += 1,
            _ => runs.push((symbol, 1)),
        }
    }
    runs
}

fn check_counts(counts: &RangeInclusive<usize>) -> Result<()> {
    ensure!(
        *counts.start() >= 1 && counts.start() <= counts.end(),
        "word counts must be a non-empty range starting at 1 or more, got {counts:?}"
    );
    Ok(())
}

/// `count` random words with `n` (and `m`) uniform in `counts`: an evaluation set, e.g. with
/// counts beyond the training range.
pub fn words(
    language: Language,
    count: usize,
    counts: RangeInclusive<usize>,
    seed: u64,
) -> Result<Vec<Vec<i64>>> {
    ensure_positive("number of words", count)?;
    check_counts(&counts)?;
    let mut rng = seeded_rng(seed);
    Ok((0..count).map(|_| language.random_word(&counts, &mut rng)).collect())
}

/// `batch` rows of `time` next-symbol predictions over concatenated random words.
pub fn language_stream(
    language: Language,
    batch: usize,
    time: usize,
    counts: RangeInclusive<usize>,
    seed: u64,
) -> Result<LanguageStream> {
    ensure_positive("language stream batch size", batch)?;
    ensure_positive("language stream time", time)?;
    check_counts(&counts)?;
    let mut rng = seeded_rng(seed);
    let mut out = LanguageStream {
        inputs: Vec::with_capacity(batch * time),
        targets: Vec::with_capacity(batch * time),
        deterministic: Vec::with_capacity(batch * time),
        batch,
        time,
    };
    for _ in 0..batch {
        let (mut symbols, mut known) = (Vec::new(), Vec::new());
        while symbols.len() <= time {
            let word = language.random_word(&counts, &mut rng);
            known.extend(language.deterministic_positions(&word));
            symbols.extend(word);
        }
        out.inputs.extend(&symbols[..time]);
        out.targets.extend(&symbols[1..=time]);
        out.deterministic.extend(&known[..time]);
    }
    Ok(out)
}

impl LanguageStream {
    /// The symbols read, `[batch, time]`.
    pub fn input_tensor(&self, device: &Device) -> Result<Tensor<2, Int>> {
        int_tensor(&self.inputs, [self.batch, self.time], device)
    }

    /// The next symbols, `[batch, time]`.
    pub fn target_tensor(&self, device: &Device) -> Result<Tensor<2, Int>> {
        int_tensor(&self.targets, [self.batch, self.time], device)
    }

    /// The deterministic mask as 0/1 floats, `[batch, time]` (multiply a per-position loss).
    pub fn mask_tensor(&self, device: &Device) -> Result<Tensor<2>> {
        let mask: Vec<f32> = self.deterministic.iter().map(|&d| f32::from(u8::from(d))).collect();
        float_tensor(&mask, [self.batch, self.time], device)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ALL: [Language; 3] = [Language::AnBn, Language::AnBnCn, Language::AnBmCnm];

    #[test]
    fn membership_of_known_words() {
        let an_bn = Language::AnBn;
        assert!(an_bn.is_member(&[A, B]) && an_bn.is_member(&[A, A, B, B]));
        assert!(!an_bn.is_member(&[]) && !an_bn.is_member(&[A, A, B]) && !an_bn.is_member(&[A, B, A, B]));
        assert!(!an_bn.is_member(&[B, A]));
        assert!(Language::AnBnCn.is_member(&[A, A, B, B, C, C]));
        assert!(!Language::AnBnCn.is_member(&[A, A, B, B, C]));
        assert!(Language::AnBmCnm.is_member(&[A, B, B, C, C, C]));
        assert!(!Language::AnBmCnm.is_member(&[A, B, B, C, C]));
        assert!(!Language::AnBmCnm.is_member(&[A, C]), "m >= 1");
    }

    #[test]
    fn deterministic_part_starts_at_the_first_b_or_c() {
        let word = Language::AnBn.word(3, 1).unwrap();
        assert_eq!(Language::AnBn.deterministic_positions(&word), [false, false, false, true, true, true]);
        let word = Language::AnBmCnm.word(1, 2).unwrap();
        assert_eq!(word, [A, B, B, C, C, C]);
        let known = Language::AnBmCnm.deterministic_positions(&word);
        assert_eq!(known, [false, false, false, true, true, true]);
    }

    #[test]
    fn repeat_last_symbol_baseline_misses_only_block_ends() {
        let stream = language_stream(Language::AnBn, 4, 200, 1..=10, 3).unwrap();
        let (mut right, mut total) = (0, 0);
        for t in 0..stream.inputs.len() {
            if stream.deterministic[t] {
                total += 1;
                right += usize::from(stream.inputs[t] == stream.targets[t]);
                // Every miss is a b followed by the next word's a.
                if stream.inputs[t] != stream.targets[t] {
                    assert_eq!((stream.inputs[t], stream.targets[t]), (B, A));
                }
            }
        }
        let accuracy = right as f32 / total as f32;
        assert!(accuracy > 0.6 && accuracy < 0.95, "per-symbol accuracy {accuracy}");
    }

    #[test]
    fn same_seed_same_data_other_seed_other_data() {
        let s = |seed| language_stream(Language::AnBnCn, 3, 30, 1..=5, seed).unwrap();
        assert_eq!(s(1), s(1));
        assert_ne!(s(1), s(2));
        assert_eq!(words(Language::AnBn, 5, 1..=9, 1).unwrap(), words(Language::AnBn, 5, 1..=9, 1).unwrap());
    }

    #[test]
    fn invalid_parameters_are_errors() {
        assert!(Language::AnBn.word(0, 1).is_err());
        assert!(language_stream(Language::AnBn, 0, 10, 1..=3, 0).is_err());
        assert!(language_stream(Language::AnBn, 2, 0, 1..=3, 0).is_err());
        let err = language_stream(Language::AnBn, 2, 10, 0..=3, 0).unwrap_err().to_string();
        assert!(err.contains("0..=3"), "{err}");
        assert!(words(Language::AnBn, 0, 1..=3, 0).is_err());
    }

    #[test]
    fn tensors_have_the_documented_shapes() {
        let device = shared_backend::test_device();
        let s = language_stream(Language::AnBmCnm, 2, 9, 1..=3, 0).unwrap();
        assert_eq!(s.input_tensor(&device).unwrap().dims(), [2, 9]);
        assert_eq!(s.target_tensor(&device).unwrap().dims(), [2, 9]);
        let mask: Vec<f32> = s.mask_tensor(&device).unwrap().into_data().try_to_vec().unwrap();
        assert_eq!(
            mask.iter().filter(|&&m| m == 1.0).count(),
            s.deterministic.iter().filter(|&&d| d).count()
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        #[test]
        fn generated_words_are_members(
            language in prop::sample::select(ALL.to_vec()), low in 1usize..6, extra in 0usize..6,
            seed in any::<u64>()
        ) {
            for word in words(language, 5, low..=low + extra, seed).unwrap() {
                prop_assert!(language.is_member(&word), "{language:?}: {word:?}");
                let n = word.iter().filter(|&&s| s == A).count();
                prop_assert!((low..=low + extra).contains(&n));
            }
        }

        #[test]
        fn stream_targets_are_shifted_inputs_and_the_mask_is_right(
            language in prop::sample::select(ALL.to_vec()), batch in 1usize..4, time in 1usize..60,
            seed in any::<u64>()
        ) {
            let s = language_stream(language, batch, time, 1..=4, seed).unwrap();
            prop_assert_eq!(s.inputs.len(), batch * time);
            for i in 0..batch {
                let row = i * time..(i + 1) * time;
                prop_assert_eq!(&s.inputs[row.start + 1..row.end], &s.targets[row.start..row.end - 1]);
                prop_assert_eq!(s.inputs[row.start], A, "rows start a word");
                for t in row {
                    // An `a` never determines its successor; a `c` always does.
                    if s.inputs[t] == A { prop_assert!(!s.deterministic[t]); }
                    if s.inputs[t] == C { prop_assert!(s.deterministic[t]); }
                    prop_assert!((0..VOCAB_SIZE as i64).contains(&s.targets[t]));
                }
            }
        }
    }
}
