//! Claim 2: the lecture's remedies for a discriminator that wins too fast restore learning.
//!
//! **The failing game.** The minimax generator loss with a strong discriminator (5 updates per
//! generator update, as claim 1's set-up): the discriminator soon separates the generator's blob
//! from the data perfectly, the generator's gradient vanishes, and it stays off the data.
//!
//! **The remedies**, each alone and the lecture's three together ([`Arm`]): instance noise on
//! every discriminator input with its standard deviation decayed linearly to 0 over the first
//! 3/4 of training; one-sided label smoothing (real target 0.8); label noise (each of D's
//! targets swapped with probability 0.1); a weaker, dropout-regularised discriminator
//! (narrower layers, dropout 0.3). "Together" is instance noise, smoothing and the weaker D.
//! Everything else (generator, loss, optimiser, data stream, seeds) is the same in every arm.
//!
//! **Measured** on the ring of 8 and the grid of 25 with [`GaussianMixture::coverage`] (a sample
//! is high quality within 3 std of a mode; a mode is covered with at least 20 high-quality
//! samples among 2500) and the median distance of a sample to its nearest mode.

use super::mixture_training::{MixtureGanConfig, MixtureRun, median_distance_to_modes, train_on_mixture};
use super::saturation::pairs;
use crate::instance_noise::NoiseSchedule;
use anyhow::Result;
use serde::Serialize;
use shared::data::sub_seed;
use shared::data::synthetic::mixture::GaussianMixture;
use shared::experiment::Run;
use shared::plot::{LineChart, ScatterPlot};
use shared::report::ExperimentRecord;
use shared::train::Progress;

/// The experiment's name: its record is `out/lecture-15-gan/remedies.json`.
pub const NAME: &str = "remedies";

/// The random streams of the second and third seeds (the first is the run's own).
const SECOND_SEED: u64 = 0;
/// See [`SECOND_SEED`].
const THIRD_SEED: u64 = 1;

/// One way of playing the failing game: as it is, with one remedy, or with the lecture's three.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Arm {
    NoRemedy,
    InstanceNoise,
    LabelSmoothing,
    LabelNoise,
    WeakerDiscriminator,
    /// Instance noise, label smoothing and the weaker dropout discriminator.
    Together,
}

impl Arm {
    /// Every arm, the baseline first.
    pub const ALL: [Arm; 6] = [
        Arm::NoRemedy,
        Arm::InstanceNoise,
        Arm::LabelSmoothing,
        Arm::LabelNoise,
        Arm::WeakerDiscriminator,
        Arm::Together,
    ];

    /// A short name for tables and pictures.
    pub fn name(self) -> &'static str {
        match self {
            Arm::NoRemedy => "no remedy",
            Arm::InstanceNoise => "instance noise",
            Arm::LabelSmoothing => "label smoothing",
            Arm::LabelNoise => "label noise",
            Arm::WeakerDiscriminator => "weaker dropout D",
            Arm::Together => "remedies together",
        }
    }
}

/// Which mixtures, seeds and sizes.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// `"ring"` and/or `"grid"`.
    pub mixtures: Vec<String>,
    pub seeds: Vec<u64>,
    pub arms: Vec<Arm>,
    /// The failing game; each arm's is [`Config::game`] of it.
    pub baseline: MixtureGanConfig,
    /// Remedies: initial instance-noise std, label smoothing, label noise, dropout,
    /// discriminator widths.
    pub noise_std: f64,
    pub label_smoothing: f64,
    pub label_noise: f64,
    pub dropout: f64,
    pub weaker_hidden: Vec<usize>,
}

