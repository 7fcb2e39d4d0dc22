//! Claim 1: the critical points of a network's loss with high loss are saddle points, not local
//! minima. The index (the fraction of negative Hessian eigenvalues) of the critical points found
//! grows with their loss; only the lowest-loss ones have index 0.
//!
//! Dauphin et al. (2014, Fig. 1) found critical points of small MLPs on MNIST and CIFAR-10 with
//! Newton's method and plotted training error against index: the points lie along a rising
//! curve, and only those near the lowest error are minima (Pennington and Bahri 2017 predict
//! `index ∝ (loss - loss_min)^{3/2}` near the bottom). Here: a 2-D teacher-student task
//! ([`crate::teacher`]), a `2 -> hidden tanh -> 1` student with a small weight decay, critical
//! points found by damped Newton steps ([`crate::critical_points`]) started from points along
//! gradient-descent runs (from random starts, and after 10, 30, ... steps, so the starts span
//! the losses). The negative control removes the hidden layer: the linear model's loss is
//! convex, every critical point is its one minimum, and the index is 0 whatever the start.

use crate::critical_points::{CriticalPoint, Newton, find_critical_point};
use crate::descent::descend;
use crate::flat_net::FlatNet;
use crate::rank_correlation::spearman;
use crate::teacher::TeacherTask;
use anyhow::Result;
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde::Serialize;
use shared::data::sub_seed;
use shared::experiment::Run;
use shared::plot::{LineChart, ScatterPlot};
use shared::report::ExperimentRecord;
use shared::stats::median;

/// The experiment's name: its record is `out/lecture-14-saddles-and-memorisation/critical-points.json`.
pub const NAME: &str = "critical-points";

/// An eigenvalue counts as negative below `-INDEX_THRESHOLD × max |λ|`: over ten times the
/// finite-difference Hessian's error in f32 (about `1e-4` absolute on the student's
/// eigenvalues, `tests/parity.rs`).
pub const INDEX_THRESHOLD: f64 = 1e-3;
/// At least this many critical points must be found for the scatter to say anything.
pub const MIN_POINTS: usize = 6;
/// "The index grows with the loss": Spearman's ρ between loss and index at least this.
pub const RANK_CORRELATION: f64 = 0.6;
/// "High-loss critical points are saddles": the highest-loss third has median index at least this.
pub const HIGH_LOSS_INDEX: f64 = 0.05;
/// "Only the lowest-loss ones are minima": every index-0 point has loss within this factor of
/// the lowest loss found.
pub const MINIMUM_LOSS_RATIO: f64 = 1.5;

const TASK_STREAM: u64 = 1;
const INIT_STREAM: u64 = 2;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub task: TeacherTask,
    /// The student's hidden tanh units.
    pub hidden: usize,
    pub weight_decay: f64,
    /// Random starts; each gives a descent and a critical-point search from every snapshot.
    pub inits: usize,
    pub descent_steps: u64,
    pub learning_rate: f64,
    /// Steps of the descent whose weights start a search (the final weights start one too).
    pub snapshots: Vec<u64>,
    pub newton: Newton,
}

impl Config {
    /// Teacher `2 -> 8 tanh -> 1` on 200 points, student with 4 hidden units (17 parameters),
    /// weight decay 1e-3, descents of 3000 steps at 0.3, searches from steps 0, 10, 30, 100,
    /// 300, 1000 and the end; quick: 3 random starts (21 searches), full: 12 (84).
    pub fn for_run(run: &Run) -> Config {
        Config {
            task: TeacherTask { points: 200, teacher_hidden: 8, teacher_scale: 2.0 },
            hidden: 4,
            weight_decay: 1e-3,
            inits: run.size(3, 12),
            descent_steps: 3000,
            learning_rate: 0.3,
            snapshots: vec![0, 10, 30, 100, 300, 1000],
            newton: Newton { max_iterations: 300, tolerance: 1e-5, eps: 3e-3 },
        }
    }
}

/// The critical points one model's searches converged to.
#[derive(Clone, Debug)]
pub struct Scatter {
    pub points: Vec<CriticalPoint>,
    /// Searches run (converged or not).
    pub searches: usize,
}

impl Scatter {
    /// `(loss, index)` of every point.
    pub fn loss_index(&self) -> Vec<(f64, f64)> {
        self.points.iter().map(|p| (p.loss, p.index(INDEX_THRESHOLD))).collect()
    }

    /// Spearman's ρ between loss and index.
    pub fn rank_correlation(&self) -> f64 {
        let (loss, index): (Vec<f64>, Vec<f64>) = self.loss_index().into_iter().unzip();
        spearman(&loss, &index)
    }

    /// The median index of the highest-loss third of the points.
    pub fn high_loss_index(&self) -> f64 {
        let mut pairs = self.loss_index();
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
        let third = pairs.len().div_ceil(3);
        median(&pairs[..third].iter().map(|p| p.1).collect::<Vec<_>>())
    }

    /// The largest loss of an index-0 point over the lowest loss found (1 when the only
    /// minima are at the bottom; NaN without points).
    pub fn minimum_loss_ratio(&self) -> f64 {
        let lowest = self.points.iter().map(|p| p.loss).fold(f64::INFINITY, f64::min);
        let pairs = self.loss_index();
        let highest_minimum = pairs.iter().filter(|p| p.1 == 0.0).map(|p| p.0).fold(f64::NAN, f64::max);
        highest_minimum / lowest
    }

