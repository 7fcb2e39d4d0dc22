//! Claim 3 at `--quick` size: trained on rotated digits (±90°) for classification alone, the
//! transformer starts to turn them back: the rotation it applies follows the true angle.

use lecture_05_spatial_transformer::experiments::undo_rotation;
use shared::experiment::Run;

const CRATE: &str = "lecture-05-spatial-transformer";

/// Measured (seed 42, flex, ST-FCN, 600 steps of 32): median angle error 33.5° against 45.5°
/// for a transformer that does not rotate (the median |true angle|). The paper's "within about
/// 20°" needs longer training (see the README); here the error must be at least 8° below the
/// no-rotation error.
#[test]
fn claim_transformer_turns_rotated_digits_back() {
    let run = Run::for_test(CRATE, 42);
    let outcome =
        undo_rotation::run(&run, &undo_rotation::Config::for_run(&run)).expect("the experiment runs");
    assert!((outcome.median_true_angle_degrees - 45.0).abs() < 5.0, "angles uniform on ±90°");
    assert!(
        outcome.median_error_degrees < outcome.median_true_angle_degrees - 8.0,
        "median error {:.1}° vs {:.1}° without rotation",
        outcome.median_error_degrees,
        outcome.median_true_angle_degrees
    );
    assert!(outcome.accuracy > 0.7, "the classifier learns: accuracy {}", outcome.accuracy);
}
