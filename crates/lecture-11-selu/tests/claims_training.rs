//! Claims 1 and 4, which train nets on MNIST, each run at `--quick` size with a fixed seed and
//! asserted with a margin. Each test runs exactly the experiment the binary runs.

use lecture_11_selu::activation::ActivationKind;
use lecture_11_selu::experiments::{dead_units, deep_mnist};
use shared::experiment::Run;

const CRATE: &str = "lecture-11-selu";

#[test]
fn claim_relu_units_die_prelu_rrelu_elu_units_do_not() {
    let run = Run::for_test(CRATE, 42);
    let outcome = dead_units::run(&run, &dead_units::Config::for_run(&run)).unwrap();
    // ReLU's derivative is exactly 1 on positive inputs; the sigmoid's never above 1/4.
    let relu = outcome.of(ActivationKind::Relu);
    assert_eq!(relu.positive_derivative, (1.0, 1.0));
    assert!(outcome.record.metrics["sigmoid largest derivative"] <= 0.25);
    // Measured (seed 42, 8 x 64 units, Adam lr 0.01, 300 steps): units off on all 2000 probe
    // images: ReLU 0.244 (from 0.051 at init); PReLU 0.020, RReLU 0.004, ELU 0.016.
    assert!(relu.off_trained > 0.2 && relu.off_trained > 2.0 * relu.off_at_init, "ReLU: {relu:?}");
    for kind in [ActivationKind::Prelu, ActivationKind::Rrelu, ActivationKind::Elu] {
        let off = outcome.of(kind).off_trained;
        assert!(off < 0.5 * relu.off_trained && off < 0.1, "{kind}: {off}, ReLU {}", relu.off_trained);
    }
    // All of them still learn the task (test accuracy 0.88-0.90 on 1000 test images).
    for (name, result) in &outcome.results {
        assert!(result.test_accuracy > 0.8, "{name}: {}", result.test_accuracy);
    }
}

#[test]
fn claim_deep_selu_trains_as_well_as_relu_with_batch_norm_and_far_better_than_relu() {
    let run = Run::for_test(CRATE, 42);
    let outcome = deep_mnist::run(&run, &deep_mnist::Config::for_run(&run)).unwrap();
    let (accuracy, loss) = (outcome.test_accuracy, outcome.train_loss);
    // Measured (16 x 64 units, SGD lr 0.02, 300 steps; seeds 1, 2, 42): SELU 0.877 / 0.862 / 0.817,
    // ReLU + BN 0.784 / 0.744 / 0.736, plain ReLU 0.117 / 0.123 / 0.117 (chance).
    assert!(accuracy.selu >= accuracy.relu_bn - 0.01, "{accuracy:?}");
    assert!(accuracy.selu > 0.75 && accuracy.relu < 0.3, "{accuracy:?}");
    // Training loss: SELU 0.31 against ReLU + BN 0.81 and plain ReLU 2.30 (= ln 10, nothing learnt).
    assert!(loss.selu < loss.relu_bn && loss.relu > 2.0, "{loss:?}");
    assert!(outcome.record.claims.iter().all(|c| c.holds), "{:#?}", outcome.record.claims);
}
