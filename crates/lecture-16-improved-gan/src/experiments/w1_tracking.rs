//! Claim 1: the WGAN critic's estimate tracks the real distance. During training its value
//! `E f(x) - E f(G(z))` follows the exact `W_1` between generated and real samples, while the
//! standard GAN's discriminator loss says nothing about sample quality.
//!
//! **Set-up** (Arjovsky et al. 2017, figures 3-4: the critic's estimate falls with sample
//! quality; the JS estimate of a GAN does not). Two GANs train on the ring of 8 from the same
//! initial generator: WGAN-GP (5 critic updates per generator update) and the control, the
//! standard GAN (non-saturating loss, one discriminator update per generator update, the same
//! networks and Adam). Every `log_every` generator steps we draw fresh real and generated
//! batches and compute, on the very same points, the exact `W_1` ([`crate::wasserstein`]) and
//! each game's own readout: the critic's gap for WGAN-GP, the discriminator's loss `L_D` for
//! the GAN. "Tracks" is read as the Pearson correlation of readout and `W_1` over training.

use super::toy::{RealStream, ToyConfig, points};
use crate::objective::Objective;
use crate::trainer::{Lipschitz, Trainer};
use crate::wasserstein::wasserstein_1;
use anyhow::Result;
use serde::Serialize;
use shared::data::sub_seed;
use shared::data::synthetic::mixture::{GaussianMixture, points_tensor};
use shared::experiment::Run;
use shared::gan::generator::Generator;
use shared::gan::loss::GeneratorLoss;
use shared::plot::LineChart;
use shared::report::ExperimentRecord;
use shared::train::Progress;

/// The experiment's name: its record is `out/lecture-16-improved-gan/w1-tracking.json`.
pub const NAME: &str = "w1-tracking";

/// "Tracks": the critic's gap correlates with the exact W1 at least this much over training.
pub const TRACKS: f64 = 0.9;
/// "Says nothing": the GAN's discriminator loss correlates with it by less than this (in size).
pub const SAYS_NOTHING: f64 = 0.5;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub wgan: ToyConfig,
    pub gan: ToyConfig,
    /// Points on each side of every exact W1.
    pub w1_points: usize,
    /// Critic updates before the first generator update, in both games (Arjovsky et al.
    /// train the critic 100 times per generator step at first), so that the first reading
    /// is a trained critic's.
    pub critic_warm_up: usize,
}

impl Config {
    /// Quick: 300 generator steps, batch 128, logged every 10; full: 2000, batch 256, every 40.
    /// Adam(1e-3, β = (0.5, 0.9)) for both games, 10x WGAN-GP's toy rate so that a quick run
    /// moves.
    pub fn for_run(run: &Run) -> Config {
        let steps = run.steps_or(300, 2000);
        let mut wgan = ToyConfig::wgan_gp(steps, run.size(10, 40));
        wgan.batch = run.size(128, 256);
        wgan.game.learning_rate = 1e-4;
        let mut gan = wgan.clone();
        gan.game.objective = Objective::Gan(GeneratorLoss::NonSaturating);
        gan.game.lipschitz = Lipschitz::Unconstrained;
        gan.game.critic_steps = 1;
        Config { wgan, gan, w1_points: 256, critic_warm_up: 200 }
    }
}

/// One logged step of one game.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Reading {
    pub step: u64,
    /// The game's own readout on the probe batches: the critic's gap, or the GAN's `L_D`.
    pub readout: f64,
    pub exact_w1: f64,
}

/// One game's readings and their correlation.
#[derive(Clone, Debug, Serialize)]
pub struct Tracking {
    pub readings: Vec<Reading>,
    /// Pearson correlation of readout and exact W1 over the readings.
    pub correlation: f64,
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub wgan: Tracking,
    pub gan: Tracking,
}

/// Trains both games; writes the record and the pictures.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let mixture = GaussianMixture::ring_of_8();
    let wgan = track(run, config, &config.wgan, &mixture, "WGAN-GP")?;
    let gan = track(run, config, &config.gan, &mixture, "GAN")?;
    draw(run, &mut record, &wgan, &gan)?;
    println!("{:<8} {:>12} {:>14}", "game", "correlation", "W1 first/last");
    for (name, t) in [("WGAN-GP", &wgan), ("GAN", &gan)] {
        let (first, last) = (t.readings[0].exact_w1, t.readings[t.readings.len() - 1].exact_w1);
        println!("{name:<8} {:>12.3} {:>7.3}/{:.3}", t.correlation, first, last);
    }
    add_claims(&mut record, &wgan, &gan);
    run.finish(&mut record)?;
    Ok(Outcome { record, wgan, gan })
}

