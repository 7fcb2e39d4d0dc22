//! Interpolated modified Kneser-Ney smoothing (Chen & Goodman 1998), the strongest of the
//! count-based models.
//!
//! Two ideas. First, *absolute discounting*: take a fixed amount `D` off every seen count and
//! give the freed mass to a lower-order model, interpolated at every context:
//!
//! ```text
//! P(w | h) = max(a(h, w) - D(a(h, w)), 0) / a(h)  +  γ(h) P(w | h')
//! γ(h)     = (D1 N1(h) + D2 N2(h) + D3 N3+(h)) / a(h)
//! ```
//!
//! where `h'` is `h` without its oldest word, `a(h) = Σ_w a(h, w)`, `Nk(h)` is the number of
//! words seen exactly `k` times after `h` (`N3+`: three or more), and the three discounts come
//! from the count-of-counts `n_k` of the order: `Y = n1 / (n1 + 2 n2)`,
//! `D1 = 1 - 2Y n2/n1`, `D2 = 2 - 3Y n3/n2`, `D3 = 3 - 4Y n4/n3`.
//!
//! Second, *continuation counts*: the lower orders are only consulted when the longer context
//! says little, so they should measure how many different contexts a word follows, not how
//! often it occurs ("Francisco" is frequent but only ever after "San"). At the highest order
//! `a(h, w) = c(h, w)`; below it `a(h, w) = N1+(• h w)`, the number of distinct words seen
//! before `h w`. The recursion ends in the uniform distribution `1 / V`, so no word ever gets 0.

use crate::ngram_counts::{NgramCounts, context_key, key, suffix};
use crate::ngram_model::NgramModel;
use std::collections::HashMap;

/// What the interpolation needs of one context `h` at one order.
#[derive(Clone, Copy, Debug, Default)]
struct ContextStats {
    /// `a(h) = Σ_w a(h, w)`.
    total: u32,
    /// `N1(h), N2(h), N3+(h)`: words seen once, twice, three or more times after `h`.
    by_count: [u32; 3],
}

/// One order's counts `a(h, w)`, context statistics and discounts `[D1, D2, D3+]`.
#[derive(Clone, Debug)]
struct Level {
    counts: HashMap<u128, u32>,
    contexts: HashMap<u128, ContextStats>,
    discounts: [f64; 3],
}

/// An order-`N` interpolated modified Kneser-Ney model.
#[derive(Clone, Debug)]
pub struct KneserNey {
    vocab_size: usize,
    /// `levels[n - 1]` is order `n`.
    levels: Vec<Level>,
}

impl KneserNey {
    /// Builds the model of order `order <= counts.order()` from raw counts.
    pub fn new(counts: &NgramCounts, order: usize) -> KneserNey {
        assert!((1..=counts.order()).contains(&order), "order {order} of {}", counts.order());
        let mut levels = Vec::with_capacity(order);
        for n in 1..=order {
            let table = if n == order {
                counts.table(n).clone()
            } else {
                continuation_counts(counts.table(n + 1), n)
            };
            levels.push(Level::new(table));
        }
        KneserNey { vocab_size: counts.vocab_size(), levels }
    }

    /// The discounts `[D1, D2, D3+]` of order `n`.
    pub fn discounts(&self, n: usize) -> [f64; 3] {
        self.levels[n - 1].discounts
    }

    /// `P(word | context)` using the last `n - 1` tokens of `context` (`context.len() >= n - 1`).
    fn prob_of_order(&self, n: usize, context: &[usize], word: usize) -> f64 {
        if n == 0 {
            return 1.0 / self.vocab_size as f64;
        }
        let context = &context[context.len() + 1 - n..];
        let lower = self.prob_of_order(n - 1, context, word);
        let level = &self.levels[n - 1];
        let Some(stats) = level.contexts.get(&key(context)) else { return lower };
        let mut gram = context.to_vec();
        gram.push(word);
        let count = level.counts.get(&key(&gram)).copied().unwrap_or(0);
        let discounted = match count {
            0 => 0.0,
            c => (f64::from(c) - level.discounts[(c as usize).min(3) - 1]).max(0.0),
        };
        let freed: f64 = (0..3).map(|k| level.discounts[k] * f64::from(stats.by_count[k])).sum();
        (discounted + freed * lower) / f64::from(stats.total)
    }
}

