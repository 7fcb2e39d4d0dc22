//! Claim 4: the discrete sample blocks the gradient; the Gumbel-softmax relaxation passes one,
//! and its temperature trades variance for bias.
//!
//! The smallest generator with the problem: one categorical distribution per position of an
//! `L`-token sentence, logits `θ: [L, V]` (zero: uniform), judged by a fixed differentiable
//! scorer of one-hot sentences (a stand-in for a discriminator), `r(y) = Σ_t y_t · w_t` with
//! `w: [L, V]` drawn `N(0, 1)`. Its true objective and gradient are known exactly:
//!
//! ```text
//! J(θ) = E_{y ~ softmax(θ)} r(y) = Σ_t softmax(θ_t) · w_t          J* = Σ_t max_v w_tv
//! progress = (J(θ) - J(0)) / (J* - J(0))                           0 at the start, 1 at the best
//! ```
//!
//! Each arm draws a batch of samples per step and follows its estimate of `∇J`: the hard sample
//! (no gradient reaches `θ`), the Gumbel-softmax at several temperatures, the straight-through
//! estimator, and REINFORCE (unbiased, from the hard samples' scores alone). At the start, `K`
//! batches give each estimator's spread and its cosine with the true gradient (its bias).

use crate::gradient_spread::{Spread, spread};
use crate::gumbel_softmax::{gumbel_noise, gumbel_softmax, hard_sample, straight_through};
use anyhow::{Result, ensure};
use burn::module::{Module, Param};
use burn::optim::AdamConfig;
use burn::prelude::*;
use burn::tensor::activation::{log_softmax, softmax};
use rand::rngs::StdRng;
use serde::Serialize;
use shared::data::sub_seed;
use shared::data::synthetic::seeded_rng;
use shared::experiment::Run;
use shared::report::ExperimentRecord;
use shared::testing::normal;
use shared::testing::seeded_on;
use shared::train::Fit;

/// The experiment's name: its record is `out/lecture-17-sequence-gan/gumbel.json`.
pub const NAME: &str = "gumbel";

/// Claim 4: the Gumbel-softmax at temperature 1 gets at least this far to the best sentence.
pub const TRAINS_TO: f64 = 0.8;

/// Random streams of the run.
const SCORER: u64 = 20;
const NOISE: u64 = 21;
const ESTIMATES: u64 = 22;

/// How a batch of sentences is turned into a loss whose gradient estimates `-∇J`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum Estimator {
    /// The hard sample itself: no gradient at all.
    Hard,
    /// The Gumbel-softmax at temperature `τ`.
    GumbelSoftmax(f64),
    /// Hard forward, Gumbel-softmax (temperature `τ`) backward.
    StraightThrough(f64),
    /// `-(r - mean r) log p(y)` of hard samples.
    Reinforce,
}

impl Estimator {
    /// The arm's name.
    pub fn label(self) -> String {
        match self {
            Estimator::Hard => "hard sample".to_string(),
            Estimator::GumbelSoftmax(t) => format!("Gumbel-softmax τ = {t}"),
            Estimator::StraightThrough(t) => format!("straight-through τ = {t}"),
            Estimator::Reinforce => "REINFORCE".to_string(),
        }
    }
}

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// `L` positions and `V` tokens.
    pub length: usize,
    pub vocab: usize,
    /// Samples per step.
    pub batch: usize,
    pub steps: u64,
    /// Adam's step size.
    pub learning_rate: f64,
    /// Batches at the start that measure each estimator's spread and bias.
    pub estimate_batches: usize,
    /// The arms.
    pub estimators: Vec<Estimator>,
}

impl Config {
    /// `L = 8`, `V = 64` (the oracle experiment's sizes), batch 16; 300 steps (quick 150).
    pub fn for_run(run: &Run) -> Config {
        use Estimator::*;
        Config {
            length: 8,
            vocab: 64,
            batch: 16,
            steps: run.steps_or(150, 300),
            learning_rate: 0.05,
            estimate_batches: 32,
            estimators: vec![
                Hard,
                GumbelSoftmax(0.1),
                GumbelSoftmax(0.5),
                GumbelSoftmax(1.0),
                GumbelSoftmax(2.0),
                GumbelSoftmax(5.0),
                StraightThrough(1.0),
                Reinforce,
            ],
        }
    }
}

/// One categorical distribution per position: `softmax(θ_t)`.
#[derive(Module, Debug)]
pub struct PositionPolicy {
    /// `θ: [L, V]`.
    pub logits: Param<Tensor<2>>,
}

