//! Add-k (Lidstone) smoothing; add-one (Laplace) is `k = 1`.
//!
//! Counting gives `P(w | h) = c(h, w) / c(h)`, which is 0 for every n-gram the training text
//! happens not to contain. Pretending every n-gram was seen `k` more times fixes that:
//!
//! ```text
//! P(w | h) = (c(h, w) + k) / (c(h) + k V)
//! ```
//!
//! With `V` = 10,000 and `k = 1`, a context seen 10 times gives 99.9% of its mass to the words
//! it was never followed by: add-one moves far too much. A small `k` (tuned on validation
//! data) moves less, but it still gives every unseen word the same share, however common.

use crate::ngram_counts::NgramCounts;
use crate::ngram_model::NgramModel;

/// An order-`N` model with add-k smoothing over the counts of order `N`.
pub struct AddK<'a> {
    counts: &'a NgramCounts,
    order: usize,
    k: f64,
}

impl<'a> AddK<'a> {
    /// Add-`k` smoothing of the order-`order` counts (`order <= counts.order()`, `k >= 0`;
    /// `k = 0` is plain counting, the maximum-likelihood estimate).
    pub fn new(counts: &'a NgramCounts, order: usize, k: f64) -> AddK<'a> {
        assert!((1..=counts.order()).contains(&order) && k >= 0.0, "order {order}, k {k}");
        AddK { counts, order, k }
    }
}

impl NgramModel for AddK<'_> {
    fn order(&self) -> usize {
        self.order
    }

    fn vocab_size(&self) -> usize {
        self.counts.vocab_size()
    }

    fn prob(&self, context: &[usize], word: usize) -> f64 {
        let context = &context[context.len().saturating_sub(self.order - 1)..];
        let mut gram = context.to_vec();
        gram.push(word);
        let seen = f64::from(self.counts.count(&gram));
        let total = f64::from(self.counts.context_count(context));
        let denominator = total + self.k * self.counts.vocab_size() as f64;
        if denominator == 0.0 { 0.0 } else { (seen + self.k) / denominator }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_one_matches_a_hand_count() {
        // a b a b c: after b come a (1) and c (1); V = 3, c(b) = 2.
        let counts = NgramCounts::new(&[0, 1, 0, 1, 2], 3, 2).unwrap();
        let laplace = AddK::new(&counts, 2, 1.0);
        assert!((laplace.prob(&[1], 0) - 2.0 / 5.0).abs() < 1e-12);
        assert!((laplace.prob(&[1], 1) - 1.0 / 5.0).abs() < 1e-12);
        let mle = AddK::new(&counts, 2, 0.0);
        assert_eq!(mle.prob(&[1], 1), 0.0, "unsmoothed counting gives unseen bigrams zero");
        let total: f64 = (0..3).map(|w| AddK::new(&counts, 2, 0.1).prob(&[2], w)).sum();
        assert!((total - 1.0).abs() < 1e-12, "a context never seen gets the uniform distribution");
    }
}