impl Config {
    /// Quick: the ring; full: ring and grid; three seeds, every arm, 1500 steps each.
    pub fn for_run(run: &Run) -> Config {
        let steps = run.steps_or(1500, 1500);
        Config {
            mixtures: run.size(vec!["ring".into()], vec!["ring".into(), "grid".into()]),
            seeds: vec![run.seed, sub_seed(run.seed, SECOND_SEED), sub_seed(run.seed, THIRD_SEED)],
            arms: Arm::ALL.to_vec(),
            baseline: MixtureGanConfig::failing_game(steps, 5, (steps / 50).max(1)),
            noise_std: 0.3,
            label_smoothing: 0.2,
            label_noise: 0.1,
            dropout: 0.3,
            weaker_hidden: vec![32, 32],
        }
    }

    /// The baseline with the remedies of `arm` switched on.
    pub fn game(&self, arm: Arm) -> MixtureGanConfig {
        let mut config = self.baseline.clone();
        let on = |remedy| arm == remedy || (arm == Arm::Together && remedy != Arm::LabelNoise);
        if on(Arm::InstanceNoise) {
            config.game.instance_noise =
                NoiseSchedule { initial_std: self.noise_std, decay_steps: config.steps * 3 / 4 };
        }
        if on(Arm::LabelSmoothing) {
            config.game.label_smoothing = self.label_smoothing;
        }
        if on(Arm::LabelNoise) {
            config.game.label_noise = self.label_noise;
        }
        if on(Arm::WeakerDiscriminator) {
            config.dropout = self.dropout;
            config.discriminator_hidden = self.weaker_hidden.clone();
        }
        config
    }
}

/// The scores of one trained generator.
#[derive(Clone, Debug, Serialize)]
pub struct Score {
    pub mixture: String,
    pub seed: u64,
    pub arm: Arm,
    pub modes_covered: usize,
    pub modes: usize,
    pub high_quality_fraction: f64,
    pub median_distance: f64,
    /// Mean discriminator accuracy over the last fifth of the logged steps.
    pub late_d_accuracy: f64,
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub scores: Vec<Score>,
}

impl Outcome {
    /// The scores of `arm` on `mixture`, one per seed.
    pub fn of(&self, mixture: &str, arm: Arm) -> Vec<&Score> {
        of(&self.scores, mixture, arm)
    }
}

fn of<'a>(scores: &'a [Score], mixture: &str, arm: Arm) -> Vec<&'a Score> {
    scores.iter().filter(|s| s.mixture == mixture && s.arm == arm).collect()
}

fn mixture_named(name: &str) -> Result<GaussianMixture> {
    match name {
        "ring" => Ok(GaussianMixture::ring_of_8()),
        "grid" => Ok(GaussianMixture::grid_of_25()),
        other => anyhow::bail!("unknown mixture {other:?}: expected \"ring\" or \"grid\""),
    }
}

/// Trains with and without the remedies on every mixture and seed; writes record and pictures.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    anyhow::ensure!(config.baseline.steps >= 1 && !config.seeds.is_empty(), "nothing to train: {config:?}");
    let mut record = run.record(NAME).with_config(config)?;
    let mut scores = Vec::new();
    for name in &config.mixtures {
        let mixture = mixture_named(name)?;
        let mut scatter = ScatterPlot::new(format!("{name}: samples of each arm"));
        let mut chart = LineChart::new(format!("{name}: discriminator accuracy"))
            .x_label("step")
            .y_label("D accuracy (on its training batches)");
        for &seed in &config.seeds {
            for &arm in &config.arms {
                let gan = config.game(arm);
                let label = format!("{name} {} seed {seed}", arm.name());
                let progress = Progress::new(&label, gan.steps);
                let trained = train_on_mixture(&mixture, &gan, seed, &run.device, &progress)?;
                let score = score(name, seed, arm, &mixture, &trained);
                progress
                    .finish(&[("modes", score.modes_covered as f64), ("HQ", score.high_quality_fraction)]);
                let curve: Vec<(f64, f64)> =
                    trained.log.iter().map(|(s, st)| (*s as f64, st.d_accuracy)).collect();
                for &(x, y) in &curve {
                    record.push_point(&format!("D accuracy, {label}"), x, y);
                }
                if seed == config.seeds[0] && matches!(arm, Arm::NoRemedy | Arm::Together) {
                    chart = chart.series(label.clone(), curve);
                    scatter =
                        scatter.group(label, pairs(&trained.samples[..trained.samples.len().min(2000)]));
                }
                scores.push(score);
            }
        }
        let real = mixture.sample(1000, run.seed)?;
        scatter
            .group("real", pairs(&real))
            .save_svg(run.picture_path(&format!("remedies-{name}-samples.svg")))?;
        chart.save_svg(run.picture_path(&format!("remedies-{name}-d-accuracy.svg")))?;
        record.add_picture(format!("remedies-{name}-samples.svg"));
        record.add_picture(format!("remedies-{name}-d-accuracy.svg"));
    }
    print_table(&scores);
    add_claims(&mut record, &scores, config);
    run.finish(&mut record)?;
    Ok(Outcome { record, scores })
}

