//! Claim 2: when real and generated samples do not overlap, the Wasserstein critic still gives
//! the generator a useful gradient, where the minimax GAN's vanishes.
//!
//! **Set-up** (lecture 15's saturation setting; Arjovsky et al. 2017, figure 2). The generator
//! is a freshly initialised MLP and is *frozen*: its samples form a small blob around the
//! origin, while the data is the ring of 8 modes at radius 2. A critic trains alone against it
//! in the shared loop, once as WGAN-GP's critic (Wasserstein loss with the gradient penalty)
//! and once as the minimax GAN's discriminator (the control: the same network, optimiser and
//! batches, the Jensen-Shannon game instead). Every `log_every` steps we measure what the
//! generator would receive:
//!
//! - `||dL_G/dθ_G||`, the norm of its loss's gradient over its parameters;
//! - the per-sample gradient `-dL_G/dx~` (the way each fake would be pushed), its mean norm and
//!   its mean cosine with the fake's way in the optimal transport plan to the real batch (the
//!   exact assignment of [`crate::wasserstein`]): 1 when every fake is pushed straight along
//!   the plan, as the optimal critic's gradient is (Gulrajani et al. 2017, proposition 1);
//! - the critic's gap `E f(x) - E f(x~)` beside the exact `W_1` between the two batches.

use super::toy::{RealStream, ToyConfig, points};
use crate::critic::Critic;
use crate::gradient_penalty::{LAMBDA, gradient_penalty};
use crate::objective::Objective;
use crate::wasserstein::optimal_transport;
use anyhow::Result;
use serde::Serialize;
use shared::data::sub_seed;
use shared::data::synthetic::mixture::{GaussianMixture, points_tensor};
use shared::experiment::Run;
use shared::gan::generator::Generator;
use shared::gan::loss::GeneratorLoss;
use shared::plot::LineChart;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;
use shared::train::{Fit, FusedAdamConfig, ensure_finite, gradient_norm};

/// The experiment's name: its record is `out/lecture-16-improved-gan/disjoint-supports.json`.
pub const NAME: &str = "disjoint-supports";

/// "Still there": the last generator gradient is within an order of magnitude of its peak ...
pub const KEPT_FRACTION: f64 = 0.1;
/// ... each fake is pushed with a strength near the critic's Lipschitz bound 1 (at least this) ...
pub const PUSH_AT_LEAST: f64 = 0.5;
/// ... along its optimal transport route: mean cosine with it at least this.
pub const ALONG_THE_PLAN: f64 = 0.8;
/// "Vanishes": the last gradient is below this fraction of its peak.
pub const VANISHED_FRACTION: f64 = 0.01;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// The networks and batch (the generator is frozen; the game's objective is each arm's).
    pub toy: ToyConfig,
    /// Critic steps against the frozen generator.
    pub steps: u64,
    pub log_every: u64,
    /// Adam for both critics: lecture 15's fast discriminator (2e-3, β = (0.5, 0.9)).
    pub learning_rate: f64,
}

impl Config {
    /// Quick: 600 critic steps (seconds); full: 2000.
    pub fn for_run(run: &Run) -> Config {
        let steps = run.steps_or(600, 2000);
        let log_every = run.size(10, 25);
        Config { toy: ToyConfig::wgan_gp(steps, log_every), steps, log_every, learning_rate: 2e-3 }
    }
}

/// The two critics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Arm {
    /// The Wasserstein critic with the gradient penalty.
    WganGp,
    /// The control: the minimax GAN's discriminator.
    MinimaxGan,
}

impl Arm {
    fn objective(self) -> Objective {
        match self {
            Arm::WganGp => Objective::Wasserstein,
            Arm::MinimaxGan => Objective::Gan(GeneratorLoss::Minimax),
        }
    }

    /// The arm's name in tables, curves and pictures.
    pub fn name(self) -> &'static str {
        match self {
            Arm::WganGp => "WGAN-GP critic",
            Arm::MinimaxGan => "minimax GAN",
        }
    }
}

/// What the generator would receive at one logged step.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Probe {
    pub step: u64,
    pub generator_gradient_norm: f64,
    /// Mean `||dL_G/dx~||` per fake (times the batch: the gradient of that sample's own term).
    pub sample_gradient_norm: f64,
    /// Mean cosine between `-dL_G/dx~` and the fake's way in the optimal transport plan.
    pub along_the_plan: f64,
    /// `E f(x) - E f(x~)` on the probe batches.
    pub critic_gap: f64,
    /// Exact `W_1` between the probe batches.
    pub exact_w1: f64,
}

/// One arm's probes.
#[derive(Clone, Debug, Serialize)]
pub struct ArmOutcome {
    pub arm: Arm,
    pub probes: Vec<Probe>,
}

impl ArmOutcome {
    /// The last probe.
    pub fn last(&self) -> Probe {
        self.probes[self.probes.len() - 1]
    }

