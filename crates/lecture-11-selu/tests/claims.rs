//! Claims 2 and 3 and the derived constants, each run at `--quick` size with a fixed seed and
//! asserted with a margin. Each test runs exactly the experiment the binary runs
//! (`cargo run -p lecture-11-selu -- <experiment> --quick`).

use lecture_11_selu::activation::ActivationKind;
use lecture_11_selu::experiments::{alpha_dropout, self_normalising, selu_constants};
use lecture_11_selu::moments::Moments;
use shared::experiment::Run;

const CRATE: &str = "lecture-11-selu";

#[test]
fn claim_selu_constants_solve_to_the_papers_and_attract() {
    let run = Run::for_test(CRATE, 7);
    let outcome = selu_constants::run(&run, &selu_constants::Config::for_run(&run)).unwrap();
    // Measured: alpha 1.6732632424, lambda 1.0507009874 (both within 1e-10 of the paper).
    assert!((outcome.solved.alpha - 1.6733).abs() < 1e-4 && (outcome.solved.lambda - 1.0507).abs() < 1e-4);
    // Measured spectral radius 0.7826.
    assert!(outcome.spectral_radius < 0.85, "{}", outcome.spectral_radius);
    // Every path of 20 layers ends near (0, 1), from variances 0.1 to 4 (measured: |mean| <= 0.003,
    // |var - 1| <= 0.023; with omega = 0.1 the fixed point itself moves a little off (0, 1)).
    for (mean, var) in &outcome.ends {
        assert!(mean.abs() < 0.01 && (var - 1.0).abs() < 0.05, "path ended at ({mean}, {var})");
    }
    assert!(outcome.record.claims.iter().all(|c| c.holds), "{:#?}", outcome.record.claims);
}

#[test]
fn claim_selu_self_normalises_where_relu_collapses() {
    let run = Run::for_test(CRATE, 7);
    let config = self_normalising::Config::for_run(&run);
    let outcome = self_normalising::run(&run, &config).unwrap();
    let selu = outcome.of(ActivationKind::Selu);
    // From (0.5, 3) SELU is within |mean| < 0.1, |var - 1| < 0.2 from layer 8 on (seeds 1-3, 42:
    // always layer 8); at layer 64 mean -0.03..0.02, variance 0.95..1.03.
    let settled = Moments::settles_at(selu, 0.1, 0.2).expect("SELU settles near (0, 1)");
    assert!(settled <= 10, "settled only from layer {settled}");
    assert!(selu[1].var > 1.5, "layer 2 should still be far from 1: {:?}", selu[1]);
    // The moment map predicts the variance of layers 1-16 (measured worst relative error 0.03-0.07).
    let error = self_normalising::prediction_error(selu, &outcome.selu_predicted);
    assert!(error < 0.1, "prediction error {error}");
    // ReLU (and its leaky cousins) collapse: variance ~1e-20 at layer 64 (halving per layer).
    for kind in [ActivationKind::Relu, ActivationKind::LeakyRelu, ActivationKind::Prelu] {
        let last = outcome.of(kind)[config.depth - 1];
        assert!(last.var < 1e-6, "{kind}: {last:?}");
    }
    // ELU decays more slowly (2e-3 at layer 64) but does not keep variance 1 either.
    assert!(outcome.of(ActivationKind::Elu)[config.depth - 1].var < 0.1);
    assert!(outcome.record.claims.iter().all(|c| c.holds), "{:#?}", outcome.record.claims);
}

#[test]
fn claim_alpha_dropout_keeps_the_moments_ordinary_dropout_breaks_them() {
    let run = Run::for_test(CRATE, 7);
    let config = alpha_dropout::Config::for_run(&run);
    let outcome = alpha_dropout::run(&run, &config).unwrap();
    // Measured (seed 42): alpha dropout's worst layer |mean| 0.013, |var - 1| 0.017; ordinary
    // dropout's layer-32 variance 1.56.
    let (alpha_mean, alpha_var) = alpha_dropout::worst(&outcome.alpha);
    assert!(alpha_mean < 0.1 && alpha_var < 0.15, "alpha dropout: {alpha_mean} {alpha_var}");
    let ordinary = outcome.ordinary[config.depth - 1];
    assert!(ordinary.var > 1.3, "ordinary dropout: {ordinary:?}");
    let (none_mean, none_var) = alpha_dropout::worst(&outcome.none);
    assert!(none_mean < 0.1 && none_var < 0.15, "no dropout: {none_mean} {none_var}");
    assert!(outcome.record.claims.iter().all(|c| c.holds), "{:#?}", outcome.record.claims);
}
