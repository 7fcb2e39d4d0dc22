//! Claim 4: reverse mode keeps the forward activations, so backpropagation through time holds
//! memory growing linearly with the sequence length T; checkpointing every √T steps keeps it
//! near √T for about one extra forward pass (Chen et al. 2016, "Training deep nets with
//! sublinear memory cost").
//!
//! The tanh RNN over growing T, once with every node kept and once in segments of ⌈√T⌉ steps:
//! the most bytes its graphs held at once (including the segment recomputed during the backward
//! pass), the forward flops (recomputation included), and the wall time (drawn, never asserted).

use super::{adding_batch, engine_device};
use crate::differentiate::record_and_backpropagate;
use crate::rnn::{self, rnn_loss};
use anyhow::Result;
use serde::Serialize;
use shared::experiment::Run;
use shared::plot::LineChart;
use std::time::Instant;

/// The experiment's name: its record is `out/lecture-03-backprop/checkpointing.json`.
pub const NAME: &str = "checkpointing";

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub hidden: usize,
    pub batch: usize,
    pub lengths: Vec<usize>,
}

impl Config {
    /// 32 units, batch 16; T = 16, 64, 256 (quick) up to 1024 (full).
    pub fn for_run(run: &Run) -> Config {
        Config { hidden: 32, batch: 16, lengths: run.size(vec![16, 64, 256], vec![16, 64, 256, 1024]) }
    }
}

/// One run of backpropagation through time.
#[derive(Clone, Debug, Serialize)]
pub struct Cost {
    pub peak_bytes: u64,
    pub forward_flops: u64,
    pub seconds: f64,
}

/// Both ways at one length.
#[derive(Clone, Debug, Serialize)]
pub struct Point {
    pub time: usize,
    pub segment: usize,
    pub kept: Cost,
    pub checkpointed: Cost,
}

/// Every length's costs.
pub struct Outcome {
    pub points: Vec<Point>,
}

/// Measures every length; writes `checkpointing.json`, `checkpointing-memory.svg` and
/// `checkpointing-time.svg`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let device = engine_device(run);
    let p = rnn::init(config.hidden, run.seed, &device);
    let mut points = Vec::new();
    for &time in &config.lengths {
        let (xs, targets) = adding_batch(config.batch, time, run.seed, &device)?;
        let cost = |every: Option<usize>| {
            let start = Instant::now();
            let (graph, ..) =
                record_and_backpropagate(&p.names, &p.tensors, |g, w| rnn_loss(g, w, &xs, &targets, every));
            Cost {
                peak_bytes: graph.meter().peak(),
                forward_flops: graph.work().forward(),
                seconds: start.elapsed().as_secs_f64(),
            }
        };
        let segment = (time as f64).sqrt().ceil() as usize;
        points.push(Point { time, segment, kept: cost(None), checkpointed: cost(Some(segment)) });
    }
    println!(
        "\n{:>6} {:>8} {:>14} {:>18} {:>22} {:>10} {:>14}",
        "T", "segment", "kept (KiB)", "checkpointed (KiB)", "recomputed forward", "kept s", "checkpointed s"
    );
    for p in &points {
        println!(
            "{:>6} {:>8} {:>14.1} {:>18.1} {:>21.2}x {:>10.3} {:>14.3}",
            p.time,
            p.segment,
            p.kept.peak_bytes as f64 / 1024.0,
            p.checkpointed.peak_bytes as f64 / 1024.0,
            p.checkpointed.forward_flops as f64 / p.kept.forward_flops as f64,
            p.kept.seconds,
            p.checkpointed.seconds
        );
        record.set_metric(format!("T={} kept peak bytes", p.time), p.kept.peak_bytes as f64);
        record.set_metric(format!("T={} checkpointed peak bytes", p.time), p.checkpointed.peak_bytes as f64);
        record.set_metric(
            format!("T={} checkpointed forward flops / kept", p.time),
            p.checkpointed.forward_flops as f64 / p.kept.forward_flops as f64,
        );
    }
    draw(run, &points)?;
    record.add_picture("checkpointing-memory.svg");
    record.add_picture("checkpointing-time.svg");
    run.finish(&mut record)?;
    Ok(Outcome { points })
}

fn draw(run: &Run, points: &[Point]) -> Result<()> {
    let series = |f: fn(&Point) -> f64| points.iter().map(move |p| (p.time as f64, f(p))).collect::<Vec<_>>();
    LineChart::new("Memory held by backpropagation through time")
        .x_label("sequence length T")
        .y_label("most KiB held at once")
        .series("every node kept", series(|p| p.kept.peak_bytes as f64 / 1024.0))
        .series("checkpointed every ⌈√T⌉ steps", series(|p| p.checkpointed.peak_bytes as f64 / 1024.0))
        .log_y(true)
        .save_svg(run.picture_path("checkpointing-memory.svg"))?;
    LineChart::new("Time of one forward and backward pass")
        .x_label("sequence length T")
        .y_label("seconds")
        .series("every node kept", series(|p| p.kept.seconds))
        .series("checkpointed every ⌈√T⌉ steps", series(|p| p.checkpointed.seconds))
        .log_y(true)
        .save_svg(run.picture_path("checkpointing-time.svg"))
}
