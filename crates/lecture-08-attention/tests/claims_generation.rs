//! Claims 5 (training regimes) and 6 (decoding strategies) at `--quick` size over three seeds,
//! each beside its negative control.

mod common;

use common::at_seeds;
use lecture_08_attention::decoding::Strategy;
use lecture_08_attention::experiments::{decoding, regimes};
use shared::stats::median_of;
use std::sync::OnceLock;

fn decoding_runs() -> &'static [decoding::Outcome] {
    static RUNS: OnceLock<Vec<decoding::Outcome>> = OnceLock::new();
    RUNS.get_or_init(|| at_seeds(|run| decoding::run(run, &decoding::Config::for_run(run)).unwrap()))
}

/// The median mean log-probability of `strategy`'s outputs.
fn log_prob(strategy: Strategy) -> f64 {
    median_of(decoding_runs(), |o| o.of(strategy).mean_log_prob)
}

#[test]
fn claim_beam_search_finds_more_probable_outputs_than_greedy() {
    let (greedy, four, eight) = (
        log_prob(Strategy::Greedy),
        log_prob(Strategy::Beam { width: 4 }),
        log_prob(Strategy::Beam { width: 8 }),
    );
    assert!(four > greedy + 0.1, "mean log p: beam 4 {four} vs greedy {greedy}");
    assert!(eight >= four - 0.02, "beam 8 {eight} vs beam 4 {four}");
    let at_least = median_of(decoding_runs(), |o| o.of(Strategy::Beam { width: 4 }).at_least_greedy);
    assert!(at_least >= 0.95, "beam 4 at least as probable as greedy on {at_least} of strings");
    // Sampling at τ = 1 writes far less probable outputs than greedy.
    let hot = log_prob(Strategy::Sample { temperature: 1.0 });
    assert!(hot < greedy - 1.0, "sampling τ = 1 {hot} vs greedy {greedy}");
}

/// The search removed (a beam of width 1 keeps one hypothesis, as greedy does): no gain.
#[test]
fn control_beam_search_finds_more_probable_outputs_than_greedy() {
    let (greedy, one) = (log_prob(Strategy::Greedy), log_prob(Strategy::Beam { width: 1 }));
    assert!(one < greedy + 0.01, "mean log p: beam 1 {one} vs greedy {greedy}");
}

/// The three quick runs of the regimes (teacher forcing, own output, scheduled sampling).
fn regime_runs() -> &'static [regimes::Outcome] {
    static RUNS: OnceLock<Vec<regimes::Outcome>> = OnceLock::new();
    RUNS.get_or_init(|| at_seeds(|run| regimes::run(run, &regimes::Config::for_run(run)).unwrap()))
}

/// The median of one number of the regime at `index` (0 teacher forcing, 1 own output, 2
/// scheduled sampling).
fn regime(index: usize, number: fn(&regimes::RegimeResult) -> f64) -> f64 {
    median_of(regime_runs(), |o| number(&o.results[index]))
}

/// Sorting 3-8 digits, 400 steps: the teacher-forced model writes the longest strings worse
/// when fed its own output than when fed the truth.
#[test]
fn claim_teacher_forcing_suffers_from_exposure_bias() {
    let gap = regime(0, |r| r.teacher_forced - r.free_running);
    assert!(gap > 0.02, "median gap teacher-fed minus free-running {gap}");
}

/// Nothing to compound: on the shortest strings the same model writes as well free-running as
/// fed the truth.
#[test]
fn control_teacher_forcing_suffers_from_exposure_bias() {
    let gap = regime(0, |r| r.teacher_forced_shortest - r.free_running_shortest);
    assert!(gap < 0.01, "median gap on the shortest strings {gap}");
}

/// Scheduled sampling (the truth at first, more and more of the model's own output) is at
/// least as good free-running as teacher forcing. Measured free-running at seeds 7 / 8 / 9:
/// scheduled 0.789 / 0.874 / 0.969, teacher forcing 0.806 / 0.865 / 0.931 (medians 0.874 vs
/// 0.865): it holds, but so does its control's arm (own output 0.726 / 0.907 / 0.860, median
/// 0.860 >= 0.845), so at `--quick` size the test cannot tell the schedule from no schedule.
#[test]
#[ignore = "not distinguishable from its control at --quick size: own output (no schedule) median 0.860 vs teacher forcing 0.865"]
fn claim_scheduled_sampling_is_at_least_as_good_as_teacher_forcing() {
    let (scheduled, forced) = (regime(2, |r| r.free_running), regime(0, |r| r.free_running));
    assert!(scheduled >= forced - 0.02, "free-running: scheduled {scheduled} vs teacher forcing {forced}");
}

/// The schedule removed (the model's own output from the first step): it trains worst, below
/// teacher forcing. Measured: own output 0.726 / 0.907 / 0.860 against teacher forcing 0.806 /
/// 0.865 / 0.931 (medians 0.860 vs 0.865): at `--quick` size always-sampling is not worst.
#[test]
#[ignore = "does not reproduce at --quick size across seeds: own output median 0.860 vs teacher forcing 0.865"]
fn control_scheduled_sampling_is_at_least_as_good_as_teacher_forcing() {
    let (own, forced) = (regime(1, |r| r.free_running), regime(0, |r| r.free_running));
    assert!(own < forced - 0.02, "free-running: own output {own} vs teacher forcing {forced}");
}
