//! Claim 1, second half: training plateaus near saddles. Started close to the saddle at the
//! origin, gradient descent drops, then the loss stalls while the gradient norm dips (the
//! weights pass near a critical point) and rises again as they leave; the Hessian at the dip
//! has negative eigenvalues, so the stall was a saddle, not a minimum: training goes on to a
//! much lower loss.
//!
//! Dauphin et al. (2014, Fig. 3 and Sec. 4) show plateaus of SGD that Newton-like methods leave
//! at once and attribute them to saddles. Here: the teacher task and student of
//! [`super::critical_points`], weights started at `0.01 ×` LeCun's scale, plain gradient descent.
//!
//! ```text
//! dip s* = argmin ‖∇L(θ_s)‖ over the steps with L(θ_s) >= PLATEAU_LOSS_RATIO × L(final)
//! dip ratio = ‖∇L(θ_s*)‖ / max_{s < s*} ‖∇L(θ_s)‖;   index at the dip from the Hessian there
//! ```
//!
//! The negative control removes the hidden layer (a convex linear model): its gradient norm
//! falls once, at the minimum, and never dips above it.

use super::critical_points::{Config as ScatterConfig, INDEX_THRESHOLD};
use crate::critical_points::index;
use crate::descent::{Trajectory, descend};
use crate::eigen::symmetric_eigen;
use crate::flat_net::FlatNet;
use crate::hessian::hessian;
use crate::teacher::TeacherTask;
use anyhow::Result;
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde::Serialize;
use shared::data::sub_seed;
use shared::experiment::Run;
use shared::plot::LineChart;
use shared::report::ExperimentRecord;

/// The experiment's name: its record is `out/lecture-14-saddles-and-memorisation/plateau.json`.
pub const NAME: &str = "plateau";

/// A plateau must lie at least this factor above the loss training ends at.
pub const PLATEAU_LOSS_RATIO: f64 = 1.5;
/// "The gradient norm dips": at the dip it is below this fraction of its largest value before.
pub const DIP_RATIO: f64 = 0.1;

const TASK_STREAM: u64 = 1;
const INIT_STREAM: u64 = 3;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub task: TeacherTask,
    pub hidden: usize,
    pub weight_decay: f64,
    /// Weights start `N(0, init_scale² / fan_in)`.
    pub init_scale: f64,
    pub steps: u64,
    pub learning_rate: f64,
    /// The Hessian's finite-difference step.
    pub eps: f64,
}

impl Config {
    /// The task, student and weight decay of the critical-point search; start scale 0.01,
    /// learning rate 0.1; quick: 5000 steps, full: 10,000.
    pub fn for_run(run: &Run) -> Config {
        let scatter = ScatterConfig::for_run(run);
        Config {
            task: scatter.task,
            hidden: scatter.hidden,
            weight_decay: scatter.weight_decay,
            init_scale: 0.01,
            steps: run.steps_or(5000, 10_000),
            learning_rate: 0.1,
            eps: scatter.newton.eps,
        }
    }
}

/// What one model's descent showed.
#[derive(Clone, Debug)]
pub struct Plateau {
    pub trajectory: Trajectory,
    /// The dip `s*` (see the module docs), if any step lies above the plateau threshold.
    pub dip_step: Option<usize>,
    /// `‖∇L‖` at the dip over its largest value before (1 without a dip).
    pub dip_ratio: f64,
    pub loss_at_dip: f64,
    pub final_loss: f64,
    /// The Hessian's eigenvalues at the dip, ascending.
    pub eigenvalues: Vec<f64>,
}

impl Plateau {
    /// The index at the dip.
    pub fn index(&self) -> f64 {
        if self.eigenvalues.is_empty() { 0.0 } else { index(&self.eigenvalues, INDEX_THRESHOLD) }
    }

    /// The claim: a dip of the gradient norm above the final loss, at a saddle.
    pub fn stalls_at_a_saddle(&self) -> bool {
        self.dip_ratio <= DIP_RATIO && self.index() > 0.0
    }

    fn summary(&self) -> String {
        format!(
            "dip at step {:?}: ‖g‖ ratio {:.3}, loss {:.4} (final {:.4}), index {:.3}, λ_min {:.2e}",
            self.dip_step,
            self.dip_ratio,
            self.loss_at_dip,
            self.final_loss,
            self.index(),
            self.eigenvalues.first().copied().unwrap_or(f64::NAN)
        )
    }
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub net: Plateau,
    /// The control: the linear model from the same small start.
    pub linear: Plateau,
}

