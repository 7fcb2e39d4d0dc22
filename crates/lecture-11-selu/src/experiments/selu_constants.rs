//! The SELU constants, solved from the fixed-point conditions (see [`crate::selu_constants`]),
//! printed beside the paper's, with the Jacobian of the moment map at the fixed point and the
//! paths of the map from a grid of starting moments.

use crate::selu_constants::SeluConstants;
use anyhow::Result;
use serde::Serialize;
use shared::experiment::Run;
use shared::plot::LineChart;
use shared::report::ExperimentRecord;

/// The experiment's name: its record is `out/lecture-11-selu/selu-constants.json`.
pub const NAME: &str = "selu-constants";

/// Klambauer et al. (2017), eq. (14): `α01` and `λ01`.
pub const PAPER: SeluConstants = SeluConstants { alpha: 1.6732632423543772, lambda: 1.0507009873554805 };

/// Solved and published constants agree to this.
pub const AGREE_TO: f64 = 1e-6;

/// Starting moments of the paths drawn.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// `(mean, variance)` pairs the map is iterated from.
    pub starts: Vec<(f64, f64)>,
    /// Iterations (layers) per path.
    pub layers: usize,
    /// `ω = Σ w` and `τ = Σ w²` of the layers.
    pub omega: f64,
    pub tau: f64,
}

impl Config {
    /// The same at both sizes (a few hundred quadratures): ω = 0.1, τ = 1, 20 layers.
    pub fn for_run(_run: &Run) -> Config {
        let starts = [(-1.0, 0.3), (-1.0, 3.0), (0.0, 0.1), (0.5, 3.0), (1.0, 0.5), (1.0, 2.5), (0.2, 4.0)];
        Config { starts: starts.to_vec(), layers: 20, omega: 0.1, tau: 1.0 }
    }
}

/// The solved constants and the Jacobian's spectral radius.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub solved: SeluConstants,
    pub spectral_radius: f64,
    /// The moments after the last layer of each path.
    pub ends: Vec<(f64, f64)>,
}

/// Solves, compares, iterates; writes `selu-constants.json` and `selu-constants-map.svg`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let solved = SeluConstants::solve();
    let jacobian = solved.jacobian();
    let spectral_radius = SeluConstants::spectral_radius(jacobian);
    record.set_metric("alpha", solved.alpha);
    record.set_metric("lambda", solved.lambda);
    record.set_metric("Jacobian spectral radius at (0, 1)", spectral_radius);
    println!("solved from E[f(z)] = 0, E[f(z)^2] = 1 for z ~ N(0, 1):");
    println!("  alpha  = {:.10}   (paper {:.10})", solved.alpha, PAPER.alpha);
    println!("  lambda = {:.10}   (paper {:.10})", solved.lambda, PAPER.lambda);
    println!(
        "Jacobian of (mean, var) -> (mean', var') at (0, 1), omega = 0, tau = 1:\n  [{:.4} {:.4}]\n  [{:.4} {:.4}]   spectral radius {spectral_radius:.4}",
        jacobian[0][0], jacobian[0][1], jacobian[1][0], jacobian[1][1]
    );

    let mut chart = LineChart::new(format!(
        "Moment map, ω = {}, τ = {}, {} layers",
        config.omega, config.tau, config.layers
    ))
    .x_label("mean")
    .y_label("variance");
    let mut ends = Vec::new();
    for &(mean0, var0) in &config.starts {
        let mut path = vec![(mean0, var0)];
        for _ in 0..config.layers {
            let (mean, var) = path[path.len() - 1];
            path.push(solved.moment_map(mean, var, config.omega, config.tau));
        }
        let (mean, var) = path[path.len() - 1];
        println!("from ({mean0:>4}, {var0:>3}) after {} layers: ({mean:.4}, {var:.4})", config.layers);
        record.set_metric(format!("from ({mean0}, {var0}): variance after {} layers", config.layers), var);
        ends.push((mean, var));
        chart = chart.series(format!("from ({mean0}, {var0})"), path);
    }
    chart.reference_line("variance 1", 1.0).save_svg(run.picture_path("selu-constants-map.svg"))?;
    record.add_picture("selu-constants-map.svg");

    let gap = (solved.alpha - PAPER.alpha).abs().max((solved.lambda - PAPER.lambda).abs());
    record.add_claim(
        "solving the fixed-point conditions gives the paper's constants",
        format!("alpha and lambda within {AGREE_TO:e} of 1.6732632, 1.0507010"),
        format!("alpha {:.8}, lambda {:.8} (largest gap {gap:.1e})", solved.alpha, solved.lambda),
        gap < AGREE_TO,
    );
    record.add_claim(
        "the fixed point (0, 1) attracts",
        "spectral radius of the Jacobian < 1",
        format!("{spectral_radius:.4}"),
        spectral_radius < 1.0,
    );
    run.finish(&mut record)?;
    Ok(Outcome { record, solved, spectral_radius, ends })
}
