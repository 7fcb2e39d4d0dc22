//! Claim 1: counting fails on sparse data, and smoothing fixes it: add-one > add-k > Kneser-Ney.
//!
//! On the words of Brown (or `--corpus`), for each order `n = 1 ..= N`:
//!
//! - the share of test n-grams never seen in training: each gets probability 0 from plain
//!   counting (maximum likelihood), so its test perplexity is infinite;
//! - the test perplexity of add-one, of add-k with `k` tuned on validation, and of
//!   interpolated modified Kneser-Ney.
//!
//! It also prints a few sentences sampled from the trigram Kneser-Ney model.
//!
//! The claim's negative control scores the same models on a stretch of their own training text
//! (`scored_on_training_text`), where nothing is unseen: counting is then finite, and best.

use crate::add_k::AddK;
use crate::kneser_ney::KneserNey;
use crate::ngram_counts::{NgramCounts, unseen_fraction};
use crate::ngram_model::{NgramModel, perplexity, sample};
use crate::word_data::word_corpus;
use anyhow::Result;
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde::Serialize;
use shared::experiment::Run;
use shared::plot::LineChart;
use shared::report::ExperimentRecord;

/// The experiment's name: its record is `out/lecture-04-language-model/counting.json`.
pub const NAME: &str = "counting";

/// The values of `k` tried for add-k smoothing.
pub const K_GRID: [f64; 7] = [1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0];

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// Training tokens (a prefix of the training split).
    pub train_tokens: usize,
    /// Validation and test tokens.
    pub eval_tokens: usize,
    /// Vocabulary size, `<unk>` included.
    pub vocab: usize,
    /// Orders `1 ..= max_order`.
    pub max_order: usize,
    /// Score on the first test-sized stretch of the training text instead of the test text (the
    /// claim's control: data without unseen n-grams).
    pub scored_on_training_text: bool,
}

impl Config {
    /// Quick: 200k training words, orders 1-3; full: all of Brown (about 900k words), 1-5.
    pub fn for_run(run: &Run) -> Config {
        Config {
            train_tokens: run.size(200_000, usize::MAX),
            eval_tokens: run.size(20_000, usize::MAX),
            vocab: 10_000,
            max_order: run.size(3, 5),
            scored_on_training_text: false,
        }
    }
}

/// The numbers of one order.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct OrderResult {
    pub order: usize,
    /// Share of scored n-grams with zero training count.
    pub unseen: f64,
    /// Perplexities on the scored text (the test text, unless `scored_on_training_text`).
    pub mle: f64,
    pub add_one: f64,
    pub add_k: f64,
    /// The `k` picked on validation.
    pub k: f64,
    pub kneser_ney: f64,
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    /// One entry per order, `1 ..= max_order`.
    pub orders: Vec<OrderResult>,
}

/// Counts, smooths, scores; writes `counting.json` and `counting-perplexity.svg`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let corpus = word_corpus(run, config.train_tokens, config.eval_tokens, config.vocab)?;
    let counts = NgramCounts::new(&corpus.train, corpus.vocab.size(), config.max_order)?;
    println!(
        "{} training words, vocabulary {}; test {} words",
        corpus.train.len(),
        corpus.vocab.size(),
        corpus.test.len()
    );
    let scored = match config.scored_on_training_text {
        false => &corpus.test[..],
        true => &corpus.train[..corpus.test.len().min(corpus.train.len())],
    };
    println!(
        "\n{:>5} {:>9} {:>10} {:>10} {:>16} {:>10}",
        "order", "unseen", "counting", "add-one", "add-k (k)", "KN"
    );
    let mut orders = Vec::new();
    for order in 1..=config.max_order {
        let k = *K_GRID
            .iter()
            .min_by(|&&a, &&b| {
                let score = |k| perplexity(&AddK::new(&counts, order, k), &corpus.valid);
                score(a).total_cmp(&score(b))
            })
            .expect("k grid");
        let result = OrderResult {
            order,
            unseen: unseen_fraction(&counts, scored, order),
            mle: perplexity(&AddK::new(&counts, order, 0.0), scored),
            add_one: perplexity(&AddK::new(&counts, order, 1.0), scored),
            add_k: perplexity(&AddK::new(&counts, order, k), scored),
            k,
            kneser_ney: perplexity(&KneserNey::new(&counts, order), scored),
        };
        println!(
            "{:>5} {:>8.1}% {:>10.1} {:>10.1} {:>9.1} ({k:<5}) {:>10.1}",
            order,
            100.0 * result.unseen,
            result.mle,
            result.add_one,
            result.add_k,
            result.kneser_ney
        );
        for (name, value) in [
            ("unseen test n-grams", result.unseen),
            ("counting perplexity", result.mle),
            ("add-one perplexity", result.add_one),
            ("add-k perplexity", result.add_k),
            ("add-k k", result.k),
            ("Kneser-Ney perplexity", result.kneser_ney),
        ] {
            record.set_metric(format!("{order}-gram {name}"), value);
        }
        orders.push(result);
    }
    print_samples(&counts, &corpus.vocab, run.seed);
    let chart = LineChart::new("Test perplexity of smoothed n-grams")
        .x_label("order n")
        .y_label("test perplexity (log scale)")
        .log_y(true)
        .series("add-one", orders.iter().map(|r| (r.order as f64, r.add_one)))
        .series("add-k (k tuned)", orders.iter().map(|r| (r.order as f64, r.add_k)))
        .series("Kneser-Ney", orders.iter().map(|r| (r.order as f64, r.kneser_ney)));
    chart.save_svg(run.picture_path("counting-perplexity.svg"))?;
    record.add_picture("counting-perplexity.svg");
    add_claims(&mut record, &orders);
    run.finish(&mut record)?;
    Ok(Outcome { record, orders })
}

/// Three sentences from the trigram (or lower) Kneser-Ney model, each started after `<eos>`.
fn print_samples(counts: &NgramCounts, vocab: &shared::data::Vocab, seed: u64) {
    let model = KneserNey::new(counts, counts.order().min(3));
    let mut rng = StdRng::seed_from_u64(seed);
    let eos = vocab.id(shared::data::vocab::EOS);
    println!("\nsampled from Kneser-Ney {}-gram:", model.order());
    for _ in 0..3 {
        let words = sample(&model, &[eos, eos], 20, 1.0, &mut rng);
        println!("  {}", vocab.decode(&words).join(" "));
    }
}

fn add_claims(record: &mut ExperimentRecord, orders: &[OrderResult]) {
    let higher: Vec<&OrderResult> = orders.iter().filter(|r| r.order >= 2).collect();
    let describe =
        |f: &dyn Fn(&OrderResult) -> String| higher.iter().map(|r| f(r)).collect::<Vec<_>>().join("; ");
    record.add_claim(
        "plain counting gives unseen test n-grams probability 0: infinite perplexity",
        "n >= 2: some test n-grams unseen, counting perplexity infinite",
        describe(&|r| format!("{}-gram {:.0}% unseen", r.order, 100.0 * r.unseen)),
        higher.iter().all(|r| r.unseen > 0.0 && r.mle.is_infinite()),
    );
    record.add_claim(
        "smoothing ranks add-one > add-k > Kneser-Ney",
        "at every order >= 2, finite and in that order",
        describe(&|r| format!("{}-gram {:.0} > {:.0} > {:.0}", r.order, r.add_one, r.add_k, r.kneser_ney)),
        higher.iter().all(|r| r.add_one > r.add_k && r.add_k > r.kneser_ney && r.add_one.is_finite()),
    );
}
