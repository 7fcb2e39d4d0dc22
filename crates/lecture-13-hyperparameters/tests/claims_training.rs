//! Claim 4, which trains MNIST MLPs: Hyperband against random search at `--quick` size, three
//! seeds, asserted on the medians; and its negative control, Hyperband with its early stopping
//! removed. Both share one set of runs.

use lecture_13_hyperparameters::experiments::hyperband_steps;
use shared::experiment::Run;
use std::sync::OnceLock;

const CRATE: &str = "lecture-13-hyperparameters";

fn hyperband_run() -> &'static hyperband_steps::Outcome {
    static RUN: OnceLock<hyperband_steps::Outcome> = OnceLock::new();
    RUN.get_or_init(|| {
        let run = Run::for_test(CRATE, 7);
        hyperband_steps::run(&run, &hyperband_steps::Config::for_run(&run)).unwrap()
    })
}

/// Claim 4: Hyperband's best fully trained MLP is within 0.02 of random search's validation error
/// (median over 3 seeds) for at most 0.6 of its training steps (R = 9 units of 10 steps, 17
/// configurations each).
#[test]
fn claim_hyperband_is_as_good_for_a_fraction_of_the_steps() {
    let outcome = hyperband_run();
    let (hyperband, random) = (&outcome.hyperband, &outcome.random);
    assert!(
        hyperband.as_good_for_a_fraction(random),
        "Hyperband {:?}, random {:?}",
        (hyperband.median_best(), hyperband.median_steps()),
        (random.median_best(), random.median_steps())
    );
}

/// Control for claim 4: without early stopping, the same brackets train every configuration to
/// R and use no fewer steps than random search.
#[test]
fn control_hyperband_is_as_good_for_a_fraction_of_the_steps() {
    let outcome = hyperband_run();
    let (without, random) = (&outcome.without_early_stopping, &outcome.random);
    assert!(!without.as_good_for_a_fraction(random), "{:?}", (without.median_best(), without.median_steps()));
    assert!(without.median_steps() >= random.median_steps());
}
