//! Bad data is an error with a message, never a hang or a panic.

use lecture_11_selu::experiments::{dead_units, deep_mnist};
use shared::experiment::Run;
use shared::testing::write_mnist_dir;

const CRATE: &str = "lecture-11-selu";

#[test]
fn a_data_dir_with_fewer_images_than_a_batch_is_an_error_naming_it() {
    let dir = std::env::temp_dir().join(format!("{CRATE}-tiny-mnist-{}", std::process::id()));
    let mut run = Run::for_test(CRATE, 1);
    run.data_dir = Some(write_mnist_dir(&dir, 3, 2).unwrap());
    let deep = deep_mnist::run(&run, &deep_mnist::Config::for_run(&run)).err().map(|e| e.to_string());
    let dead = dead_units::run(&run, &dead_units::Config::for_run(&run)).err().map(|e| e.to_string());
    std::fs::remove_dir_all(&dir).unwrap();
    for error in [deep, dead] {
        let error = error.expect("three images cannot fill a batch");
        assert!(error.contains(&dir.display().to_string()), "{error}");
        assert!(error.ends_with("3 training images, fewer than one batch of 64"), "{error}");
    }
}
