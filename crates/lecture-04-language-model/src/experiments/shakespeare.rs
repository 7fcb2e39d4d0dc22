//! Claim 6: a character-level LSTM on tiny-shakespeare goes well below a character n-gram
//! (Kneser-Ney) in validation loss, and its samples look like the play's format.
//!
//! Both models read characters (65 of them). Kneser-Ney of orders 2 ..= 5 is fitted to the
//! whole training split; the LSTM sees `steps x batch x time` characters of it. The loss is in
//! nats per character on the same validation positions. The LSTM then writes text at three
//! temperatures (`P^(1/τ)`: low τ is safe and repetitive, high τ inventive and misspelt).

use crate::kneser_ney::KneserNey;
use crate::lm_training::{Training, recurrent_log_probs, train_recurrent};
use crate::ngram_counts::NgramCounts;
use crate::ngram_model::log_probs_at;
use crate::output_layer::OutputLayer;
use crate::recurrent_lm::{RecurrentKind, RecurrentLm};
use anyhow::{Context, Result};
use burn::module::Module;
use burn::nn::LinearConfig;
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde::Serialize;
use shared::atomic::write_atomic;
use shared::data::{Corpus, Level};
use shared::experiment::Run;
use shared::plot::LineChart;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;
use std::collections::HashSet;

/// The experiment's name: its record is `out/lecture-04-language-model/shakespeare.json`.
pub const NAME: &str = "shakespeare";

/// The temperatures the samples are drawn at.
pub const TEMPERATURES: [f64; 3] = [0.5, 0.8, 1.0];

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// Validation characters scored.
    pub eval_tokens: usize,
    /// Kneser-Ney orders `2 ..= max_order`.
    pub max_order: usize,
    pub embedding: usize,
    pub hidden: usize,
    pub training: Training,
    /// Characters per sample.
    pub sample_length: usize,
    /// Characters of validation text read before sampling.
    pub prompt_length: usize,
}

impl Config {
    /// Quick: 150 steps of hidden 128; full: 800 steps of hidden 256.
    pub fn for_run(run: &Run) -> Config {
        Config {
            eval_tokens: run.size(10_000, 50_000),
            max_order: 5,
            embedding: 32,
            hidden: run.size(128, 256),
            training: Training {
                steps: run.steps_or(150, 800),
                batch: 32,
                time: run.size(32, 64),
                learning_rate: 1e-2,
                clip_norm: 1.0,
            },
            sample_length: run.size(200, 400),
            prompt_length: 100,
        }
    }
}

/// What the experiment measured (losses in nats per character).
pub struct Outcome {
    pub record: ExperimentRecord,
    /// The best Kneser-Ney order and its validation loss.
    pub kn_order: usize,
    pub kn_loss: f64,
    /// Validation loss of every Kneser-Ney order `2 ..= max_order`.
    pub kn_losses: Vec<(usize, f64)>,
    pub lstm_loss: f64,
    /// One sample per temperature.
    pub samples: Vec<(f64, String)>,
    /// Per temperature, the share of the sample's words that occur in the training text.
    pub known_words: Vec<(f64, f64)>,
}

