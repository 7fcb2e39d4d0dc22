//! Claim 4: an LSTM learns a long dependency faster than a tanh RNN, and vanishing gradients are
//! the reason.
//!
//! Backpropagation through time multiplies the gradient reaching `h_t` by one Jacobian per later
//! step. For the tanh RNN that is `∂h_{t+1}/∂h_t = diag(1 - h²_{t+1}) W_hᵀ`, whose norm is below
//! 1 at the usual initialisation, so `‖dLoss/dh_t‖` falls geometrically with the distance
//! `T - t` (Bengio et al. 1994; Pascanu et al. 2013). The LSTM's cell path multiplies by the
//! forget gate `f` alone, which training can hold near 1.
//!
//! The experiment measures `‖dLoss/dh_t‖` for every `t` on a batch of the adding problem (through
//! the probes of [`crate::unroll::unroll_probed`]), for both models before and after training,
//! and the test-MSE curves of that training. The chart divides each profile by its value at
//! the last step, so it reads "how much of the error signal reaches step t".
//!
//! The LSTM is the cell of [`crate::lstm_cell`] at `--quick` size and the fused layer computing
//! the same function at full size ([`CellKind::lstm_for`]); the probes need every `h_t`, so the
//! profiles step it one step at a time.

use super::adding_training::{
    AddingTraining, CONSTANT_BASELINE_MSE, GRADIENT_PROBE, Trained, mse, train, weights_seed,
};
use crate::any_cell::CellKind;
use crate::many_to_one::ManyToOne;
use anyhow::{Context, Result};
use burn::prelude::Device;
use serde::Serialize;
use shared::data::sub_seed;
use shared::data::synthetic::adding::{ADDING_FEATURES, adding_problem};
use shared::experiment::Run;
use shared::plot::LineChart;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;

/// The experiment's name: its record is `out/lecture-01-rnn/vanishing.json`.
pub const NAME: &str = "vanishing";

/// At initialisation the tanh RNN's `‖dLoss/dh_1‖ / ‖dLoss/dh_T‖` is below this...
pub const RNN_AT_INIT_BELOW: f64 = 1e-4;
/// ... and the LSTM's is more than this many times the RNN's.
pub const LSTM_OVER_RNN_AT_INIT_ABOVE: f64 = 100.0;
/// The trained LSTM keeps more than this fraction of the signal at the first step.
pub const LSTM_TRAINED_ABOVE: f64 = 1e-2;

/// Sizes of the vanishing-gradient experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// Sequence length, batch, steps, optimiser and test set (the adding problem).
    pub training: AddingTraining,
    /// Hidden width of both cells.
    pub hidden: usize,
    /// The LSTM: the cell at `--quick` size, the fused layer at full size ([`CellKind::lstm_for`]).
    pub lstm: CellKind,
    /// Sequences in the batch whose gradients are measured.
    pub probe_batch: usize,
    /// "Learned" means a test MSE below this; the claim compares the steps each model needs.
    pub threshold_mse: f64,
}

impl Config {
    /// Quick: T = 30, 1000 steps (seconds); full: T = 50, 1500 steps (about half a minute).
    pub fn for_run(run: &Run) -> Config {
        Config {
            training: AddingTraining {
                time: run.size(30, 50),
                batch: 32,
                steps: run.steps_or(1000, 1500),
                learning_rate: 1e-2,
                clip_norm: 1.0,
                eval_every: run.size(25, 50),
                test_size: 500,
            },
            hidden: run.size(16, 32),
            lstm: CellKind::lstm_for(run),
            probe_batch: 64,
            threshold_mse: 0.05,
        }
    }
}

/// `‖dLoss/dh_t‖` for t = 1..T (the Frobenius norm over batch and hidden units).
#[derive(Clone, Debug, Serialize)]
pub struct GradientNorms(pub Vec<f64>);

impl GradientNorms {
    /// Each norm divided by the last step's: 1 at t = T, how much of the signal reaches t.
    pub fn relative(&self) -> Vec<f64> {
        let last = self.0.last().copied().unwrap_or(f64::NAN);
        self.0.iter().map(|norm| norm / last).collect()
    }