    /// The largest generator gradient norm seen.
    pub fn peak(&self) -> f64 {
        self.probes.iter().map(|p| p.generator_gradient_norm).fold(0.0, f64::max)
    }

    /// Last generator gradient norm over the peak.
    pub fn kept(&self) -> f64 {
        self.last().generator_gradient_norm / self.peak()
    }

    /// Whether this critic still gives a useful gradient at the end (the claim's three checks).
    pub fn holds_the_claim(&self) -> bool {
        let last = self.last();
        self.kept() >= KEPT_FRACTION
            && last.sample_gradient_norm >= PUSH_AT_LEAST
            && last.along_the_plan >= ALONG_THE_PLAN
    }
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub wgan_gp: ArmOutcome,
    pub minimax: ArmOutcome,
}

/// Trains both critics against the same frozen generator; writes the record and pictures.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    anyhow::ensure!(config.steps >= 1 && config.log_every >= 1, "nothing to train: {config:?}");
    let mut record = run.record(NAME).with_config(config)?;
    let mixture = GaussianMixture::ring_of_8();
    let generator = seeded_on(&run.device, run.seed, |d| config.toy.generator().init(d))?;
    let wgan_gp = train_arm(run, config, Arm::WganGp, &mixture, &generator, &mut record)?;
    let minimax = train_arm(run, config, Arm::MinimaxGan, &mixture, &generator, &mut record)?;
    draw(run, &mut record, &wgan_gp, &minimax)?;
    print_table(&[&wgan_gp, &minimax]);
    add_claims(&mut record, &wgan_gp, &minimax);
    run.finish(&mut record)?;
    Ok(Outcome { record, wgan_gp, minimax })
}

/// Trains one critic (weights from the run seed, the same for both arms) in the shared loop.
fn train_arm(
    run: &Run,
    config: &Config,
    arm: Arm,
    mixture: &GaussianMixture,
    generator: &Generator,
    record: &mut ExperimentRecord,
) -> Result<ArmOutcome> {
    let device = &run.device;
    let batch = config.toy.batch;
    let critic = seeded_on(device, sub_seed(run.seed, 1), |d| Critic::new(2, &config.toy.critic_hidden, d))?;
    let optimiser = FusedAdamConfig::new().with_beta_1(0.5).with_beta_2(0.9).init();
    let mut stream = RealStream::new(mixture, batch, run.seed, device);
    let mut probe_stream = RealStream::new(mixture, batch, sub_seed(run.seed, 2), device);
    let objective = arm.objective();
    let mut probes = Vec::new();
    Fit::new(arm.name(), config.steps, config.learning_rate)
        .evaluate_every(
            config.log_every,
            &format!("{}: generator gradient norm", arm.name()),
            |step, critic| {
                let probe = probe(step, critic, generator, objective, probe_stream.next_points()?, batch)?;
                probes.push(probe);
                Ok(probe.generator_gradient_norm)
            },
        )
        .run(critic, optimiser, record, |critic, _| {
            let real = stream.next_batch()?;
            let fake = generator.sample(batch, None, device).detach();
            let loss = objective.critic_loss(critic.forward(real.clone()), critic.forward(fake.clone()));
            Ok(match arm {
                Arm::WganGp => loss + gradient_penalty(critic, real, fake, LAMBDA),
                Arm::MinimaxGan => loss,
            })
        })?;
    Ok(ArmOutcome { arm, probes })
}

/// What the generator would receive from `critic` at `step`.
fn probe(
    step: u64,
    critic: &Critic,
    generator: &Generator,
    objective: Objective,
    real: Vec<f32>,
    batch: usize,
) -> Result<Probe> {
    let device = critic.net().layers()[0].weight.device();
    let grads = objective.generator_loss(critic.forward(generator.sample(batch, None, &device))).backward();
    let generator_gradient_norm =
        ensure_finite(step, "generator gradient norm", gradient_norm(generator, &grads))?;
    let fake = generator.sample(batch, None, &device).detach().require_grad();
    let loss = objective.generator_loss(critic.forward(fake.clone()));
    let push = points(
        fake.grad(&loss.backward()).expect("the fakes require a gradient").mul_scalar(-(batch as f64)),
    );
    let fake = points(fake);
    let plan = optimal_transport(&fake, &real, 2)?;
    let (sample_gradient_norm, along_the_plan) = push_statistics(&fake, &push, &real, &plan.matching);
    let gap = critic.forward(points_tensor(&real, &device)?).mean()
        - critic.forward(points_tensor(&fake, &device)?).mean();
    Ok(Probe {
        step,
        generator_gradient_norm,
        sample_gradient_norm,
        along_the_plan,
        critic_gap: gap.into_scalar::<f64>(),
        exact_w1: plan.distance,
    })
}

