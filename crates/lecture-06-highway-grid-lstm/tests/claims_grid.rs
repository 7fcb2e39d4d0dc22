//! The lecture's claims about Grid LSTM at `--quick` size over three seeds, asserted on the
//! median, each beside its negative control (the same experiment's net without memory along
//! depth). One experiment trains both arms, once per seed and test binary ([`OnceLock`]).

use lecture_06_highway_grid_lstm::experiments::{addition, parity};
use shared::experiment::Run;
use shared::stats::median;
use std::sync::OnceLock;

const CRATE: &str = "lecture-06-highway-grid-lstm";

/// One trajectory must not decide a claim: every experiment runs at these seeds.
const SEEDS: [u64; 3] = [42, 43, 44];

/// The median over the seeds' runs of `value`.
fn median_of<T>(runs: &[T], value: impl Fn(&T) -> f64) -> f64 {
    median(&runs.iter().map(value).collect::<Vec<_>>())
}

fn parity_runs() -> &'static [parity::Outcome] {
    static RUNS: OnceLock<Vec<parity::Outcome>> = OnceLock::new();
    RUNS.get_or_init(|| {
        SEEDS
            .iter()
            .map(|&seed| {
                let run = Run::for_test(CRATE, seed);
                parity::run(&run, &parity::Config::for_run(&run)).unwrap()
            })
            .collect()
    })
}

/// Quick size: 8 bits, depth 20, 800 steps. Measured (seed 42, flex): Grid LSTM 1.000 (its
/// loss leaves ln 2 around step 450 and ends at 0.009).
#[test]
fn claim_tied_1d_grid_lstm_learns_parity_where_a_tanh_mlp_does_not() {
    let grid = median_of(parity_runs(), |o| o.grid_accuracy);
    assert!(grid > 0.9, "Grid LSTM: {grid}");
}

/// No memory cell along depth: a tanh MLP of the same depth, same batches and optimiser, stays
/// at chance (seed 42: 0.510, loss 0.70 throughout), far below the claim's 0.9.
#[test]
fn control_tied_1d_grid_lstm_learns_parity_where_a_tanh_mlp_does_not() {
    let mlp = median_of(parity_runs(), |o| o.mlp_accuracy);
    assert!(mlp < 0.6, "tanh MLP: {mlp}");
}

fn addition_runs() -> &'static [addition::Outcome] {
    static RUNS: OnceLock<Vec<addition::Outcome>> = OnceLock::new();
    RUNS.get_or_init(|| {
        SEEDS
            .iter()
            .map(|&seed| {
                let run = Run::for_test(CRATE, seed);
                addition::run(&run, &addition::Config::for_run(&run)).unwrap()
            })
            .collect()
    })
}

/// Kalchbrenner et al. Sec. 4.2: the 2-D Grid LSTM adds at least as well as a stacked LSTM of
/// the same size. Default size (1500 steps, seed 42): Grid 0.096 exact sums, stacked 0.864.
/// Quick size (300 steps), seeds 42 / 43 / 44: Grid 0.080 / 0.064 / 0.078, stacked 0.070 /
/// 0.098 / 0.114 (medians 0.078 and 0.098): neither has learned to add yet.
#[test]
#[ignore = "does not reproduce: the stacked LSTM learns 2-digit sums faster (default size 0.864 vs the grid's 0.096; quick medians 0.098 vs 0.078)"]
fn claim_2d_grid_lstm_adds_at_least_as_well_as_a_stacked_lstm() {
    let runs = addition_runs();
    let (grid, stacked) = (median_of(runs, |o| o.grid.exact), median_of(runs, |o| o.stacked.exact));
    assert!(grid > 0.5 && grid >= stacked, "exact sums: grid {grid}, stacked {stacked}");
}

/// The memory along depth removed: the stacked LSTM is the 2-D grid whose layers pass only `h`
/// upwards; the paper's claim is that it falls behind.
#[test]
#[ignore = "the control of an ignored claim: see claim_2d_grid_lstm_adds_at_least_as_well_as_a_stacked_lstm"]
fn control_2d_grid_lstm_adds_at_least_as_well_as_a_stacked_lstm() {
    let runs = addition_runs();
    let (grid, stacked) = (median_of(runs, |o| o.grid.exact), median_of(runs, |o| o.stacked.exact));
    assert!(stacked < grid - 0.1, "exact sums: stacked {stacked}, grid {grid}");
}

/// The experiment itself (a unit test, not a claim): nets of about the same size, a record
/// with the claim marked as measured, accuracies in range.
#[test]
fn addition_experiment_compares_nets_of_similar_size() {
    let run = Run::for_test(CRATE, 42);
    let mut config = addition::Config::for_run(&run);
    config.schedule.steps = 20;
    config.schedule.test_size = 50;
    let outcome = addition::run(&run, &config).unwrap();
    let (grid, stacked) = (outcome.grid, outcome.stacked);
    let ratio = grid.parameters as f64 / stacked.parameters as f64;
    assert!((0.95..1.05).contains(&ratio), "similar sizes: {} vs {}", grid.parameters, stacked.parameters);
    for r in [grid, stacked] {
        assert!((0.0..=1.0).contains(&r.exact) && (0.0..=1.0).contains(&r.per_digit), "{r:?}");
        assert!(r.exact <= r.per_digit, "a sum is right only if all its digits are: {r:?}");
    }
    assert_eq!(outcome.record.claims.len(), 1);
}
