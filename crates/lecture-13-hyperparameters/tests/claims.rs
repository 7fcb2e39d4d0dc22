//! Claims 1-3 on the synthetic functions, each run at `--quick` size over many seeds (the
//! experiments take the medians themselves), and their negative controls: the same runs with the
//! mechanism removed. Each test runs exactly the experiment the binary runs (`cargo run -p
//! lecture-13-hyperparameters -- <experiment> --quick`); a claim and its control share one run.

use lecture_13_hyperparameters::experiments::{controller_search, model_based, random_vs_grid};
use shared::experiment::Run;
use std::sync::OnceLock;

const CRATE: &str = "lecture-13-hyperparameters";

fn random_vs_grid_run() -> &'static random_vs_grid::Outcome {
    static RUN: OnceLock<random_vs_grid::Outcome> = OnceLock::new();
    RUN.get_or_init(|| {
        let run = Run::for_test(CRATE, 7);
        random_vs_grid::run(&run, &random_vs_grid::Config::for_run(&run)).unwrap()
    })
}

/// Claim 1: on the 2-of-6 bowl, 64 random trials find a median best regret at least twice as
/// small as the 64-point grid's (30 seeds; measured at seed 7: grid 0.0137, random 0.0050).
#[test]
fn claim_random_beats_grid_when_few_hyperparameters_matter() {
    let arms = &random_vs_grid_run().two_of_six;
    assert!(arms.ratio() >= random_vs_grid::BEATS_RATIO, "grid / random = {}: {arms:?}", arms.ratio());
}

/// Control for claim 1: when all 6 axes matter equally (the same total weight), random search no
/// longer beats the grid (measured ratio 0.57: the grid is better).
#[test]
fn control_random_beats_grid_when_few_hyperparameters_matter() {
    let arms = &random_vs_grid_run().all_six;
    assert!(arms.ratio() < random_vs_grid::BEATS_RATIO, "grid / random = {}", arms.ratio());
    assert!(
        arms.ratio() < 1.0,
        "the grid is the better of the two when every axis matters: {}",
        arms.ratio()
    );
}

fn model_based_run() -> &'static model_based::Outcome {
    static RUN: OnceLock<model_based::Outcome> = OnceLock::new();
    RUN.get_or_init(|| {
        let run = Run::for_test(CRATE, 7);
        model_based::run(&run, &model_based::Config::for_run(&run)).unwrap()
    })
}

/// Claim 2: GP-EI reaches random search's 30-trial best in at most 0.6 x 30 trials (median over
/// 30 seeds; measured Branin / Hartmann 6 at run seeds 7, 42, 1: 16.0 / 11.5, 11.0 / 15.5,
/// 13.0 / 15.0; at 12 seeds, seed 7 gave 20.5 on Hartmann 6, too noisy to assert on).
#[test]
fn claim_model_based_search_needs_fewer_trials() {
    let outcome = model_based_run();
    for arms in &outcome.functions {
        let gp = arms.median_trials(0);
        assert!(gp <= model_based::FEWER_FRACTION * outcome.trials as f64, "{:?}: GP-EI {gp}", arms.function);
    }
}

/// Control for claim 2: the same GP-EI code with its model replaced by a constant posterior
/// (random proposals) needs about random search's whole budget: random against random reaches
/// the other's best within the budget half of the time (measured Branin / Hartmann 6 at run seeds
/// 7, 42, 1: 25.5 / 30.0, 21.5 / 31.0, 27.0 / 31.0; 31 means never, in over half the seeds).
#[test]
fn control_model_based_search_needs_fewer_trials() {
    let outcome = model_based_run();
    for arms in &outcome.functions {
        let control = arms.median_trials(2);
        assert!(
            control > model_based::FEWER_FRACTION * outcome.trials as f64,
            "{:?}: {control}",
            arms.function
        );
    }
}

fn controller_run() -> &'static controller_search::Outcome {
    static RUN: OnceLock<controller_search::Outcome> = OnceLock::new();
    RUN.get_or_init(|| {
        let run = Run::for_test(CRATE, 7);
        controller_search::run(&run, &controller_search::Config::for_run(&run)).unwrap()
    })
}

/// Claim 3: the controller's samples improve: the median over 3 seeds of the mean reward of the
/// last 5 iterations beats random sampling's exact mean and the first 5 iterations' by 0.5
/// (measured at seed 42: -3.00 -> -0.81, random -3.05, best -0.55).
#[test]
fn claim_the_controllers_proposals_improve() {
    let outcome = controller_run();
    let trained = &outcome.trained;
    assert!(
        trained.improves(outcome.uniform),
        "first {}, last {}, random {}",
        trained.window(false),
        trained.window(true),
        outcome.uniform
    );
}

/// Control for claim 3: the same controller with learning rate 0 stays at random sampling's
/// level (measured -3.05 -> -3.06).
#[test]
fn control_the_controllers_proposals_improve() {
    let outcome = controller_run();
    let frozen = &outcome.frozen;
    assert!(
        !frozen.improves(outcome.uniform),
        "first {}, last {}",
        frozen.window(false),
        frozen.window(true)
    );
    assert!((frozen.window(true) - outcome.uniform).abs() < controller_search::MARGIN);
}