/// Trains one game from the run seed, reading it every `log_every` steps.
fn track(
    run: &Run,
    sizes: &Config,
    config: &ToyConfig,
    mixture: &GaussianMixture,
    name: &str,
) -> Result<Tracking> {
    let device = &run.device;
    let (generator, critic) = config.networks(run.seed, device)?;
    let mut trainer = Trainer::new(generator, critic, config.game);
    let mut stream = RealStream::new(mixture, config.batch, run.seed, device);
    let mut probe = RealStream::new(mixture, sizes.w1_points, sub_seed(run.seed, 1), device);
    trainer.warm_up_critic(sizes.critic_warm_up, || stream.next_batch())?;
    let progress = Progress::new(name, config.steps);
    let mut readings = Vec::new();
    for step in 0..config.steps {
        let stats = trainer.step(step, false, || stream.next_batch())?;
        if step % config.log_every == 0 || step + 1 == config.steps {
            readings.push(read(&trainer, config.game.objective, probe.next_points()?, step + 1)?);
            progress.update(step + 1, &[("critic loss", stats.critic_loss)]);
        }
    }
    progress.finish(&[]);
    let correlation = pearson(&readings);
    Ok(Tracking { readings, correlation })
}

/// The game's readout and the exact W1 on one fresh real batch and as many generated points.
fn read(trainer: &Trainer<Generator>, objective: Objective, real: Vec<f32>, step: u64) -> Result<Reading> {
    let critic = trainer.critic();
    let device = critic.net().layers()[0].weight.device();
    let fake = points(trainer.generator().sample(real.len() / 2, None, &device).detach());
    let real_out = critic.forward(points_tensor(&real, &device)?).detach();
    let fake_out = critic.forward(points_tensor(&fake, &device)?).detach();
    let readout = match objective {
        Objective::Wasserstein => (real_out.mean() - fake_out.mean()).into_scalar::<f64>(),
        _ => objective.critic_loss(real_out, fake_out).into_scalar::<f64>(),
    };
    Ok(Reading { step, readout, exact_w1: wasserstein_1(&fake, &real, 2)? })
}

/// Pearson correlation of readout and exact W1.
fn pearson(readings: &[Reading]) -> f64 {
    let n = readings.len() as f64;
    let (mx, my) = (
        readings.iter().map(|r| r.readout).sum::<f64>() / n,
        readings.iter().map(|r| r.exact_w1).sum::<f64>() / n,
    );
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for r in readings {
        let (dx, dy) = (r.readout - mx, r.exact_w1 - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    sxy / (sxx * syy).sqrt().max(f64::MIN_POSITIVE)
}

fn draw(run: &Run, record: &mut ExperimentRecord, wgan: &Tracking, gan: &Tracking) -> Result<()> {
    let series = |t: &Tracking, value: fn(&Reading) -> f64| -> Vec<(f64, f64)> {
        t.readings.iter().map(|r| (r.step as f64, value(r))).collect()
    };
    for (name, t) in [("WGAN-GP", wgan), ("GAN", gan)] {
        for r in &t.readings {
            record.push_point(&format!("{name}: readout"), r.step as f64, r.readout);
            record.push_point(&format!("{name}: exact W1"), r.step as f64, r.exact_w1);
        }
    }
    LineChart::new("WGAN-GP: the critic's estimate against the exact W1")
        .x_label("generator step")
        .y_label("distance")
        .series("critic: E f(x) - E f(G(z))", series(wgan, |r| r.readout))
        .series("exact W1 (assignment)", series(wgan, |r| r.exact_w1))
        .save_svg(run.picture_path("w1-tracking-wgan.svg"))?;
    LineChart::new("GAN: the discriminator's loss against the exact W1")
        .x_label("generator step")
        .y_label("loss / distance")
        .series("discriminator loss L_D", series(gan, |r| r.readout))
        .series("exact W1 (assignment)", series(gan, |r| r.exact_w1))
        .save_svg(run.picture_path("w1-tracking-gan.svg"))?;
    record.add_picture("w1-tracking-wgan.svg");
    record.add_picture("w1-tracking-gan.svg");
    Ok(())
}

fn add_claims(record: &mut ExperimentRecord, wgan: &Tracking, gan: &Tracking) {
    record.set_metric("WGAN-GP: correlation of the critic's gap with W1", wgan.correlation);
    record.set_metric("GAN: correlation of L_D with W1", gan.correlation);
    record.add_claim(
        "the WGAN-GP critic's estimate tracks the exact W1 during training",
        format!("Pearson correlation >= {TRACKS}"),
        format!("{:.3}", wgan.correlation),
        wgan.correlation >= TRACKS,
    );
    record.add_claim(
        "the GAN discriminator's loss says nothing about the distance",
        format!("|Pearson correlation| < {SAYS_NOTHING}"),
        format!("{:.3}", gan.correlation),
        gan.correlation.abs() < SAYS_NOTHING,
    );
}
