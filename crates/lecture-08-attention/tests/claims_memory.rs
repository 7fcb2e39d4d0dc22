//! Claim 3 (memory networks) at `--quick` size over three seeds, each part beside its negative
//! control. Every model trains the same number of steps on the same batches.

mod common;

use common::at_seeds;
use lecture_08_attention::experiments::memory;
use shared::stats::median_of;
use std::sync::OnceLock;

/// The three quick runs (seeds 7, 8, 9), one model set per seed, shared by every test here.
fn runs() -> &'static [memory::Outcome] {
    static RUNS: OnceLock<Vec<memory::Outcome>> = OnceLock::new();
    RUNS.get_or_init(|| at_seeds(|run| memory::run(run, &memory::Config::for_run(run)).unwrap()))
}

fn accuracy(number: fn(&memory::Accuracies) -> f64) -> f64 {
    median_of(runs(), |o| number(&o.accuracy))
}

/// Task 1 (single supporting fact), median over three seeds (chance 1/6).
#[test]
fn claim_memory_networks_answer_what_an_lstm_misses() {
    let memory = accuracy(|a| a.single_memory);
    assert!(memory > 0.95, "task 1, median: memory network {memory}");
}

/// The memory removed (an LSTM reads the story and the question, as many steps on the same
/// batches): it misses a large share of the answers.
#[test]
fn control_memory_networks_answer_what_an_lstm_misses() {
    let lstm = accuracy(|a| a.single_lstm);
    assert!(lstm < 0.7, "task 1, median: LSTM {lstm}");
}

/// Task 2 (two supporting facts): three hops chain the facts. See the README for the numbers.
#[test]
#[ignore = "does not reproduce at --quick size across seeds: see the README (3 hops by seed)"]
fn claim_hops_chain_two_facts() {
    let hops_3 = accuracy(|a| a.two_memory_3_hops);
    assert!(hops_3 > 0.9, "task 2, median: 3 hops {hops_3}");
}

/// Hops removed (one hop finds one fact) and the memory removed (the LSTM): neither chains.
#[test]
#[ignore = "the control of an ignored claim: does not reproduce at --quick size across seeds"]
fn control_hops_chain_two_facts() {
    let (hops_1, lstm) = (accuracy(|a| a.two_memory_1_hop), accuracy(|a| a.two_lstm));
    assert!(hops_1 < 0.6 && lstm < 0.5, "task 2, median: 1 hop {hops_1}, LSTM {lstm}");
}
