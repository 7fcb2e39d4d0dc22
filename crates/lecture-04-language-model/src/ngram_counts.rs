//! Counting n-grams: the raw material of every count-based language model.
//!
//! An n-gram is `n` consecutive tokens `w_{i-n+1} .. w_i`; its first `n - 1` tokens are the
//! context `h`, the last one the predicted word `w`. For each order `n = 1 ..= N` we keep
//!
//! ```text
//! c(h, w)   how often the n-gram (h, w) occurs in the training text
//! c(h)      = Σ_w c(h, w), how often the context h is followed by anything
//! ```
//!
//! A key packs up to five token ids of 24 bits into one `u128`, so a table is a plain
//! `HashMap<u128, u32>`.

use anyhow::{Result, ensure};
use std::collections::HashMap;

/// Bits per token id in a packed key.
const BITS: u32 = 24;
/// The largest order a key can hold (5 ids of 24 bits in 128 bits).
pub const MAX_ORDER: usize = 5;

/// The packed key of a token sequence (at most [`MAX_ORDER`] ids, each `< 2^24`).
pub fn key(tokens: &[usize]) -> u128 {
    tokens.iter().fold(0u128, |key, &id| (key << BITS) | id as u128)
}

/// The key of the last `n` tokens of the n-gram packed in `key` (drops its oldest ids).
pub fn suffix(key: u128, n: usize) -> u128 {
    if n == 0 { 0 } else { key & ((1u128 << (BITS as usize * n)) - 1) }
}

/// The key of the context of the n-gram packed in `key` (drops its newest id, the word).
pub fn context_key(key: u128) -> u128 {
    key >> BITS
}

/// The raw counts `c(h, w)` and `c(h)` of every order `1 ..= N` in a training text.
#[derive(Clone, Debug)]
pub struct NgramCounts {
    order: usize,
    vocab_size: usize,
    tokens: usize,
    /// `ngrams[n - 1]`: n-gram key -> `c(h, w)`.
    ngrams: Vec<HashMap<u128, u32>>,
    /// `contexts[n - 1]`: context key (n - 1 ids) -> `c(h)`.
    contexts: Vec<HashMap<u128, u32>>,
}

impl NgramCounts {
    /// Counts every n-gram of order `1 ..= order` in `tokens` (ids `< vocab_size`).
    pub fn new(tokens: &[usize], vocab_size: usize, order: usize) -> Result<NgramCounts> {
        ensure!((1..=MAX_ORDER).contains(&order), "n-gram order must be 1..={MAX_ORDER}, got {order}");
        ensure!(
            vocab_size > 0 && vocab_size < (1 << BITS),
            "n-gram tables hold vocabularies of 1 to 2^24 - 1 tokens, got {vocab_size}"
        );
        ensure!(!tokens.is_empty(), "cannot count n-grams of an empty text");
        if let Some(&bad) = tokens.iter().find(|&&id| id >= vocab_size) {
            anyhow::bail!("token id {bad} is outside the vocabulary of {vocab_size}");
        }
        let mut ngrams = vec![HashMap::new(); order];
        let mut contexts = vec![HashMap::new(); order];
        for end in 0..tokens.len() {
            for n in 1..=order.min(end + 1) {
                let gram = &tokens[end + 1 - n..=end];
                *ngrams[n - 1].entry(key(gram)).or_insert(0u32) += 1;
                *contexts[n - 1].entry(key(&gram[..n - 1])).or_insert(0u32) += 1;
            }
        }
        Ok(NgramCounts { order, vocab_size, tokens: tokens.len(), ngrams, contexts })
    }

    /// The highest order counted.
    pub fn order(&self) -> usize {
        self.order
    }

    /// The number of word types `V`.
    pub fn vocab_size(&self) -> usize {
        self.vocab_size
    }

    /// The number of training tokens.
    pub fn num_tokens(&self) -> usize {
        self.tokens
    }

    /// `c(h, w)` for the n-gram `gram = (h, w)` (`n = gram.len()`).
    pub fn count(&self, gram: &[usize]) -> u32 {
        self.ngrams[gram.len() - 1].get(&key(gram)).copied().unwrap_or(0)
    }

    /// `c(h)`: how often `context` was followed by a token.
    pub fn context_count(&self, context: &[usize]) -> u32 {
        self.contexts[context.len()].get(&key(context)).copied().unwrap_or(0)
    }

    /// The table of order `n`: n-gram key -> count.
    pub fn table(&self, n: usize) -> &HashMap<u128, u32> {
        &self.ngrams[n - 1]
    }

    /// How many distinct n-grams of order `n` were seen.
    pub fn distinct(&self, n: usize) -> usize {
        self.ngrams[n - 1].len()
    }
}

/// The share of the n-grams of order `n` ending at positions `n - 1 ..` of `tokens` that never
/// occur in the training counts: each one gets probability 0 from unsmoothed counting.
pub fn unseen_fraction(counts: &NgramCounts, tokens: &[usize], n: usize) -> f64 {
    let grams: Vec<&[usize]> = tokens.windows(n).collect();
    let unseen = grams.iter().filter(|gram| counts.count(gram) == 0).count();
    unseen as f64 / grams.len().max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_every_order_and_context() {
        // a b a b c
        let counts = NgramCounts::new(&[0, 1, 0, 1, 2], 3, 3).unwrap();
        assert_eq!(counts.count(&[0]), 2);
        assert_eq!(counts.count(&[0, 1]), 2);
        assert_eq!(counts.count(&[1, 0, 1]), 1);
        assert_eq!(counts.count(&[2, 2]), 0);
        assert_eq!(counts.context_count(&[]), 5);
        assert_eq!(counts.context_count(&[1]), 2, "b is followed by a and c");
        assert_eq!(counts.context_count(&[0, 1]), 2);
        assert_eq!(counts.distinct(2), 3);
    }

    #[test]
    fn keys_pack_ids_and_suffixes_drop_the_oldest() {
        assert_eq!(suffix(key(&[7, 8, 9]), 2), key(&[8, 9]));
        assert_eq!(suffix(key(&[7, 8, 9]), 0), key(&[]));
        assert_ne!(key(&[1, 2]), key(&[2, 1]));
    }

    #[test]
    fn unseen_test_ngrams_are_counted() {
        let counts = NgramCounts::new(&[0, 1, 0, 1], 3, 2).unwrap();
        assert_eq!(unseen_fraction(&counts, &[0, 1, 2, 0], 2), 2.0 / 3.0);
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(NgramCounts::new(&[0, 5], 3, 2).unwrap_err().to_string().contains("token id 5"));
        assert!(NgramCounts::new(&[0], 3, 6).is_err());
        assert!(NgramCounts::new(&[], 3, 2).is_err());
    }
}