    /// `‖dLoss/dh_1‖ / ‖dLoss/dh_T‖`.
    pub fn first_to_last(&self) -> f64 {
        self.relative().first().copied().unwrap_or(f64::NAN)
    }
}

/// One model's measurements.
#[derive(Clone, Debug, Serialize)]
pub struct ModelResult {
    /// The gradient profile of the freshly initialised model.
    pub at_init: GradientNorms,
    /// The gradient profile after training.
    pub trained: GradientNorms,
    /// Test MSE after training.
    pub final_test_mse: f64,
    /// The first evaluated step with test MSE below the threshold, if any.
    pub steps_to_threshold: Option<u64>,
}

/// What the experiment measured.
pub struct Outcome {
    /// The written record.
    pub record: ExperimentRecord,
    /// The tanh RNN.
    pub rnn: ModelResult,
    /// The LSTM.
    pub lstm: ModelResult,
}

/// Measures, trains and measures again both models; writes `vanishing.json`,
/// `vanishing-gradient-norms.svg` and `vanishing-test-mse.svg`; checks claim 4.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let rnn = measure(run, config, CellKind::Rnn, 0, &mut record)?;
    let lstm = measure(run, config, config.lstm, 1, &mut record)?;

    let t_axis = |norms: &GradientNorms| -> Vec<(f64, f64)> {
        norms.relative().into_iter().enumerate().map(|(t, r)| ((t + 1) as f64, r)).collect()
    };
    LineChart::new(format!("Error signal reaching step t (T = {})", config.training.time))
        .x_label("time step t")
        .y_label("‖dL/dh_t‖ / ‖dL/dh_T‖ (log scale)")
        .log_y(true)
        .series("RNN, at initialisation", t_axis(&rnn.at_init))
        .series("RNN, trained", t_axis(&rnn.trained))
        .series("LSTM, at initialisation", t_axis(&lstm.at_init))
        .series("LSTM, trained", t_axis(&lstm.trained))
        .save_svg(run.picture_path("vanishing-gradient-norms.svg"))?;
    record.add_picture("vanishing-gradient-norms.svg");
    record
        .curve_chart(
            format!("Adding problem, T = {}: test MSE", config.training.time),
            &["RNN test MSE", "LSTM test MSE"],
        )?
        .x_label("training step")
        .y_label("test MSE (log scale)")
        .log_y(true)
        .reference_line("always 1.0 (MSE 1/6)", CONSTANT_BASELINE_MSE as f64)
        .reference_line(format!("threshold {}", config.threshold_mse), config.threshold_mse)
        .save_svg(run.picture_path("vanishing-test-mse.svg"))?;
    record.add_picture("vanishing-test-mse.svg");

    add_claims(&mut record, config, &rnn, &lstm);
    run.finish(&mut record)?;
    Ok(Outcome { record, rnn, lstm })
}

/// Builds a `kind` model, profiles its gradients, trains it, profiles again; records curves and
/// metrics under the kind's name.
fn measure(
    run: &Run,
    config: &Config,
    kind: CellKind,
    index: u64,
    record: &mut ExperimentRecord,
) -> Result<ModelResult> {
    let name = kind.to_string();
    let model = seeded_on(&run.device, weights_seed(run.seed, index), |device| {
        ManyToOne::new(kind, ADDING_FEATURES, config.hidden, 1, device)
    });
    let at_init = gradient_norms(&model, config, run.seed, &run.device)?;
    let trained: Trained<ManyToOne> =
        train(&name, model, |m, x| Ok(m.forward(x)), &config.training, run.seed, &run.device, record)?;
    let after = gradient_norms(&trained.model, config, run.seed, &run.device)?;

    for (when, norms) in [("at init", &at_init), ("trained", &after)] {
        let curve = format!("{name} {when} relative gradient norm");
        record.define_curve(&curve, "t", "|dL/dh_t| / |dL/dh_T|");
        for (t, r) in norms.relative().into_iter().enumerate() {
            record.push_point(&curve, (t + 1) as f64, r);
        }
        record.set_metric(format!("{name} {when} |dL/dh_1| / |dL/dh_T|"), norms.first_to_last());
    }
    let steps_to_threshold = trained.steps_to_reach(config.threshold_mse);
    record.set_metric(
        format!("{name} steps to test MSE < {}", config.threshold_mse),
        steps_to_threshold.map_or(f64::NAN, |s| s as f64),
    );
    Ok(ModelResult { at_init, trained: after, final_test_mse: trained.final_test_mse(), steps_to_threshold })
}

