//! Claim 1: depth hurts plain nets, not highway or residual nets (Srivastava et al. 2015, Fig. 1).
//!
//! For every depth, a plain, a highway and a residual net of the same width (the skeleton of
//! [`crate::deep_net`]) train on MNIST with the same batches, optimiser and steps. The plain
//! nets are He-initialised, so they are not broken at the start: their signal keeps its scale
//! on the way forward. What goes wrong is optimisation: fifty Jacobians in a row make the loss
//! surface of a plain net ill-conditioned, and training stalls near the chance loss ln 10.

use super::mnist_training::{CHANCE_LOSS, TestResult, train};
use super::training::Schedule;
use crate::deep_net::{DeepNetConfig, LayerKind};
use anyhow::{Result, ensure};
use serde::Serialize;
use shared::experiment::Run;
use shared::report::ExperimentRecord;

/// The experiment's name: its record is `out/lecture-06-highway-grid-lstm/depth.json`.
pub const NAME: &str = "depth";

/// Sizes of the depth experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// Depths tried; every kind is trained at each.
    pub depths: Vec<usize>,
    /// Units per layer.
    pub width: usize,
    pub schedule: Schedule,
}

impl Config {
    /// Quick: depths 10 and 50, 300 steps. Full: 10, 20, 50 and 100, 400 steps.
    pub fn for_run(run: &Run) -> Config {
        Config {
            depths: run.size(vec![10, 50], vec![10, 20, 50, 100]),
            width: 50,
            schedule: Schedule {
                steps: run.steps_or(300, 400),
                batch: 64,
                learning_rate: 1e-3,
                test_size: run.size(1000, 5000),
                curve_points: 60,
            },
        }
    }
}

/// One trained net's numbers.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct DepthResult {
    pub depth: usize,
    pub kind: LayerKind,
    /// Mean training loss over the last tenth of the steps.
    pub final_loss: f64,
    pub test: TestResult,
}

/// What the run measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub results: Vec<DepthResult>,
}

impl Outcome {
    /// The result of `kind` at `depth`.
    pub fn get(&self, kind: LayerKind, depth: usize) -> Option<&DepthResult> {
        self.results.iter().find(|r| r.kind == kind && r.depth == depth)
    }
}

fn curve_name(kind: LayerKind, depth: usize) -> String {
    format!("{} depth {depth}", kind.name())
}

/// Trains every kind at every depth, writes the record and one loss chart per depth.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    ensure!(!config.depths.is_empty(), "no depth to try: {config:?}");
    let mut record = run.record(NAME).with_config(config)?;
    let mut results = Vec::new();
    for &depth in &config.depths {
        for kind in LayerKind::ALL {
            let net = DeepNetConfig::new(784, config.width, depth, 10, kind);
            let curve = curve_name(kind, depth);
            let trained = train(run, &net, &config.schedule, &mut record, &curve)?;
            record.set_metric(format!("{curve} final train loss"), trained.final_loss);
            record.set_metric(format!("{curve} test accuracy"), trained.test.accuracy);
            results.push(DepthResult { depth, kind, final_loss: trained.final_loss, test: trained.test });
        }
        let names: Vec<String> = LayerKind::ALL.iter().map(|&k| curve_name(k, depth)).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let picture = format!("depth-{depth}-train-loss.svg");
        record
            .curve_chart(format!("MNIST training loss, {depth} layers of width {}", config.width), &names)?
            .reference_line("chance (ln 10)", CHANCE_LOSS)
            .save_svg(run.picture_path(&picture))?;
        record.add_picture(picture);
    }
    let mut outcome = Outcome { record, results };
    record_claim(&mut outcome, config);
    print_table(&outcome, config);
    run.finish(&mut outcome.record)?;
    Ok(outcome)
}

/// Plain nets "stall" when their final loss stays above this fraction of the chance loss.
pub const STALLED: f64 = 0.5;
/// Highway and residual nets "train" when their final loss falls below this fraction of it.
pub const TRAINS: f64 = 0.2;

fn record_claim(outcome: &mut Outcome, config: &Config) {
    let deepest = *config.depths.iter().max().expect("checked non-empty");
    let loss = |kind| outcome.get(kind, deepest).map_or(f64::NAN, |r| r.final_loss);
    let (plain, highway, residual) =
        (loss(LayerKind::Plain), loss(LayerKind::Highway), loss(LayerKind::Residual));
    outcome.record.add_claim(
        format!("depth hurts plain nets and not highway / residual nets ({deepest} layers)"),
        format!(
            "plain final loss > {STALLED} x ln 10 = {:.2}; highway and residual < {TRAINS} x ln 10 = {:.2}",
            STALLED * CHANCE_LOSS,
            TRAINS * CHANCE_LOSS
        ),
        format!("plain {plain:.3}, highway {highway:.3}, residual {residual:.3}"),
        plain > STALLED * CHANCE_LOSS && highway < TRAINS * CHANCE_LOSS && residual < TRAINS * CHANCE_LOSS,
    );
}

fn print_table(outcome: &Outcome, config: &Config) {
    println!(
        "\nMNIST, width {}, {} Adam steps: final training loss (test accuracy)",
        config.width, config.schedule.steps
    );
    print!("{:>6}", "depth");
    for kind in LayerKind::ALL {
        print!(" {:>18}", kind.name());
    }
    println!();
    for &depth in &config.depths {
        print!("{depth:>6}");
        for kind in LayerKind::ALL {
            match outcome.get(kind, depth) {
                Some(r) => print!(" {:>10.3} ({:.3})", r.final_loss, r.test.accuracy),
                None => print!(" {:>18}", "-"),
            }
        }
        println!();
    }
    println!("chance: loss ln 10 = {CHANCE_LOSS:.3}, accuracy 0.1");
}
