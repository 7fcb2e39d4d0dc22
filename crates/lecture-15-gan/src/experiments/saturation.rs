//! Claim 1: when real and generated samples barely overlap, the discriminator soon classifies
//! them perfectly, the estimated JS divergence sits at its ceiling log 2, and the minimax
//! generator loss passes back almost no gradient (the non-saturating loss still does).
//!
//! **Set-up** (after Arjovsky & Bottou 2017, figure 2). The generator is a freshly initialised
//! MLP and is *frozen*: its samples form a small blob around the origin, while the data is the
//! ring of 8 modes at radius 2. The discriminator trains alone against it, a supervised fit
//! (real against fake) in the shared loop. Every `log_every` steps we record its accuracy,
//! `JS ≈ log 2 - L_D / 2` (both on the batch of that step), and the norm of the gradient each
//! generator loss would send to the generator's parameters, `||dL_G/dtheta_G||`.

use super::mixture_training::{MixtureGanConfig, MixtureStream};
use crate::discriminator::Discriminator;
use crate::instance_noise::NoiseSchedule;
use anyhow::Result;
use burn::prelude::*;
use serde::Serialize;
use shared::data::synthetic::mixture::GaussianMixture;
use shared::experiment::Run;
use shared::gan::generator::Generator;
use shared::gan::loss::{GeneratorLoss, discriminator_accuracy, discriminator_loss, js_estimate};
use shared::plot::{LineChart, ScatterPlot};
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;
use shared::train::gradient_norm;
use shared::train::{Fit, FusedAdamConfig, ensure_finite};
use std::cell::RefCell;

/// The experiment's name: its record is `out/lecture-15-gan/saturation.json`.
pub const NAME: &str = "saturation";

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// The networks (the game's settings are only the discriminator's learning rate and its
    /// instance noise here: none for the claim, a constant one for its control).
    pub gan: MixtureGanConfig,
    /// Discriminator steps against the frozen generator.
    pub steps: u64,
    pub log_every: u64,
}

impl Config {
    /// Quick: 600 discriminator steps (seconds); full: 2000.
    pub fn for_run(run: &Run) -> Config {
        let steps = run.steps_or(600, 2000);
        let log_every = run.size(10, 25);
        let mut gan = MixtureGanConfig::failing_game(steps, 1, log_every);
        gan.eval_samples = 500;
        Config { gan, steps, log_every }
    }

    /// The control: the same, with instance noise of constant standard deviation 1 on every
    /// discriminator input, real and fake, so that the two distributions overlap.
    pub fn overlapping(run: &Run) -> Config {
        let mut config = Config::for_run(run);
        config.gan.game.instance_noise = NoiseSchedule { initial_std: 1.0, decay_steps: u64::MAX };
        config
    }
}

/// What was measured at one logged step.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Probe {
    pub step: u64,
    pub d_accuracy: f64,
    pub js_estimate: f64,
    pub minimax_grad_norm: f64,
    pub non_saturating_grad_norm: f64,
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub probes: Vec<Probe>,
}

impl Outcome {
    /// The last probe.
    pub fn last(&self) -> Probe {
        self.probes[self.probes.len() - 1]
    }
}

/// Trains the discriminator against the frozen generator in the shared loop, probing it every
/// `log_every` steps; writes the record and pictures.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    anyhow::ensure!(config.steps >= 1 && config.log_every >= 1, "nothing to train: {config:?}");
    let mut record = run.record(NAME).with_config(config)?;
    let mixture = GaussianMixture::ring_of_8();
    let device = &run.device;
    let (generator, discriminator) = seeded_on(device, run.seed, |d| {
        Ok::<_, anyhow::Error>((config.gan.generator().init(d)?, config.gan.discriminator().init(d)?))
    })?;
    let optimiser = FusedAdamConfig::new().with_beta_1(config.gan.game.beta_1).init();
    let passes = RefCell::new(Passes {
        stream: MixtureStream::new(&mixture, config.gan.batch, run.seed, device),
        generator: &generator,
        noise: config.gan.game.instance_noise,
        batch: config.gan.batch,
        device,
        kept: None,
    });
    let mut probes = Vec::new();
    Fit::new("discriminator", config.steps, config.gan.game.learning_rate)
        .evaluate_every(config.log_every, "accuracy", |step, discriminator: &Discriminator| {
            let pass = passes.borrow_mut().at(step, discriminator)?;
            let probe = probe(step, &pass, &generator, discriminator, config)?;
            passes.borrow_mut().kept = Some(pass);
            probes.push(probe);
            Ok(probe.d_accuracy)
        })
        .run(discriminator, optimiser, &mut record, |discriminator, step| {
            Ok(passes.borrow_mut().at(step, discriminator)?.loss)
        })?;
    for probe in &probes {
        push_probe(&mut record, probe);
    }
    draw(run, &mut record, &probes, &mixture, &generator, config)?;
    print_table(&probes);
    add_claims(&mut record, &probes);
    run.finish(&mut record)?;
    Ok(Outcome { record, probes })
}

