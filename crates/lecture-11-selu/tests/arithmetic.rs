//! Numbers fixed by arithmetic, not claims: the SELU constants solved from the fixed-point
//! conditions (the paper's, to 1e-10) and the Jacobian of the moment map there; ReLU's derivative
//! on positive inputs and the sigmoid's largest; the gains of LeCun's and He's initialisations.

use burn::prelude::*;
use burn::tensor::activation::sigmoid;
use lecture_11_selu::experiments::selu_constants;
use lecture_11_selu::relu::relu;
use shared::experiment::Run;
use shared::testing::seeded;

const CRATE: &str = "lecture-11-selu";

#[test]
fn selu_constants_solve_to_the_papers_and_attract() {
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
fn relu_passes_the_gradient_unchanged_and_the_sigmoid_shrinks_it() {
    let derivative = |f: fn(Tensor<1>) -> Tensor<1>| -> Vec<f32> {
        seeded(0, |device| {
            let x = Tensor::<1>::from_floats([-3.0, -0.5, 0.01, 0.5, 2.0, 40.0], device).require_grad();
            let grads = f(x.clone()).sum().backward();
            x.grad(&grads).expect("a gradient").into_data().iter::<f32>().collect()
        })
    };
    assert_eq!(derivative(relu), [0.0, 0.0, 1.0, 1.0, 1.0, 1.0]);
    let largest = derivative(sigmoid).into_iter().fold(0.0f32, f32::max);
    assert!(largest <= 0.25, "{largest}");
}

#[test]
fn he_gain_follows_the_negative_slope_and_lecun_is_one() {
    use lecture_11_selu::activation::ActivationKind;
    use lecture_11_selu::deep_net::WeightInit;
    assert_eq!(WeightInit::LeCun.gain(ActivationKind::Relu), 1.0);
    assert!((WeightInit::He.gain(ActivationKind::Relu) - 2f64.sqrt()).abs() < 1e-12);
    // PReLU starts at slope 0.25: gain² = 2 / (1 + 0.0625).
    assert!((WeightInit::He.gain(ActivationKind::Prelu).powi(2) - 2.0 / 1.0625).abs() < 1e-12);
    assert_eq!(WeightInit::usual_for(ActivationKind::Selu), WeightInit::LeCun);
    assert_eq!(WeightInit::usual_for(ActivationKind::LeakyRelu), WeightInit::He);
}
