//! The two supervised phases before the game, in the shared training loop ([`Fit`]):
//!
//! ```text
//! generator (maximum likelihood):  loss_G = -(1 / (B L)) Σ_b Σ_t log G(y_bt | y_b,<t)    Y: oracle sentences
//! discriminator:                    loss_D = E_real[softplus(-l)] + E_fake[softplus(l)]   fakes: G's sentences
//! ```
//!
//! Each step draws `B` training sentences at random (seeded per step by [`batch_seed`]). Adam
//! takes the steps, each parameter tensor's gradient clipped to norm 5 (as SeqGAN does).

use crate::discriminator::Discriminator;
use crate::lstm_lm::LstmLm;
use crate::sampling::sample;
use crate::sequences::Sequences;
use anyhow::Result;
use burn::optim::ModuleOptimizer;
use burn::optim::grad_clipping::GradientClippingConfig;
use burn::prelude::*;
use rand::RngExt;
use serde::Serialize;
use shared::data::batch_seed;
use shared::data::synthetic::seeded_rng;
use shared::gan::loss::discriminator_loss;
use shared::report::ExperimentRecord;
use shared::train::{Fit, Fitted, FusedAdamConfig};

/// Each parameter tensor's gradient norm is clipped to this.
pub const CLIP_NORM: f32 = 5.0;

/// How long and how fast one phase trains.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Phase {
    pub steps: u64,
    pub batch: usize,
    pub learning_rate: f64,
    /// From this step on, the learning rate is a tenth (`None`: constant).
    pub decay_at: Option<u64>,
}

impl Phase {
    /// The learning rate of step `step`.
    pub fn learning_rate_at(&self, step: u64) -> f64 {
        match self.decay_at {
            Some(at) if step >= at => self.learning_rate / 10.0,
            _ => self.learning_rate,
        }
    }
}

/// Adam with per-tensor gradient clipping at [`CLIP_NORM`].
pub fn adam() -> ModuleOptimizer {
    FusedAdamConfig::new().with_grad_clipping(Some(GradientClippingConfig::Norm(CLIP_NORM))).init()
}

/// `batch` sentences of `data` drawn at random for step `step` of a run seeded `seed`.
pub fn random_batch(data: &Sequences, batch: usize, seed: u64, step: u64) -> Sequences {
    let mut rng = seeded_rng(batch_seed(seed, step));
    let rows: Vec<usize> = (0..batch).map(|_| rng.random_range(0..data.count)).collect();
    data.select(&rows)
}

/// The maximum-likelihood loss of `sentences`: mean negative log-likelihood per token.
pub fn mle_loss(generator: &LstmLm, sentences: &Sequences) -> Tensor<1> {
    generator.token_log_probs(sentences.tensor(&generator.device()), 1.0).mean().neg()
}

/// Trains `generator` by maximum likelihood on `data`; `evaluate(generator)` (e.g. the oracle
/// NLL of its samples) runs every `every` steps into the curve `<label> <metric>`.
#[allow(clippy::too_many_arguments)]
pub fn train_mle(
    label: &str,
    generator: LstmLm,
    data: &Sequences,
    phase: &Phase,
    seed: u64,
    record: &mut ExperimentRecord,
    (every, metric): (u64, &str),
    mut evaluate: impl FnMut(&LstmLm) -> Result<f64>,
) -> Result<Fitted<LstmLm>> {
    Fit::new(label, phase.steps, phase.learning_rate)
        .learning_rate_schedule(|step| phase.learning_rate_at(step))
        .loss_unit("NLL per token (nats)")
        .curve_points(50)
        .evaluate_every(every, metric, |_, model: &LstmLm| evaluate(model))
        .run(generator, adam(), record, |model, step| {
            Ok(mle_loss(model, &random_batch(data, phase.batch, seed, step)))
        })
}

/// Trains `discriminator` to tell `data` from sentences of the fixed `generator` (temperature 1).
pub fn train_discriminator(
    label: &str,
    discriminator: Discriminator,
    generator: &LstmLm,
    data: &Sequences,
    phase: &Phase,
    seed: u64,
    record: &mut ExperimentRecord,
) -> Result<Discriminator> {
    let writer = generator.valid();
    let mut rng = seeded_rng(seed);
    let fitted = Fit::new(label, phase.steps, phase.learning_rate)
        .learning_rate_schedule(|step| phase.learning_rate_at(step))
        .loss_unit("L_D")
        .curve_points(50)
        .run(discriminator, adam(), record, |d, step| {
            let real = random_batch(data, phase.batch, seed, step);
            let fake = sample(&writer, phase.batch, data.length, 1.0, &mut rng);
            let device = d.output.weight.device();
            Ok(discriminator_loss(d.forward(real.tensor(&device)), d.forward(fake.tensor(&device)), 0.0))
        })?;
    Ok(fitted.model)
}