impl Level {
    fn new(counts: HashMap<u128, u32>) -> Level {
        let mut contexts: HashMap<u128, ContextStats> = HashMap::new();
        let mut count_of_counts = [0u64; 4];
        for (&gram, &count) in &counts {
            let stats = contexts.entry(context_key(gram)).or_default();
            stats.total += count;
            stats.by_count[(count as usize).min(3) - 1] += 1;
            if count <= 4 {
                count_of_counts[count as usize - 1] += 1;
            }
        }
        Level { counts, contexts, discounts: discounts(count_of_counts) }
    }
}

/// `N1+(• g)` for every (n)-gram `g`: the number of distinct (n+1)-grams ending in `g`.
fn continuation_counts(longer: &HashMap<u128, u32>, n: usize) -> HashMap<u128, u32> {
    let mut counts = HashMap::new();
    for &gram in longer.keys() {
        *counts.entry(suffix(gram, n)).or_insert(0) += 1;
    }
    counts
}

/// Chen & Goodman's estimates from the count-of-counts `[n1, n2, n3, n4]`, each clamped to
/// `[0, k]` for `D_k`; with too few counts to estimate (tiny texts) it falls back to `0.5 k`.
fn discounts([n1, n2, n3, n4]: [u64; 4]) -> [f64; 3] {
    let [n1, n2, n3, n4] = [n1, n2, n3, n4].map(|n| n as f64);
    let y = n1 / (n1 + 2.0 * n2);
    let estimates = [1.0 - 2.0 * y * n2 / n1, 2.0 - 3.0 * y * n3 / n2, 3.0 - 4.0 * y * n4 / n3];
    let mut result = [0.0; 3];
    for (k, estimate) in estimates.into_iter().enumerate() {
        let most = (k + 1) as f64;
        result[k] = if estimate.is_finite() && estimate > 0.0 { estimate.min(most) } else { 0.5 * most };
    }
    result
}

impl NgramModel for KneserNey {
    fn order(&self) -> usize {
        self.levels.len()
    }

    fn vocab_size(&self) -> usize {
        self.vocab_size
    }

    fn prob(&self, context: &[usize], word: usize) -> f64 {
        let n = self.levels.len().min(context.len() + 1);
        self.prob_of_order(n, context, word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text() -> Vec<usize> {
        // a b c a b d a b c e b c: 5 types
        vec![0, 1, 2, 0, 1, 3, 0, 1, 2, 4, 1, 2]
    }

    #[test]
    fn every_distribution_sums_to_one() {
        let counts = NgramCounts::new(&text(), 6, 3).unwrap();
        let model = KneserNey::new(&counts, 3);
        for context in [&[][..], &[1], &[0, 1], &[5, 5], &[4, 1]] {
            let total: f64 = (0..6).map(|w| model.prob(context, w)).sum();
            assert!((total - 1.0).abs() < 1e-9, "context {context:?}: {total}");
            assert!((0..6).all(|w| model.prob(context, w) > 0.0), "no zeros after {context:?}");
        }
    }

    #[test]
    fn the_bigram_case_matches_a_hand_computation() {
        // Bigram KN on "a b a c": counts (a,b) 1, (b,a) 1, (a,c) 1; n1 = 3, n2 = 0 -> the
        // estimates are degenerate (Y = 1, D1 = 1), D2 and D3 fall back to 1.0 and 1.5.
        let counts = NgramCounts::new(&[0, 1, 0, 2], 4, 2).unwrap();
        let model = KneserNey::new(&counts, 2);
        assert_eq!(model.discounts(2), [1.0, 1.0, 1.5]);
        // Unigram level: continuation counts N1+(• b) = 1, N1+(• a) = 1, N1+(• c) = 1 (total 3),
        // all seen once, so D1 = 1 takes everything: P1(w) = 1/V = 1/4 for every w.
        let unigram = 0.25;
        // After a: c(a) = 2, both seen once: (1 - 1) / 2 + (1 * 2) / 2 * P1(b) = 0.25.
        assert!((model.prob(&[0], 1) - unigram).abs() < 1e-12);
        // `d` was never seen anywhere and still gets mass.
        assert!(model.prob(&[0], 3) > 0.0);
    }

    #[test]
    fn continuation_counts_count_distinct_left_neighbours() {
        // "x k", "y k", "x k": k follows two distinct words; j follows one.
        let counts = NgramCounts::new(&[0, 2, 1, 2, 0, 2, 3], 4, 2).unwrap();
        let continuation = continuation_counts(counts.table(2), 1);
        assert_eq!(continuation[&key(&[2])], 2);
        assert_eq!(continuation[&key(&[3])], 1);
    }
}
