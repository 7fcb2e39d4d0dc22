//! Bad settings are errors with a message, not panics, and nothing is trained or written.

use lecture_05_spatial_transformer::experiments::{addition, distorted, invariance, undo_rotation};
use lecture_05_spatial_transformer::models::ModelKind;
use shared::experiment::Run;

const CRATE: &str = "lecture-05-spatial-transformer";

#[test]
fn empty_or_impossible_settings_are_errors() {
    let run = Run::for_test(CRATE, 0);
    let mut config = distorted::Config::for_run(&run);
    config.settings.steps = 0;
    let err = distorted::run(&run, &config).err().expect("zero steps is an error").to_string();
    assert!(err.contains("nothing to train"), "{err}");

    let mut config = undo_rotation::Config::for_run(&run);
    config.kind = ModelKind::Cnn;
    let err = undo_rotation::run(&run, &config).err().expect("no transformer is an error").to_string();
    assert!(err.contains("no transformer"), "{err}");

    let mut config = addition::Config::for_run(&run);
    config.test_count = 0;
    assert!(addition::run(&run, &config).is_err());

    let mut config = invariance::Config::for_run(&run);
    config.shifts.push(30.0);
    let err = invariance::run(&run, &config).err().expect("a shift off the canvas is an error").to_string();
    assert!(err.contains("leave the canvas"), "{err}");
}
