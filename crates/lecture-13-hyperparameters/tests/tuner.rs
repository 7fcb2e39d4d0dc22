//! Trials run in parallel give exactly the history of a sequential run with the same seed, for
//! every strategy, on the synthetic functions and on real MNIST training runs.

use lecture_13_hyperparameters::objective::Objective;
use lecture_13_hyperparameters::objectives::mnist_mlp::MnistMlp;
use lecture_13_hyperparameters::objectives::synthetic::{Function, Synthetic};
use lecture_13_hyperparameters::strategies::bayesian::{BayesianOptimisation, Model};
use lecture_13_hyperparameters::strategies::controller::{ControllerConfig, ControllerSearch};
use lecture_13_hyperparameters::strategies::grid::GridSearch;
use lecture_13_hyperparameters::strategies::hyperband::Hyperband;
use lecture_13_hyperparameters::strategies::random::RandomSearch;
use lecture_13_hyperparameters::strategies::tpe::Tpe;
use lecture_13_hyperparameters::strategy::SearchStrategy;
use lecture_13_hyperparameters::trial::History;
use lecture_13_hyperparameters::tuner::{Execution, search};
use shared::backend::test_device;
use shared::data::Mnist;

fn strategies(d: usize, budget: u64) -> Vec<Box<dyn SearchStrategy>> {
    vec![
        Box::new(GridSearch::within(8, d, budget).unwrap()),
        Box::new(RandomSearch::new(d, budget)),
        Box::new(BayesianOptimisation::new(d, budget, 3, Model::GaussianProcess)),
        Box::new(Tpe::new(d, budget, 3)),
        Box::new(Hyperband::new(d, budget.max(3), 3, true).unwrap()),
    ]
}

fn both(
    make: impl Fn() -> Box<dyn SearchStrategy>,
    objective: &dyn Objective,
    trials: usize,
) -> (History, History) {
    let sequential = search(make().as_mut(), objective, trials, 5, Execution::Sequential).unwrap();
    let parallel = search(make().as_mut(), objective, trials, 5, Execution::Parallel).unwrap();
    (sequential, parallel)
}

#[test]
fn parallel_searches_equal_sequential_ones_on_a_synthetic_function() {
    let objective = Synthetic::new(Function::Hartmann6, 1);
    for k in 0..5 {
        let (sequential, parallel) = both(|| strategies(6, 1).remove(k), &objective, 12);
        assert_eq!(sequential.len(), 12.min(sequential.len()));
        assert_eq!(sequential, parallel, "strategy {k}");
    }
    let controller =
        ControllerConfig { options: vec![4; 6], hidden: 8, samples: 4, learning_rate: 0.05, budget: 1 };
    let (sequential, parallel) =
        both(|| Box::new(ControllerSearch::new(controller.clone(), 7, &test_device())), &objective, 16);
    assert_eq!(sequential, parallel, "controller");
}

#[test]
fn parallel_mnist_trials_equal_sequential_ones() {
    let objective = MnistMlp::new(Mnist::embedded().unwrap(), &test_device(), 4, 3, 200).unwrap();
    // Random proposals (some with dropout, some diverging) and Hyperband's rungs.
    for k in [1, 4] {
        let (sequential, parallel) = both(|| strategies(6, 3).remove(k), &objective, 6);
        assert_eq!(sequential, parallel, "strategy {k}");
        assert!(sequential.trials.iter().all(|t| (0.0..=1.0).contains(&t.value)), "{sequential:?}");
    }
}
