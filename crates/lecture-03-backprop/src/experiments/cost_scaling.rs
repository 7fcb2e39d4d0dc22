//! Claim 3: reverse mode gives the whole gradient for a small constant multiple of one forward
//! pass, whatever the number of parameters; forward mode needs one pass per parameter, so its
//! cost grows linearly with the parameter count (Baydin et al. 2018; Griewank's bound: reverse
//! mode at most about 4-5 forward passes).
//!
//! MLPs of growing width on one batch: the flops each engine counts to produce the full
//! gradient, divided by the flops of one forward pass, and the wall time of each (the median
//! of a few repeats; recorded and drawn, never asserted).

use super::engine_device;
use crate::eager::Eager;
use crate::forward_mode::{ForwardMode, gradient_by_forward_mode};
use crate::mlp::{MlpShape, mlp_loss};
use crate::parameters::Parameters;
use crate::reverse::Graph;
use crate::work::Work;
use anyhow::Result;
use burn::prelude::{Device, Int, Tensor};
use burn::tensor::Distribution;
use serde::Serialize;
use shared::experiment::Run;
use shared::plot::LineChart;
use shared::stats::median_of;
use shared::testing::{normal, seeded_on};
use std::time::Instant;

/// The experiment's name: its record is `out/lecture-03-backprop/cost-scaling.json`.
pub const NAME: &str = "cost-scaling";
/// Griewank's bound on reverse mode's cost, in forward passes.
pub const REVERSE_MODE_BOUND: f64 = 5.0;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub input: usize,
    pub classes: usize,
    pub batch: usize,
    pub hidden_widths: Vec<usize>,
    pub repeats: usize,
}

impl Config {
    /// Inputs of 16 features, 4 classes, batch 16; hidden widths 2 to 16 (quick, 46 to 340
    /// parameters) or 2 to 512 (full, up to 10,756); 3 timed repeats.
    pub fn for_run(run: &Run) -> Config {
        Config {
            input: 16,
            classes: 4,
            batch: 16,
            hidden_widths: run.size(vec![2, 4, 8, 16], vec![2, 4, 8, 16, 32, 64, 128, 256, 512]),
            repeats: 3,
        }
    }
}

/// One width's costs.
#[derive(Clone, Debug, Serialize)]
pub struct Point {
    pub parameters: usize,
    pub forward_flops: u64,
    /// Flops of our reverse mode's full gradient (forward and backward), in forward passes.
    pub reverse_passes: f64,
    /// Flops of forward mode's full gradient (one pass per parameter), in forward passes.
    pub forward_mode_passes: f64,
    pub forward_s: f64,
    pub reverse_s: f64,
    pub forward_mode_s: f64,
}

/// The costs at every width.
pub struct Outcome {
    pub points: Vec<Point>,
}

/// Measures every width; writes `cost-scaling.json`, `cost-scaling-time.svg` and
/// `cost-scaling-work.svg`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let device = engine_device(run);
    let (x, y) = seeded_on(&device, run.seed, |d| {
        let labels =
            Tensor::<1>::random([config.batch], Distribution::Uniform(0.0, config.classes as f64), d);
        (normal([config.batch, config.input], d), labels.int())
    });
    let points: Vec<Point> = config
        .hidden_widths
        .iter()
        .map(|&hidden| {
            let shape = MlpShape { input: config.input, hidden, classes: config.classes };
            measure(&shape.init(run.seed, &device), &x, &y, config.repeats, &device)
        })
        .collect();
    println!(
        "\n{:>10} {:>16} {:>20} {:>12} {:>12} {:>14}",
        "parameters", "reverse (passes)", "forward mode (passes)", "forward s", "reverse s", "forward mode s"
    );
    let curves = [
        ("reverse mode passes", "gradient flops / forward flops"),
        ("forward mode passes", "gradient flops / forward flops"),
        ("reverse mode seconds", "seconds"),
        ("forward mode seconds", "seconds"),
    ];
    for (name, unit) in curves {
        record.define_curve(name, "parameters", unit);
    }
    for p in &points {
        let x = p.parameters as f64;
        for (name, y) in [
            ("reverse mode passes", p.reverse_passes),
            ("forward mode passes", p.forward_mode_passes),
            ("reverse mode seconds", p.reverse_s),
            ("forward mode seconds", p.forward_mode_s),
        ] {
            record.push_point(name, x, y);
        }
        println!(
            "{:>10} {:>16.2} {:>20.1} {:>12.2e} {:>12.2e} {:>14.2e}",
            p.parameters, p.reverse_passes, p.forward_mode_passes, p.forward_s, p.reverse_s, p.forward_mode_s
        );
    }
    draw(run, &points)?;
    record.add_picture("cost-scaling-time.svg");
    record.add_picture("cost-scaling-work.svg");
    let worst = points.iter().map(|p| p.reverse_passes).fold(0.0, f64::max);
    record.set_metric("worst reverse mode cost (forward passes)", worst);
    record.add_claim(
        "reverse mode's full gradient costs a small constant number of forward passes at every size",
        format!("≤ {REVERSE_MODE_BOUND} forward passes (Griewank)"),
        format!("≤ {worst:.2} forward passes"),
        worst <= REVERSE_MODE_BOUND,
    );
    run.finish(&mut record)?;
    Ok(Outcome { points })
}