/// The discriminator's forward pass of one step: its logits on that step's real batch and fakes,
/// and its loss.
struct Pass {
    step: u64,
    real_logits: Tensor<2>,
    fake_logits: Tensor<2>,
    loss: Tensor<1>,
}

/// One real batch and one batch of fakes per step, each step's pass computed once: the probe at
/// step `s` keeps its pass, so that step `s` descends the very loss the probe measured.
struct Passes<'a> {
    stream: MixtureStream<'a>,
    generator: &'a Generator,
    noise: NoiseSchedule,
    batch: usize,
    device: &'a Device,
    kept: Option<Pass>,
}

impl Passes<'_> {
    /// Step `step`'s pass through `discriminator`: the kept one, or a fresh batch's.
    fn at(&mut self, step: u64, discriminator: &Discriminator) -> Result<Pass> {
        if let Some(pass) = self.kept.take().filter(|pass| pass.step == step) {
            return Ok(pass);
        }
        let real = self.noise.apply(self.stream.next_batch()?.samples, step);
        let fake = self.noise.apply(self.generator.sample(self.batch, None, self.device).detach(), step);
        let (real_logits, fake_logits) =
            (discriminator.forward(real, None), discriminator.forward(fake, None));
        let loss = discriminator_loss(real_logits.clone(), fake_logits.clone(), 0.0);
        Ok(Pass { step, real_logits, fake_logits, loss })
    }
}

/// What the discriminator shows at `step`, measured on that step's pass.
fn probe(
    step: u64,
    pass: &Pass,
    generator: &Generator,
    discriminator: &Discriminator,
    config: &Config,
) -> Result<Probe> {
    let loss = ensure_finite(step, "discriminator loss", pass.loss.clone().into_scalar::<f64>())?;
    let gradient = |loss| generator_gradient(step, generator, discriminator, loss, config);
    Ok(Probe {
        step,
        d_accuracy: discriminator_accuracy(
            pass.real_logits.clone().detach(),
            pass.fake_logits.clone().detach(),
        ),
        js_estimate: js_estimate(loss),
        minimax_grad_norm: gradient(GeneratorLoss::Minimax)?,
        non_saturating_grad_norm: gradient(GeneratorLoss::NonSaturating)?,
    })
}

/// `||dL_G/dtheta_G||` for `loss` through the current discriminator, on a fresh batch of fakes
/// (with the discriminator's instance noise of `step`).
fn generator_gradient(
    step: u64,
    generator: &Generator,
    discriminator: &Discriminator,
    loss: GeneratorLoss,
    config: &Config,
) -> Result<f64> {
    let device = discriminator.devices()[0].clone();
    let fake = config.gan.game.instance_noise.apply(generator.sample(config.gan.batch, None, &device), step);
    let grads = loss.loss(discriminator.forward(fake, None)).backward();
    Ok(ensure_finite(0, "generator gradient norm", gradient_norm(generator, &grads))?)
}

/// The probe's curves besides `discriminator accuracy`, which the training loop records.
fn push_probe(record: &mut ExperimentRecord, probe: &Probe) {
    let x = probe.step as f64;
    record.push_point("JS estimate (nats)", x, probe.js_estimate);
    record.push_point("minimax generator gradient norm", x, probe.minimax_grad_norm);
    record.push_point("non-saturating generator gradient norm", x, probe.non_saturating_grad_norm);
}

fn series(probes: &[Probe], value: impl Fn(&Probe) -> f64) -> Vec<(f64, f64)> {
    probes.iter().map(|p| (p.step as f64, value(p))).collect()
}

