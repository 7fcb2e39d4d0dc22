//! Claim 6 (stack RNN) at `--quick` size with a fixed seed, asserted with a margin, and its
//! negative control: the plain RNN of the same run, which has no stack.

use lecture_01_rnn::experiments::stack_rnn::{self, LanguageResult};
use shared::data::synthetic::formal_language::Language;
use shared::experiment::Run;
use std::sync::OnceLock;

const CRATE: &str = "lecture-01-rnn";

/// The aⁿbⁿ results of one quick run (trained on n <= 10, tested up to n = 20).
fn anbn() -> &'static LanguageResult {
    static RUN: OnceLock<LanguageResult> = OnceLock::new();
    RUN.get_or_init(|| {
        let run = Run::for_test(CRATE, 1);
        let outcome = stack_rnn::run(&run, &stack_rnn::Config::for_run(&run)).expect("the experiment runs");
        outcome.results.into_iter().find(|r| r.language == Language::AnBn).expect("aⁿbⁿ is trained")
    })
}

/// Claim 6 (Joulin & Mikolov 2015, Table 1): trained on aⁿbⁿ with n <= 10, the Stack RNN
/// predicts the deterministic part of every word up to n = 20.
#[test]
fn claim_stack_rnn_generalises_to_longer_sequences() {
    let stack = &anbn().stack;
    assert!(stack.trained_accuracy >= 0.95, "stack RNN on trained n: {:?}", stack.accuracy_by_n);
    assert!(stack.longer_accuracy >= 0.9, "stack RNN on longer n: {:?}", stack.accuracy_by_n);
}

/// Control for claim 6: the plain RNN, trained the same way without a stack, learns the
/// trained range as well but none of the longer words.
#[test]
fn control_stack_rnn_generalises_to_longer_sequences() {
    let plain = &anbn().plain;
    assert!(plain.trained_accuracy >= 0.9, "plain RNN should fit the trained n: {:?}", plain.accuracy_by_n);
    assert!(plain.longer_accuracy <= 0.3, "plain RNN on longer n: {:?}", plain.accuracy_by_n);
}
