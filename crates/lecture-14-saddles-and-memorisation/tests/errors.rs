//! Bad data is an error with a message, never a hang or a panic.

use lecture_14_saddles_and_memorisation::experiments::label_noise;
use shared::experiment::Run;
use shared::testing::write_mnist_dir;

const CRATE: &str = "lecture-14-saddles-and-memorisation";

#[test]
fn a_data_dir_with_fewer_images_than_the_splits_is_an_error_naming_it() {
    let dir = std::env::temp_dir().join(format!("{CRATE}-tiny-mnist-{}", std::process::id()));
    let mut run = Run::for_test(CRATE, 1);
    run.data_dir = Some(write_mnist_dir(&dir, 30, 2).unwrap());
    let error = label_noise::run(&run, &label_noise::Config::for_run(&run)).err().map(|e| e.to_string());
    std::fs::remove_dir_all(&dir).unwrap();
    let error = error.expect("30 images cannot fill the training and validation splits");
    assert!(error.contains(&dir.display().to_string()), "{error}");
    assert!(
        error.ends_with("30 training images, fewer than the 500 to train on and 500 to validate on"),
        "{error}"
    );
}
