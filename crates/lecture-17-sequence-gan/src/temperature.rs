//! Quality against diversity (Caccia et al. 2020, "Language GANs falling short"): a maximum
//! likelihood model's softmax temperature trades one for the other, so a GAN's better oracle NLL
//! alone does not show it learned more.
//!
//! ```text
//! G_τ(w | h) ∝ exp(l_w / τ)        τ < 1: every next-token distribution sharper
//! quality    NLL_oracle(G_τ) = -E_{Y ~ G_τ} (1/L) log P_oracle(Y)        falls as τ falls ...
//! diversity  NLL_test(G_τ)   = -E_{Y ~ oracle} (1/L) log G_τ(Y)           ... while this rises
//! ```
//!
//! Sweeping `τ` draws a curve in the (NLL_test, NLL_oracle) plane; a GAN is better than
//! temperature tuning only if its point lies below that curve (better quality at the same
//! diversity).

use crate::lstm_lm::LstmLm;
use crate::oracle::{Oracle, SCORING_BATCH, mean_nll};
use crate::sampling::sample_many;
use burn::module::Module;
use serde::Serialize;
use shared::data::synthetic::seeded_rng;

/// Oracle NLL and held-out NLL (nats per token) of one generator at one temperature.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Score {
    pub temperature: f64,
    /// `NLL_oracle`: the oracle's NLL of `samples` sentences of the generator (quality).
    pub oracle: f64,
    /// `NLL_test`: the generator's NLL of the oracle's held-out sentences (diversity, coverage).
    pub held_out: f64,
}

/// `generator` (any device) scored at `temperature` on `samples` sentences drawn with `seed`.
pub fn score(oracle: &Oracle, generator: &LstmLm, temperature: f64, samples: usize, seed: u64) -> Score {
    let writer = generator.valid();
    let mut rng = seeded_rng(seed);
    let sentences = sample_many(&writer, samples, oracle.length, temperature, SCORING_BATCH, &mut rng);
    Score {
        temperature,
        oracle: oracle.nll_of(&sentences),
        held_out: mean_nll(&writer, &oracle.held_out, temperature),
    }
}

/// [`score`] at every temperature of `temperatures`.
pub fn sweep(
    oracle: &Oracle,
    generator: &LstmLm,
    temperatures: &[f64],
    samples: usize,
    seed: u64,
) -> Vec<Score> {
    temperatures.iter().map(|&t| score(oracle, generator, t, samples, seed)).collect()
}

/// The held-out NLL the temperature curve `curve` (sorted by oracle NLL or not) reaches at the
/// oracle NLL `quality`, by linear interpolation between its two nearest points on either side;
/// `None` when `quality` lies outside the curve's range.
pub fn held_out_at(curve: &[Score], quality: f64) -> Option<f64> {
    let mut points: Vec<(f64, f64)> = curve.iter().map(|s| (s.oracle, s.held_out)).collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    points.windows(2).find(|w| w[0].0 <= quality && quality <= w[1].0).map(|w| {
        let share = if w[1].0 > w[0].0 { (quality - w[0].0) / (w[1].0 - w[0].0) } else { 0.0 };
        w[0].1 + share * (w[1].1 - w[0].1)
    })
}
