//! Claim 3 at `--quick` size: trained on rotated digits (±90°) for classification alone, the
//! transformer starts to turn them back: the rotation it applies follows the true angle.

mod common;

use common::at_seeds;
use lecture_05_spatial_transformer::experiments::undo_rotation;
use lecture_05_spatial_transformer::models::ModelKind;
use shared::stats::median_of;

/// The three quick runs of `kind` (the ST-FCN, or the ST-FCN frozen at the identity).
fn runs(kind: ModelKind) -> Vec<undo_rotation::Outcome> {
    at_seeds(|run| {
        undo_rotation::run(run, &undo_rotation::Config { kind, ..undo_rotation::Config::for_run(run) })
            .unwrap()
    })
}

/// Over three seeds (42, 43, 44), the median of each number: one trajectory decides nothing.
/// Measured (seed 42, flex, ST-FCN, 600 steps of 32, before the sub-seed streams): median angle
/// error 33.5° against 45.5° for a transformer that does not rotate (the median |true angle|);
/// with the sub-seed streams, at seeds 42 / 43 / 44: 39.8° / 38.4° / 36.9° against 47.3° /
/// 41.1° / 43.6° (medians 38.4° vs 43.6°): below the no-rotation error at every seed, but not by
/// the 8° asked here, so not asserted until the quick run resolves it (see the README); run it
/// with `--ignored`. The paper's "within about 20°" needs longer training.
#[test]
#[ignore = "not resolved at --quick size across seeds: median error 38.4° vs 43.6° without rotation"]
fn claim_transformer_turns_rotated_digits_back() {
    let outcomes = runs(ModelKind::StFcn);
    let (error, no_rotation) = (
        median_of(&outcomes, |o| o.median_error_degrees),
        median_of(&outcomes, |o| o.median_true_angle_degrees),
    );
    println!("median over seeds: error {error:.1}° vs {no_rotation:.1}° without rotation");
    assert!((no_rotation - 45.0).abs() < 5.0, "angles uniform on ±90°");
    assert!(error < no_rotation - 8.0, "median error {error:.1}° vs {no_rotation:.1}° without rotation");
    let accuracy = median_of(&outcomes, |o| o.accuracy);
    assert!(accuracy > 0.7, "the classifier learns: accuracy {accuracy}");
}

/// The transformer frozen at the identity: it does not rotate, so its error is the
/// no-rotation error.
#[test]
#[ignore = "the control of an ignored claim: not resolved at --quick size across seeds"]
fn control_transformer_turns_rotated_digits_back() {
    let outcomes = runs(ModelKind::StFcnFrozen);
    let (error, no_rotation) = (
        median_of(&outcomes, |o| o.median_error_degrees),
        median_of(&outcomes, |o| o.median_true_angle_degrees),
    );
    assert!(
        error > no_rotation - 2.0,
        "frozen: median error {error:.1}° vs {no_rotation:.1}° without rotation"
    );
}
