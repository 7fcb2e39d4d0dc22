//! The lecture's claims about Grid LSTM, each run at `--quick` size with a fixed seed.

use lecture_06_highway_grid_lstm::experiments::{addition, parity};
use shared::experiment::Run;

const CRATE: &str = "lecture-06-highway-grid-lstm";

#[test]
fn claim_tied_1d_grid_lstm_learns_parity_where_a_tanh_mlp_does_not() {
    let run = Run::for_test(CRATE, 42);
    let config = parity::Config::for_run(&run);
    let outcome = parity::run(&run, &config).unwrap();
    // Quick size: 8 bits, depth 20, 800 steps. Measured (seed 42, flex): Grid LSTM 1.000 (its
    // loss leaves ln 2 around step 450 and ends at 0.009), MLP 0.510 (loss 0.70 throughout).
    assert!(outcome.grid_accuracy > 0.9, "Grid LSTM: {}", outcome.grid_accuracy);
    assert!(outcome.mlp_accuracy < 0.6, "tanh MLP: {}", outcome.mlp_accuracy);
    assert!(outcome.record.claims.iter().all(|c| c.holds), "{:#?}", outcome.record.claims);
}

/// The addition claim (2-D Grid LSTM >= stacked LSTM) did NOT reproduce at our scale (see the
/// README: 2-digit sums, 1500 steps, seed 42: grid 0.096 exact, stacked 0.864), so it is not
/// asserted. This test only checks the experiment itself: nets of about the same size, a record
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
