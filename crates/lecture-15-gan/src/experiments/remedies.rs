//! Claim 2: the lecture's remedies for a discriminator that wins too fast restore learning.
//!
//! **The failing game.** The minimax generator loss with a strong discriminator (5 updates per
//! generator update, as claim 1's set-up): the discriminator soon separates the generator's blob
//! from the data perfectly, the generator's gradient vanishes, and it stays off the data.
//!
//! **The remedies, together**: instance noise on every discriminator input with its standard
//! deviation decayed linearly to 0 over the first 3/4 of training, one-sided label smoothing
//! (real target 0.8), and a weaker, dropout-regularised discriminator (narrower layers, dropout
//! 0.3). Everything else (generator, loss, optimiser, data stream, seeds) is the same.
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

/// The random stream of the full run's second seed (the first is the run's own).
const SECOND_SEED: u64 = 0;

/// Which mixtures, seeds and sizes.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// `"ring"` and/or `"grid"`.
    pub mixtures: Vec<String>,
    pub seeds: Vec<u64>,
    /// The failing game; the remedied one is [`Config::remedied`] of it.
    pub baseline: MixtureGanConfig,
    /// Remedies: initial instance-noise std, label smoothing, dropout, discriminator widths.
    pub noise_std: f64,
    pub label_smoothing: f64,
    pub dropout: f64,
    pub weaker_hidden: Vec<usize>,
}

impl Config {
    /// Quick: the ring, one seed, 1500 steps; full: ring and grid, two seeds, 1500 steps each.
    pub fn for_run(run: &Run) -> Config {
        let steps = run.steps_or(1500, 1500);
        Config {
            mixtures: run.size(vec!["ring".into()], vec!["ring".into(), "grid".into()]),
            seeds: run.size(vec![run.seed], vec![run.seed, sub_seed(run.seed, SECOND_SEED)]),
            baseline: MixtureGanConfig::failing_game(steps, 5, (steps / 50).max(1)),
            noise_std: 0.3,
            label_smoothing: 0.2,
            dropout: 0.3,
            weaker_hidden: vec![32, 32],
        }
    }

    /// The baseline with all the remedies switched on.
    pub fn remedied(&self) -> MixtureGanConfig {
        let mut config = self.baseline.clone();
        config.game.instance_noise =
            NoiseSchedule { initial_std: self.noise_std, decay_steps: config.steps * 3 / 4 };
        config.game.label_smoothing = self.label_smoothing;
        config.dropout = self.dropout;
        config.discriminator_hidden = self.weaker_hidden.clone();
        config
    }
}

/// The scores of one trained generator.
#[derive(Clone, Debug, Serialize)]
pub struct Score {
    pub mixture: String,
    pub seed: u64,
    pub remedies: bool,
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
    /// The scores with or without the remedies on `mixture`.
    pub fn of(&self, mixture: &str, remedies: bool) -> Vec<&Score> {
        of(&self.scores, mixture, remedies)
    }
}

fn of<'a>(scores: &'a [Score], mixture: &str, remedies: bool) -> Vec<&'a Score> {
    scores.iter().filter(|s| s.mixture == mixture && s.remedies == remedies).collect()
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
        let mut scatter = ScatterPlot::new(format!("{name}: samples without and with the remedies"));
        let mut chart = LineChart::new(format!("{name}: discriminator accuracy"))
            .x_label("step")
            .y_label("D accuracy (on its training batches)");
        for &seed in &config.seeds {
            for remedies in [false, true] {
                let gan = if remedies { config.remedied() } else { config.baseline.clone() };
                let label =
                    format!("{name} {} seed {seed}", if remedies { "with remedies" } else { "no remedies" });
                let progress = Progress::new(&label, gan.steps);
                let trained = train_on_mixture(&mixture, &gan, seed, &run.device, &progress)?;
                let score = score(name, seed, remedies, &mixture, &trained);
                progress
                    .finish(&[("modes", score.modes_covered as f64), ("HQ", score.high_quality_fraction)]);
                let curve: Vec<(f64, f64)> =
                    trained.log.iter().map(|(s, st)| (*s as f64, st.d_accuracy)).collect();
                for &(x, y) in &curve {
                    record.push_point(&format!("D accuracy, {label}"), x, y);
                }
                if seed == config.seeds[0] {
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

fn score(name: &str, seed: u64, remedies: bool, mixture: &GaussianMixture, trained: &MixtureRun) -> Score {
    let late = &trained.log[trained.log.len() * 4 / 5..];
    Score {
        mixture: name.to_string(),
        seed,
        remedies,
        modes_covered: trained.coverage.modes_covered,
        modes: mixture.mode_centres().len(),
        high_quality_fraction: f64::from(trained.coverage.high_quality_fraction),
        median_distance: median_distance_to_modes(mixture, &trained.samples),
        late_d_accuracy: late.iter().map(|(_, s)| s.d_accuracy).sum::<f64>() / late.len() as f64,
    }
}

fn print_table(scores: &[Score]) {
    println!(
        "{:<6} {:>5} {:<9} {:>7} {:>8} {:>10} {:>10}",
        "data", "seed", "remedies", "modes", "HQ", "median d", "late Dacc"
    );
    for s in scores {
        println!(
            "{:<6} {:>5} {:<9} {:>4}/{:<2} {:>8.3} {:>10.3} {:>10.3}",
            s.mixture,
            s.seed,
            if s.remedies { "yes" } else { "no" },
            s.modes_covered,
            s.modes,
            s.high_quality_fraction,
            s.median_distance,
            s.late_d_accuracy
        );
    }
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let values: Vec<f64> = values.collect();
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

/// Claim 2, per mixture: more modes covered, samples closer to the modes, with the remedies.
fn add_claims(record: &mut ExperimentRecord, scores: &[Score], config: &Config) {
    for name in &config.mixtures {
        let (without, with) = (of(scores, name, false), of(scores, name, true));
        let modes = |s: &[&Score]| mean(s.iter().map(|s| s.modes_covered as f64));
        let quality = |s: &[&Score]| mean(s.iter().map(|s| s.high_quality_fraction));
        let distance = |s: &[&Score]| mean(s.iter().map(|s| s.median_distance));
        record.set_metric(format!("{name} modes covered, no remedies"), modes(&without));
        record.set_metric(format!("{name} modes covered, remedies"), modes(&with));
        record.set_metric(format!("{name} high-quality fraction, no remedies"), quality(&without));
        record.set_metric(format!("{name} high-quality fraction, remedies"), quality(&with));
        record.set_metric(format!("{name} median distance, no remedies"), distance(&without));
        record.set_metric(format!("{name} median distance, remedies"), distance(&with));
        record.add_claim(
            format!("{name}: the remedies restore learning (modes covered, sample quality)"),
            "more modes and more high-quality samples with the remedies, mean over seeds",
            format!(
                "modes {:.1} -> {:.1}, HQ {:.3} -> {:.3}, median distance {:.2} -> {:.2}",
                modes(&without),
                modes(&with),
                quality(&without),
                quality(&with),
                distance(&without),
                distance(&with)
            ),
            modes(&with) > modes(&without) && quality(&with) > quality(&without),
        );
    }
}
