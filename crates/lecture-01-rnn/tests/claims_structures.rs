//! Claims 6 (stack RNN) and the CNN basics at `--quick` size with fixed seeds, each asserted with a margin.

use lecture_01_rnn::experiments::{cnn_basics, stack_rnn};
use shared::data::synthetic::formal_language::Language;
use shared::experiment::Run;

const CRATE: &str = "lecture-01-rnn";

/// Claim 6 (Joulin & Mikolov 2015, Table 1): trained on aⁿbⁿ with n <= 10, the Stack RNN
/// predicts the deterministic part of every word up to n = 20; the plain RNN learns the trained
/// range as well but none of the longer words.
#[test]
fn claim_stack_rnn_generalises_to_longer_sequences() {
    let run = Run::for_test(CRATE, 1);
    let config = stack_rnn::Config::for_run(&run);
    let outcome = stack_rnn::run(&run, &config).expect("the experiment runs");
    let anbn = outcome.results.iter().find(|r| r.language == Language::AnBn).expect("aⁿbⁿ is trained");
    let (stack, plain) = (&anbn.stack, &anbn.plain);
    assert!(stack.trained_accuracy >= 0.95, "stack RNN on trained n: {:?}", stack.accuracy_by_n);
    assert!(stack.longer_accuracy >= 0.9, "stack RNN on longer n: {:?}", stack.accuracy_by_n);
    assert!(plain.trained_accuracy >= 0.9, "plain RNN should fit the trained n: {:?}", plain.accuracy_by_n);
    assert!(plain.longer_accuracy <= 0.3, "plain RNN on longer n: {:?}", plain.accuracy_by_n);
    assert!(outcome.record.claims.iter().all(|c| c.holds), "{:?}", outcome.record.claims);
}

/// Lecture 2: a 5x5 convolution from 28x28x1 to 32 maps has 32 (25 + 1) = 832 parameters; a
/// fully connected layer to the same 24x24x32 outputs has 18432 (784 + 1) = 14 469 120, about
/// 17 391 times more. burn's own modules have exactly these counts.
#[test]
fn claim_conv_layer_has_fewer_parameters() {
    let run = Run::for_test(CRATE, 0);
    let outcome = cnn_basics::run(&run, &cnn_basics::Config::for_run(&run)).expect("the experiment runs");
    let c = &outcome.comparison;
    assert_eq!(c.output, [24, 24, 32]);
    assert_eq!(c.convolution.total(), 32 * (25 + 1));
    assert_eq!(c.locally_connected.total(), 24 * 24 * 32 * (25 + 1));
    assert_eq!(c.dense.total(), 24 * 24 * 32 * (784 + 1));
    assert_eq!((outcome.burn_conv_parameters, outcome.burn_dense_parameters), (832, 14_469_120));
    assert_eq!(c.dense_over_conv().round(), 17_391.0);
    assert!(outcome.record.claims.iter().all(|c| c.holds), "{:?}", outcome.record.claims);
}
