//! The synthetic oracle setting of SeqGAN (Yu et al. 2017): an LSTM with random weights is the
//! "true" language. Its samples are the training data, and the quality of any generator is the
//! oracle's negative log-likelihood of what the generator writes:
//!
//! ```text
//! NLL_oracle(G) = -E_{Y ~ G} [ (1/L) Σ_t log G_oracle(y_t | y_<t) ]     nats per token
//! NLL_test(G)   = -E_{Y ~ oracle} [ (1/L) Σ_t log G(y_t | y_<t) ]        held-out oracle samples
//! ```
//!
//! `NLL_oracle` rewards writing what the oracle finds likely (quality); it is lowest for a
//! generator that writes only the oracle's most likely sentence. `NLL_test` rewards giving
//! probability to everything the oracle writes (coverage, diversity): a generator that collapses
//! onto a few sentences pays for the rest. The oracle's own entropy rate is the floor of
//! `NLL_test` and the value of `NLL_oracle` for a perfect generator.

use crate::lstm_lm::{LstmLm, LstmLmConfig};
use crate::sampling::sample_many;
use crate::sequences::Sequences;
use burn::prelude::Device;
use serde::Serialize;
use shared::data::sub_seed;
use shared::data::synthetic::seeded_rng;
use shared::testing::seeded_on;

/// Rows per batch when scoring or sampling many sequences.
pub const SCORING_BATCH: usize = 500;

/// The random streams of the oracle's weights, its training data and its held-out data.
const WEIGHTS: u64 = 0;
const TRAINING: u64 = 1;
const HELD_OUT: u64 = 2;

/// The oracle and the sizes of its data.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct OracleConfig {
    pub model: LstmLmConfig,
    /// Standard deviation of every oracle weight.
    pub std: f64,
    /// `L`: tokens per sentence.
    pub length: usize,
    /// Training sentences (Yu et al.: 10,000).
    pub training: usize,
    /// Held-out sentences for `NLL_test`.
    pub held_out: usize,
}

/// The oracle with a training set and a held-out set of its sentences.
pub struct Oracle {
    pub model: LstmLm,
    pub length: usize,
    pub training: Sequences,
    pub held_out: Sequences,
    /// The oracle's own NLL of its held-out sentences: its entropy rate, nats per token.
    pub entropy: f64,
}

impl Oracle {
    /// The oracle of run `seed` on the plain (no autodiff) `device`, with its data.
    pub fn new(config: &OracleConfig, seed: u64, device: &Device) -> Oracle {
        let model = seeded_on(device, sub_seed(seed, WEIGHTS), |d| config.model.init_normal(config.std, d));
        let draw = |stream, count| {
            sample_many(
                &model,
                count,
                config.length,
                1.0,
                SCORING_BATCH,
                &mut seeded_rng(sub_seed(seed, stream)),
            )
        };
        let training = draw(TRAINING, config.training);
        let held_out = draw(HELD_OUT, config.held_out);
        let entropy = mean_nll(&model, &held_out, 1.0);
        Oracle { model, length: config.length, training, held_out, entropy }
    }

    /// `NLL_oracle` of `sentences` (written by some generator).
    pub fn nll_of(&self, sentences: &Sequences) -> f64 {
        mean_nll(&self.model, sentences, 1.0)
    }
}

/// `-(1 / (N L)) Σ log G_τ(y_t | y_<t)` of `sentences` under `model` (on the model's device, in
/// batches of [`SCORING_BATCH`]).
pub fn mean_nll(model: &LstmLm, sentences: &Sequences, temperature: f64) -> f64 {
    let device = model.device();
    let mut total = 0.0;
    for start in (0..sentences.count).step_by(SCORING_BATCH) {
        let batch = sentences.slice(start, SCORING_BATCH);
        let log_probs = model.token_log_probs(batch.tensor(&device), temperature);
        total -= log_probs.sum().into_scalar::<f64>();
    }
    total / (sentences.count * sentences.length) as f64
}
