//! Claims 2 and 2' at `--quick` size over three seeds: on RTS digits (rotated ±45°, scaled
//! 0.7-1.2, anywhere on a 42 x 42 canvas) the ST-CNN makes fewer test errors than the CNN with
//! the same number of parameters (and the ST-FCN fewer than the FCN), after the same 200 steps
//! of 32. The controls train the same transformer models with their transformers frozen at the
//! identity.

mod common;

use common::at_seeds;
use lecture_05_spatial_transformer::experiments::distorted;
use lecture_05_spatial_transformer::models::ModelKind;
use shared::stats::median_of;
use std::sync::OnceLock;

/// The three quick runs (six models each), shared by every test here.
fn runs() -> &'static [distorted::Outcome] {
    static RUNS: OnceLock<Vec<distorted::Outcome>> = OnceLock::new();
    RUNS.get_or_init(|| at_seeds(|run| distorted::run(run, &distorted::Config::for_run(run)).unwrap()))
}

/// The median test error (%) of `kind` on RTS digits.
fn error(kind: ModelKind) -> f64 {
    median_of(runs(), |o| o.result("RTS", kind).expect("trained").mean_error)
}

/// The transformer model beats its baseline by this many points of test error.
const MARGIN: f64 = 5.0;

#[test]
fn claim_st_cnn_beats_cnn_on_rts_digits() {
    let (cnn, st) = (error(ModelKind::Cnn), error(ModelKind::StCnn));
    assert!(cnn < 65.0, "the CNN learns something: {cnn}");
    assert!(st < cnn - MARGIN, "median test error: ST-CNN {st} vs CNN {cnn}");
}

/// The transformer frozen at the identity: the same ST-CNN does not beat the CNN.
#[test]
fn control_st_cnn_beats_cnn_on_rts_digits() {
    let (cnn, frozen) = (error(ModelKind::Cnn), error(ModelKind::StCnnFrozen));
    assert!(frozen > cnn - MARGIN + 3.0, "median test error: frozen ST-CNN {frozen} vs CNN {cnn}");
}

#[test]
fn claim_st_fcn_beats_fcn_on_rts_digits() {
    let (fcn, st) = (error(ModelKind::Fcn), error(ModelKind::StFcn));
    assert!(st < fcn - MARGIN, "median test error: ST-FCN {st} vs FCN {fcn}");
}

/// The transformer frozen at the identity: the same ST-FCN does not beat the FCN.
#[test]
fn control_st_fcn_beats_fcn_on_rts_digits() {
    let (fcn, frozen) = (error(ModelKind::Fcn), error(ModelKind::StFcnFrozen));
    assert!(frozen > fcn - MARGIN + 3.0, "median test error: frozen ST-FCN {frozen} vs FCN {fcn}");
}