/// The accuracy/JS chart, the gradient-norm chart and the two point clouds.
fn draw(
    run: &Run,
    record: &mut ExperimentRecord,
    probes: &[Probe],
    mixture: &GaussianMixture,
    generator: &Generator,
    config: &Config,
) -> Result<()> {
    LineChart::new("A discriminator against a frozen generator")
        .x_label("discriminator step")
        .y_label("accuracy / JS estimate (nats)")
        .series("D accuracy", series(probes, |p| p.d_accuracy))
        .series("JS estimate = log 2 - L_D / 2", series(probes, |p| p.js_estimate))
        .reference_line("log 2", std::f64::consts::LN_2)
        .save_svg(run.picture_path("saturation-discriminator.svg"))?;
    LineChart::new("Gradient reaching the generator")
        .x_label("discriminator step")
        .y_label("||dL_G / dtheta_G|| (log scale)")
        .log_y(true)
        .series("minimax: log(1 - D(G(z)))", series(probes, |p| p.minimax_grad_norm))
        .series("non-saturating: -log D(G(z))", series(probes, |p| p.non_saturating_grad_norm))
        .save_svg(run.picture_path("saturation-gradients.svg"))?;
    let real = mixture.sample(config.gan.eval_samples, run.seed)?;
    let fake: Vec<f32> =
        generator.sample(config.gan.eval_samples, None, &run.device).into_data().iter::<f32>().collect();
    ScatterPlot::new("Real (ring of 8) and frozen generator samples: barely overlapping")
        .group("real", pairs(&real))
        .group("generated", pairs(&fake))
        .save_svg(run.picture_path("saturation-samples.svg"))?;
    for picture in ["saturation-discriminator.svg", "saturation-gradients.svg", "saturation-samples.svg"] {
        record.add_picture(picture);
    }
    Ok(())
}

/// Row-major `[n, 2]` numbers as points.
pub fn pairs(points: &[f32]) -> Vec<(f64, f64)> {
    points.chunks_exact(2).map(|p| (f64::from(p[0]), f64::from(p[1]))).collect()
}

fn print_table(probes: &[Probe]) {
    println!("{:>6} {:>8} {:>8} {:>14} {:>14}", "step", "D acc", "JS", "|grad| minimax", "|grad| non-sat");
    let every = (probes.len() / 10).max(1);
    for (i, p) in probes.iter().enumerate() {
        if i % every == 0 || i + 1 == probes.len() {
            println!(
                "{:>6} {:>8.3} {:>8.4} {:>14.3e} {:>14.3e}",
                p.step, p.d_accuracy, p.js_estimate, p.minimax_grad_norm, p.non_saturating_grad_norm
            );
        }
    }
}

/// Claim 1 in three checks.
fn add_claims(record: &mut ExperimentRecord, probes: &[Probe]) {
    let (first, last) = (probes[0], probes[probes.len() - 1]);
    let peak = probes.iter().map(|p| p.minimax_grad_norm).fold(0.0, f64::max);
    record.set_metric("final D accuracy", last.d_accuracy);
    record.set_metric("final JS estimate", last.js_estimate);
    record.set_metric("minimax gradient norm, first", first.minimax_grad_norm);
    record.set_metric("minimax gradient norm, peak", peak);
    record.set_metric("minimax gradient norm, last", last.minimax_grad_norm);
    record.set_metric("non-saturating gradient norm, last", last.non_saturating_grad_norm);
    record.add_claim(
        "the discriminator reaches ~100% accuracy",
        "final accuracy >= 0.99",
        format!("{:.3}", last.d_accuracy),
        last.d_accuracy >= 0.99,
    );
    record.add_claim(
        "the estimated JS divergence saturates at log 2",
        "log 2 - JS < 0.01",
        format!("{:.4} (log 2 = 0.6931)", last.js_estimate),
        std::f64::consts::LN_2 - last.js_estimate < 0.01,
    );
    record.add_claim(
        "the minimax generator then receives almost no gradient",
        "last minimax gradient norm < 1% of its peak and < 1/1000 of the non-saturating one",
        format!(
            "peak {:.2e} -> last {:.2e} (non-saturating {:.2e})",
            peak, last.minimax_grad_norm, last.non_saturating_grad_norm
        ),
        last.minimax_grad_norm < 0.01 * peak
            && last.minimax_grad_norm < last.non_saturating_grad_norm / 1000.0,
    );
}
