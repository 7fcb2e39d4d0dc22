//! Claim 2 on pictures (the caption task) at `--quick` size over three seeds, beside its
//! negative control: the same experiment as `cargo run -p lecture-08-attention -- caption --quick`.

mod common;

use common::at_seeds;
use lecture_08_attention::experiments::caption;
use shared::stats::median_of;
use std::sync::OnceLock;

/// The three quick runs, shared by the claim and its control (each captioner is scored before
/// and after training in the same run).
fn runs() -> &'static [caption::Outcome] {
    static RUNS: OnceLock<Vec<caption::Outcome>> = OnceLock::new();
    RUNS.get_or_init(|| at_seeds(|run| caption::run(run, &caption::Config::for_run(run)).unwrap()))
}

/// Quick size: strips of 2-4 digits at a random first slot, 600 steps, 200 test strips; medians
/// over three seeds. Chance: 0.1 for a word, [`caption::CHANCE_ON_TARGET`] (0.25) for the
/// attention peak's slot.
#[test]
fn claim_the_captioner_names_the_digits_and_each_word_looks_at_its_digit() {
    let runs = runs();
    let words = median_of(runs, |o| o.trained.word_accuracy);
    let on_target = median_of(runs, |o| o.trained.attention_on_target);
    assert!(words > 0.7, "median word accuracy {words}");
    assert!(on_target > 0.85, "attention on the named digit's slot for {on_target} of words (median)");
}

/// Training removed: the same captioners at initialisation name hardly a digit, and their
/// attention peaks fall in the named digit's slot about as often as chance.
#[test]
fn control_the_captioner_names_the_digits_and_each_word_looks_at_its_digit() {
    let runs = runs();
    let words = median_of(runs, |o| o.at_start.word_accuracy);
    let on_target = median_of(runs, |o| o.at_start.attention_on_target);
    assert!(words < 0.3, "median word accuracy before training {words}");
    assert!(on_target < 0.5, "attention on target before training {on_target} (median)");
}
