//! Bad data is an error with a message, never a hang or a panic.

use lecture_15_gan::experiments::{conditional, vae_vs_gan};
use shared::experiment::Run;
use shared::testing::write_mnist_dir;

const CRATE: &str = "lecture-15-gan";

#[test]
fn a_data_dir_with_fewer_images_than_a_batch_is_an_error_naming_it() {
    let dir = std::env::temp_dir().join(format!("{CRATE}-tiny-mnist-{}", std::process::id()));
    let mut run = Run::for_test(CRATE, 1);
    run.data_dir = Some(write_mnist_dir(&dir, 10, 10).unwrap());
    let vae = vae_vs_gan::run(&run, &vae_vs_gan::Config::for_run(&run)).err().map(|e| e.to_string());
    let cgan = conditional::run(&run, &conditional::Config::for_run(&run)).err().map(|e| e.to_string());
    std::fs::remove_dir_all(&dir).unwrap();
    for error in [vae, cgan] {
        let error = error.expect("ten images cannot fill a batch");
        assert!(error.contains(&dir.display().to_string()), "{error}");
        assert!(error.contains("10 training images, fewer than one batch of"), "{error}");
    }
}
