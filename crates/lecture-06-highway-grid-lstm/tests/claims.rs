//! The lecture's claims about deep nets on MNIST, each run at `--quick` size with a fixed seed
//! and asserted with a margin.
//!
//! Each test runs exactly the experiment the binary runs (`cargo run -p
//! lecture-06-highway-grid-lstm -- <experiment> --quick`), so a claim that holds here holds in
//! the demo.

use lecture_06_highway_grid_lstm::deep_net::LayerKind;
use lecture_06_highway_grid_lstm::experiments::{depth, gates, lesion};
use shared::experiment::Run;

const CRATE: &str = "lecture-06-highway-grid-lstm";

#[test]
fn claim_depth_hurts_plain_nets_not_highway_or_residual_nets() {
    let run = Run::for_test(CRATE, 42);
    let config = depth::Config::for_run(&run);
    let outcome = depth::run(&run, &config).unwrap();
    let loss = |kind, depth| outcome.get(kind, depth).unwrap().final_loss;
    // Quick size, seed 42, flex, 300 steps. Measured final training loss (chance ln 10 = 2.30):
    // depth 10: plain 0.33, highway 0.26, residual 0.28; depth 50: plain 2.13, highway 0.29,
    // residual 0.30.
    for kind in LayerKind::ALL {
        assert!(loss(kind, 10) < 0.6, "at depth 10 every kind trains: {kind:?} {}", loss(kind, 10));
    }
    assert!(
        loss(LayerKind::Plain, 50) > 1.8,
        "the plain net stalls at depth 50: {}",
        loss(LayerKind::Plain, 50)
    );
    assert!(loss(LayerKind::Highway, 50) < 0.6, "highway at depth 50: {}", loss(LayerKind::Highway, 50));
    assert!(loss(LayerKind::Residual, 50) < 0.6, "residual at depth 50: {}", loss(LayerKind::Residual, 50));
    assert!(outcome.record.claims.iter().all(|c| c.holds), "{:#?}", outcome.record.claims);
}

#[test]
fn claim_transform_gates_stay_mostly_closed() {
    let run = Run::for_test(CRATE, 42);
    let outcome = gates::run(&run, &gates::Config::for_run(&run)).unwrap();
    let stats = &outcome.stats;
    // Measured (seed 42, quick): mean T 0.056, deeper half 0.064, 0.3% of gates open; test
    // accuracy 0.89. The net classifies well while almost every gate carries.
    assert!(outcome.test_accuracy > 0.8, "the depth-50 highway net trains: {}", outcome.test_accuracy);
    assert!(stats.deep_half_mean < 0.15, "deep gates mostly closed: {stats:?}");
    assert!(stats.open_fraction < 0.05, "few gates open: {stats:?}");
    assert_eq!(stats.mean_per_layer.len(), 50);
    assert!(outcome.record.claims.iter().all(|c| c.holds), "{:#?}", outcome.record.claims);
}

#[test]
fn claim_lesioning_hurts_plain_nets_far_more_than_highway_nets() {
    let run = Run::for_test(CRATE, 42);
    let outcome = lesion::run(&run, &lesion::Config::for_run(&run)).unwrap();
    let (plain, highway) = (&outcome.plain, &outcome.highway);
    // Measured (seed 42, quick, depth 10): intact plain 0.889, highway 0.891; removing one layer
    // costs the plain net 0.80 on average (largest 0.88: near chance), the highway net 0.00
    // (largest 0.00).
    assert!(plain.intact > 0.8 && highway.intact > 0.8, "both train: {plain:?} {highway:?}");
    assert!(plain.mean_drop() > 0.4, "a plain net breaks without any one layer: {plain:?}");
    assert!(highway.max_drop() < 0.05, "a highway net barely notices: {highway:?}");
    assert!(outcome.record.claims.iter().all(|c| c.holds), "{:#?}", outcome.record.claims);
}
