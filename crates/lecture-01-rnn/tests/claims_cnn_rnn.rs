//! Lecture 2, layer types combined: a CNN feeding a GRU sums a sequence of MNIST digits, at
//! `--quick` size with a fixed seed, asserted with a margin.

use lecture_01_rnn::experiments::cnn_rnn;
use shared::experiment::Run;

const CRATE: &str = "lecture-01-rnn";

/// The CNN+GRU predicts the exact total of 3 to 5 test digits far above the best guess from one
/// frame (≈ 0.062, chance ≈ 0.057); the same network with its state reset before every frame
/// stays near that bound, although it reads the single digits as well.
#[test]
fn claim_cnn_rnn_carries_the_sum_across_frames() {
    let run = Run::for_test(CRATE, 1);
    let outcome = cnn_rnn::run(&run, &cnn_rnn::Config::for_run(&run)).expect("the experiment runs");
    let (recurrent, cnn_only) = (&outcome.recurrent, &outcome.cnn_only);
    assert!((outcome.chance - 0.0575).abs() < 0.001, "chance {}", outcome.chance);
    assert!((outcome.one_frame_bound - 0.0615).abs() < 0.001, "one-frame bound {}", outcome.one_frame_bound);
    assert!(recurrent.first_digit_accuracy >= 0.8, "the CNN reads digits: {recurrent:?}");
    assert!(recurrent.accuracy >= 0.35, "CNN+GRU total: {recurrent:?}");
    assert!(cnn_only.accuracy <= outcome.one_frame_bound + 0.03, "CNN only beats one frame: {cnn_only:?}");
    assert!(outcome.record.claims.iter().all(|c| c.holds), "{:?}", outcome.record.claims);
}
