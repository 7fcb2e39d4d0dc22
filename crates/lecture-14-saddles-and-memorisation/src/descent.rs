//! Plain gradient descent on a [`Landscape`], in the shared training loop, keeping what the
//! saddle experiments look at: every step's loss and gradient norm, and the weights at chosen
//! steps.
//!
//! ```text
//! θ_{s+1} = θ_s - lr ∇L(θ_s),   s = 0..steps        (θ: [P])
//! ```

use crate::hessian::norm;
use crate::landscape::Landscape;
use anyhow::Result;
use shared::report::ExperimentRecord;
use shared::train::Fit;

/// What a descent went through.
#[derive(Clone, Debug)]
pub struct Trajectory {
    /// The weights after the last step.
    pub theta: Vec<f64>,
    /// `L(θ_s)` for `s = 0..steps`.
    pub losses: Vec<f64>,
    /// `‖∇L(θ_s)‖` for `s = 0..steps`.
    pub gradient_norms: Vec<f64>,
    /// `(s, θ_s)` for each asked `s < steps`.
    pub snapshots: Vec<(u64, Vec<f64>)>,
}

/// Descends from `start` for `steps` steps at `learning_rate` (silently: the experiments run
/// many), keeping `θ_s` for every `s` in `snapshot_at`; the loss curve goes into `record` as
/// `<label> train loss`.
pub fn descend(
    landscape: &impl Landscape,
    start: Vec<f64>,
    steps: u64,
    learning_rate: f64,
    label: &str,
    record: &mut ExperimentRecord,
    snapshot_at: &[u64],
) -> Result<Trajectory> {
    let (mut losses, mut gradient_norms, mut snapshots) = (Vec::new(), Vec::new(), Vec::new());
    let fitted = Fit::new(label, steps, learning_rate).silent().run_with_gradients(
        start,
        record,
        |theta: &Vec<f64>, step| {
            let (loss, gradient) = landscape.gradient(theta);
            losses.push(loss);
            gradient_norms.push(norm(&gradient));
            if snapshot_at.contains(&step) {
                snapshots.push((step, theta.clone()));
            }
            Ok((loss, gradient))
        },
        |theta, gradient, lr| theta.iter().zip(&gradient).map(|(t, g)| t - lr * g).collect(),
    )?;
    Ok(Trajectory { theta: fitted.model, losses, gradient_norms, snapshots })
}
