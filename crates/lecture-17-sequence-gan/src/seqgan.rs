//! SeqGAN's game (Yu et al. 2017, Algorithm 1): the generator is a policy rewarded by the
//! discriminator, the discriminator a classifier retrained on the generator's latest sentences.
//!
//! ```text
//! repeat:
//!     Y ~ G_θ                                      B sentences of L tokens        [B, L]
//!     Q = token_rewards(Y, D)                      roll-outs or whole sentence    [B, L]
//!     θ <- Adam_G(θ, ∇ policy_gradient_loss(log G_θ(Y), Q - b))
//!     k times: φ <- Adam_D(φ, ∇ L_D(real batch, fresh Y ~ G_θ))
//! ```
//!
//! The two networks have their own Adam (separate parameters, separate moments). In the
//! negative control the discriminator is replaced by a reward that ignores the sentence
//! ([`Reward::Random`]): the same updates of the same size, with no information in them.

use crate::discriminator::Discriminator;
use crate::gradient_spread::flat_gradient;
use crate::lstm_lm::LstmLm;
use crate::policy_gradient::{advantages, policy_gradient_loss};
use crate::pretraining::adam;
use crate::rollout::{Credit, token_rewards};
use crate::sampling::sample;
use crate::sequences::Sequences;
use anyhow::Result;
use burn::module::Module;
use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::prelude::Tensor;
use rand::RngExt;
use rand::rngs::StdRng;
use serde::Serialize;
use shared::data::sub_seed;
use shared::data::synthetic::seeded_rng;
use shared::gan::loss::{discriminator_accuracy, discriminator_loss};
use shared::train::ensure_finite;

/// What rewards a complete sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Reward {
    /// `D(Y)`, the discriminator's probability that the oracle wrote `Y`.
    Discriminator,
    /// A uniform draw in [0, 1), whatever the sentence (the negative control).
    Random,
}

/// How the game is played.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct GameConfig {
    /// Sentences per generator update and per discriminator update.
    pub batch: usize,
    pub credit: Credit,
    pub reward: Reward,
    /// Adam's step sizes.
    pub generator_learning_rate: f64,
    pub discriminator_learning_rate: f64,
    /// Discriminator updates after each generator update.
    pub discriminator_steps: usize,
}

/// What one step measured.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct StepStats {
    /// The policy-gradient loss (its value, not a likelihood: about 0 by construction).
    pub generator_loss: f64,
    /// Mean reward of the generator's complete sentences.
    pub mean_reward: f64,
    /// The last discriminator update's loss and its accuracy before the update.
    pub discriminator_loss: f64,
    pub discriminator_accuracy: f64,
}

/// A generator and a discriminator with their optimisers.
pub struct SeqGan {
    generator: Option<LstmLm>,
    discriminator: Option<Discriminator>,
    generator_optimiser: ModuleOptimizer,
    discriminator_optimiser: ModuleOptimizer,
    config: GameConfig,
    /// The random streams of the sentences, of the roll-outs and of the random rewards: apart,
    /// so that games differing only in credit or reward write the same first sentences.
    rng: StdRng,
    rollout_rng: StdRng,
    noise: StdRng,
}

impl SeqGan {
    /// Both networks (on an autodiff device), fresh Adam states, random streams from `seed`.
    pub fn new(generator: LstmLm, discriminator: Discriminator, config: GameConfig, seed: u64) -> Self {
        Self {
            generator: Some(generator),
            discriminator: Some(discriminator),
            generator_optimiser: adam(),
            discriminator_optimiser: adam(),
            config,
            rng: seeded_rng(sub_seed(seed, 0)),
            rollout_rng: seeded_rng(sub_seed(seed, 1)),
            noise: seeded_rng(sub_seed(seed, 2)),
        }
    }

    /// The generator as trained so far.
    pub fn generator(&self) -> &LstmLm {
        self.generator.as_ref().expect("only absent inside an update")
    }

    /// The discriminator as trained so far.
    pub fn discriminator(&self) -> &Discriminator {
        self.discriminator.as_ref().expect("only absent inside an update")
    }

    /// One generator update, then the discriminator's updates against `real` batches (one call
    /// per update). An error if a loss is NaN or infinite.
    pub fn step(
        &mut self,
        step: u64,
        length: usize,
        mut real: impl FnMut() -> Sequences,
    ) -> Result<StepStats> {
        let (generator_loss, mean_reward) = self.generator_step(step, length)?;
        let (mut discriminator_loss, mut discriminator_accuracy) = (f64::NAN, f64::NAN);
        for _ in 0..self.config.discriminator_steps {
            (discriminator_loss, discriminator_accuracy) = self.discriminator_update(step, &real())?;
        }
        Ok(StepStats { generator_loss, mean_reward, discriminator_loss, discriminator_accuracy })
    }