/// One arm's results.
#[derive(Clone, Debug, Serialize)]
pub struct ArmResult {
    pub estimator: Estimator,
    /// Whether the estimator's loss reaches `θ` at all.
    pub has_gradient: bool,
    /// `(J - J(0)) / (J* - J(0))` after training.
    pub progress: f64,
    /// The spread of the gradient estimates at the start (zero vectors without a gradient).
    pub spread: Spread,
    /// The cosine between the mean estimate and the true `∇J` at the start (0 without a gradient).
    pub cosine: f64,
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub arms: Vec<ArmResult>,
}

impl Outcome {
    /// The result of `estimator`.
    pub fn of(&self, estimator: Estimator) -> &ArmResult {
        self.arms.iter().find(|a| a.estimator == estimator).expect("an arm of the configuration")
    }
}

/// `r(y) = Σ_t y_t · w_t` of each of the `B` sentences `y: [B L, V]`, `[B]`.
fn score(y: Tensor<2>, w: &Tensor<2>, batch: usize) -> Tensor<1> {
    let [length, vocab] = w.dims();
    let w = w.clone().unsqueeze_dim::<3>(0).repeat_dim(0, batch).reshape([batch * length, vocab]);
    (y * w).sum_dim(1).reshape([batch, length]).sum_dim(1).squeeze_dim(1)
}

/// The estimator's loss for one batch (`None` when it has no gradient path to `θ`).
fn loss(
    estimator: Estimator,
    policy: &PositionPolicy,
    w: &Tensor<2>,
    batch: usize,
    rng: &mut StdRng,
) -> Option<Tensor<1>> {
    let [length, vocab] = w.dims();
    let logits =
        policy.logits.val().unsqueeze_dim::<3>(0).repeat_dim(0, batch).reshape([batch * length, vocab]);
    let noise = gumbel_noise([batch * length, vocab], rng, &logits.device());
    let y = match estimator {
        Estimator::Hard => hard_sample(logits, noise),
        Estimator::GumbelSoftmax(t) => gumbel_softmax(logits, noise, t),
        Estimator::StraightThrough(t) => straight_through(logits, noise, t),
        Estimator::Reinforce => {
            let y = hard_sample(logits.clone(), noise);
            let r = score(y.clone(), w, batch);
            let advantage = r.clone() - r.mean();
            let log_p =
                (log_softmax(logits, 1) * y).sum_dim(1).reshape([batch, length]).sum_dim(1).squeeze_dim(1);
            return Some((log_p * advantage.detach()).mean().neg());
        }
    };
    let loss = score(y, w, batch).mean().neg();
    loss.is_tracked().then_some(loss)
}

/// `J(θ)`, differentiable.
fn objective(policy: &PositionPolicy, w: &Tensor<2>) -> Tensor<1> {
    (softmax(policy.logits.val(), 1) * w.clone()).sum()
}

/// Trains every arm from uniform logits; writes the record and the picture.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    ensure!(config.batch > 0 && config.length > 0 && config.vocab > 1, "empty sizes: {config:?}");
    ensure!(config.estimate_batches >= 2, "a spread needs at least 2 batches");
    let mut record = run.record(NAME).with_config(config)?;
    let device = &run.device;
    let w = seeded_on(device, sub_seed(run.seed, SCORER), |d| normal([config.length, config.vocab], d));
    let uniform = || PositionPolicy {
        logits: Param::from_tensor(Tensor::zeros([config.length, config.vocab], device)),
    };
    let j = |p: &PositionPolicy| objective(p, &w).into_scalar::<f64>();
    let best: f64 = w.clone().max_dim(1).sum().into_scalar::<f64>();
    let start = j(&uniform());
    let progress = |p: &PositionPolicy| (j(p) - start) / (best - start);
    let mut arms = Vec::new();
    for &estimator in &config.estimators {
        let (spread, cosine, has_gradient) = at_start(estimator, &uniform(), &w, config, run.seed)?;
        let label = estimator.label();
        let trained = if has_gradient {
            let mut rng = seeded_rng(sub_seed(run.seed, NOISE));
            Fit::new(&label, config.steps, config.learning_rate)
                .loss_unit("-r (estimator's loss)")
                .evaluate_every((config.steps / 20).max(1), "progress", |_, p: &PositionPolicy| {
                    Ok(progress(p))
                })
                .run(uniform(), AdamConfig::new().init(), &mut record, |p, _| {
                    Ok(loss(estimator, p, &w, config.batch, &mut rng).expect("an estimator with a gradient"))
                })?
                .model
        } else {
            uniform()
        };
        arms.push(ArmResult { estimator, has_gradient, progress: progress(&trained), spread, cosine });
    }
    let mut outcome = Outcome { record, arms };
    finish(run, &mut outcome)?;
    Ok(outcome)
}