/// Counts and times the three computations on one net.
fn measure(p: &Parameters, x: &Tensor<2>, y: &Tensor<1, Int>, repeats: usize, device: &Device) -> Point {
    let forward = Work::default();
    let time_forward = timed(repeats, device, || {
        drop(mlp_loss(&mut Eager { work: forward.clone() }, &p.tensors, x, y));
    });
    let reverse = Work::default();
    let time_reverse = timed(repeats, device, || {
        let mut graph = Graph::with_counters(reverse.clone(), Default::default());
        let leaves = graph.leaves(&p.names, &p.tensors);
        let loss = mlp_loss(&mut graph, &leaves, x, y);
        drop(graph.backward(loss));
    });
    let forward_mode = Work::default();
    let time_forward_mode = timed(repeats, device, || {
        drop(gradient_by_forward_mode(
            &mut ForwardMode::with_work(forward_mode.clone()),
            &p.tensors,
            |e, w| mlp_loss(e, w, x, y),
        ));
    });
    let per_forward = forward.total() as f64;
    Point {
        parameters: p.count(),
        forward_flops: forward.total() / repeats as u64,
        reverse_passes: reverse.total() as f64 / per_forward,
        forward_mode_passes: forward_mode.total() as f64 / per_forward,
        forward_s: time_forward,
        reverse_s: time_reverse,
        forward_mode_s: time_forward_mode,
    }
}

/// The median wall time of `repeats` runs of `work`, waiting for the device each time.
fn timed(repeats: usize, device: &Device, mut work: impl FnMut()) -> f64 {
    let times: Vec<f64> = (0..repeats)
        .map(|_| {
            let start = Instant::now();
            work();
            device.sync().expect("the device finishes its work");
            start.elapsed().as_secs_f64()
        })
        .collect();
    median_of(&times, |t| *t)
}

fn draw(run: &Run, points: &[Point]) -> Result<()> {
    let series =
        |f: fn(&Point) -> f64| points.iter().map(move |p| (p.parameters as f64, f(p))).collect::<Vec<_>>();
    LineChart::new("Time to the full gradient")
        .x_label("parameters")
        .y_label("seconds")
        .series("forward mode (one pass per parameter)", series(|p| p.forward_mode_s))
        .series("reverse mode (ours)", series(|p| p.reverse_s))
        .series("one forward pass", series(|p| p.forward_s))
        .log_y(true)
        .save_svg(run.picture_path("cost-scaling-time.svg"))?;
    LineChart::new("Cost of the full gradient")
        .x_label("parameters")
        .y_label("gradient flops / forward flops")
        .series("forward mode", series(|p| p.forward_mode_passes))
        .series("reverse mode", series(|p| p.reverse_passes))
        .reference_line("Griewank's bound (5)", REVERSE_MODE_BOUND)
        .log_y(true)
        .save_svg(run.picture_path("cost-scaling-work.svg"))
}