    /// The rewards `Q` `[B, L]` of `sentences` under the game's credit and reward.
    pub fn rewards(&mut self, sentences: &Sequences) -> Result<Vec<f64>> {
        let writer = self.generator().valid();
        let judge = self.discriminator().valid();
        let (reward, noise) = (self.config.reward, &mut self.noise);
        let mut score = |s: &Sequences| -> Result<Vec<f64>> {
            Ok(match reward {
                Reward::Discriminator => judge.probabilities(s),
                Reward::Random => (0..s.count).map(|_| noise.random::<f64>()).collect(),
            })
        };
        token_rewards(&writer, sentences, self.config.credit, 1.0, &mut score, &mut self.rollout_rng)
    }

    /// The generator's update: samples a batch of sentences of `length` tokens, rewards them,
    /// takes the policy-gradient step; returns the loss and the mean reward of the complete
    /// sentences.
    pub fn generator_step(&mut self, step: u64, length: usize) -> Result<(f64, f64)> {
        let sentences = sample(&self.generator().valid(), self.config.batch, length, 1.0, &mut self.rng);
        let (loss, q) = self.policy_gradient_loss(&sentences)?;
        let mean_reward = q.chunks(length).map(|row| row[length - 1]).sum::<f64>() / sentences.count as f64;
        let value = ensure_finite(step, "policy-gradient loss", loss.clone().into_scalar::<f64>())?;
        let grads = GradientsParams::from_grads(loss.backward(), self.generator());
        let g = self.generator.take().expect("present between updates");
        let lr = self.config.generator_learning_rate;
        self.generator = Some(self.generator_optimiser.step(lr, g, grads));
        Ok((value, mean_reward))
    }

    /// The policy-gradient loss of `sentences` (attached to the generator's graph) and their
    /// rewards `Q` `[B, L]`.
    pub fn policy_gradient_loss(&mut self, sentences: &Sequences) -> Result<(Tensor<1>, Vec<f64>)> {
        let q = self.rewards(sentences)?;
        let g = self.generator();
        let log_probs = g.token_log_probs(sentences.tensor(&g.device()), 1.0);
        Ok((policy_gradient_loss(log_probs, &advantages(&q, sentences.length)), q))
    }

    /// The generator's gradient for a fresh batch of `length`-token sentences, flattened, and
    /// the batch's rewards `Q` `[B, L]`; no update (for measuring the estimate's spread).
    pub fn gradient_estimate(&mut self, length: usize) -> Result<(Vec<f64>, Vec<f64>)> {
        let sentences = sample(&self.generator().valid(), self.config.batch, length, 1.0, &mut self.rng);
        let (loss, q) = self.policy_gradient_loss(&sentences)?;
        Ok((flat_gradient(self.generator(), &loss.backward()), q))
    }

    /// One discriminator update on `real` against fresh sentences of the generator.
    fn discriminator_update(&mut self, step: u64, real: &Sequences) -> Result<(f64, f64)> {
        let fake = sample(&self.generator().valid(), real.count, real.length, 1.0, &mut self.rng);
        let d = self.discriminator();
        let device = d.output.weight.device();
        let (real_logits, fake_logits) = (d.forward(real.tensor(&device)), d.forward(fake.tensor(&device)));
        let accuracy = discriminator_accuracy(real_logits.clone().detach(), fake_logits.clone().detach());
        let loss = discriminator_loss(real_logits, fake_logits, 0.0);
        let value = ensure_finite(step, "discriminator loss", loss.clone().into_scalar::<f64>())?;
        let grads = GradientsParams::from_grads(loss.backward(), self.discriminator());
        let d = self.discriminator.take().expect("present between updates");
        let lr = self.config.discriminator_learning_rate;
        self.discriminator = Some(self.discriminator_optimiser.step(lr, d, grads));
        Ok((value, accuracy))
    }
}

/// Plays `steps` steps of the game, drawing real batches from `data` (seeded per draw from
/// `seed`); every `every` steps and after the last, `evaluate(generator)` into the record's
/// curve `curve` at x = `offset + step`. Shows a progress bar labelled `label`.
#[allow(clippy::too_many_arguments)]
pub fn play(
    label: &str,
    gan: &mut SeqGan,
    steps: u64,
    data: &Sequences,
    seed: u64,
    (every, offset, curve): (u64, u64, &str),
    record: &mut shared::report::ExperimentRecord,
    mut evaluate: impl FnMut(&LstmLm) -> Result<f64>,
) -> Result<Vec<StepStats>> {
    let progress = shared::train::Progress::new(label, steps);
    let batch = gan.config.batch;
    let mut drawn = 0;
    let mut stats = Vec::with_capacity(steps as usize);
    for step in 0..steps {
        let measured = gan.step(step, data.length, || {
            drawn += 1;
            crate::pretraining::random_batch(data, batch, seed, drawn)
        })?;
        stats.push(measured);
        if (step + 1) % every == 0 || step + 1 == steps {
            record.push_point(curve, (offset + step + 1) as f64, evaluate(gan.generator())?);
        }
        progress.update(
            step + 1,
            &[("reward", measured.mean_reward), ("D acc", measured.discriminator_accuracy)],
        );
    }
    let last = stats.last().copied();
    progress.finish(&[("reward", last.map_or(f64::NAN, |s| s.mean_reward))]);
    Ok(stats)
}
