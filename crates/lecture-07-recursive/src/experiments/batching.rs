//! Level-by-level batching versus one node at a time: same numbers, far fewer operations.
//!
//! A batch of SST training sentences is run through each model both ways. First the two
//! schedules' losses on the same weights are compared (they must agree to rounding); then a
//! full training step (forward over every node, cross-entropy at every node, backward, Adam)
//! is timed both ways with the benchmark runner. The speed-up decides how long SST training
//! takes: one epoch is `ceil(8544 / batch)` steps.

use crate::bench_workload::TreeStep;
use crate::model::{ModelKind, Schedule};
use crate::treebank::load_treebank;
use anyhow::{Context, Result};
use rand::seq::SliceRandom;
use serde::Serialize;
use shared::bench::{Protocol, measure};
use shared::data::synthetic::seeded_rng;
use shared::experiment::Run;
use shared::report::ExperimentRecord;
use shared::stats::median;
use shared::testing::seeded_on;

/// The experiment's name: its record is `out/lecture-07-recursive/batching.json`.
pub const NAME: &str = "batching";

/// SST's training sentences: the steps of one epoch are `ceil(SST_TRAIN / trees)`.
pub const SST_TRAIN: usize = 8_544;

/// Sizes of the batching experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// The models to time.
    pub models: Vec<ModelKind>,
    /// Sentences per batch (drawn at random from SST's training split).
    pub trees: usize,
    /// Word-vector and state width.
    pub width: usize,
    /// Timed rounds (one run of each schedule per round; medians are reported).
    pub runs: usize,
    /// Steps per timed run, batched by level.
    pub level_steps: usize,
    /// Steps per timed run, node at a time.
    pub node_steps: usize,
}

impl Config {
    /// Quick: Tree-LSTM and RNTN, width 16, a run or two; full: all five models, width 32.
    pub fn for_run(run: &Run) -> Config {
        Config {
            models: run.size(vec![ModelKind::TreeLstm, ModelKind::Rntn], ModelKind::ALL.to_vec()),
            trees: 25,
            width: run.size(16, 32),
            runs: run.size(3, 5),
            level_steps: run.size(3, 10),
            node_steps: 1,
        }
    }
}

/// One model's timings.
#[derive(Clone, Debug, Serialize)]
pub struct Timing {
    pub model: ModelKind,
    /// Milliseconds per training step, batched by level.
    pub level_ms: f64,
    /// Milliseconds per training step, node at a time.
    pub node_ms: f64,
    /// How many times faster batching by level is: the median over rounds of
    /// `node-at-a-time time / level time`.
    pub speed_up: f64,
    /// `|loss(levels) - loss(node at a time)|` on the same weights.
    pub loss_gap: f64,
    /// Composition calls per forward pass, batched by level ([`crate::work`]).
    pub level_calls: usize,
    /// Composition calls per forward pass, node at a time.
    pub node_calls: usize,
}

impl Timing {
    /// Minutes per SST training epoch with `trees` sentences a step, by level and node-wise.
    pub fn epoch_minutes(&self, trees: usize) -> (f64, f64) {
        let steps = SST_TRAIN.div_ceil(trees) as f64;
        (steps * self.level_ms / 60_000.0, steps * self.node_ms / 60_000.0)
    }
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub timings: Vec<Timing>,
    /// Nodes and levels in the timed batch.
    pub nodes: usize,
    pub levels: usize,
}

/// Times every model both ways on one random batch of SST sentences.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let sst = load_treebank(run.data_dir.as_deref())?;
    let mut trees = sst.train;
    trees.shuffle(&mut seeded_rng(run.seed));
    trees.truncate(config.trees);
    let mut timings = Vec::new();
    let (mut nodes, mut levels) = (0, 0);
    for kind in &config.models {
        let build = |schedule| {
            seeded_on(&run.device, run.seed, |d| TreeStep::new(*kind, &trees, config.width, schedule, d))
        };
        let (mut by_level, mut by_node) = (build(Schedule::Levels), build(Schedule::NodeAtATime));
        let loss_gap =
            f64::from((by_level.loss(Schedule::Levels) - by_level.loss(Schedule::NodeAtATime)).abs());
        (nodes, levels) = (by_level.batch().node_count(), by_level.batch().levels.len());
        // The two schedules take turns, one timed run each, so both see the same machine load;
        // the speed-up is the median of the per-round ratios.
        let (mut level_runs, mut node_runs, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..config.runs {
            let warmup = usize::from(round == 0);
            let time = |step: &mut TreeStep, steps| -> Result<f64> {
                let protocol = Protocol { warmup, runs: 1, steps };
                let measured =
                    measure(step, &run.device, protocol).with_context(|| format!("timing the {kind}"))?;
                Ok(measured.median_ms_per_step())
            };
            let level_ms = time(&mut by_level, config.level_steps)?;
            let node_ms = time(&mut by_node, config.node_steps)?;
            level_runs.push(level_ms);
            node_runs.push(node_ms);
            ratios.push(node_ms / level_ms);
        }
        let (level_ms, node_ms) = (median(&level_runs), median(&node_runs));
        let (level_calls, node_calls) =
            (by_level.calls(Schedule::Levels), by_level.calls(Schedule::NodeAtATime));
        let timing = Timing {
            model: *kind,
            level_ms,
            node_ms,
            speed_up: median(&ratios),
            loss_gap,
            level_calls,
            node_calls,
        };
        record.set_metric(format!("{kind} composition calls, by level"), level_calls as f64);
        record.set_metric(format!("{kind} composition calls, node at a time"), node_calls as f64);
        record.set_metric(format!("{kind} ms per step, by level"), level_ms);
        record.set_metric(format!("{kind} ms per step, node at a time"), node_ms);
        record.set_metric(format!("{kind} speed-up"), timing.speed_up);
        record.set_metric(format!("{kind} loss gap"), loss_gap);
        timings.push(timing);
    }
    print_table(&timings, config, nodes, levels);
    add_claims(&mut record, &timings);
    run.finish(&mut record)?;
    Ok(Outcome { record, timings, nodes, levels })
}

