//! Claims 3 to 6 (neural LMs against n-grams, the cache, word vectors, the class-based softmax,
//! the character LSTM), each run at `--quick` size with a fixed seed and asserted with the
//! margin we measured. Each test runs exactly the experiment the binary runs.

use lecture_04_language_model::experiments::{class_softmax, shakespeare, word_lm};
use shared::experiment::Run;
use std::sync::OnceLock;

const CRATE: &str = "lecture-04-language-model";

/// The quick word-lm run, shared by the two claims it checks (it is the slowest experiment).
fn word_lm_outcome() -> &'static word_lm::Outcome {
    static OUTCOME: OnceLock<word_lm::Outcome> = OnceLock::new();
    OUTCOME.get_or_init(|| {
        let run = Run::for_test(CRATE, 42);
        word_lm::run(&run, &word_lm::Config::for_run(&run)).unwrap()
    })
}

#[test]
fn claim_the_lstm_beats_the_feedforward_lm_and_mixing_and_caching_help() {
    let p = word_lm_outcome().perplexity;
    // Measured (40k Brown words, vocabulary 2k, seed 42): KN bigram 77.0, feed-forward 79.5,
    // LSTM 77.5, KN + LSTM 71.8, LSTM + cache 67.4.
    assert!(p.lstm < 0.99 * p.feedforward, "LSTM < feed-forward: {p:?}");
    assert!(p.kn_lstm < 0.97 * p.kn.min(p.lstm), "mixing KN and the LSTM beats both: {p:?}");
    assert!(p.lstm_cache < 0.93 * p.lstm, "the cache lowers the LSTM's perplexity: {p:?}");
    // At this size the feed-forward LM does not beat Kneser-Ney (79.5 vs 77.0; it does not at
    // the default size either, see the README); it stays close.
    assert!(p.feedforward < 1.08 * p.kn, "{p:?}");
}

#[test]
fn claim_word_vectors_put_words_used_alike_together() {
    let outcome = word_lm_outcome();
    // Measured: 37% of the probe words' 5 nearest neighbours are in the probe's own group
    // (pronouns, modal verbs, ...), against 0.7% by chance.
    let (precision, chance) = (outcome.neighbour_precision, outcome.chance_precision);
    assert!(precision > 0.25 && precision > 20.0 * chance, "{precision} vs chance {chance}");
}

#[test]
fn claim_the_class_softmax_does_several_times_less_work_per_word_for_a_small_cost() {
    let run = Run::for_test(CRATE, 42);
    let outcome = class_softmax::run(&run, &class_softmax::Config::for_run(&run)).unwrap();
    let (full, class) = (outcome.full, outcome.class);
    // Vocabulary 6,780, 300 classes: the output layer does V / (C + V/C) = 21x fewer
    // multiply-adds per word. Its measured speed-up (output layer 6.3-9.6x; whole step 3.1-3.4x
    // with the step-wise LSTM, 3.6x with the fused one, which makes the part both models share
    // cheaper) is recorded by the experiment and tracked by `bench`; tests never assert
    // wall-clock times.
    assert!(outcome.work_ratio > 10.0, "{}", outcome.work_ratio);
    // Perplexities after 30 steps (measured): class 351, full 405.
    assert!(class.test_perplexity < 1.15 * full.test_perplexity, "{full:?} {class:?}");
}

#[test]
fn claim_a_character_lstm_beats_low_order_character_ngrams_and_writes_words() {
    let run = Run::for_test(CRATE, 42);
    let outcome = shakespeare::run(&run, &shakespeare::Config::for_run(&run)).unwrap();
    let bigram = outcome.kn_losses.iter().find(|(order, _)| *order == 2).expect("KN 2-gram").1;
    // Measured (150 steps): LSTM 2.050 nats per character; KN 2-gram 2.482, 3-gram 1.941,
    // 5-gram 1.417. At this size the LSTM only beats the bigram (see the README for the
    // default size). 71% of the words it writes at temperature 0.5 are words of the play.
    assert!(outcome.lstm_loss < bigram - 0.3, "LSTM {} vs KN bigram {bigram}", outcome.lstm_loss);
    let (temperature, known) = outcome.known_words[0];
    assert_eq!(temperature, 0.5);
    assert!(known > 0.55, "share of real words at temperature 0.5: {known}");
}
