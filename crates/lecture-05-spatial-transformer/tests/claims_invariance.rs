//! Claims 1 and 1' at `--quick` size over three seeds: a CNN trained on upright, centred digits
//! tolerates a one-pixel shift but not a rotation or a change of scale; an ST-CNN trained on RTS
//! digits keeps its accuracy over the rotations it was trained on better than a CNN trained on
//! the same RTS digits. The controls are the same experiment's CNN without its max-pools and
//! that CNN trained on RTS digits.

mod common;

use common::at_seeds;
use lecture_05_spatial_transformer::experiments::invariance::{self, Factor, Trained};
use shared::stats::median_of;
use std::sync::OnceLock;

/// The three quick runs (four models each, 200 steps of 32, 200 test digits per point).
fn runs() -> &'static [invariance::Outcome] {
    static RUNS: OnceLock<Vec<invariance::Outcome>> = OnceLock::new();
    RUNS.get_or_init(|| at_seeds(|run| invariance::run(run, &invariance::Config::for_run(run)).unwrap()))
}

/// The median over the seeds of `model`'s accuracy upright minus its accuracy at `value` of
/// `factor`.
fn drop(model: Trained, factor: Factor, value: f64) -> f64 {
    median_of(runs(), |o| {
        let curves = o.curves(model).expect("trained");
        curves.at(Factor::Shift, 0.0) - curves.at(factor, value)
    })
}

/// The most a one-pixel shift may cost a shift-tolerant CNN.
const TOLERATED: f64 = 0.06;

/// Measured at seeds 42 / 43 / 44: upright 0.955 / 0.915 / 0.885, a 1 px shift costs 0.045 /
/// 0.015 / -0.010 (median 0.015), a 45° turn 0.61 / 0.50 / 0.61, scale 0.7 more than 0.25. It
/// holds, but so does its control's arm: without pooling a 1 px shift costs 0.040 / 0.075 /
/// 0.050 (median 0.050), inside the same bound, so at `--quick` size the test cannot tell
/// pooling from no pooling.
#[test]
#[ignore = "not distinguishable from its control at --quick size: 1 px costs 0.015 pooled, 0.050 without pooling (medians)"]
fn claim_pooling_tolerates_small_shifts_not_rotation_or_scale() {
    let upright =
        median_of(runs(), |o| o.curves(Trained::CnnUpright).expect("trained").at(Factor::Shift, 0.0));
    assert!(upright > 0.85, "the CNN reads upright digits: {upright}");
    let model = Trained::CnnUpright;
    let (shift, turn, scale) = (
        drop(model, Factor::Shift, 1.0),
        drop(model, Factor::Rotation, 45.0),
        drop(model, Factor::Scale, 0.7),
    );
    assert!(shift < TOLERATED, "1 px shift costs {shift}");
    assert!(turn > 0.4, "45° turn costs {turn}");
    assert!(scale > 0.25, "scale 0.7 costs {scale}");
}

/// Pooling removed (each 2x2 max-pool replaced by keeping its top-left pixel): a one-pixel shift
/// costs the same CNN well beyond what the pooled one tolerates.
#[test]
#[ignore = "does not reproduce at --quick size: without pooling 1 px costs 0.040 / 0.075 / 0.050, within the claim's 0.06"]
fn control_pooling_tolerates_small_shifts_not_rotation_or_scale() {
    let shift = drop(Trained::CnnUprightSubsampled, Factor::Shift, 1.0);
    assert!(shift > TOLERATED + 0.04, "1 px shift costs the CNN without pooling {shift}");
}

/// The ST-CNN's accuracy falls from upright to 45° by at most this much.
const FLAT: f64 = 0.25;

/// Measured at seeds 42 / 43 / 44 (upright -> 45°): ST-CNN 0.860 -> 0.600, 0.865 -> 0.610,
/// 0.870 -> 0.470 (losses 0.26 / 0.255 / 0.40, median 0.26); the CNN trained on the same RTS
/// digits 0.705 -> 0.475, 0.610 -> 0.480, 0.740 -> 0.375 (0.23 / 0.13 / 0.365, median 0.23). The
/// ST-CNN is more accurate at every angle, but its curve is not flatter at this length of
/// training (at full size it was: 0.94 -> 0.79 against 0.86 -> 0.51).
#[test]
#[ignore = "does not reproduce at --quick size: ST-CNN loses 0.26 from upright to 45°, the RTS-trained CNN 0.23 (medians)"]
fn claim_a_transformer_keeps_accuracy_over_the_trained_rotations() {
    let st = drop(Trained::StCnnRts, Factor::Rotation, 45.0);
    assert!(st < FLAT, "ST-CNN (RTS) loses {st} from upright to 45°");
}

/// The transformer removed, the data kept (a CNN trained on the same RTS digits): it loses more.
#[test]
#[ignore = "the control of an ignored claim: the RTS-trained CNN loses 0.23 (median), less than the ST-CNN"]
fn control_a_transformer_keeps_accuracy_over_the_trained_rotations() {
    let cnn = drop(Trained::CnnRts, Factor::Rotation, 45.0);
    assert!(cnn > FLAT + 0.05, "CNN (RTS) loses {cnn} from upright to 45°");
}
