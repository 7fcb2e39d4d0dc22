//! Bad data and diverging runs are errors with a message, never a hang or a panic.

use lecture_03_backprop::experiments::{chain_rule, mlp_training};
use lecture_03_backprop::mlp::{MlpShape, mlp_loss};
use lecture_03_backprop::training::{Descent, train_with_our_engine};
use shared::backend::test_device;
use shared::experiment::Run;
use shared::report::ExperimentRecord;
use shared::testing::{normal, seeded_on, write_mnist_dir};

const CRATE: &str = "lecture-03-backprop";

#[test]
fn a_data_dir_with_fewer_images_than_a_batch_is_an_error_naming_it() {
    let dir = std::env::temp_dir().join(format!("{CRATE}-tiny-mnist-{}", std::process::id()));
    let mut run = Run::for_test(CRATE, 1);
    run.data_dir = Some(write_mnist_dir(&dir, 3, 2).unwrap());
    let training = mlp_training::run(&run, &mlp_training::Config::for_run(&run)).err().map(|e| e.to_string());
    let chain = chain_rule::run(&run, &chain_rule::Config::for_run(&run)).err().map(|e| e.to_string());
    std::fs::remove_dir_all(&dir).unwrap();
    for (error, batch) in [(training, 64), (chain, 32)] {
        let error = error.expect("three images cannot fill a batch");
        assert!(error.contains(&dir.display().to_string()), "{error}");
        assert!(error.ends_with(&format!("3 training images, fewer than one batch of {batch}")), "{error}");
    }
}

#[test]
fn a_diverging_run_stops_with_a_message() {
    let device = test_device().without_autodiff();
    let shape = MlpShape { input: 6, hidden: 5, classes: 3 };
    let x = seeded_on(&device, 1, |d| normal([4, 6], d) * 1e3);
    let y = burn::prelude::Tensor::<1, burn::prelude::Int>::from_ints([0, 1, 2, 0], &device);
    let mut record = ExperimentRecord::new(CRATE, "diverging");
    // A step so large that the weights overflow f32 and the next loss is NaN.
    let descent = Descent { steps: 50, learning_rate: 1e39 };
    let error =
        train_with_our_engine("huge step", shape.init(1, &device), descent, &mut record, |g, w, _| {
            mlp_loss(g, w, &x, &y)
        })
        .unwrap_err();
    let message = format!("{error:#}");
    assert!(message.contains("huge step diverged"), "{message}");
}
