//! Claims 3 and 5, and the neural cache: neural LMs against the best n-gram on the same words.
//!
//! One training text (a prefix of Brown, or `--corpus`), one vocabulary, and every model scored
//! on the same test positions:
//!
//! - Kneser-Ney of orders 2 ..= N, the best order picked on validation perplexity;
//! - Bengio's feed-forward LM over the last `n - 1` words;
//! - a tanh-RNN LM and an LSTM LM (truncated BPTT);
//! - KN and LSTM mixed token by token, `P = λ P_KN + (1 - λ) P_LSTM`, λ tuned on validation
//!   (Mikolov et al. 2011's combination);
//! - the LSTM with a neural cache over its recent hidden states (θ, λ tuned on validation).
//!
//! Then the LSTM's (output) word vectors: nearest neighbours of frequent words, and a 2-D
//! projection.

use crate::embeddings::{Embeddings, WORD_GROUPS};
use crate::feedforward_lm::FeedForwardLm;
use crate::kneser_ney::KneserNey;
use crate::lm_training::{Training, recurrent_log_probs, train_recurrent, train_window, window_log_probs};
use crate::neural_cache::{cache_probs, mix};
use crate::ngram_counts::NgramCounts;
use crate::ngram_model::{log_probs_at, perplexity_of};
use crate::output_layer::OutputLayer;
use crate::recurrent_lm::{RecurrentKind, RecurrentLm};
use crate::streams::Streams;
use crate::word_data::word_corpus;
use anyhow::Result;
use burn::module::Module;
use burn::nn::LinearConfig;
use burn::prelude::Tensor;
use serde::Serialize;
use shared::data::Corpus;
use shared::data::sub_seed;
use shared::experiment::Run;
use shared::plot::{LineChart, ScatterPlot};
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;

/// The experiment's name: its record is `out/lecture-04-language-model/word-lm.json`.
pub const NAME: &str = "word-lm";

/// The random stream of the tanh RNN's initial weights (the feedforward model uses the run seed).
const RNN_WEIGHTS: u64 = 0;
/// The random stream of the LSTM's initial weights.
const LSTM_WEIGHTS: u64 = 1;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// Training tokens (a prefix of the training split).
    pub train_tokens: usize,
    /// Validation and test tokens (prefixes).
    pub eval_tokens: usize,
    /// Vocabulary size, `<unk>` included.
    pub vocab: usize,
    /// Kneser-Ney orders `2 ..= max_order` are tried.
    pub max_order: usize,
    /// Context words of the feed-forward LM (`n - 1`).
    pub feedforward_context: usize,
    /// Dropout rate of the feed-forward LM.
    pub feedforward_dropout: f64,
    /// Whether to train the tanh RNN too (not at quick size: no claim reads it).
    pub train_rnn: bool,
    /// Word-vector width of every neural LM.
    pub embedding: usize,
    /// Hidden width of every neural LM.
    pub hidden: usize,
    /// Training of the feed-forward LM.
    pub feedforward: Training,
    /// Training of the RNN and LSTM LMs.
    pub recurrent: Training,
    /// Streams and window length when scoring.
    pub eval_batch: usize,
    pub eval_time: usize,
    /// Words the cache looks back over.
    pub cache_window: usize,
}

impl Config {
    /// Quick: 40k training words, 2k vocabulary; full: 150k words, 4k vocabulary.
    pub fn for_run(run: &Run) -> Config {
        Config {
            train_tokens: run.size(40_000, 150_000),
            eval_tokens: run.size(8_000, 30_000),
            vocab: run.size(2_000, 4_000),
            max_order: 5,
            feedforward_context: 3,
            feedforward_dropout: 0.3,
            train_rnn: !run.quick,
            embedding: run.size(32, 64),
            hidden: run.size(64, 128),
            feedforward: Training {
                steps: run.steps_or(400, 600),
                batch: 512,
                time: 1,
                learning_rate: 5e-3,
                clip_norm: 1.0,
            },
            recurrent: Training {
                steps: run.steps_or(250, 500),
                batch: 32,
                time: 20,
                learning_rate: 1e-2,
                clip_norm: 1.0,
            },
            eval_batch: 16,
            eval_time: 50,
            cache_window: 100,
        }
    }
}

/// Test perplexities of every model.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Perplexities {
    /// The best Kneser-Ney order (by validation) and its test perplexity.
    pub kn_order: usize,
    pub kn: f64,
    pub feedforward: f64,
    /// `None` when the RNN was not trained (quick size).
    pub rnn: Option<f64>,
    pub lstm: f64,
    /// KN and LSTM mixed.
    pub kn_lstm: f64,
    /// LSTM with the neural cache.
    pub lstm_cache: f64,
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub perplexity: Perplexities,
    /// Of the probe words' 5 nearest neighbours, the share in the probe's own group ...
    pub neighbour_precision: f64,
    /// ... and that share for neighbours drawn at random.
    pub chance_precision: f64,
}

