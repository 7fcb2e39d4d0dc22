//! Claims 1 and 1' at `--quick` size over three seeds: a CNN trained on upright, centred digits
//! tolerates a one-pixel shift but not a rotation or a change of scale; an ST-CNN trained on RTS
//! digits keeps its accuracy over the rotations it was trained on better than a CNN trained on
//! the same RTS digits. The controls are the same experiment's CNN without its max-pools and
//! that CNN trained on RTS digits.

mod common;

use common::{at_seeds, median_of};
use lecture_05_spatial_transformer::experiments::invariance::{self, Factor, Trained};
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

#[test]
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
fn control_pooling_tolerates_small_shifts_not_rotation_or_scale() {
    let shift = drop(Trained::CnnUprightSubsampled, Factor::Shift, 1.0);
    assert!(shift > TOLERATED + 0.04, "1 px shift costs the CNN without pooling {shift}");
}

/// The ST-CNN's accuracy falls from upright to 45° by at most this much.
const FLAT: f64 = 0.25;

#[test]
fn claim_a_transformer_keeps_accuracy_over_the_trained_rotations() {
    let st = drop(Trained::StCnnRts, Factor::Rotation, 45.0);
    assert!(st < FLAT, "ST-CNN (RTS) loses {st} from upright to 45°");
}

/// The transformer removed, the data kept (a CNN trained on the same RTS digits): it loses more.
#[test]
fn control_a_transformer_keeps_accuracy_over_the_trained_rotations() {
    let cnn = drop(Trained::CnnRts, Factor::Rotation, 45.0);
    assert!(cnn > FLAT + 0.05, "CNN (RTS) loses {cnn} from upright to 45°");
}
