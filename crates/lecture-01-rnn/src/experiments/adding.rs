//! Claim 1: on a task that needs memory, LSTM and GRU > tanh RNN > feedforward.
//!
//! The adding problem (Hochreiter & Schmidhuber 1997): T steps of `(value, marker)`, the target
//! is the sum of the two marked values, the first marker in the first half of the sequence. Four
//! models train on the same stream of batches:
//!
//! - LSTM, GRU and tanh RNN, each read out linearly from its last hidden state ([`ManyToOne`]);
//!   at `--quick` size (the claim test) the LSTM and GRU are the cells of [`crate::lstm_cell`]
//!   and [`crate::gru_cell`], at full size the fused layers that compute the same functions
//!   several times faster ([`CellKind::lstm_for`]);
//! - a feedforward net over the last `window` steps ([`FeedForward::forward_window`]), which
//!   can never see the first marker: the best it can do is use the second marker when it falls
//!   inside the window.
//!
//! The measure is the test MSE against the constant baseline 1/6 (always answer 1.0).

use super::adding_training::{AddingTraining, CONSTANT_BASELINE_MSE, Trained, train, weights_seed};
use crate::any_cell::CellKind;
use crate::feedforward::{FeedForward, FeedForwardConfig};
use crate::many_to_one::ManyToOne;
use anyhow::Result;
use serde::Serialize;
use shared::data::synthetic::adding::ADDING_FEATURES;
use shared::experiment::Run;
use shared::plot::LineChart;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;

/// The experiment's name: its record is `out/lecture-01-rnn/adding.json`.
pub const NAME: &str = "adding";

/// A model "solves" the task below this test MSE, a sixteenth of the constant baseline's 1/6
/// (trained LSTMs and GRUs end near 0.001; an LSTM whose cell forgets everything at every step
/// still creeps down to about 0.05 at T = 30, so the line is drawn well below that).
pub const SOLVED_MSE: f64 = 0.01;
/// A model "stays near the baseline" above this test MSE (the baseline is 1/6 ≈ 0.167).
pub const NEAR_BASELINE_MSE: f64 = 0.12;

/// Sizes of the adding experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// Sequence length, batch, steps, optimiser and test set.
    pub training: AddingTraining,
    /// Hidden width of the recurrent cells.
    pub hidden: usize,
    /// The LSTM and the GRU: cells at `--quick` size, fused layers at full size.
    pub gated: [CellKind; 2],
    /// Steps the feedforward net sees (the last ones).
    pub window: usize,
    /// Hidden width of the feedforward net's two hidden layers.
    pub feedforward_hidden: usize,
}

impl Config {
    /// Quick: T = 30 and 1000 steps (about half a minute); full: T = 50 and 2000 steps (about a minute).
    pub fn for_run(run: &Run) -> Config {
        Config {
            training: AddingTraining {
                time: run.size(30, 50),
                batch: 32,
                steps: run.steps_or(1000, 2000),
                learning_rate: 1e-2,
                clip_norm: 1.0,
                eval_every: run.size(50, 100),
                test_size: 500,
            },
            hidden: run.size(16, 32),
            gated: [CellKind::lstm_for(run), CellKind::gru_for(run)],
            window: run.size(3, 5),
            feedforward_hidden: 64,
        }
    }
}

/// The final test MSE of each model.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct FinalMse {
    pub lstm: f64,
    pub gru: f64,
    pub rnn: f64,
    pub feedforward: f64,
}

/// What the experiment measured.
pub struct Outcome {
    /// The written record (curves, metrics, claims, pictures).
    pub record: ExperimentRecord,
    /// The numbers claim 1 is about.
    pub final_mse: FinalMse,
}

/// Trains the four models, writes `adding.json` and `adding-test-mse.svg`, and checks claim 1.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let training = &config.training;
    let mut chart = LineChart::new(format!("Adding problem, T = {}: test MSE", training.time))
        .x_label("training step")
        .y_label("test MSE (log scale)")
        .log_y(true);
    let mut recurrent_mse = Vec::new();
    let [lstm, gru] = config.gated;
    for (index, kind) in [lstm, gru, CellKind::Rnn].into_iter().enumerate() {
        let model = seeded_on(&run.device, weights_seed(run.seed, index as u64), |device| {
            ManyToOne::new(kind, ADDING_FEATURES, config.hidden, 1, device)
        });
        let name = kind.to_string();
        let trained =
            train(&name, model, |m, x| Ok(m.forward(x)), training, run.seed, &run.device, &mut record)?;
        recurrent_mse.push(trained.final_test_mse());
        chart = chart.series(name, trained.test_mse);
    }
    let name = format!("feedforward (last {} steps)", config.window);
    let feedforward = train_feedforward(run, config, &name, &mut record)?;
    let final_mse = FinalMse {
        lstm: recurrent_mse[0],
        gru: recurrent_mse[1],
        rnn: recurrent_mse[2],
        feedforward: feedforward.final_test_mse(),
    };
    chart = chart.series(name, feedforward.test_mse);
    chart = chart.reference_line("always 1.0 (MSE 1/6)", CONSTANT_BASELINE_MSE as f64);
    chart.save_svg(run.picture_path("adding-test-mse.svg"))?;
    record.add_picture("adding-test-mse.svg");
    add_claims(&mut record, &final_mse);
    run.finish(&mut record)?;
    Ok(Outcome { record, final_mse })
}

/// The feedforward net `[2 window, h, h, 1]` (ReLU) over the last `window` steps, trained; its
/// curves and metric go into `record` under `name`.
fn train_feedforward(
    run: &Run,
    config: &Config,
    name: &str,
    record: &mut ExperimentRecord,
) -> Result<Trained<FeedForward>> {
    let widths =
        vec![config.window * ADDING_FEATURES, config.feedforward_hidden, config.feedforward_hidden, 1];
    let net = seeded_on(&run.device, weights_seed(run.seed, 3), |device| {
        FeedForwardConfig::new(widths).init(device)
    })?;
    let window = config.window;
    let predict = |net: &FeedForward, x| net.forward_window(x, window);
    train(name, net, predict, &config.training, run.seed, &run.device, record)
}

/// Claim 1, in three checks: gated cells solve it, the tanh RNN and the window net do not.
fn add_claims(record: &mut ExperimentRecord, m: &FinalMse) {
    record.add_claim(
        "LSTM and GRU learn the adding problem",
        format!("test MSE < {SOLVED_MSE} for both"),
        format!("LSTM {:.4}, GRU {:.4}", m.lstm, m.gru),
        m.lstm < SOLVED_MSE && m.gru < SOLVED_MSE,
    );
    record.add_claim(
        "the tanh RNN stays near the constant baseline (1/6)",
        format!("test MSE > {NEAR_BASELINE_MSE}"),
        format!("{:.4}", m.rnn),
        m.rnn > NEAR_BASELINE_MSE,
    );
    record.add_claim(
        "a feedforward net over a window cannot solve it",
        format!("test MSE > {NEAR_BASELINE_MSE}"),
        format!("{:.4}", m.feedforward),
        m.feedforward > NEAR_BASELINE_MSE,
    );
}
