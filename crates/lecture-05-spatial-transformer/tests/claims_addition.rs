//! Claims 4 and 4' at `--quick` size over three seeds: on a 56 x 56 two-digit canvas, two
//! transformers (attention glimpses of 16 x 16) each settle on a different digit, and the pair
//! reads both digits more often than one glimpse. Neither reproduced at quick size (numbers in
//! the README): both claims and their controls (every transformer frozen at its initial,
//! centred glimpse) are ignored; `cargo test -p lecture-05-spatial-transformer -- --ignored`
//! runs them.

mod common;

use common::at_seeds;
use lecture_05_spatial_transformer::experiments::addition;
use shared::stats::median_of;
use std::sync::OnceLock;

/// The three quick runs, trained (`frozen` false) or with every transformer frozen.
fn runs(frozen: bool) -> &'static [addition::Outcome] {
    static TRAINED: OnceLock<Vec<addition::Outcome>> = OnceLock::new();
    static FROZEN: OnceLock<Vec<addition::Outcome>> = OnceLock::new();
    let run =
        |run: &_| addition::run(run, &addition::Config { frozen, ..addition::Config::for_run(run) }).unwrap();
    if frozen { FROZEN.get_or_init(|| at_seeds(run)) } else { TRAINED.get_or_init(|| at_seeds(run)) }
}

/// The share of canvases on which the two glimpses are nearer to different digits, median.
fn different_digits(frozen: bool) -> f64 {
    median_of(runs(frozen), |o| o.two.different_digits.expect("two transformers"))
}

/// Measured (seed 42, 300 steps, before the sub-seed streams): 29% of canvases; full size
/// (800 steps): 24%. The glimpses stay near the centre, almost on top of each other.
#[test]
#[ignore = "does not reproduce at --quick size: the glimpses stay on the same digit (29% different, seed 42)"]
fn claim_two_transformers_attend_to_different_digits() {
    let different = different_digits(false);
    assert!(different > 0.6, "glimpses on different digits on {different} of canvases (median)");
}

/// Frozen at their initial, centred glimpse, the two transformers look at the same place.
#[test]
#[ignore = "the control of an ignored claim: does not reproduce at --quick size"]
fn control_two_transformers_attend_to_different_digits() {
    let different = different_digits(true);
    assert!(different < 0.3, "frozen glimpses on different digits on {different} of canvases (median)");
}

/// Both digits right at seeds 42 / 43 / 44 (with the sub-seed streams): two transformers 26.6% /
/// 21.6% / 21.6%, one 19.4% / 20.8% / 22.2% (medians 21.6% vs 20.8%): at `--quick` size the
/// advantage was one seed's.
#[test]
#[ignore = "does not reproduce at --quick size across seeds: median both-digits 21.6% vs 20.8%"]
fn claim_two_glimpses_read_two_digits_better_than_one() {
    let runs = runs(false);
    let both = (median_of(runs, |o| o.two.both_digits), median_of(runs, |o| o.one.both_digits));
    assert!(both.0 > both.1 + 0.08, "both digits right, median: two {} vs one {}", both.0, both.1);
    let sum = (median_of(runs, |o| o.two.sum), median_of(runs, |o| o.one.sum));
    assert!(sum.0 > sum.1 + 0.08, "sum right, median: two {} vs one {}", sum.0, sum.1);
}

/// Every transformer frozen: two copies of the same centred glimpse read no better than one.
#[test]
#[ignore = "the control of an ignored claim: does not reproduce at --quick size across seeds"]
fn control_two_glimpses_read_two_digits_better_than_one() {
    let runs = runs(true);
    let both = (median_of(runs, |o| o.two.both_digits), median_of(runs, |o| o.one.both_digits));
    assert!(both.0 < both.1 + 0.04, "both digits right, frozen, median: two {} vs one {}", both.0, both.1);
}