/// Per-position log-probabilities of one model on validation and test.
struct Scores {
    valid: Vec<f64>,
    test: Vec<f64>,
}

/// Trains and scores every model, writes `word-lm.json` and its pictures.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let corpus = word_corpus(run, config.train_tokens, config.eval_tokens, config.vocab)?;
    let vocab = corpus.vocab.size();
    let valid_count = Streams::new(&corpus.valid, config.eval_batch)?.predictions();
    let test_count = Streams::new(&corpus.test, config.eval_batch)?.predictions();
    let positions = |count: usize| (1..=count).collect::<Vec<usize>>();

    // Kneser-Ney, best order on validation.
    let counts = NgramCounts::new(&corpus.train, vocab, config.max_order)?;
    let mut kn_best: Option<(usize, f64, Scores)> = None;
    for order in 2..=config.max_order {
        let model = KneserNey::new(&counts, order);
        let valid = log_probs_at(&model, &corpus.valid, &positions(valid_count));
        let valid_ppl = perplexity_of(&valid);
        record.set_metric(format!("KN{order} valid perplexity"), valid_ppl);
        if kn_best.as_ref().is_none_or(|(_, best, _)| valid_ppl < *best) {
            let test = log_probs_at(&model, &corpus.test, &positions(test_count));
            kn_best = Some((order, valid_ppl, Scores { valid, test }));
        }
    }
    let (kn_order, _, kn) = kn_best.expect("at least one order");

    let feedforward = seeded_on(&run.device, run.seed, |device| {
        let sizes = [config.embedding, config.hidden];
        FeedForwardLm::new(vocab, config.feedforward_context, sizes, config.feedforward_dropout, device)
    });
    let label = format!("feed-forward {}-gram", config.feedforward_context + 1);
    let feedforward =
        train_window(&label, feedforward, &corpus.train, &config.feedforward, run.seed, &mut record)?
            .model
            .valid();
    let ff = Scores {
        valid: window_log_probs(&feedforward, &corpus.valid, valid_count),
        test: window_log_probs(&feedforward, &corpus.test, test_count),
    };

    let train = |kind: RecurrentKind, seed: u64, record: &mut ExperimentRecord| -> Result<RecurrentLm> {
        let model = seeded_on(&run.device, seed, |device| {
            let output = OutputLayer::Full(LinearConfig::new(config.hidden, vocab).init(device));
            RecurrentLm::new(kind, vocab, config.embedding, config.hidden, output, device)
        });
        Ok(train_recurrent(kind.label(), model, &corpus.train, &config.recurrent, record)?.model.valid())
    };
    let lstm = train(RecurrentKind::Lstm, sub_seed(run.seed, LSTM_WEIGHTS), &mut record)?;
    let rnn = if config.train_rnn {
        Some(train(RecurrentKind::Rnn, sub_seed(run.seed, RNN_WEIGHTS), &mut record)?)
    } else {
        None
    };
    let score = |model: &RecurrentLm, tokens: &[usize], windows: &mut Vec<CachedWindow>| {
        recurrent_log_probs(model, tokens, config.eval_batch, config.eval_time, |window, hidden, _| {
            windows.push(CachedWindow {
                next: window.targets.clone(),
                positions: window.positions.clone(),
                hidden,
            });
        })
    };
    let rnn_test = match &rnn {
        Some(rnn) => Some(perplexity_of(&score(rnn, &corpus.test, &mut Vec::new())?)),
        None => None,
    };
    let (mut valid_windows, mut test_windows) = (Vec::new(), Vec::new());
    let lstm_scores = Scores {
        valid: score(&lstm, &corpus.valid, &mut valid_windows)?,
        test: score(&lstm, &corpus.test, &mut test_windows)?,
    };

    // KN + LSTM, λ on validation.
    let mixture = |lambda: f64, a: &[f64], b: &[f64]| -> Vec<f64> {
        a.iter().zip(b).map(|(&x, &y)| (lambda * x.exp() + (1.0 - lambda) * y.exp()).ln()).collect()
    };
    let lambdas: Vec<f64> = (1..10).map(|k| k as f64 / 10.0).collect();
    let kn_lambda = best_by(&lambdas, |&l| perplexity_of(&mixture(l, &kn.valid, &lstm_scores.valid)));
    let kn_lstm = perplexity_of(&mixture(kn_lambda, &kn.test, &lstm_scores.test));

    // Neural cache, θ and λ on validation.
    let mut best_cache = (f64::INFINITY, 0.0, 0.0);
    for theta in [0.1, 0.3, 1.0] {
        let cache = cache_of(&valid_windows, theta, config.cache_window, valid_count);
        for lambda in [0.05, 0.1, 0.2, 0.3] {
            let ppl = perplexity_of(&mix(&lstm_scores.valid, &cache, lambda));
            if ppl < best_cache.0 {
                best_cache = (ppl, theta, lambda);
            }
        }
    }
    let (_, theta, cache_lambda) = best_cache;
    let test_cache = cache_of(&test_windows, theta, config.cache_window, test_count);
    let lstm_cache = perplexity_of(&mix(&lstm_scores.test, &test_cache, cache_lambda));

    let ppl = Perplexities {
        kn_order,
        kn: perplexity_of(&kn.test),
        feedforward: perplexity_of(&ff.test),
        rnn: rnn_test,
        lstm: perplexity_of(&lstm_scores.test),
        kn_lstm,
        lstm_cache,
    };
    record.set_metric("KN + LSTM mixing weight λ", kn_lambda);
    record.set_metric("cache θ", theta);
    record.set_metric("cache λ", cache_lambda);
    let (precision, chance) = embedding_study(run, &lstm, &corpus, &mut record)?;
    report(run, &mut record, &ppl, precision, chance)?;
    run.finish(&mut record)?;
    Ok(Outcome { record, perplexity: ppl, neighbour_precision: precision, chance_precision: chance })
}

