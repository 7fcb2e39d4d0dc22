//! Claims 5 and 6 (training regimes, decoding strategies) at `--quick` size with fixed seeds.

use lecture_08_attention::decoding::Strategy;
use lecture_08_attention::experiments::{decoding, regimes};
use shared::experiment::Run;

const CRATE: &str = "lecture-08-attention";

#[test]
fn claim_beam_search_finds_more_probable_outputs_than_greedy() {
    let run = Run::for_test(CRATE, 7);
    let outcome = decoding::run(&run, &decoding::Config::for_run(&run)).unwrap();
    let greedy = outcome.of(Strategy::Greedy);
    let (one, four, eight) = (
        outcome.of(Strategy::Beam { width: 1 }),
        outcome.of(Strategy::Beam { width: 4 }),
        outcome.of(Strategy::Beam { width: 8 }),
    );
    // Width 1 is greedy, exactly.
    assert_eq!(one.same_as_greedy, 1.0, "{one:?}");
    // Measured (flex): mean log p greedy -4.86, beam 4 -4.46, beam 8 -4.43 (seed 7); greedy
    // -5.11, beam 4 -4.85, beam 8 -4.82 (seed 42); beam 4 at least as probable as greedy on
    // 100% (seed 7) and 98% (seed 42) of strings.
    assert!(four.mean_log_prob > greedy.mean_log_prob + 0.1, "{four:?} {greedy:?}");
    assert!(eight.mean_log_prob >= four.mean_log_prob - 0.02, "{eight:?} {four:?}");
    assert!(four.at_least_greedy >= 0.95, "{four:?}");
    // Sampling at τ = 1 writes far less probable outputs than greedy (measured -9.7 vs -4.9).
    let hot = outcome.of(Strategy::Sample { temperature: 1.0 });
    assert!(hot.mean_log_prob < greedy.mean_log_prob - 1.0, "{hot:?}");
}

#[test]
fn claim_teacher_forcing_suffers_from_exposure_bias() {
    let run = Run::for_test(CRATE, 7);
    let outcome = regimes::run(&run, &regimes::Config::for_run(&run)).unwrap();
    let (forced, own) = (&outcome.results[0], &outcome.results[1]);
    // Measured free-running / teacher-forced accuracy (flex), seed 7: teacher forcing
    // 0.892 / 0.969, own output 0.828 / 0.905, scheduled sampling 0.901 / 0.970; seed 42:
    // 0.950 / 0.976, 0.940 / 0.965, 0.911 / 0.964. The exposure-bias gap and "own output trains
    // worse than teacher forcing" hold for both seeds; scheduled sampling beats teacher forcing
    // for seed 7 only, so that part is reported, not asserted (see the README).
    assert!(forced.free_running < forced.teacher_forced - 0.02, "{forced:?}");
    assert!(own.free_running < forced.free_running, "{own:?} {forced:?}");
}
