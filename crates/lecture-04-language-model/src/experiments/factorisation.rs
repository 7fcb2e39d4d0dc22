//! Claim 2: a low-rank factorisation of the bigram table gives unseen bigrams sensible
//! probability and beats add-k on held-out perplexity.
//!
//! Three bigram models on the same words: add-k (k tuned on validation), Kneser-Ney, and the
//! rank-`r` [`LowRankBigram`] fitted by maximum likelihood. Scored on all test bigrams, and on
//! the test bigrams that never occur in training (where counting has nothing to say).

use super::counting::K_GRID;
use crate::add_k::AddK;
use crate::kneser_ney::KneserNey;
use crate::lm_training::{Training, train_window, window_log_probs};
use crate::low_rank_bigram::LowRankBigram;
use crate::ngram_counts::NgramCounts;
use crate::ngram_model::{NgramModel, log_probs_at, perplexity, perplexity_of};
use crate::word_data::word_corpus;
use anyhow::Result;
use burn::module::Module;
use serde::Serialize;
use shared::experiment::Run;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;
use std::collections::HashMap;

/// The experiment's name: its record is `out/lecture-04-language-model/factorisation.json`.
pub const NAME: &str = "factorisation";

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub train_tokens: usize,
    pub eval_tokens: usize,
    pub vocab: usize,
    /// The rank `r` of the factorisation.
    pub rank: usize,
    pub training: Training,
}

impl Config {
    /// Quick: 100k words, 2k vocabulary, rank 32; full: 400k words, 5k vocabulary, rank 64.
    pub fn for_run(run: &Run) -> Config {
        Config {
            train_tokens: run.size(100_000, 400_000),
            eval_tokens: run.size(10_000, 40_000),
            vocab: run.size(2_000, 5_000),
            rank: run.size(32, 64),
            training: Training {
                steps: run.steps_or(300, 1200),
                batch: 512,
                time: 1,
                learning_rate: 1e-2,
                clip_norm: 1.0,
            },
        }
    }
}

/// Test perplexities, over all test bigrams and over those unseen in training.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct BigramScores {
    pub add_k: f64,
    pub kneser_ney: f64,
    pub factorised: f64,
    pub add_k_unseen: f64,
    pub kneser_ney_unseen: f64,
    pub factorised_unseen: f64,
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub scores: BigramScores,
}

/// Fits the three bigram models; writes `factorisation.json`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let corpus = word_corpus(run, config.train_tokens, config.eval_tokens, config.vocab)?;
    let vocab = corpus.vocab.size();
    let counts = NgramCounts::new(&corpus.train, vocab, 2)?;
    let k = *K_GRID
        .iter()
        .min_by(|&&a, &&b| {
            let score = |k| perplexity(&AddK::new(&counts, 2, k), &corpus.valid);
            score(a).total_cmp(&score(b))
        })
        .expect("k grid");
    let add_k = AddK::new(&counts, 2, k);
    let kneser_ney = KneserNey::new(&counts, 2);

    let model = seeded_on(&run.device, run.seed, |device| LowRankBigram::new(vocab, config.rank, device));
    let label = format!("rank-{} bigram", config.rank);
    let factorised =
        train_window(&label, model, &corpus.train, &config.training, run.seed, &mut record)?.model.valid();

    let test = &corpus.test;
    let positions: Vec<usize> = (1..test.len()).collect();
    let unseen: Vec<bool> = positions.iter().map(|&p| counts.count(&test[p - 1..=p]) == 0).collect();
    let scores_of = |log_probs: Vec<f64>| -> (f64, f64) {
        let unseen_only: Vec<f64> =
            log_probs.iter().zip(&unseen).filter(|(_, u)| **u).map(|(lp, _)| *lp).collect();
        (perplexity_of(&log_probs), perplexity_of(&unseen_only))
    };
    let (add_k_all, add_k_unseen) = scores_of(log_probs_at(&add_k, test, &positions));
    let (kn_all, kn_unseen) = scores_of(log_probs_at(&kneser_ney, test, &positions));
    let (mf_all, mf_unseen) = scores_of(window_log_probs(&factorised, test, test.len() - 1));
    let scores = BigramScores {
        add_k: add_k_all,
        kneser_ney: kn_all,
        factorised: mf_all,
        add_k_unseen,
        kneser_ney_unseen: kn_unseen,
        factorised_unseen: mf_unseen,
    };
    let unseen_share = unseen.iter().filter(|&&u| u).count() as f64 / unseen.len() as f64;
    println!("\n{:.0}% of the test bigrams never occur in training", 100.0 * unseen_share);
    println!("{:<26} {:>12} {:>20}", "bigram model", "perplexity", "on unseen bigrams");
    for (name, all, unseen) in [
        (format!("add-k (k = {k})"), scores.add_k, scores.add_k_unseen),
        ("Kneser-Ney".to_string(), scores.kneser_ney, scores.kneser_ney_unseen),
        (format!("rank-{} factorisation", config.rank), scores.factorised, scores.factorised_unseen),
    ] {
        println!("{name:<26} {all:>12.1} {unseen:>20.1}");
        record.set_metric(format!("{name} test perplexity"), all);
        record.set_metric(format!("{name} perplexity on unseen test bigrams"), unseen);
    }
    record.set_metric("unseen share of test bigrams", unseen_share);
    print_examples(&corpus, &counts, &add_k, &factorised);
    add_claims(&mut record, &scores);
    run.finish(&mut record)?;
    Ok(Outcome { record, scores })
}

/// The most frequent unseen test bigrams with their probability under add-k and the
/// factorisation.
fn print_examples(
    corpus: &shared::data::Corpus,
    counts: &NgramCounts,
    add_k: &AddK,
    factorised: &LowRankBigram,
) {
    let mut frequency: HashMap<(usize, usize), usize> = HashMap::new();
    for pair in corpus.test.windows(2) {
        if counts.count(pair) == 0 && pair[0] != 0 && pair[1] != 0 {
            *frequency.entry((pair[0], pair[1])).or_default() += 1;
        }
    }
    let mut examples: Vec<((usize, usize), usize)> = frequency.into_iter().collect();
    examples.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    println!("\nunseen test bigrams (never in training):  P(w | v) by add-k and by the factorisation");
    let previous: Vec<usize> = examples.iter().take(8).map(|((v, _), _)| *v).collect();
    if previous.is_empty() {
        return;
    }
    let rows = factorised.log_probs(&previous).exp();
    let [_, vocab] = rows.dims();
    let values: Vec<f64> = rows.into_data().iter::<f64>().collect();
    for (i, ((v, w), _)) in examples.iter().take(8).enumerate() {
        let words = corpus.vocab.decode(&[*v, *w]).join(" ");
        println!(
            "  {words:<28} add-k {:.1e}   factorised {:.1e}",
            add_k.prob(&[*v], *w),
            values[i * vocab + w]
        );
    }
}

fn add_claims(record: &mut ExperimentRecord, s: &BigramScores) {
    record.add_claim(
        "a low-rank bigram beats add-k on held-out perplexity",
        "test perplexity factorised < add-k",
        format!("{:.1} vs {:.1}", s.factorised, s.add_k),
        s.factorised < s.add_k,
    );
    record.add_claim(
        "it gives unseen bigrams more sensible probability than add-k",
        "perplexity on unseen test bigrams factorised < add-k",
        format!("{:.0} vs {:.0}", s.factorised_unseen, s.add_k_unseen),
        s.factorised_unseen < s.add_k_unseen,
    );
}