/// One scored window of the LSTM: the words after each step and the hidden states `[B, T, H]`.
struct CachedWindow {
    next: Vec<usize>,
    positions: Vec<usize>,
    hidden: Tensor<3>,
}

/// `P_cache(target)` at every position, each window also looking back over the previous one.
fn cache_of(windows: &[CachedWindow], theta: f64, cache_window: usize, count: usize) -> Vec<f64> {
    let mut out = vec![0.0; count];
    for (k, window) in windows.iter().enumerate() {
        let [batch, time, _] = window.hidden.dims();
        let (hidden, next, previous) = match k.checked_sub(1).map(|j| &windows[j]) {
            Some(before) => {
                let previous = before.hidden.dims()[1];
                let mut next = Vec::with_capacity(batch * (previous + time));
                for b in 0..batch {
                    next.extend_from_slice(&before.next[b * previous..(b + 1) * previous]);
                    next.extend_from_slice(&window.next[b * time..(b + 1) * time]);
                }
                (Tensor::cat(vec![before.hidden.clone(), window.hidden.clone()], 1), next, previous)
            }
            None => (window.hidden.clone(), window.next.clone(), 0),
        };
        let probs = cache_probs(hidden, &next, previous, cache_window, theta);
        let values: Vec<f64> = probs.into_data().iter::<f64>().collect();
        for (&position, value) in window.positions.iter().zip(values) {
            out[position - 1] = value;
        }
    }
    out
}

/// The element of `options` with the smallest `score`.
fn best_by<T: Copy>(options: &[T], score: impl Fn(&T) -> f64) -> T {
    *options.iter().min_by(|a, b| score(a).total_cmp(&score(b))).expect("options")
}