/// Mean norm of the pushes `[n, 2]` and their mean cosine with the route from each fake
/// `[n, 2]` to the real point `matching` sends it to.
fn push_statistics(fake: &[f32], push: &[f32], real: &[f32], matching: &[usize]) -> (f64, f64) {
    let (mut norms, mut cosines) = (0.0, 0.0);
    for (i, (x, g)) in fake.chunks_exact(2).zip(push.chunks_exact(2)).enumerate() {
        let target = &real[2 * matching[i]..2 * matching[i] + 2];
        let route = [target[0] - x[0], target[1] - x[1]];
        let norm = g[0].hypot(g[1]);
        let lengths = (norm * route[0].hypot(route[1])).max(f32::MIN_POSITIVE);
        norms += f64::from(norm);
        cosines += f64::from((g[0] * route[0] + g[1] * route[1]) / lengths);
    }
    let n = matching.len() as f64;
    (norms / n, cosines / n)
}

fn series(outcome: &ArmOutcome, value: impl Fn(&Probe) -> f64) -> Vec<(f64, f64)> {
    outcome.probes.iter().map(|p| (p.step as f64, value(p))).collect()
}

fn draw(run: &Run, record: &mut ExperimentRecord, wgan: &ArmOutcome, minimax: &ArmOutcome) -> Result<()> {
    for outcome in [wgan, minimax] {
        for probe in &outcome.probes {
            let x = probe.step as f64;
            record.push_point(
                &format!("{}: along the transport plan (cosine)", outcome.arm.name()),
                x,
                probe.along_the_plan,
            );
            record.push_point(&format!("{}: critic gap", outcome.arm.name()), x, probe.critic_gap);
            record.push_point(&format!("{}: exact W1", outcome.arm.name()), x, probe.exact_w1);
        }
    }
    LineChart::new("Gradient reaching a frozen generator on disjoint supports")
        .x_label("critic step")
        .y_label("||dL_G / dθ_G|| (log scale)")
        .log_y(true)
        .series("WGAN-GP: -E f(G(z))", series(wgan, |p| p.generator_gradient_norm))
        .series("minimax GAN: E log(1 - D(G(z)))", series(minimax, |p| p.generator_gradient_norm))
        .save_svg(run.picture_path("disjoint-supports-gradients.svg"))?;
    LineChart::new("The WGAN-GP critic's gap against the exact W1")
        .x_label("critic step")
        .y_label("distance")
        .series("critic: E f(x) - E f(G(z))", series(wgan, |p| p.critic_gap))
        .series("exact W1 between the batches", series(wgan, |p| p.exact_w1))
        .save_svg(run.picture_path("disjoint-supports-w1.svg"))?;
    record.add_picture("disjoint-supports-gradients.svg");
    record.add_picture("disjoint-supports-w1.svg");
    Ok(())
}

fn print_table(outcomes: &[&ArmOutcome]) {
    println!(
        "{:<16} {:>6} {:>12} {:>12} {:>10} {:>10} {:>8}",
        "critic", "step", "|dL/dθ_G|", "|dL/dx~|", "along", "gap", "W1"
    );
    for outcome in outcomes {
        let every = (outcome.probes.len() / 6).max(1);
        for (i, p) in outcome.probes.iter().enumerate() {
            if i % every == 0 || i + 1 == outcome.probes.len() {
                println!(
                    "{:<16} {:>6} {:>12.3e} {:>12.3e} {:>10.3} {:>10.3} {:>8.3}",
                    outcome.arm.name(),
                    p.step,
                    p.generator_gradient_norm,
                    p.sample_gradient_norm,
                    p.along_the_plan,
                    p.critic_gap,
                    p.exact_w1
                );
            }
        }
    }
}

/// Claim 2 in two checks.
fn add_claims(record: &mut ExperimentRecord, wgan: &ArmOutcome, minimax: &ArmOutcome) {
    for outcome in [wgan, minimax] {
        let name = outcome.arm.name();
        record.set_metric(format!("{name}: generator gradient norm, peak"), outcome.peak());
        record.set_metric(
            format!("{name}: generator gradient norm, last"),
            outcome.last().generator_gradient_norm,
        );
        record.set_metric(format!("{name}: push per fake, last"), outcome.last().sample_gradient_norm);
        record.set_metric(format!("{name}: along the transport plan, last"), outcome.last().along_the_plan);
    }
    let last = wgan.last();
    record.add_claim(
        "the WGAN-GP critic keeps giving the generator a gradient along the optimal transport plan",
        format!(
            "last gradient >= {KEPT_FRACTION} x peak; push per fake >= {PUSH_AT_LEAST}; cosine with the plan >= {ALONG_THE_PLAN}"
        ),
        format!("{:.2} of peak; push {:.3}; cosine {:.3}", wgan.kept(), last.sample_gradient_norm, last.along_the_plan),
        wgan.holds_the_claim(),
    );
    record.add_claim(
        "the minimax GAN's gradient vanishes in the same setting",
        format!("last gradient < {VANISHED_FRACTION} x peak"),
        format!("{:.2e} of peak; push {:.2e}", minimax.kept(), minimax.last().sample_gradient_norm),
        minimax.kept() < VANISHED_FRACTION,
    );
}
