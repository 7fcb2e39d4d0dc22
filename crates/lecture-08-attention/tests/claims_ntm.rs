//! Claim 4 (Neural Turing Machine on copy) at `--quick` size over three seeds, beside its
//! negative control. "With far fewer parameters" is fixed by the sizes: a unit test of
//! `experiments::ntm_copy` checks it, and no claim rests on it.

mod common;

use common::at_seeds;
use lecture_08_attention::experiments::ntm_copy;
use shared::experiment::Run;
use shared::stats::median_of;
use std::sync::OnceLock;

/// The longest trained length at quick size.
fn longest() -> usize {
    ntm_copy::Config::for_run(&Run::for_test(common::CRATE, 7)).longest
}

/// The three quick runs (NTM and LSTM each), shared by the claim and its control.
fn runs() -> &'static [ntm_copy::Outcome] {
    static RUNS: OnceLock<Vec<ntm_copy::Outcome>> = OnceLock::new();
    RUNS.get_or_init(|| at_seeds(|run| ntm_copy::run(run, &ntm_copy::Config::for_run(run)).unwrap()))
}

/// Quick size: 4-bit vectors, lengths 1-5, 1000 steps; bit errors per sequence, medians over
/// three seeds.
#[test]
fn claim_the_ntm_copies_and_generalises_longer() {
    let (trained, twice) = (longest(), 2 * longest());
    let runs = runs();
    let ntm = (median_of(runs, |o| o.ntm.at(trained)), median_of(runs, |o| o.ntm.at(twice)));
    let lstm_twice = median_of(runs, |o| o.lstm.at(twice));
    assert!(ntm.0 < 0.5, "NTM at length {trained}: {}", ntm.0);
    assert!(ntm.1 < 0.5 * lstm_twice, "at length {twice}: NTM {} vs LSTM {lstm_twice}", ntm.1);
}

/// The external memory removed (an LSTM, trained the same steps on the same batches): it does
/// not copy even the trained lengths.
#[test]
fn control_the_ntm_copies_and_generalises_longer() {
    let trained = longest();
    let lstm = median_of(runs(), |o| o.lstm.at(trained));
    assert!(lstm > 1.0, "LSTM at length {trained}: {lstm} bit errors per sequence");
}