/// Nearest neighbours of the probe words among the LSTM's output word vectors (the rows of the
/// softmax weights `W_o^T: [V, hidden]`, which every training step updates for every word, so
/// they learn faster than the input embeddings in a short run) and their 2-D map.
/// Returns the share of same-group neighbours and its chance level.
fn embedding_study(
    run: &Run,
    lstm: &RecurrentLm,
    corpus: &Corpus,
    record: &mut ExperimentRecord,
) -> Result<(f64, f64)> {
    let OutputLayer::Full(output) = &lstm.output else { anyhow::bail!("the LSTM has a full softmax") };
    let table = output.weight.val().transpose(); // [V, hidden]: word w's output vector is row w
    let [vocab, dims] = table.dims();
    let values: Vec<f32> = table.into_data().iter::<f32>().collect();
    let embeddings = Embeddings::new(&values, dims);
    let candidates = vocab.min(1000);
    let groups: Vec<(&str, Vec<usize>)> = WORD_GROUPS
        .iter()
        .map(|(name, words)| {
            let ids = words
                .iter()
                .filter(|w| corpus.vocab.contains(w))
                .map(|w| corpus.vocab.id(w))
                .filter(|&id| id < candidates)
                .collect();
            (*name, ids)
        })
        .collect();
    let (mut hits, mut total, mut chance) = (0usize, 0usize, 0.0);
    println!(
        "\nnearest neighbours in the LSTM's output word vectors (cosine, among the {candidates} most frequent words):"
    );
    for (name, ids) in &groups {
        for &word in ids {
            let near = embeddings.nearest(word, 1..candidates, 5);
            hits += near.iter().filter(|n| ids.contains(n)).count();
            total += near.len();
            chance += 5.0 * (ids.len() - 1) as f64 / (candidates - 2) as f64;
            if ids.first() == Some(&word) {
                let names: Vec<&str> = near.iter().map(|&n| corpus.vocab.token(n).unwrap_or("?")).collect();
                println!("  {:>12} ({name}): {}", corpus.vocab.token(word).unwrap_or("?"), names.join(", "));
            }
        }
    }
    let precision = hits as f64 / total.max(1) as f64;
    let chance = chance / total.max(1) as f64;
    record.set_metric("neighbour precision (same group, top 5)", precision);
    record.set_metric("neighbour precision by chance", chance);

    let mut plot = ScatterPlot::new("LSTM output word vectors, first two principal components")
        .x_label("PC 1")
        .y_label("PC 2");
    let all: Vec<usize> = groups.iter().flat_map(|(_, ids)| ids.clone()).collect();
    let xy = embeddings.project_2d(&all);
    let mut start = 0;
    for (name, ids) in &groups {
        let points = ids
            .iter()
            .enumerate()
            .map(|(k, &w)| (xy[start + k], corpus.vocab.token(w).unwrap_or("?").to_string()));
        plot = plot.labelled_group(*name, points);
        start += ids.len();
    }
    plot.save_svg(run.picture_path("word-lm-embeddings.svg"))?;
    record.add_picture("word-lm-embeddings.svg");
    Ok((precision, chance))
}

/// Prints the table, draws the training curves and adds the claims.
fn report(
    run: &Run,
    record: &mut ExperimentRecord,
    p: &Perplexities,
    precision: f64,
    chance: f64,
) -> Result<()> {
    let rows = [
        (format!("Kneser-Ney {}-gram", p.kn_order), p.kn),
        ("feed-forward (Bengio)".to_string(), p.feedforward),
        ("tanh RNN".to_string(), p.rnn.unwrap_or(f64::NAN)),
        ("LSTM".to_string(), p.lstm),
        ("KN + LSTM (mixed)".to_string(), p.kn_lstm),
        ("LSTM + neural cache".to_string(), p.lstm_cache),
    ];
    println!("\n{:<24} {:>16}", "model", "test perplexity");
    for (name, value) in rows.iter().filter(|(_, value)| !value.is_nan()) {
        println!("{name:<24} {value:>16.1}");
        record.set_metric(format!("{name} test perplexity"), *value);
    }
    let mut chart = LineChart::new("Word-level LMs: training loss").x_label("step").y_label("nats per token");
    for (name, curve) in &record.curves {
        chart = chart.series(name.clone(), curve.points.clone());
    }
    chart.save_svg(run.picture_path("word-lm-training.svg"))?;
    record.add_picture("word-lm-training.svg");
    record.add_claim(
        "a feed-forward neural LM beats the best Kneser-Ney n-gram",
        "test perplexity FF < KN",
        format!("FF {:.1}, KN{} {:.1}", p.feedforward, p.kn_order, p.kn),
        p.feedforward < p.kn,
    );
    record.add_claim(
        "an LSTM LM beats the feed-forward LM",
        "test perplexity LSTM < FF",
        format!("LSTM {:.1}, FF {:.1}", p.lstm, p.feedforward),
        p.lstm < p.feedforward,
    );
    record.add_claim(
        "mixing KN with the LSTM beats both",
        "KN + LSTM < min(KN, LSTM)",
        format!("mixed {:.1}, KN {:.1}, LSTM {:.1}", p.kn_lstm, p.kn, p.lstm),
        p.kn_lstm < p.kn.min(p.lstm),
    );
    record.add_claim(
        "a neural cache over recent hidden states lowers the LSTM's perplexity",
        "LSTM + cache < LSTM",
        format!("{:.1} vs {:.1}", p.lstm_cache, p.lstm),
        p.lstm_cache < p.lstm,
    );
    record.add_claim(
        "word vectors put words used alike close together",
        "same-group share of the 5 nearest neighbours > 10 x chance",
        format!("{:.1}% (chance {:.1}%)", 100.0 * precision, 100.0 * chance),
        precision > 10.0 * chance,
    );
    Ok(())
}
