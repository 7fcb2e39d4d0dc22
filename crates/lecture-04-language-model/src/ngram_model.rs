//! What a count-based language model offers: `P(w | h)` for a context of the last `N - 1`
//! tokens, and from it perplexity and sampling.
//!
//! ```text
//! perplexity = exp( -(1/T) Σ_t log P(w_t | w_{t-N+1} .. w_{t-1}) )
//! ```
//!
//! The first tokens of a text have shorter contexts; models take whatever context there is.

use rand::RngExt;

/// A language model over a fixed vocabulary that looks at most `order() - 1` tokens back.
pub trait NgramModel {
    /// `N`: the model conditions on the last `N - 1` tokens.
    fn order(&self) -> usize;

    /// The vocabulary size `V`.
    fn vocab_size(&self) -> usize;

    /// `P(word | context)`; `context` holds at most `order() - 1` ids, the most recent last.
    fn prob(&self, context: &[usize], word: usize) -> f64;
}

/// The context of position `t` in `tokens`: the up to `order - 1` tokens before it.
fn context_of(tokens: &[usize], t: usize, order: usize) -> &[usize] {
    &tokens[t.saturating_sub(order - 1)..t]
}

/// `log P(w_t | context)` (natural log) for each position `t` in `positions`.
pub fn log_probs_at(model: &impl NgramModel, tokens: &[usize], positions: &[usize]) -> Vec<f64> {
    positions.iter().map(|&t| model.prob(context_of(tokens, t, model.order()), tokens[t]).ln()).collect()
}

/// `exp(-mean(log_probs))`: infinite as soon as one token has probability 0.
pub fn perplexity_of(log_probs: &[f64]) -> f64 {
    (-log_probs.iter().sum::<f64>() / log_probs.len().max(1) as f64).exp()
}

/// The perplexity of `model` on every token of `tokens` after the first.
pub fn perplexity(model: &impl NgramModel, tokens: &[usize]) -> f64 {
    let positions: Vec<usize> = (1..tokens.len()).collect();
    perplexity_of(&log_probs_at(model, tokens, &positions))
}

/// Draws `length` tokens after `prompt`, each from `P(. | context)` sharpened by `temperature`
/// (`P^(1/temperature)`, renormalised). Returns the new tokens only.
pub fn sample(
    model: &impl NgramModel,
    prompt: &[usize],
    length: usize,
    temperature: f64,
    rng: &mut impl RngExt,
) -> Vec<usize> {
    let mut text = prompt.to_vec();
    for _ in 0..length {
        let context = context_of(&text, text.len(), model.order());
        let weights: Vec<f64> =
            (0..model.vocab_size()).map(|w| model.prob(context, w).powf(1.0 / temperature)).collect();
        text.push(draw(&weights, rng));
    }
    text.split_off(prompt.len())
}

/// An index drawn with probability proportional to `weights` (all `>= 0`, not all zero).
pub fn draw(weights: &[f64], rng: &mut impl RngExt) -> usize {
    let total: f64 = weights.iter().sum();
    let mut u = rng.random::<f64>() * total;
    for (i, &w) in weights.iter().enumerate() {
        if u < w {
            return i;
        }
        u -= w;
    }
    weights.len() - 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    /// P(w | h) = 1 if w = h + 1 (mod 3), a model that counts 0 1 2 0 1 2 ...
    struct Cycle;
    impl NgramModel for Cycle {
        fn order(&self) -> usize {
            2
        }
        fn vocab_size(&self) -> usize {
            3
        }
        fn prob(&self, context: &[usize], word: usize) -> f64 {
            match context.last() {
                Some(&h) => f64::from(u8::from(word == (h + 1) % 3)),
                None => 1.0 / 3.0,
            }
        }
    }

    #[test]
    fn a_certain_model_has_perplexity_one_and_an_impossible_token_infinity() {
        assert!((perplexity(&Cycle, &[0, 1, 2, 0]) - 1.0).abs() < 1e-12);
        assert_eq!(perplexity(&Cycle, &[0, 2]), f64::INFINITY);
        assert_eq!(log_probs_at(&Cycle, &[0, 1], &[0]), vec![(1.0f64 / 3.0).ln()]);
    }

    #[test]
    fn samples_follow_the_model() {
        let mut rng = StdRng::seed_from_u64(0);
        assert_eq!(sample(&Cycle, &[1], 4, 1.0, &mut rng), vec![2, 0, 1, 2]);
        assert_eq!(draw(&[0.0, 0.0, 5.0], &mut rng), 2);
    }
}