/// `‖dLoss/dh_t‖` of `model`'s MSE on a fixed batch of `config.probe_batch` sequences.
pub fn gradient_norms(
    model: &ManyToOne,
    config: &Config,
    seed: u64,
    device: &Device,
) -> Result<GradientNorms> {
    let batch = adding_problem(config.probe_batch, config.training.time, sub_seed(seed, GRADIENT_PROBE))?;
    let probed = model.forward_probed(batch.input_tensor(device)?);
    let grads = mse(probed.prediction, batch.target_tensor(device)?).backward();
    let norms = probed
        .probes
        .iter()
        .enumerate()
        .map(|(t, probe)| {
            let grad = probe.grad(&grads).with_context(|| format!("no gradient reached h_{}", t + 1))?;
            Ok(grad.powi_scalar(2).sum().sqrt().into_scalar::<f32>() as f64)
        })
        .collect::<Result<Vec<f64>>>()?;
    Ok(GradientNorms(norms))
}

/// Claim 4: the RNN's signal vanishes, the LSTM's reaches back, the LSTM learns first.
///
/// The gradient claims read the models at initialisation, where learning has to start, and the
/// trained LSTM. The trained RNN's profile is recorded but not claimed: depending on the seed
/// it still vanishes or has drifted to large recurrent weights where it no longer does (and its
/// test error jumps about instead of falling).
fn add_claims(record: &mut ExperimentRecord, config: &Config, rnn: &ModelResult, lstm: &ModelResult) {
    let (rnn_init, lstm_init) = (rnn.at_init.first_to_last(), lstm.at_init.first_to_last());
    let lstm_trained = lstm.trained.first_to_last();
    record.add_claim(
        "at initialisation the tanh RNN's gradient vanishes back in time, the LSTM's much less",
        format!(
            "|dL/dh_1| / |dL/dh_T|: RNN < {}, LSTM > {LSTM_OVER_RNN_AT_INIT_ABOVE} x the RNN's",
            ratio(RNN_AT_INIT_BELOW)
        ),
        format!("RNN {}, LSTM {} ({:.1e} x)", ratio(rnn_init), ratio(lstm_init), lstm_init / rnn_init),
        rnn_init < RNN_AT_INIT_BELOW && lstm_init > LSTM_OVER_RNN_AT_INIT_ABOVE * rnn_init,
    );
    record.add_claim(
        "the trained LSTM's gradient reaches the first steps",
        format!("|dL/dh_1| / |dL/dh_T| > {}", ratio(LSTM_TRAINED_ABOVE)),
        ratio(lstm_trained),
        lstm_trained > LSTM_TRAINED_ABOVE,
    );
    let steps = |s: Option<u64>| s.map_or_else(|| "never".to_string(), |s| s.to_string());
    record.add_claim(
        "the LSTM converges faster than the tanh RNN",
        format!("fewer steps to test MSE < {}", config.threshold_mse),
        format!("LSTM {}, RNN {}", steps(lstm.steps_to_threshold), steps(rnn.steps_to_threshold)),
        match (lstm.steps_to_threshold, rnn.steps_to_threshold) {
            (Some(l), Some(r)) => l < r,
            (Some(_), None) => true,
            (None, _) => false,
        },
    );
}

/// A gradient ratio for the claims table; an exact 0 is a gradient below f32's range.
fn ratio(value: f64) -> String {
    if value == 0.0 { "0 (below f32 range)".to_string() } else { format!("{value:.1e}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_are_read_relative_to_the_last_step() {
        let norms = GradientNorms(vec![0.001, 0.1, 2.0]);
        assert_eq!(norms.relative(), [0.0005, 0.05, 1.0]);
        assert_eq!(norms.first_to_last(), 0.0005);
    }

    #[test]
    fn an_underflowed_ratio_is_named_as_such() {
        assert_eq!(ratio(0.0), "0 (below f32 range)");
        assert_eq!(ratio(4.483e-9), "4.5e-9");
    }
}
