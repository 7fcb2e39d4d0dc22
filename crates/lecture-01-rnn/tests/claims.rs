//! Claims 1 and 4, each run at `--quick` size with a fixed seed and asserted with a margin, and
//! their negative controls: the same run's weak arms (a tanh RNN is the LSTM without its gates).
//!
//! Each test runs exactly the experiment the binary runs (`cargo run -p lecture-01-rnn --
//! <experiment> --quick`), on the from-scratch cells of `src/lstm_cell.rs` and `src/gru_cell.rs`,
//! so a claim that holds here holds in the demo and a wrong line in a cell turns it red. A claim
//! and its control share one run per test binary.

use lecture_01_rnn::experiments::adding::{self, FinalMse, NEAR_BASELINE_MSE, SOLVED_MSE};
use lecture_01_rnn::experiments::vanishing;
use shared::experiment::Run;
use std::sync::OnceLock;

const CRATE: &str = "lecture-01-rnn";

fn adding_mse() -> FinalMse {
    static RUN: OnceLock<FinalMse> = OnceLock::new();
    *RUN.get_or_init(|| {
        let run = Run::for_test(CRATE, 7);
        let m = adding::run(&run, &adding::Config::for_run(&run)).unwrap().final_mse;
        println!("adding, final test MSE: {m:?}");
        m
    })
}

/// Claim 1: at T = 30 the gated cells solve the adding problem (measured, seed 7, flex: LSTM
/// and GRU about 0.001).
#[test]
fn claim_lstm_and_gru_beat_rnn_and_feedforward_on_adding() {
    let m = adding_mse();
    assert!(
        m.lstm < SOLVED_MSE && m.gru < SOLVED_MSE,
        "the gated cells should solve the adding problem: {m:?}"
    );
    assert!(m.lstm < m.rnn / 10.0 && m.gru < m.feedforward / 10.0, "{m:?}");
}

/// Control for claim 1: without gates (the tanh RNN) or without memory (a feedforward net over
/// the last steps) the same training stays near the 1/6 baseline (measured about 0.15).
#[test]
fn control_lstm_and_gru_beat_rnn_and_feedforward_on_adding() {
    let m = adding_mse();
    assert!(m.rnn > NEAR_BASELINE_MSE, "the tanh RNN should stay near the 1/6 baseline: {m:?}");
    assert!(
        m.feedforward > NEAR_BASELINE_MSE,
        "a window of the last steps cannot see the first marker: {m:?}"
    );
}

fn vanishing_outcome() -> &'static (vanishing::Outcome, vanishing::Config) {
    static RUN: OnceLock<(vanishing::Outcome, vanishing::Config)> = OnceLock::new();
    RUN.get_or_init(|| {
        let run = Run::for_test(CRATE, 7);
        let config = vanishing::Config::for_run(&run);
        (vanishing::run(&run, &config).unwrap(), config)
    })
}

/// Claim 4: the LSTM's gradient reaches the first step at initialisation, keeps a sizeable share
/// of it once trained, and the LSTM learns the task.
#[test]
fn claim_rnn_gradients_vanish_lstm_gradients_do_not() {
    let (outcome, config) = vanishing_outcome();
    let (rnn, lstm) = (&outcome.rnn, &outcome.lstm);
    let (rnn_init, lstm_init) = (rnn.at_init.first_to_last(), lstm.at_init.first_to_last());
    println!("first/last gradient at init: RNN {rnn_init:e}, LSTM {lstm_init:e}");
    assert!(lstm_init > 100.0 * rnn_init, "at init: LSTM {lstm_init:e}, RNN {rnn_init:e}");
    let lstm_trained = lstm.trained.first_to_last();
    assert!(lstm_trained > 1e-2, "trained LSTM: {lstm_trained:e}");
    let lstm_steps = lstm.steps_to_threshold.expect("the LSTM should reach the threshold test MSE");
    assert!(lstm_steps < config.training.steps, "{lstm_steps}");
    assert!(rnn.steps_to_threshold.is_none_or(|r| lstm_steps < r), "RNN: {:?}", rnn.steps_to_threshold);
    assert!(lstm.final_test_mse < config.threshold_mse, "LSTM {}", lstm.final_test_mse);
}

/// Control for claim 4: the tanh RNN, trained the same way, loses orders of magnitude of the
/// signal between step T and step 1 and never leaves the baseline.
#[test]
fn control_rnn_gradients_vanish_lstm_gradients_do_not() {
    let (outcome, _) = vanishing_outcome();
    let rnn = &outcome.rnn;
    let rnn_init = rnn.at_init.first_to_last();
    assert!(rnn_init < 1e-4, "RNN at init: {rnn_init:e}");
    assert!(rnn.final_test_mse > NEAR_BASELINE_MSE, "RNN {}", rnn.final_test_mse);
}
