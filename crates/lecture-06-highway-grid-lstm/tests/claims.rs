//! The lecture's claims about deep nets on MNIST, each run at `--quick` size over three seeds
//! and asserted on the median with a margin, each beside its negative control: the same
//! experiment with the claimed mechanism removed, asserting that the claim then does not hold.
//!
//! Each test runs exactly the experiment the binary runs (`cargo run -p
//! lecture-06-highway-grid-lstm -- <experiment> --quick`), so a claim that holds here holds in
//! the demo. One experiment trains both arms; it runs once per seed and test binary
//! ([`OnceLock`]) and the claim and its control read the same runs.

use lecture_06_highway_grid_lstm::deep_net::LayerKind;
use lecture_06_highway_grid_lstm::experiments::{depth, gates, lesion};
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

fn depth_runs() -> &'static [depth::Outcome] {
    static RUNS: OnceLock<Vec<depth::Outcome>> = OnceLock::new();
    RUNS.get_or_init(|| {
        SEEDS
            .iter()
            .map(|&seed| {
                let run = Run::for_test(CRATE, seed);
                depth::run(&run, &depth::Config::for_run(&run)).unwrap()
            })
            .collect()
    })
}

fn depth_loss(kind: LayerKind, depth: usize) -> f64 {
    median_of(depth_runs(), |outcome| outcome.get(kind, depth).unwrap().final_loss)
}

/// Quick size, 300 steps, flex. Measured final training loss at seeds 42 / 43 / 44 (chance
/// ln 10 = 2.30): depth 10 plain 0.31 / 0.31 / 0.31, highway 0.26 / 0.26 / 0.27, residual
/// 0.27 / 0.29 / 0.28; depth 50 highway 0.25 / 0.27 / 0.26, residual 0.31 / 0.31 / 0.32.
#[test]
fn claim_depth_hurts_plain_nets_not_highway_or_residual_nets() {
    for kind in LayerKind::ALL {
        assert!(
            depth_loss(kind, 10) < 0.6,
            "at depth 10 every kind trains: {kind:?} {}",
            depth_loss(kind, 10)
        );
    }
    for kind in [LayerKind::Highway, LayerKind::Residual] {
        assert!(depth_loss(kind, 50) < 0.6, "{kind:?} at depth 50: {}", depth_loss(kind, 50));
    }
}

/// The additive path removed: a plain net is a highway net without its carry (`T = 1`). At
/// depth 50 it stalls or crawls: 2.27 / 1.49 / 1.22 at seeds 42 / 43 / 44 (median 1.49), at
/// least twice the claim's 0.6.
#[test]
fn control_depth_hurts_plain_nets_not_highway_or_residual_nets() {
    let plain = depth_loss(LayerKind::Plain, 50);
    assert!(plain > 1.2, "the plain net fails the claim's 0.6 by a factor 2 at depth 50: {plain}");
}

fn gate_runs() -> &'static [gates::Outcome] {
    static RUNS: OnceLock<Vec<gates::Outcome>> = OnceLock::new();
    RUNS.get_or_init(|| {
        SEEDS
            .iter()
            .map(|&seed| {
                let run = Run::for_test(CRATE, seed);
                gates::run(&run, &gates::Config::for_run(&run)).unwrap()
            })
            .collect()
    })
}

/// The gates start closed (`σ(-3) = 0.047`), so the claim is asserted on what training adds:
/// the deeper half of a trained depth-50 net more closed than its shallower half. Measured at
/// seeds 42 / 43 / 44 (300 steps, test accuracy 0.905 / 0.900 / 0.898): mean `T` of the deeper
/// half 0.062 / 0.061 / 0.065, of the shallower half 0.046 / 0.049 / 0.048. Training does move
/// the gates with depth, but the other way: the deep layers open slightly.
#[test]
#[ignore = "does not reproduce at quick size: the deeper half's gates open (T 0.062 vs the shallower half's 0.046, seed 42)"]
fn claim_transform_gates_stay_mostly_closed() {
    let runs = gate_runs();
    let accuracy = median_of(runs, |o| o.learned.test_accuracy);
    assert!(accuracy > 0.8, "the depth-50 highway net trains: {accuracy}");
    for outcome in runs {
        let stats = &outcome.learned.stats;
        assert!(stats.closed_most_in_deep_layers(), "closed, most of all deep: {stats:?}");
    }
}

/// The gates frozen at their initialisation (`W_T`, `b_T` never learn): the deep layers are no
/// more closed than the shallow ones (0.054 and 0.054 / 0.055 and 0.055 / 0.055 and 0.055 at
/// seeds 42 / 43 / 44; test accuracy 0.882 / 0.877 / 0.876, so most of the net's accuracy does
/// not need learned gates). Note that frozen gates meet "mostly closed" as well as learned ones.
#[test]
#[ignore = "the control of an ignored claim: see claim_transform_gates_stay_mostly_closed"]
fn control_transform_gates_stay_mostly_closed() {
    for outcome in gate_runs() {
        let stats = &outcome.frozen.stats;
        assert!(!stats.closed_most_in_deep_layers(), "frozen gates: {stats:?}");
    }
}

fn lesion_runs() -> &'static [lesion::Outcome] {
    static RUNS: OnceLock<Vec<lesion::Outcome>> = OnceLock::new();
    RUNS.get_or_init(|| {
        SEEDS
            .iter()
            .map(|&seed| {
                let run = Run::for_test(CRATE, seed);
                lesion::run(&run, &lesion::Config::for_run(&run)).unwrap()
            })
            .collect()
    })
}

/// Measured (seed 42, quick, depth 10): intact plain 0.885, highway 0.907; removing one layer
/// costs the highway net 0.000 on average (largest 0.003).
#[test]
fn claim_lesioning_hurts_plain_nets_far_more_than_highway_nets() {
    let runs = lesion_runs();
    let intact = median_of(runs, |o| o.highway.intact);
    let largest_drop = median_of(runs, |o| o.highway.max_drop());
    assert!(intact > 0.8, "the highway net trains: {intact}");
    assert!(largest_drop < 0.05, "a highway net barely notices any one layer removed: {largest_drop}");
}

/// The carry path removed (a plain net of the same depth): removing one layer costs it 0.74 on
/// average (seed 42, largest 0.85: near chance), where the claim allows 0.05.
#[test]
fn control_lesioning_hurts_plain_nets_far_more_than_highway_nets() {
    let runs = lesion_runs();
    let intact = median_of(runs, |o| o.plain.intact);
    let mean_drop = median_of(runs, |o| o.plain.mean_drop());
    assert!(intact > 0.8, "the plain net trains: {intact}");
    assert!(mean_drop > 0.4, "a plain net breaks without any one layer: {mean_drop}");
}
