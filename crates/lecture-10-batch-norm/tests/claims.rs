//! The lecture's claims, each run at `--quick` size over three seeds and asserted on the median
//! with a margin, each beside its negative control: the same experiment with the claimed
//! mechanism removed (no input scaling, BN replaced by the identity, i.e. the plain net, the
//! learning rate not reduced, batch statistics instead of running ones), asserting that the
//! claim then does not hold.
//!
//! Each test runs exactly the experiment the binary runs (`cargo run -p lecture-10-batch-norm --
//! <experiment> --quick --seed N`), so a claim that holds here holds in the demo. Every
//! experiment trains both arms; it runs once per seed and test binary ([`OnceLock`]) and the
//! claim and its control read the same runs. The numbers in the comments were measured on flex,
//! seeds 42 / 43 / 44.

use lecture_10_batch_norm::experiments::data::InputScaling;
use lecture_10_batch_norm::experiments::{
    batch_independence, covariate_shift, dropout, feature_scaling, initialisation, learning_rate,
};
use shared::experiment::Run;
use shared::stats::median;
use std::sync::OnceLock;

const CRATE: &str = "lecture-10-batch-norm";

/// One trajectory must not decide a claim: every experiment runs at these seeds.
const SEEDS: [u64; 3] = [42, 43, 44];

/// The median over the seeds' runs of `value`; prints every seed's value (`--nocapture`).
fn median_of<T>(runs: &[T], value: impl Fn(&T) -> f64) -> f64 {
    let values: Vec<f64> = runs.iter().map(value).collect();
    let median = median(&values);
    eprintln!("seeds {SEEDS:?}: {values:?}, median {median}");
    median
}

/// `experiment` run at every seed at quick size.
fn at_seeds<T>(experiment: impl Fn(&Run) -> T) -> Vec<T> {
    SEEDS.iter().map(|&seed| experiment(&Run::for_test(CRATE, seed))).collect()
}

fn scaling_runs() -> &'static [feature_scaling::Outcome] {
    static RUNS: OnceLock<Vec<feature_scaling::Outcome>> = OnceLock::new();
    RUNS.get_or_init(|| {
        at_seeds(|run| feature_scaling::run(run, &feature_scaling::Config::for_run(run)).unwrap())
    })
}

/// Median final training loss of the plain net on `scaling`'s inputs.
fn scaling_loss(scaling: InputScaling) -> f64 {
    median_of(scaling_runs(), |o| o.result(scaling).expect("every scaling ran").final_loss)
}

/// Measured: final train loss after 400 steps at seeds 42 / 43 / 44: standardised 0.51 / 0.44 /
/// 0.46 (median 0.46), pixels / 255 1.02 / 0.99 / 0.99 (0.99), raw bytes 1.44 / 1.49 / 1.45 (1.45).
#[test]
fn claim_feature_scaling_speeds_up_training() {
    let (bytes, unit, standardized) = (
        scaling_loss(InputScaling::Bytes),
        scaling_loss(InputScaling::Unit),
        scaling_loss(InputScaling::Standardized),
    );
    assert!(standardized < 0.7, "standardised inputs train: {standardized}");
    assert!(standardized < 0.75 * unit, "standardised {standardized} vs pixels/255 {unit}");
    assert!(unit < 0.85 * bytes, "pixels/255 {unit} vs raw bytes {bytes}");
}

/// Scaling removed: on the raw bytes the same net in the same steps stays far above the claim's
/// 0.7 and at least twice the standardised net's loss: median 1.45 against 0.46.
#[test]
fn control_feature_scaling_speeds_up_training() {
    let (bytes, standardized) = (scaling_loss(InputScaling::Bytes), scaling_loss(InputScaling::Standardized));
    assert!(
        bytes > 1.3 * 0.7 && bytes > 2.0 * standardized,
        "raw bytes {bytes} vs standardised {standardized}"
    );
}

fn shift_runs() -> &'static [covariate_shift::Outcome] {
    static RUNS: OnceLock<Vec<covariate_shift::Outcome>> = OnceLock::new();
    RUNS.get_or_init(|| {
        at_seeds(|run| covariate_shift::run(run, &covariate_shift::Config::for_run(run)).unwrap())
    })
}

/// Median drift of the last hidden layer's sigmoid inputs of the net `pick` chooses.
fn drift(pick: impl Fn(&covariate_shift::Outcome) -> &covariate_shift::NetResult) -> f64 {
    median_of(shift_runs(), |o| pick(o).mean_drift())
}