    /// Whether the scatter shows claim 1 (see the constants).
    pub fn saddles_not_minima(&self) -> bool {
        self.points.len() >= MIN_POINTS
            && self.rank_correlation() >= RANK_CORRELATION
            && self.high_loss_index() >= HIGH_LOSS_INDEX
            && self.minimum_loss_ratio() <= MINIMUM_LOSS_RATIO
    }

    /// The converged point of highest loss and the one of lowest loss.
    pub fn extremes(&self) -> Option<(&CriticalPoint, &CriticalPoint)> {
        let highest = self.points.iter().max_by(|a, b| a.loss.total_cmp(&b.loss))?;
        let lowest = self.points.iter().min_by(|a, b| a.loss.total_cmp(&b.loss))?;
        Some((highest, lowest))
    }

    fn summary(&self) -> String {
        format!(
            "{} of {} searches converged; ρ(loss, index) {:.2}, top-third index {:.3}, highest index-0 loss / lowest {:.2}",
            self.points.len(),
            self.searches,
            self.rank_correlation(),
            self.high_loss_index(),
            self.minimum_loss_ratio()
        )
    }
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    /// The tanh student's critical points.
    pub net: Scatter,
    /// The control's: the linear model (no hidden layer) on the same task.
    pub linear: Scatter,
}

/// Runs the searches for the student and the linear model; writes `critical-points.json`,
/// `critical-points-scatter.svg` and `critical-points-spectrum.svg`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let net = FlatNet::new(&[2, config.hidden, 1])?;
    let linear = FlatNet::new(&[2, 1])?;
    let net = search(run, config, net, "tanh net", &mut record)?;
    let linear = search(run, config, linear, "linear model", &mut record)?;
    for (name, scatter) in [("tanh net", &net), ("linear model", &linear)] {
        println!("{name:<14} {}", scatter.summary());
        record.set_metric(format!("{name} critical points"), scatter.points.len() as f64);
        record.set_metric(format!("{name} rank correlation"), scatter.rank_correlation());
        record.set_metric(format!("{name} top-third index"), scatter.high_loss_index());
    }
    draw(run, &net, &linear, &mut record)?;
    record.add_claim(
        "the index of critical points grows with their loss; only the lowest-loss ones are minima",
        format!(
            "ρ >= {RANK_CORRELATION}, top-third index >= {HIGH_LOSS_INDEX}, index-0 losses within {MINIMUM_LOSS_RATIO}x of the lowest"
        ),
        net.summary(),
        net.saddles_not_minima(),
    );
    record.add_claim(
        "control: without a hidden layer (convex loss) every critical point is the one minimum",
        "the claim's test fails",
        linear.summary(),
        !linear.saddles_not_minima(),
    );
    run.finish(&mut record)?;
    Ok(Outcome { record, net, linear })
}

/// Descends from `config.inits` random starts and searches from every snapshot.
fn search(
    run: &Run,
    config: &Config,
    model: FlatNet,
    name: &str,
    record: &mut ExperimentRecord,
) -> Result<Scatter> {
    let landscape = config.task.landscape(
        model.clone(),
        config.weight_decay,
        sub_seed(run.seed, TASK_STREAM),
        &run.device,
    )?;
    let mut points = Vec::new();
    let mut searches = 0;
    for init in 0..config.inits {
        let mut rng = StdRng::seed_from_u64(sub_seed(sub_seed(run.seed, INIT_STREAM), init as u64));
        let start = model.init(1.0, &mut rng);
        let label = format!("{name} start {init}");
        let descent = descend(
            &landscape,
            start,
            config.descent_steps,
            config.learning_rate,
            &label,
            record,
            &config.snapshots,
        )?;
        let starts = descent.snapshots.into_iter().map(|(_, theta)| theta).chain([descent.theta]);
        for theta in starts {
            searches += 1;
            let point = find_critical_point(&landscape, &theta, &config.newton);
            if point.converged {
                points.push(point);
            }
        }
    }
    Ok(Scatter { points, searches })
}

/// The loss-index scatter of both models, and the spectra at the student's highest-loss
/// saddle and lowest-loss minimum.
fn draw(run: &Run, net: &Scatter, linear: &Scatter, record: &mut ExperimentRecord) -> Result<()> {
    let log = |s: &Scatter| s.loss_index().into_iter().map(|(l, i)| (l.log10(), i)).collect::<Vec<_>>();
    ScatterPlot::new("Critical points: loss against index (Dauphin et al. 2014, Fig. 1)")
        .x_label("log10 training loss at the critical point")
        .y_label("index (fraction of negative eigenvalues)")
        .group("2 -> tanh -> 1 net", log(net))
        .group("linear model (control)", log(linear))
        .save_svg(run.picture_path("critical-points-scatter.svg"))?;
    record.add_picture("critical-points-scatter.svg");
    if let Some((saddle, minimum)) = net.extremes() {
        let spectrum = |p: &CriticalPoint| {
            p.eigenvalues.iter().enumerate().map(|(k, &l)| (k as f64 + 1.0, l)).collect::<Vec<_>>()
        };
        LineChart::new("Hessian eigenvalues, ascending")
            .x_label("k")
            .y_label("eigenvalue λ_k")
            .series(format!("saddle (loss {:.3})", saddle.loss), spectrum(saddle))
            .series(format!("minimum (loss {:.4})", minimum.loss), spectrum(minimum))
            .reference_line("0", 0.0)
            .save_svg(run.picture_path("critical-points-spectrum.svg"))?;
        record.add_picture("critical-points-spectrum.svg");
    }
    Ok(())
}