/// Fits both models, samples, writes `shakespeare.json`, `shakespeare-samples.txt` and the
/// loss curve.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let corpus = match &run.corpus {
        Some(path) => Corpus::from_text_file(path, Level::Char)
            .with_context(|| format!("reading the --corpus file {}", path.display()))?,
        None => Corpus::tiny_shakespeare_chars().context("reading the embedded tiny-shakespeare")?,
    };
    let valid = &corpus.valid[..config.eval_tokens.min(corpus.valid.len())];
    let vocab = corpus.vocab.size();

    let model = seeded_on(&run.device, run.seed, |device| {
        let output = OutputLayer::Full(LinearConfig::new(config.hidden, vocab).init(device));
        RecurrentLm::new(RecurrentKind::Lstm, vocab, config.embedding, config.hidden, output, device)
    });
    let lstm =
        train_recurrent("char LSTM", model, &corpus.train, &config.training, &mut record)?.model.valid();
    let lstm_log_probs = recurrent_log_probs(&lstm, valid, 16, 100, |_, _, _| {})?;
    let lstm_loss = mean_loss(&lstm_log_probs);

    let positions: Vec<usize> = (1..=lstm_log_probs.len()).collect();
    let counts = NgramCounts::new(&corpus.train, vocab, config.max_order)?;
    let kn_losses: Vec<(usize, f64)> = (2..=config.max_order)
        .map(|order| (order, mean_loss(&log_probs_at(&KneserNey::new(&counts, order), valid, &positions))))
        .collect();
    let (kn_order, kn_loss) =
        kn_losses.iter().copied().min_by(|a, b| a.1.total_cmp(&b.1)).expect("at least one order");

    println!("\nvalidation loss (nats per character):");
    for &(order, loss) in &kn_losses {
        println!("  Kneser-Ney {order}-gram  {loss:.3}");
        record.set_metric(format!("KN {order}-gram validation loss"), loss);
    }
    println!("  LSTM              {lstm_loss:.3}");
    record.set_metric("LSTM validation loss", lstm_loss);

    let mut rng = StdRng::seed_from_u64(run.seed);
    // A prompt of validation text warms the state up: training carried the state across
    // windows, so a cold zero state is one the LSTM has rarely seen.
    let prompt = &corpus.valid[..config.prompt_length.min(corpus.valid.len())];
    println!("\nprompt: {}", corpus.decode(prompt));
    let mut samples = Vec::new();
    let mut text = String::new();
    for temperature in TEMPERATURES {
        let sample = corpus.decode(&lstm.sample(prompt, config.sample_length, temperature, &mut rng)?);
        println!("\n--- LSTM sample, temperature {temperature} ---\n{sample}");
        text.push_str(&format!("--- temperature {temperature} ---\n{sample}\n\n"));
        samples.push((temperature, sample));
    }
    write_atomic(run.picture_path("shakespeare-samples.txt"), text.as_bytes())?;
    let training_text = corpus.decode(&corpus.train);
    let training_words: HashSet<&str> = training_text.split_whitespace().collect();
    let known_words: Vec<(f64, f64)> =
        samples.iter().map(|(t, sample)| (*t, known_word_share(sample, &training_words))).collect();
    for &(t, share) in &known_words {
        record.set_metric(format!("sample at temperature {t}: share of words seen in training"), share);
    }

    let curve = record.curves.get("char LSTM train loss").map(|c| c.points.clone()).unwrap_or_default();
    LineChart::new("Character LM on tiny-shakespeare")
        .x_label("step")
        .y_label("nats per character")
        .series("LSTM training loss", curve)
        .reference_line(format!("Kneser-Ney {kn_order}-gram, validation"), kn_loss)
        .reference_line("LSTM, validation", lstm_loss)
        .save_svg(run.picture_path("shakespeare-loss.svg"))?;
    record.add_picture("shakespeare-loss.svg");
    let mut outcome = Outcome { record, kn_order, kn_loss, kn_losses, lstm_loss, samples, known_words };
    outcome.add_claims();
    run.finish(&mut outcome.record)?;
    Ok(outcome)
}

/// `-mean(log P)`: nats per token.
fn mean_loss(log_probs: &[f64]) -> f64 {
    -log_probs.iter().sum::<f64>() / log_probs.len().max(1) as f64
}

/// The share of `sample`'s whitespace-separated words that are words of the training text.
pub fn known_word_share(sample: &str, training_words: &HashSet<&str>) -> f64 {
    let words: Vec<&str> = sample.split_whitespace().collect();
    words.iter().filter(|w| training_words.contains(*w)).count() as f64 / words.len().max(1) as f64
}

/// The number of a sample's lines that look like a speaker's name: a capitalised word ending in
/// a colon, as in "ROMEO:".
pub fn speaker_lines(sample: &str) -> usize {
    sample
        .lines()
        .filter(|line| {
            let line = line.trim();
            line.len() > 1 && line.ends_with(':') && line.chars().next().is_some_and(char::is_uppercase)
        })
        .count()
}

impl Outcome {
    /// Checks claim 6 on the measured numbers and adds it to the record.
    fn add_claims(&mut self) {
        let (lstm, best, best_order) = (self.lstm_loss, self.kn_loss, self.kn_order);
        let trigram =
            self.kn_losses.iter().find(|(order, _)| *order == 3).map_or(f64::NAN, |(_, loss)| *loss);
        let speakers: usize =
            self.samples.iter().filter(|(t, _)| *t < 1.0).map(|(_, s)| speaker_lines(s)).sum();
        let known = self.known_words.first().map_or(0.0, |(_, share)| *share);
        self.record.add_claim(
            "a character LSTM goes well below a character Kneser-Ney trigram",
            "validation loss LSTM < KN 3-gram - 0.1 nats",
            format!("LSTM {lstm:.3}, KN 3-gram {trigram:.3}"),
            lstm < trigram - 0.1,
        );
        self.record.add_claim(
            "... and below the best Kneser-Ney order",
            format!("validation loss LSTM < KN {best_order}-gram"),
            format!("LSTM {lstm:.3}, KN {best_order}-gram {best:.3}"),
            lstm < best,
        );
        self.record.add_claim(
            "its samples look like the play: real words, speaker lines such as \"ROMEO:\"",
            "at temperature 0.5 over 60% of the words are real; a speaker line at 0.5 or 0.8",
            format!("{:.0}% real words, {speakers} speaker lines", 100.0 * known),
            known > 0.6 && speakers >= 1,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speaker_lines_are_capitalised_names_with_a_colon() {
        assert_eq!(speaker_lines("ROMEO:\nO, she doth teach:\nFirst Citizen:\nnot me:\n"), 3);
        let known: HashSet<&str> = ["the", "king"].into_iter().collect();
        assert_eq!(known_word_share("the kng the king", &known), 0.75);
    }
}