/// The spread of `estimator`'s gradient over `config.estimate_batches` batches at `policy`, the
/// cosine of their mean with the true gradient, and whether it has a gradient at all.
fn at_start(
    estimator: Estimator,
    policy: &PositionPolicy,
    w: &Tensor<2>,
    config: &Config,
    seed: u64,
) -> Result<(Spread, f64, bool)> {
    let flat = |g: Tensor<2>| g.into_data().iter::<f64>().collect::<Vec<f64>>();
    let truth =
        flat(policy.logits.val().grad(&objective(policy, w).neg().backward()).expect("J depends on θ"));
    let mut rng = seeded_rng(sub_seed(seed, ESTIMATES));
    let mut estimates = Vec::new();
    for _ in 0..config.estimate_batches {
        match loss(estimator, policy, w, config.batch, &mut rng) {
            Some(l) => {
                estimates.push(flat(policy.logits.val().grad(&l.backward()).expect("a gradient path")))
            }
            None => estimates.push(vec![0.0; truth.len()]),
        }
    }
    let has_gradient = loss(estimator, policy, w, config.batch, &mut rng).is_some();
    let n = estimates.len() as f64;
    let mean: Vec<f64> = (0..truth.len()).map(|i| estimates.iter().map(|e| e[i]).sum::<f64>() / n).collect();
    let dot: f64 = mean.iter().zip(&truth).map(|(a, b)| a * b).sum();
    let norms =
        mean.iter().map(|a| a * a).sum::<f64>().sqrt() * truth.iter().map(|b| b * b).sum::<f64>().sqrt();
    let cosine = if norms > 0.0 { dot / norms } else { 0.0 };
    Ok((spread(&estimates), cosine, has_gradient))
}

/// Metrics, claim, table and picture.
fn finish(run: &Run, outcome: &mut Outcome) -> Result<()> {
    println!(
        "\n{:<26} {:>9} {:>14} {:>20} {:>8}",
        "estimator", "gradient", "progress", "variance / |mean|²", "cosine"
    );
    for arm in &outcome.arms {
        let relative = arm.spread.total_variance / arm.spread.mean_squared_norm.max(f64::MIN_POSITIVE);
        println!(
            "{:<26} {:>9} {:>14.3} {:>20.3} {:>8.3}",
            arm.estimator.label(),
            if arm.has_gradient { "yes" } else { "none" },
            arm.progress,
            if arm.has_gradient { relative } else { f64::NAN },
            arm.cosine
        );
        let record = &mut outcome.record;
        record.set_metric(format!("{} progress", arm.estimator.label()), arm.progress);
        record.set_metric(format!("{} gradient variance", arm.estimator.label()), arm.spread.total_variance);
        record.set_metric(format!("{} cosine with the true gradient", arm.estimator.label()), arm.cosine);
    }
    let (hard, relaxed) =
        (outcome.of(Estimator::Hard).clone(), outcome.of(Estimator::GumbelSoftmax(1.0)).clone());
    outcome.record.add_claim(
        "4. a hard sample passes no gradient; the Gumbel-softmax (τ = 1) trains through the sample",
        format!("hard: no gradient, progress 0; Gumbel-softmax progress > {TRAINS_TO}"),
        format!(
            "hard: gradient {}, progress {:.3}; Gumbel-softmax: progress {:.3}",
            hard.has_gradient, hard.progress, relaxed.progress
        ),
        !hard.has_gradient && hard.progress == 0.0 && relaxed.progress > TRAINS_TO,
    );
    let curves: Vec<String> = outcome
        .arms
        .iter()
        .filter(|a| a.has_gradient)
        .map(|a| format!("{} progress", a.estimator.label()))
        .collect();
    let names: Vec<&str> = curves.iter().map(String::as_str).collect();
    outcome
        .record
        .curve_chart("training through a sampled token: progress to the best sentence", &names)?
        .reference_line("hard sample (no gradient)", 0.0)
        .save_svg(run.picture_path("gumbel-progress.svg"))?;
    outcome.record.add_picture("gumbel-progress.svg");
    run.finish(&mut outcome.record)?;
    Ok(())
}
