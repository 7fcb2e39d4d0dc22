//! Claim tests for claims 2, 3 (bidirectional, target delay), 5 (gate ablation) and 7 (pyramid):
//! each runs its experiment at `--quick` size with a fixed seed and asserts the claim with a margin.

use lecture_01_rnn::experiments::bidirectional::{self, Reader};
use shared::experiment::Run;

const CRATE: &str = "lecture-01-rnn";

/// Claims 2 and 3 at once (one run trains all three readers on the same batches).
#[test]
fn claim_bidirectional_beats_unidirectional_and_a_target_delay_closes_the_gap() {
    let run = Run::for_test(CRATE, 7);
    let outcome = bidirectional::run(&run, &bidirectional::Config::for_run(&run)).unwrap();
    let (uni, bi, delayed) = (
        outcome.accuracy_of(Reader::Unidirectional),
        outcome.accuracy_of(Reader::Bidirectional),
        outcome.accuracy_of(Reader::Delayed),
    );
    println!(
        "accuracy: unidirectional {uni:.3}, bidirectional {bi:.3}, delayed {delayed:.3}; parameters {:?}",
        outcome.parameters
    );
    // claim 2: the bidirectional reader solves it, the unidirectional one stays near 1/K = 0.25
    assert!(bi > 0.9, "bidirectional accuracy {bi:.3} should exceed 0.9");
    assert!(
        uni < outcome.chance + 0.1,
        "unidirectional accuracy {uni:.3} should stay near chance {}",
        outcome.chance
    );
    // claim 3: the delayed unidirectional reader gets as far as the bidirectional one
    assert!(delayed > 0.9 && delayed > bi - 0.05, "delayed accuracy {delayed:.3} vs bidirectional {bi:.3}");
}
