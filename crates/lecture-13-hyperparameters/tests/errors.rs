//! Bad data and bad settings are errors with a message, never a hang or a panic.

use lecture_13_hyperparameters::experiments::{hyperband_steps, mnist_search};
use lecture_13_hyperparameters::strategies::hyperband::Hyperband;
use shared::experiment::Run;
use shared::testing::write_mnist_dir;

const CRATE: &str = "lecture-13-hyperparameters";

#[test]
fn a_data_dir_too_small_to_train_and_validate_is_an_error_naming_the_sizes() {
    let dir = std::env::temp_dir().join(format!("{CRATE}-tiny-mnist-{}", std::process::id()));
    let mut run = Run::for_test(CRATE, 1);
    run.data_dir = Some(write_mnist_dir(&dir, 30, 2).unwrap());
    let search = mnist_search::run(&run, &mnist_search::Config::for_run(&run)).err().map(|e| e.to_string());
    let hyperband =
        hyperband_steps::run(&run, &hyperband_steps::Config::for_run(&run)).err().map(|e| e.to_string());
    std::fs::remove_dir_all(&dir).unwrap();
    for error in [search, hyperband] {
        let error = error.expect("30 images cannot fill the training and validation sets");
        assert!(error.contains("9500 training images") && error.contains("the data has 30"), "{error}");
    }
}

#[test]
fn hyperband_refuses_an_eta_below_two() {
    let error = Hyperband::new(6, 9, 1, true).err().expect("η = 1 never halves").to_string();
    assert!(error.contains("η must be at least 2"), "{error}");
}
