//! Claim 3: lesioning. Removing one layer (replacing it by the identity) from a trained highway
//! net costs little; removing one from a trained plain net of the same depth wrecks it
//! (Srivastava et al. 2015, Fig. 4 lesioned highway nets; Veit et al. 2016 contrast plain nets).
//!
//! A plain and a highway net of moderate depth train on MNIST; then each middle layer in turn is
//! skipped at test time and the test accuracy measured. A plain layer's output is a new
//! representation the next layer was trained to read; a highway layer mostly adds a small
//! correction to what it carries, so the next layer can still read its input.

use super::mnist_training::{test, train};
use super::training::Schedule;
use crate::deep_net::{DeepNetConfig, LayerKind};
use anyhow::{Result, ensure};
use serde::Serialize;
use shared::experiment::Run;
use shared::plot::LineChart;
use shared::report::ExperimentRecord;
use shared::stats::mean_and_std;

/// The experiment's name: its record is `out/lecture-06-highway-grid-lstm/lesion.json`.
pub const NAME: &str = "lesion";

/// Sizes of the lesioning experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub depth: usize,
    pub width: usize,
    pub schedule: Schedule,
}

impl Config {
    /// Depth 10 at both sizes; quick trains 300 steps, full 1000.
    pub fn for_run(run: &Run) -> Config {
        Config {
            depth: 10,
            width: 50,
            schedule: Schedule {
                steps: run.steps_or(300, 1000),
                batch: 64,
                learning_rate: 1e-3,
                test_size: run.size(1000, 5000),
                curve_points: 60,
            },
        }
    }
}

/// One net's accuracy intact and with each layer removed.
#[derive(Clone, Debug, Serialize)]
pub struct Lesions {
    pub kind: LayerKind,
    pub intact: f64,
    /// Test accuracy with layer `l` removed, for `l` in `0..depth`.
    pub removed: Vec<f64>,
}

impl Lesions {
    /// Mean accuracy lost by removing one layer.
    pub fn mean_drop(&self) -> f64 {
        mean_and_std(&self.removed.iter().map(|a| self.intact - a).collect::<Vec<_>>()).0
    }

    /// Largest accuracy lost by removing one layer.
    pub fn max_drop(&self) -> f64 {
        self.removed.iter().map(|a| self.intact - a).fold(f64::NEG_INFINITY, f64::max)
    }
}

/// What the run measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub plain: Lesions,
    pub highway: Lesions,
}

/// Trains both nets, lesions every layer, writes the record and the picture.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    ensure!(config.depth >= 1, "nothing to lesion: {config:?}");
    let mut record = run.record(NAME).with_config(config)?;
    let test_split = run.mnist()?.test;
    let device = run.device.clone().without_autodiff();
    let mut results = Vec::new();
    for kind in [LayerKind::Plain, LayerKind::Highway] {
        let net_config = DeepNetConfig::new(784, config.width, config.depth, 10, kind);
        let curve = format!("{} depth {}", kind.name(), config.depth);
        let trained = train(run, &net_config, &config.schedule, &mut record, &curve)?;
        let removed: Vec<f64> = (0..config.depth)
            .map(|l| test(&trained.net, &test_split, config.schedule.test_size, Some(l), &device).accuracy)
            .collect();
        let lesions = Lesions { kind, intact: trained.test.accuracy, removed };
        record.set_metric(format!("{} intact test accuracy", kind.name()), lesions.intact);
        record.set_metric(
            format!("{} mean accuracy drop, one layer removed", kind.name()),
            lesions.mean_drop(),
        );
        record.set_metric(
            format!("{} largest accuracy drop, one layer removed", kind.name()),
            lesions.max_drop(),
        );
        results.push(lesions);
    }
    let highway = results.pop().expect("two nets");
    let plain = results.pop().expect("two nets");
    let picture = "lesion-accuracy.svg";
    let by_layer =
        |l: &Lesions| l.removed.iter().enumerate().map(|(i, &a)| ((i + 1) as f64, a)).collect::<Vec<_>>();
    LineChart::new(format!("test accuracy with one of {} layers removed", config.depth))
        .x_label("removed layer")
        .y_label("test accuracy")
        .series("plain, layer removed", by_layer(&plain))
        .series("highway, layer removed", by_layer(&highway))
        .reference_line("plain intact", plain.intact)
        .reference_line("highway intact", highway.intact)
        .reference_line("chance", 0.1)
        .save_svg(run.picture_path(picture))?;
    record.add_picture(picture);
    record_claim(&mut record, &plain, &highway);
    print_table(&plain, &highway);
    run.finish(&mut record)?;
    Ok(Outcome { record, plain, highway })
}

fn record_claim(record: &mut ExperimentRecord, plain: &Lesions, highway: &Lesions) {
    record.add_claim(
        "removing one layer of a trained highway net hurts far less than removing one from a plain net",
        "mean accuracy drop: highway < plain / 5",
        format!(
            "mean drop: highway {:.3} (largest {:.3}), plain {:.3} (largest {:.3})",
            highway.mean_drop(),
            highway.max_drop(),
            plain.mean_drop(),
            plain.max_drop()
        ),
        highway.mean_drop() < plain.mean_drop() / 5.0,
    );
}

fn print_table(plain: &Lesions, highway: &Lesions) {
    println!("\ntest accuracy with one layer removed");
    print!("{:>8} {:>7}", "net", "intact");
    for l in 0..plain.removed.len() {
        print!(" {:>5}", format!("-{}", l + 1));
    }
    println!();
    for lesions in [plain, highway] {
        print!("{:>8} {:>7.3}", lesions.kind.name(), lesions.intact);
        for a in &lesions.removed {
            print!(" {a:>5.2}");
        }
        println!();
    }
}