fn print_table(timings: &[Timing], config: &Config, nodes: usize, levels: usize) {
    println!(
        "\n{} SST sentences, {nodes} nodes in {levels} levels above the leaves, width {}",
        config.trees, config.width
    );
    println!(
        "{:<16} {:>12} {:>14} {:>9} {:>16} {:>16} {:>10}",
        "model", "ms/step lvl", "ms/step node", "speed-up", "SST epoch (lvl)", "SST epoch (node)", "loss gap"
    );
    for t in timings {
        let (by_level, by_node) = t.epoch_minutes(config.trees);
        println!(
            "{:<16} {:>12.1} {:>14.1} {:>8.1}x {:>13.1} min {:>13.1} min {:>10.1e}",
            t.model.to_string(),
            t.level_ms,
            t.node_ms,
            t.speed_up,
            by_level,
            by_node,
            t.loss_gap
        );
    }
}

/// Speed-up every model must reach to count as "batching pays" (measured 10-30x, see README).
pub const MIN_SPEED_UP: f64 = 3.0;
/// The two schedules must agree to f32 rounding.
pub const MAX_LOSS_GAP: f64 = 1e-4;

/// Batching by level must make at least this many times fewer composition calls than node at a
/// time (the counted work the speed-up comes from).
pub const MIN_CALL_RATIO: usize = 20;

/// The models the speed-up claim is about: the lecture's two strongest composition functions.
pub const CLAIMED: [ModelKind; 2] = [ModelKind::TreeLstm, ModelKind::Rntn];

fn add_claims(record: &mut ExperimentRecord, timings: &[Timing]) {
    let speed_ups = |models: &[ModelKind]| -> (f64, String) {
        let chosen: Vec<&Timing> = timings.iter().filter(|t| models.contains(&t.model)).collect();
        let worst = chosen.iter().map(|t| t.speed_up).fold(f64::INFINITY, f64::min);
        let summary: Vec<String> = chosen.iter().map(|t| format!("{} {:.1}x", t.model, t.speed_up)).collect();
        (worst, summary.join(", "))
    };
    let (worst, summary) = speed_ups(&CLAIMED);
    record.add_claim(
        "batching nodes of equal height across trees speeds up the Tree-LSTM and RNTN",
        format!("training step >= {MIN_SPEED_UP}x faster than node at a time"),
        summary,
        worst >= MIN_SPEED_UP,
    );
    let others: Vec<ModelKind> = timings.iter().map(|t| t.model).filter(|m| !CLAIMED.contains(m)).collect();
    if !others.is_empty() {
        let (worst, summary) = speed_ups(&others);
        record.add_claim(
            "... and every other model",
            format!(">= {MIN_SPEED_UP}x (fails where wide states, not op count, dominate: MV-RNN)"),
            summary,
            worst >= MIN_SPEED_UP,
        );
    }
    let calls: Vec<String> =
        timings.iter().map(|t| format!("{} {} vs {}", t.model, t.level_calls, t.node_calls)).collect();
    record.add_claim(
        "batching by level makes far fewer sequential composition calls",
        format!("calls by level x {MIN_CALL_RATIO} <= calls node at a time, every model"),
        calls.join(", "),
        timings.iter().all(|t| t.level_calls * MIN_CALL_RATIO <= t.node_calls),
    );
    let gap = timings.iter().map(|t| t.loss_gap).fold(0.0, f64::max);
    record.add_claim(
        "both schedules compute the same loss",
        format!("|loss gap| < {MAX_LOSS_GAP:e}"),
        format!("{gap:.1e}"),
        gap < MAX_LOSS_GAP,
    );
}
