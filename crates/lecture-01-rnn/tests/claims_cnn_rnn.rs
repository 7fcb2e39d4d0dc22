//! Lecture 2, layer types combined: a CNN feeding a GRU sums a sequence of MNIST digits, at
//! `--quick` size over three seeds (by the median: one trajectory must not decide), and its
//! negative control, the same network with its state reset before every frame.

use lecture_01_rnn::experiments::cnn_rnn;
use shared::experiment::Run;
use shared::stats::median;
use std::sync::OnceLock;

const CRATE: &str = "lecture-01-rnn";

/// Per seed: (CNN+GRU total accuracy, its first-digit accuracy, CNN-only total accuracy), and
/// the exact one-frame bound.
struct Runs {
    recurrent: Vec<f64>,
    first_digit: Vec<f64>,
    cnn_only: Vec<f64>,
    one_frame_bound: f64,
}

fn runs() -> &'static Runs {
    static RUN: OnceLock<Runs> = OnceLock::new();
    RUN.get_or_init(|| {
        let mut runs = Runs {
            recurrent: Vec::new(),
            first_digit: Vec::new(),
            cnn_only: Vec::new(),
            one_frame_bound: 0.0,
        };
        for seed in [1, 2, 3] {
            let run = Run::for_test(CRATE, seed);
            let outcome = cnn_rnn::run(&run, &cnn_rnn::Config::for_run(&run)).expect("the experiment runs");
            println!("seed {seed}: CNN+GRU {:?}, CNN only {:?}", outcome.recurrent, outcome.cnn_only);
            runs.recurrent.push(outcome.recurrent.accuracy);
            runs.first_digit.push(outcome.recurrent.first_digit_accuracy);
            runs.cnn_only.push(outcome.cnn_only.accuracy);
            runs.one_frame_bound = outcome.one_frame_bound;
        }
        runs
    })
}

/// The CNN+GRU reads the single digits and predicts the exact total of 3 to 5 test digits far
/// above the best guess from one frame (≈ 0.062).
#[test]
fn claim_cnn_rnn_carries_the_sum_across_frames() {
    let r = runs();
    let (total, first_digit) = (median(&r.recurrent), median(&r.first_digit));
    assert!(first_digit >= 0.8, "the CNN reads digits: median {first_digit:.3} of {:?}", r.first_digit);
    assert!(total >= 0.35, "CNN+GRU total accuracy: median {total:.3} of {:?}", r.recurrent);
}

/// Control: the same network with its state reset before every frame (nothing carried across
/// frames) stays at the one-frame bound, although it reads the single digits as well.
#[test]
fn control_cnn_rnn_carries_the_sum_across_frames() {
    let r = runs();
    assert!((r.one_frame_bound - 0.0615).abs() < 0.001, "one-frame bound {}", r.one_frame_bound);
    let cnn_only = median(&r.cnn_only);
    assert!(
        cnn_only <= r.one_frame_bound + 0.03,
        "CNN only: median {cnn_only:.3} of {:?}, bound {:.3}",
        r.cnn_only,
        r.one_frame_bound
    );
}
