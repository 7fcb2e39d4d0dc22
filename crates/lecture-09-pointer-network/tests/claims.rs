//! The lecture's claims, each run at `--quick` size on three seeds and asserted on the median
//! (one training trajectory must not decide), beside its negative control: the same experiment
//! without the mechanism claimed (the fixed-vocabulary output instead of the pointer, the
//! switch forced to generate instead of the copy). A claim and its control share one set of
//! runs per test binary. Measured numbers are seeds 1 / 2 / 42.

use lecture_09_pointer_network::experiments::{convex_hull, copying, length_generalisation, tsp};
use shared::experiment::Run;
use shared::stats::median_of;
use std::sync::OnceLock;

const CRATE: &str = "lecture-09-pointer-network";
const SEEDS: [u64; 3] = [1, 2, 42];

fn sorting_runs() -> &'static [length_generalisation::Outcome] {
    static RUNS: OnceLock<Vec<length_generalisation::Outcome>> = OnceLock::new();
    RUNS.get_or_init(|| {
        Run::at_test_seeds(CRATE, &SEEDS, |run| {
            length_generalisation::run(run, &length_generalisation::Config::for_run(run)).unwrap()
        })
    })
}

/// Sorting 20 numbers after training on 5-10: median exact match above this ...
const SORTS_EXACT: f64 = 0.4;
/// ... and median share of positions right above this.
const SORTS_POSITIONS: f64 = 0.9;

/// Whether the arm `pick` sorts 20 numbers: (median exact, median positions, holds).
fn sorts_twenty(
    pick: fn(&length_generalisation::Outcome) -> length_generalisation::AtLength,
) -> (f64, f64, bool) {
    let runs = sorting_runs();
    let exact = median_of(runs, |o| pick(o).exact);
    let positions = median_of(runs, |o| pick(o).stepwise);
    (exact, positions, exact > SORTS_EXACT && positions > SORTS_POSITIONS)
}

/// Claim 1: trained on 5-10 numbers, the pointer network sorts 20. Measured: exact 0.620 /
/// 0.625 / 0.655, positions 0.952 / 0.955 / 0.953.
#[test]
fn claim_pointer_sorts_twice_the_trained_length() {
    let (exact, positions, holds) = sorts_twenty(|o| o.at(20).0);
    assert!(holds, "pointer at n = 20: median exact {exact}, positions {positions}");
}

/// Control for claim 1: the same model with a fixed vocabulary of positions 1-10 cannot name
/// half of the answer at n = 20. Measured: exact 0.000 at every seed, positions 0.036 / 0.040 /
/// 0.032.
#[test]
fn control_pointer_sorts_twice_the_trained_length() {
    let (exact, positions, holds) = sorts_twenty(|o| o.at(20).1);
    assert!(!holds, "fixed vocabulary at n = 20: median exact {exact}, positions {positions}");
    assert!(positions < 0.5, "it can name at most the first 10 of 20 positions: {positions}");
}

fn copying_runs() -> &'static [copying::Outcome] {
    static RUNS: OnceLock<Vec<copying::Outcome>> = OnceLock::new();
    RUNS.get_or_init(|| {
        Run::at_test_seeds(CRATE, &SEEDS, |run| copying::run(run, &copying::Config::for_run(run)).unwrap())
    })
}

/// Translating sentences whose names were never seen: median exact match above this.
const COPIES_UNSEEN: f64 = 0.9;

/// Claim 4: the pointer-generator writes names it never saw in training. Measured: 1.000 at
/// every seed.
#[test]
fn claim_pointer_generator_copies_unseen_names() {
    let exact = median_of(copying_runs(), |o| o.pointer_generator.test_names);
    assert!(exact > COPIES_UNSEEN, "pointer-generator on test names: median exact {exact}");
}

/// Control for claim 4: with the switch forced to generate (a plain seq2seq with attention)
/// there is no word for an unseen name. Measured: 0.000 at every seed.
#[test]
fn control_pointer_generator_copies_unseen_names() {
    let exact = median_of(copying_runs(), |o| o.seq2seq.test_names);
    assert!(exact < 0.1, "seq2seq on test names: median exact {exact}");
}

