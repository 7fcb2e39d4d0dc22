//! Bad settings are errors with a message, never a panic; a diverging run stops and says so.

use lecture_17_sequence_gan::experiments::oracle;
use shared::experiment::Run;

const CRATE: &str = "lecture-17-sequence-gan";

#[test]
fn a_window_wider_than_the_sentence_is_an_error_naming_both() {
    let run = Run::for_test(CRATE, 1);
    let mut config = oracle::Config::for_run(&run);
    config.discriminator.windows = vec![2, 40];
    let error = oracle::run(&run, &config).err().expect("a window of 40 tokens cannot fit").to_string();
    assert!(
        error.contains("window") && error.contains("40") && error.contains(&config.oracle.length.to_string()),
        "{error}"
    );
}

#[test]
fn no_roll_outs_is_an_error() {
    let run = Run::for_test(CRATE, 1);
    let mut config = oracle::Config::for_run(&run);
    config.game.credit = lecture_17_sequence_gan::rollout::Credit::RollOut { rollouts: 0 };
    let error = oracle::run(&run, &config).err().expect("zero roll-outs").to_string();
    assert!(error.contains("roll-out"), "{error}");
}

#[test]
fn a_diverging_pre_training_stops_with_a_message() {
    let run = Run::for_test(CRATE, 1);
    let mut config = oracle::Config::for_run(&run);
    config.pretraining.learning_rate = 1e38;
    config.pretraining.decay_at = None;
    let error = format!("{:#}", oracle::run(&run, &config).err().expect("a learning rate of 1e38 diverges"));
    assert!(error.contains("MLE pre-training diverged") && error.contains("training loss"), "{error}");
}
