//! Claim 3 (memory networks) at `--quick` size with a fixed seed.

use lecture_08_attention::experiments::memory;
use shared::experiment::Run;
use shared::stats::median;

const CRATE: &str = "lecture-08-attention";

/// The three quick runs (seeds 7, 8, 9), one model set per seed.
fn outcomes() -> Vec<memory::Outcome> {
    [7, 8, 9]
        .into_iter()
        .map(|seed| {
            let run = Run::for_test(CRATE, seed);
            memory::run(&run, &memory::Config::for_run(&run)).unwrap()
        })
        .collect()
}

/// The median over the runs of one accuracy.
fn median_of(outcomes: &[memory::Outcome], accuracy: fn(&memory::Accuracies) -> f64) -> f64 {
    median(&outcomes.iter().map(|o| accuracy(&o.accuracy)).collect::<Vec<_>>())
}

/// Task 1 over three seeds, the median of each accuracy (one trajectory decides nothing):
/// the memory network answers single-fact questions the LSTM misses. Measured with the sub-seed
/// streams: memory 1.000 at every seed, LSTM 0.294 / 0.436 / 0.386 (chance 1/6).
#[test]
fn claim_memory_networks_answer_what_an_lstm_misses() {
    let outcomes = outcomes();
    let (memory, lstm) = (median_of(&outcomes, |a| a.single_memory), median_of(&outcomes, |a| a.single_lstm));
    assert!(memory > 0.95 && lstm < 0.7, "task 1, median: memory {memory} vs LSTM {lstm}");
}

/// Task 2 (two supporting facts): three hops chain the facts, one hop and the LSTM cannot.
/// It held at seed 7 before the sub-seed streams (3 hops 1.000, 1 hop 0.432, LSTM 0.260), but
/// at `--quick` size it is decided by the trajectory: with the sub-seed streams three hops
/// reached 0.400 / 0.998 / 0.382 at seeds 7 / 8 / 9 (median 0.400). Not asserted until the
/// quick run reproduces it across seeds (see the README); run it with `--ignored`.
#[test]
#[ignore = "does not reproduce at --quick size across seeds: 3 hops 0.400 / 0.998 / 0.382"]
fn claim_hops_chain_two_facts() {
    let outcomes = outcomes();
    let hops_3 = median_of(&outcomes, |a| a.two_memory_3_hops);
    let (hops_1, lstm) = (median_of(&outcomes, |a| a.two_memory_1_hop), median_of(&outcomes, |a| a.two_lstm));
    assert!(
        hops_3 > 0.9 && lstm < 0.5 && hops_1 < 0.6,
        "task 2, median: 3 hops {hops_3}, 1 hop {hops_1}, LSTM {lstm}"
    );
}