fn hull_runs() -> &'static [convex_hull::Outcome] {
    static RUNS: OnceLock<Vec<convex_hull::Outcome>> = OnceLock::new();
    RUNS.get_or_init(|| {
        Run::at_test_seeds(CRATE, &SEEDS, |run| {
            convex_hull::run(run, &convex_hull::Config::for_run(run)).unwrap()
        })
    })
}

/// Hulls of 10 points (the longest trained at the quick size): median exact match above this ...
const HULL_EXACT: f64 = 0.2;
/// ... and median share of the true hull's area covered above this.
const HULL_AREA: f64 = 0.9;

/// Whether the arm `pick` finds hulls of 10 points: (median exact, median area, holds).
fn finds_hulls(pick: fn(&convex_hull::Outcome) -> convex_hull::HullScore) -> (f64, f64, bool) {
    let runs = hull_runs();
    let exact = median_of(runs, |o| pick(o).exact);
    let area = median_of(runs, |o| pick(o).area);
    (exact, area, exact > HULL_EXACT && area > HULL_AREA)
}

/// Claim 2: a pointer network finds convex hulls (exact match and area). Measured: exact 0.325
/// / 0.290 / 0.325, area 0.939 / 0.933 / 0.946.
#[test]
fn claim_pointer_finds_convex_hulls() {
    let (exact, area, holds) = finds_hulls(|o| o.at(10).0);
    assert!(holds, "pointer, hulls of 10 points: median exact {exact}, area {area}");
}

/// Control for claim 2: the same model with a fixed vocabulary of positions does not at the
/// quick size (exact 0.000, area 0.090 / 0.130 / 0.123). At the default size it does, inside
/// its range (0.637 exact at n = 10): the margin here is its slower learning (README, claim 2).
#[test]
fn control_pointer_finds_convex_hulls() {
    let (exact, area, holds) = finds_hulls(|o| o.at(10).1);
    assert!(!holds, "fixed vocabulary, hulls of 10 points: median exact {exact}, area {area}");
}

fn tsp_runs() -> &'static [tsp::Outcome] {
    static RUNS: OnceLock<Vec<tsp::Outcome>> = OnceLock::new();
    RUNS.get_or_init(|| {
        Run::at_test_seeds(CRATE, &SEEDS, |run| tsp::run(run, &tsp::Config::for_run(run)).unwrap())
    })
}

/// "Near the optimum": a mean greedy tour at most this many times the optimal one.
const NEAR_OPTIMAL: f64 = 1.05;

/// Claim 3: on 5 cities the pointer network's greedy tours are within 5% of the optimum and
/// beam search shortens them. Does not reproduce at the quick size (1500 steps on 5-6 cities):
/// seed 42 greedy 2.373, beam 2.361, optimal 2.146 (+10.6%); with 3000 steps on 5-8 cities it
/// holds (greedy 2.170, beam 2.166 against 2.146; 2.654 / 2.638 against 2.563 at n = 8), too
/// long for the test suite.
#[test]
#[ignore = "does not reproduce at quick size: greedy 2.373 / optimal 2.146 (+10.6%) at n = 5, seed 42"]
fn claim_pointer_tours_are_near_optimal_and_beam_search_shortens_them() {
    let runs = tsp_runs();
    let ratio = median_of(runs, |o| o.pointer[0].greedy / o.pointer[0].optimal);
    let gain = median_of(runs, |o| o.pointer[0].greedy - o.pointer[0].beam);
    assert!(ratio < NEAR_OPTIMAL && gain >= 0.0, "greedy / optimal {ratio}, beam gain {gain}");
}

/// Control for claim 3: the fixed-vocabulary model's tours are not near the optimum (seed 42:
/// 2.636 against 2.146 at n = 5).
#[test]
#[ignore = "its claim does not reproduce at quick size"]
fn control_pointer_tours_are_near_optimal_and_beam_search_shortens_them() {
    let ratio = median_of(tsp_runs(), |o| o.fixed_vocabulary[0].greedy / o.fixed_vocabulary[0].optimal);
    assert!(ratio >= NEAR_OPTIMAL, "fixed vocabulary greedy / optimal {ratio}");
}