/// Median steps to the target accuracy (one beyond the schedule when never reached).
fn steps_to_target(pick: impl Fn(&covariate_shift::Outcome) -> &covariate_shift::NetResult) -> f64 {
    let config = covariate_shift::Config::for_run(&Run::for_test(CRATE, SEEDS[0]));
    median_of(shift_runs(), |o| covariate_shift::steps_or_beyond(pick(o), &config) as f64)
}

/// Steady: the median of a sigmoid input wanders less than this many of its 15-85 spreads.
const STEADY_DRIFT_BELOW: f64 = 0.3;

/// Measured: mean drift (in 15-85 spreads) BN 0.154 / 0.165 / 0.153 (median 0.15), plain 0.54.
#[test]
fn claim_bn_keeps_sigmoid_inputs_steady() {
    let (bn, plain) = (drift(|o| &o.bn), drift(|o| &o.plain));
    assert!(bn < STEADY_DRIFT_BELOW && bn < 0.5 * plain, "drift: BN {bn}, plain {plain}");
}

/// BN replaced by the identity (the plain net): its sigmoid inputs drift 0.538 / 0.524 / 0.536
/// spreads (median 0.54), beyond the claim's 0.3 by the margin.
#[test]
fn control_bn_keeps_sigmoid_inputs_steady() {
    let plain = drift(|o| &o.plain);
    assert!(plain > 1.3 * STEADY_DRIFT_BELOW, "plain drift {plain}");
}

/// Measured: steps to test accuracy 0.85: BN 75 / 100 / 75 (median 75), plain 425.
#[test]
fn claim_bn_converges_in_fewer_steps() {
    let (bn, plain) = (steps_to_target(|o| &o.bn), steps_to_target(|o| &o.plain));
    assert!(bn <= 150.0 && 2.0 * bn < plain, "steps to 0.85: BN {bn}, plain {plain}");
}

/// BN replaced by the identity: the plain net needs 500 / 425 / 425 steps (median 425), more than
/// twice the claim's 150.
#[test]
fn control_bn_converges_in_fewer_steps() {
    let plain = steps_to_target(|o| &o.plain);
    assert!(plain > 300.0, "steps to 0.85: plain {plain}");
}

/// Does not reproduce: the plain net at lr 0.05 (a tenth of 0.5) drifts more, not less: 0.79 /
/// 0.81 / 0.84 spreads (median 0.81) against 0.54 at lr 0.5; it is slower (test accuracy 0.35
/// after 600 steps, never 0.85), but not steadier. At lr 0.15 too: median 0.78.
#[test]
#[ignore = "does not reproduce at quick size: at a tenth of the rate the sigmoid inputs drift more (median 0.81 vs 0.54 spreads)"]
fn claim_smaller_learning_rate_also_keeps_inputs_steady() {
    let (small, plain) = (drift(|o| &o.small_rate), drift(|o| &o.plain));
    assert!(small < STEADY_DRIFT_BELOW && small < 0.5 * plain, "drift: lr 0.05 {small}, lr 0.5 {plain}");
    let (small_steps, plain_steps) = (steps_to_target(|o| &o.small_rate), steps_to_target(|o| &o.plain));
    assert!(small_steps > plain_steps, "steps: lr 0.05 {small_steps}, lr 0.5 {plain_steps}");
}

/// The rate not reduced (the plain net at lr 0.5): drift median 0.54, above the steady bound.
#[test]
#[ignore = "its claim does not reproduce at quick size: at a tenth of the rate the sigmoid inputs drift more"]
fn control_smaller_learning_rate_also_keeps_inputs_steady() {
    let plain = drift(|o| &o.plain);
    assert!(plain > 1.3 * STEADY_DRIFT_BELOW, "plain drift at lr 0.5: {plain}");
}

fn rate_runs() -> &'static [learning_rate::Outcome] {
    static RUNS: OnceLock<Vec<learning_rate::Outcome>> = OnceLock::new();
    RUNS.get_or_init(|| {
        at_seeds(|run| learning_rate::run(run, &learning_rate::Config::for_run(run)).unwrap())
    })
}

/// Median final test accuracy at `multiple` x the best plain rate, a diverged run counting 0.
fn accuracy_at(batch_norm: bool, multiple: f64) -> f64 {
    median_of(rate_runs(), |o| {
        let r = o.at(batch_norm, multiple).expect("both nets ran at every multiple");
        if r.diverged_at.is_some() { 0.0 } else { r.final_accuracy }
    })
}

