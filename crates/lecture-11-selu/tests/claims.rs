//! Claims 2 and 3, each run at `--quick` size with a fixed seed and asserted with a margin, and
//! their negative controls: the same run's arms without the mechanism (SELU's constants removed,
//! i.e. ELU, and ReLU for claim 2; no dropout and ordinary dropout for claim 3). Each test runs
//! exactly the experiment the binary runs (`cargo run -p lecture-11-selu -- <experiment>
//! --quick`); a claim and its control share one run per test binary. Both experiments are one
//! forward pass through random weights, not a training trajectory, so one seed decides little:
//! the margins below held on seeds 1-3 and 42.

use lecture_11_selu::activation::ActivationKind;
use lecture_11_selu::experiments::{alpha_dropout, self_normalising};
use lecture_11_selu::moments::Moments;
use shared::experiment::Run;
use std::sync::OnceLock;

const CRATE: &str = "lecture-11-selu";

fn self_normalising_run() -> &'static (self_normalising::Outcome, self_normalising::Config) {
    static RUN: OnceLock<(self_normalising::Outcome, self_normalising::Config)> = OnceLock::new();
    RUN.get_or_init(|| {
        let run = Run::for_test(CRATE, 7);
        let config = self_normalising::Config::for_run(&run);
        (self_normalising::run(&run, &config).unwrap(), config)
    })
}

/// Claim 2: from (0.5, 3) SELU is within |mean| < 0.1, |var - 1| < 0.2 from layer 8 on (seeds
/// 1-3, 7, 42: layer 8 or 9); at layer 64 mean -0.03..0.02, variance 0.95..1.03; the moment map
/// predicts the variance of layers 1-16 (measured worst relative error 0.03-0.07).
#[test]
fn claim_selu_self_normalises() {
    let (outcome, _) = self_normalising_run();
    let selu = outcome.of(ActivationKind::Selu);
    let settled = Moments::settles_at(selu, 0.1, 0.2).expect("SELU settles near (0, 1)");
    assert!(settled <= 10, "settled only from layer {settled}");
    assert!(selu[1].var > 1.5, "layer 2 should still be far from 1: {:?}", selu[1]);
    let error = self_normalising::prediction_error(selu, &outcome.selu_predicted);
    assert!(error < 0.1, "prediction error {error}");
    assert!(outcome.record.claims.iter().all(|c| c.holds), "{:#?}", outcome.record.claims);
}

/// Control for claim 2: the same 64 layers without SELU's constants (ELU, `α = λ = 1`, the same
/// LeCun start) lose variance (measured 2e-3 at layer 64), and ReLU with He's start keeps a
/// positive mean (measured 2.0 at layer 64, variance 9.6): neither ever settles near (0, 1).
#[test]
fn control_selu_self_normalises() {
    let (outcome, config) = self_normalising_run();
    for kind in self_normalising::CONTROLS {
        let moments = outcome.of(kind);
        let settled = Moments::settles_at(moments, 0.1, 0.2);
        assert!(settled.is_none(), "{kind} settles near (0, 1) from layer {settled:?}: {moments:?}");
    }
    let elu = outcome.of(ActivationKind::Elu)[config.depth - 1];
    assert!(elu.var < 0.1, "ELU keeps its variance: {elu:?}");
    let relu = outcome.of(ActivationKind::Relu)[config.depth - 1];
    assert!(relu.mean > 0.5, "ReLU's mean is pulled to 0: {relu:?}");
}

fn alpha_dropout_run() -> &'static (alpha_dropout::Outcome, alpha_dropout::Config) {
    static RUN: OnceLock<(alpha_dropout::Outcome, alpha_dropout::Config)> = OnceLock::new();
    RUN.get_or_init(|| {
        let run = Run::for_test(CRATE, 7);
        let config = alpha_dropout::Config::for_run(&run);
        (alpha_dropout::run(&run, &config).unwrap(), config)
    })
}

/// Claim 3: alpha dropout drops a tenth of the units (they sit at its dropped value) and keeps
/// every layer at (0, 1). Measured (seed 7): share at the dropped value 0.100; worst layer
/// |mean| 0.013, |var - 1| 0.017.
#[test]
fn claim_alpha_dropout_keeps_the_moments_ordinary_dropout_breaks_them() {
    let (outcome, config) = alpha_dropout_run();
    let share = outcome.alpha.at_dropped_value;
    assert!((share - config.drop).abs() < 0.03, "alpha dropout drops {share}, not {}", config.drop);
    let (alpha_mean, alpha_var) = alpha_dropout::worst(&outcome.alpha.layers);
    assert!(alpha_mean < 0.1 && alpha_var < 0.15, "alpha dropout: {alpha_mean} {alpha_var}");
    assert!(outcome.record.claims.iter().all(|c| c.holds), "{:#?}", outcome.record.claims);
}

/// Control for claim 3: ordinary dropout breaks the moments (layer-32 variance 1.56), and no
/// dropout, which keeps them too, drops nothing (share at the dropped value 0.000): each fails
/// one half of the claim.
#[test]
fn control_alpha_dropout_keeps_the_moments_ordinary_dropout_breaks_them() {
    let (outcome, config) = alpha_dropout_run();
    let ordinary = outcome.ordinary.layers[config.depth - 1];
    assert!(
        (ordinary.var - 1.0).abs() > alpha_dropout::BROKEN_ABOVE,
        "ordinary dropout keeps the variance: {ordinary:?}"
    );
    let none = outcome.none.at_dropped_value;
    assert!(none < 0.01, "no dropout has {none} of its units at the dropped value");
}