/// Descends with the student and the linear model; writes `plateau.json` and `plateau.svg`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let net =
        descend_and_inspect(run, config, FlatNet::new(&[2, config.hidden, 1])?, "tanh net", &mut record)?;
    let linear = descend_and_inspect(run, config, FlatNet::new(&[2, 1])?, "linear model", &mut record)?;
    for (name, plateau) in [("tanh net", &net), ("linear model", &linear)] {
        println!("{name:<14} {}", plateau.summary());
        record.set_metric(format!("{name} dip ratio"), plateau.dip_ratio);
        record.set_metric(format!("{name} index at the dip"), plateau.index());
    }
    draw(run, &net, &linear, &mut record)?;
    record.add_claim(
        "training stalls near a saddle: the gradient norm dips while the loss stalls, with negative curvature there",
        format!("‖g‖ at the dip <= {DIP_RATIO} x its earlier peak, index > 0"),
        net.summary(),
        net.stalls_at_a_saddle(),
    );
    record.add_claim(
        "control: the linear model (convex) has no such stall",
        "the claim's test fails",
        linear.summary(),
        !linear.stalls_at_a_saddle(),
    );
    run.finish(&mut record)?;
    Ok(Outcome { record, net, linear })
}

fn descend_and_inspect(
    run: &Run,
    config: &Config,
    model: FlatNet,
    name: &str,
    record: &mut ExperimentRecord,
) -> Result<Plateau> {
    let task: &TeacherTask = &config.task;
    let landscape =
        task.landscape(model.clone(), config.weight_decay, sub_seed(run.seed, TASK_STREAM), &run.device)?;
    let start = model.init(config.init_scale, &mut StdRng::seed_from_u64(sub_seed(run.seed, INIT_STREAM)));
    let trajectory =
        descend(&landscape, start.clone(), config.steps, config.learning_rate, name, record, &[])?;
    let final_loss = *trajectory.losses.last().expect("at least one step");
    let norms = &trajectory.gradient_norms;
    let dip_step = (0..norms.len())
        .filter(|&s| trajectory.losses[s] >= PLATEAU_LOSS_RATIO * final_loss)
        .min_by(|&a, &b| norms[a].total_cmp(&norms[b]));
    let Some(dip) = dip_step else {
        return Ok(Plateau {
            trajectory,
            dip_step,
            dip_ratio: 1.0,
            loss_at_dip: f64::NAN,
            final_loss,
            eigenvalues: Vec::new(),
        });
    };
    let peak = norms[..=dip].iter().copied().fold(0.0, f64::max);
    let theta = weights_at(&landscape, start, config, dip, record)?;
    let curvature = hessian(&landscape, &theta, config.eps);
    let eigenvalues = symmetric_eigen(&curvature.hessian, theta.len()).values;
    Ok(Plateau {
        dip_ratio: norms[dip] / peak,
        loss_at_dip: trajectory.losses[dip],
        dip_step,
        final_loss,
        eigenvalues,
        trajectory,
    })
}

/// `θ_s`: the same descent again, stopped at step `s` (the first run did not know `s*` yet).
fn weights_at(
    landscape: &impl crate::landscape::Landscape,
    start: Vec<f64>,
    config: &Config,
    step: usize,
    record: &mut ExperimentRecord,
) -> Result<Vec<f64>> {
    if step == 0 {
        return Ok(start);
    }
    Ok(descend(landscape, start, step as u64, config.learning_rate, "replay to the dip", record, &[])?.theta)
}

fn draw(run: &Run, net: &Plateau, linear: &Plateau, record: &mut ExperimentRecord) -> Result<()> {
    let curve = |values: &[f64]| {
        values.iter().enumerate().map(|(s, &v)| (s as f64, v)).step_by(10).collect::<Vec<_>>()
    };
    LineChart::new("Gradient descent from near the origin: loss and gradient norm")
        .x_label("step")
        .y_label("loss, ‖∇L‖ (log scale)")
        .series("tanh net: loss", curve(&net.trajectory.losses))
        .series("tanh net: ‖∇L‖", curve(&net.trajectory.gradient_norms))
        .series("linear model: loss", curve(&linear.trajectory.losses))
        .series("linear model: ‖∇L‖", curve(&linear.trajectory.gradient_norms))
        .log_y(true)
        .save_svg(run.picture_path("plateau.svg"))?;
    record.add_picture("plateau.svg");
    Ok(())
}