fn score(name: &str, seed: u64, arm: Arm, mixture: &GaussianMixture, trained: &MixtureRun) -> Score {
    let late = &trained.log[trained.log.len() * 4 / 5..];
    Score {
        mixture: name.to_string(),
        seed,
        arm,
        modes_covered: trained.coverage.modes_covered,
        modes: mixture.mode_centres().len(),
        high_quality_fraction: f64::from(trained.coverage.high_quality_fraction),
        median_distance: median_distance_to_modes(mixture, &trained.samples),
        late_d_accuracy: late.iter().map(|(_, s)| s.d_accuracy).sum::<f64>() / late.len() as f64,
    }
}

fn print_table(scores: &[Score]) {
    println!(
        "{:<6} {:>5} {:<18} {:>7} {:>8} {:>10} {:>10}",
        "data", "seed", "arm", "modes", "HQ", "median d", "late Dacc"
    );
    for s in scores {
        println!(
            "{:<6} {:>5} {:<18} {:>4}/{:<2} {:>8.3} {:>10.3} {:>10.3}",
            s.mixture,
            s.seed,
            s.arm.name(),
            s.modes_covered,
            s.modes,
            s.high_quality_fraction,
            s.median_distance,
            s.late_d_accuracy
        );
    }
}

/// A generator has learnt when the median distance of its samples to the nearest mode is below
/// this: on the ring's radius-2 circle, its samples lie on the data, not in the blob it started
/// as (the failing game's walk off the data ends at several units).
pub const LEARNT_DISTANCE: f64 = 0.5;

/// The median over seeds of `value` for the scores `of` one arm.
pub fn median_of(scores: &[&Score], value: impl Fn(&Score) -> f64) -> f64 {
    shared::stats::median(&scores.iter().map(|s| value(s)).collect::<Vec<f64>>())
}

/// Claim 2, per mixture and arm: has the generator learnt (reached the modes), and how many modes
/// does it cover; medians over seeds.
fn add_claims(record: &mut ExperimentRecord, scores: &[Score], config: &Config) {
    for name in &config.mixtures {
        for &arm in &config.arms {
            let of_arm = of(scores, name, arm);
            let (modes, quality, distance) = (
                median_of(&of_arm, |s| s.modes_covered as f64),
                median_of(&of_arm, |s| s.high_quality_fraction),
                median_of(&of_arm, |s| s.median_distance),
            );
            record.set_metric(format!("{name}, {}: modes covered", arm.name()), modes);
            record.set_metric(format!("{name}, {}: high-quality fraction", arm.name()), quality);
            record.set_metric(format!("{name}, {}: median distance", arm.name()), distance);
            let all = of_arm.first().map_or(0, |s| s.modes) as f64;
            record.add_claim(
                format!("{name}, {}: the generator learns and covers every mode", arm.name()),
                format!("median distance to a mode < {LEARNT_DISTANCE} and {all} modes covered, medians over seeds"),
                format!("median distance {distance:.2}, modes {modes:.1}, HQ {quality:.3}"),
                distance < LEARNT_DISTANCE && modes == all,
            );
        }
    }
}