/// Measured, 600 steps a run: the plain sweep 0.3 / 1 / 3 / 10 peaks at 3 at every seed (test
/// accuracy 0.913 / 0.911 / 0.898; at 10: 0.179 / 0.806 / 0.295). At 10x (lr 30) BN 0.842 /
/// 0.873 / 0.700 (median 0.842).
#[test]
fn claim_bn_trains_at_ten_times_the_best_plain_rate() {
    for outcome in rate_runs() {
        assert!(
            outcome.best_is_interior(),
            "best plain rate {} at the sweep's edge",
            outcome.best_plain_rate
        );
    }
    let bn = accuracy_at(true, 10.0);
    assert!(bn > learning_rate::TRAINS_ABOVE, "BN at 10x: {bn}");
}

/// BN replaced by the identity: the plain net at 10x its best rate saturates at chance, 0.087 /
/// 0.099 / 0.099 (median 0.099).
#[test]
fn control_bn_trains_at_ten_times_the_best_plain_rate() {
    let plain = accuracy_at(false, 10.0);
    assert!(plain < 0.2, "plain at 10x: {plain}");
}

/// Does not reproduce: at 30x (lr 90) BN fails as well, 0.107 / 0.093 / 0.116 (median 0.107);
/// its loss jumps to 30-40 in the first steps.
#[test]
#[ignore = "does not reproduce at quick size: at 30x the best plain rate BN fails too (see README)"]
fn claim_bn_trains_at_thirty_times_the_best_plain_rate() {
    let bn = accuracy_at(true, 30.0);
    assert!(bn > learning_rate::TRAINS_ABOVE, "BN at 30x: {bn}");
}

/// The control of the claim above, ignored with it: plain at 30x 0.087 / 0.087 / 0.085.
#[test]
#[ignore = "its claim does not reproduce at quick size: at 30x the best plain rate BN fails too"]
fn control_bn_trains_at_thirty_times_the_best_plain_rate() {
    let plain = accuracy_at(false, 30.0);
    assert!(plain < 0.2, "plain at 30x: {plain}");
}

fn init_runs() -> &'static [initialisation::Outcome] {
    static RUNS: OnceLock<Vec<initialisation::Outcome>> = OnceLock::new();
    RUNS.get_or_init(|| {
        at_seeds(|run| initialisation::run(run, &initialisation::Config::for_run(run)).unwrap())
    })
}

/// Measured: final test accuracy over scales 0.1 / 1 / 4 after 300 steps, BN's spread 0.022 /
/// 0.038 / 0.032 (median 0.032), its worst scale 0.873 / 0.847 / 0.856 (median 0.856).
#[test]
fn claim_bn_is_robust_to_the_init_scale() {
    let (bn_spread, plain_spread) =
        (median_of(init_runs(), |o| o.bn.spread()), median_of(init_runs(), |o| o.plain.spread()));
    let bn_worst = median_of(init_runs(), |o| o.bn.worst());
    assert!(
        bn_spread < 0.1 && bn_spread < initialisation::SPREAD_RATIO_BELOW * plain_spread,
        "spread: BN {bn_spread}, plain {plain_spread}"
    );
    assert!(bn_worst > initialisation::WORST_ACCURACY_ABOVE, "BN's worst scale: {bn_worst}");
}

/// BN replaced by the identity: the plain net's spread 0.780 / 0.789 / 0.776 (median 0.78), its
/// worst scale (0.1) 0.116 / 0.107 / 0.126 (median 0.116): it does not train there.
#[test]
fn control_bn_is_robust_to_the_init_scale() {
    let plain_spread = median_of(init_runs(), |o| o.plain.spread());
    let plain_worst = median_of(init_runs(), |o| o.plain.worst());
    assert!(plain_spread > 0.3, "plain spread {plain_spread}");
    assert!(plain_worst < initialisation::WORST_ACCURACY_ABOVE - 0.2, "plain's worst scale: {plain_worst}");
}

/// Measured: `|dL/dW_l|` at seed 42 BN 1.17, 0.39, 0.39; weakest over last hidden layer 1.00 at
/// every seed.
#[test]
fn claim_bn_keeps_lower_gradients_alive() {
    let (bn, plain) = (
        median_of(init_runs(), |o| o.bn.weakest_to_last()),
        median_of(init_runs(), |o| o.plain.weakest_to_last()),
    );
    assert!(
        bn > 0.7 && bn > initialisation::WEAKEST_RATIO_ABOVE * plain,
        "weakest / last layer: BN {bn}, plain {plain}"
    );
}

