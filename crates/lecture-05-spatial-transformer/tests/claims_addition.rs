//! Claim 4 at `--quick` size, the part that reproduces: with two transformers (attention
//! glimpses of 16 x 16 on a 56 x 56 two-digit canvas) the network reads both digits far more
//! often than with one. The other part, that each glimpse settles on a different digit, did
//! not appear in our short runs (see the README); it is measured and recorded, not asserted.

use lecture_05_spatial_transformer::experiments::addition;
use shared::experiment::Run;
use shared::stats::median;

const CRATE: &str = "lecture-05-spatial-transformer";

/// Over three seeds, the median of each rate: one training trajectory decides nothing.
/// Measured (seed 42, flex, 300 steps of 32, before the sub-seed streams): both digits right
/// 29.2% with two transformers, 14.4% with one (sum right 30.0% vs 16.6%). With the sub-seed
/// streams, both digits right at seeds 42 / 43 / 44: two transformers 26.6% / 21.6% / 21.6%, one
/// 19.4% / 20.8% / 22.2% (medians 21.6% vs 20.8%): at `--quick` size the advantage was one
/// seed's. Not asserted until the quick run reproduces it across seeds (see the README); run it
/// with `--ignored`.
#[test]
#[ignore = "does not reproduce at --quick size across seeds: median both-digits 21.6% vs 20.8%"]
fn claim_two_glimpses_read_two_digits_better_than_one() {
    let outcomes: Vec<addition::Outcome> = [42, 43, 44]
        .into_iter()
        .map(|seed| {
            let run = Run::for_test(CRATE, seed);
            addition::run(&run, &addition::Config::for_run(&run)).expect("the experiment runs")
        })
        .collect();
    let median_of =
        |rate: fn(&addition::Outcome) -> f64| median(&outcomes.iter().map(rate).collect::<Vec<_>>());
    for outcome in &outcomes {
        let (one, two) = (&outcome.one, &outcome.two);
        println!("two {two:?} vs one {one:?}");
        assert_eq!((one.transformers, two.transformers), (1, 2));
        assert!(two.different_digits.is_some_and(|d| (0.0..=1.0).contains(&d)));
    }
    let both = (median_of(|o| o.two.both_digits), median_of(|o| o.one.both_digits));
    assert!(both.0 > both.1 + 0.08, "both digits right, median: two {} vs one {}", both.0, both.1);
    let sum = (median_of(|o| o.two.sum), median_of(|o| o.one.sum));
    assert!(sum.0 > sum.1 + 0.08, "sum right, median: two {} vs one {}", sum.0, sum.1);
}
