//! The RNN controller's REINFORCE objective, `Σ_i w_i log π(a_i)`, differentiated by autodiff
//! against central finite differences, for every parameter tensor (start input, both weight
//! matrices, every head and embedding).

use burn::prelude::*;
use lecture_13_hyperparameters::controller::RnnController;
use shared::testing::{gradcheck_parameters, seeded};

#[test]
fn the_controllers_log_probability_has_correct_parameter_gradients() {
    let actions = vec![vec![0, 2, 1], vec![1, 0, 1], vec![1, 1, 0]];
    let (controller, weights) =
        seeded(3, |d| (RnnController::new(&[2, 3, 2], 4, d), Tensor::<1>::from_floats([0.7, -1.2, 0.4], d)));
    let checked = gradcheck_parameters(&controller, |c| (c.log_prob(&actions) * weights.clone()).sum())
        .unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<String> = checked.into_iter().map(|(path, _)| path).collect();
    assert!(names.len() >= 2 + 2 + 3 * 2 + 3, "every parameter tensor checked: {names:?}");
}

#[test]
fn log_probabilities_of_all_configurations_sum_to_one() {
    let controller = seeded(4, |d| RnnController::new(&[2, 3], 4, d));
    let all: Vec<Vec<usize>> = (0..2).flat_map(|a| (0..3).map(move |b| vec![a, b])).collect();
    let total = controller.log_prob(&all).exp().sum().into_scalar::<f64>();
    assert!((total - 1.0).abs() < 1e-5, "Σ π(a) = {total}");
}