/// BN replaced by the identity: at seed 42 plain 0.048, 0.038, 0.162; weakest over last 0.238 /
/// 0.162 / 0.273 (median 0.24).
#[test]
fn control_bn_keeps_lower_gradients_alive() {
    let plain = median_of(init_runs(), |o| o.plain.weakest_to_last());
    assert!(plain < 0.4, "weakest / last layer: plain {plain}");
}

fn dropout_runs() -> &'static [dropout::Outcome] {
    static RUNS: OnceLock<Vec<dropout::Outcome>> = OnceLock::new();
    RUNS.get_or_init(|| at_seeds(|run| dropout::run(run, &dropout::Config::for_run(run)).unwrap()))
}

/// Median test accuracy of the net with these options.
fn dropout_accuracy(batch_norm: bool, with_dropout: bool) -> f64 {
    median_of(dropout_runs(), |o| o.net(batch_norm, with_dropout).expect("every net ran").test_accuracy)
}

/// Holds, but cannot be told from its control: test accuracy after 800 steps, BN 0.913 / 0.915 /
/// 0.921 (median 0.915), BN + dropout 0.907 / 0.906 / 0.908 (0.907), plain 0.910.
#[test]
#[ignore = "cannot be told from its control at quick size: without BN removing dropout costs nothing either"]
fn claim_with_bn_removing_dropout_costs_little() {
    let (bn, bn_dropout) = (dropout_accuracy(true, false), dropout_accuracy(true, true));
    let plain = dropout_accuracy(false, false);
    assert!(bn >= bn_dropout - dropout::COST_AT_MOST, "BN {bn}, BN + dropout {bn_dropout}");
    assert!(bn > 0.85 && bn >= plain, "BN {bn} trains, at least as well as the plain net {plain}");
}

/// BN replaced by the identity, removing dropout should cost the plain net more than the claim's
/// margin. It gains instead: plain 0.910 / 0.910 / 0.912 (median 0.910), plain + dropout 0.887 /
/// 0.897 / 0.896 (0.896). Also with 1,000 training images (seeds 42 / 43 / 44, plain 0.803 /
/// 0.832 / 0.820, plain + dropout 0.797 / 0.822 / 0.818), dropout 0.2 does not help this net.
#[test]
#[ignore = "fails at quick size: without BN removing dropout costs nothing either (dropout 0.2 does not help this net)"]
fn control_with_bn_removing_dropout_costs_little() {
    let (plain, plain_dropout) = (dropout_accuracy(false, false), dropout_accuracy(false, true));
    assert!(
        plain < plain_dropout - dropout::COST_AT_MOST - 0.005,
        "plain {plain}, plain + dropout {plain_dropout}"
    );
}

fn independence_runs() -> &'static [batch_independence::Outcome] {
    static RUNS: OnceLock<Vec<batch_independence::Outcome>> = OnceLock::new();
    RUNS.get_or_init(|| {
        at_seeds(|run| batch_independence::run(run, &batch_independence::Config::for_run(run)).unwrap())
    })
}

/// Measured: running statistics: max logit difference alone vs in the batch 2.4e-6 at every seed
/// (rounding), accuracy one image at a time 0.910 / 0.910 / 0.918.
#[test]
fn claim_running_statistics_make_predictions_independent_of_the_batch() {
    let runs = independence_runs();
    let difference = median_of(runs, |o| o.measured.eval_alone_vs_batch);
    let alone = median_of(runs, |o| o.measured.eval_alone_accuracy);
    assert!(
        difference < batch_independence::SAME_BELOW && alone > 0.85,
        "difference {difference}, accuracy {alone}"
    );
}

/// Running statistics replaced by the batch's: logits in batches of 8 differ by 4.1 / 4.1 / 4.4,
/// one image alone is classified at 0.055 / 0.055 / 0.094 (every image the same answer).
#[test]
fn control_running_statistics_make_predictions_independent_of_the_batch() {
    let runs = independence_runs();
    let difference = median_of(runs, |o| o.measured.train_small_vs_batch);
    let alone = median_of(runs, |o| o.measured.train_alone_accuracy);
    assert!(difference > 0.5 && alone < 0.2, "difference {difference}, accuracy {alone}");
}
