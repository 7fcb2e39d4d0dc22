//! Claim 2: every model on the Stanford Sentiment Treebank, fine-grained (5-class) and binary
//! root accuracy on the test split, beside the published numbers.
//!
//! The models train on every labelled phrase of the training sentences (all nodes), are
//! scored on the dev split after each epoch, and on the test split at the end. The default
//! run is CPU-sized: the whole training split once (`--epochs N` for more), narrow vectors
//! learned from scratch (the papers train for many epochs; Tai et al. start from 300-d GloVe).

use crate::model::ModelKind;
use crate::training::{Scores, TrainConfig, TrainingData, evaluate, train};
use crate::treebank::{load_treebank, vocabulary};
use anyhow::{Context, Result};
use rand::seq::SliceRandom;
use serde::Serialize;
use shared::data::sub_seed;
use shared::data::synthetic::seeded_rng;
use shared::experiment::Run;
use shared::plot::LineChart;
use shared::report::ExperimentRecord;

/// The experiment's name: its record is `out/lecture-07-recursive/sst.json`.
pub const NAME: &str = "sst";

/// The random streams of the models (weights and batch order), one sub-stream per model.
const MODELS: u64 = 0;

/// Published test root accuracies (fine-grained %, binary %): Socher et al. 2013 Table 1
/// (VecAvg, RNN, MV-RNN, RNTN) and Tai et al. 2015 Table 2 (constituency Tree-LSTM).
pub fn paper(kind: ModelKind) -> (f64, f64) {
    match kind {
        ModelKind::Bag => (32.7, 80.1),
        ModelKind::Rnn => (43.2, 82.4),
        ModelKind::MvRnn => (44.4, 82.9),
        ModelKind::Rntn => (45.7, 85.4),
        ModelKind::TreeLstm => (51.0, 88.0),
    }
}

/// Sizes of the SST experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// Training sentences used (a random sample; `None`: all 8,544).
    pub train_trees: Option<usize>,
    /// Dev and test sentences scored (`None`: all 1,101 / 2,210).
    pub eval_trees: Option<usize>,
    /// Width, epochs, batch, optimiser.
    pub training: TrainConfig,
}

impl Config {
    /// Quick: every training sentence once, 500 evaluation sentences, width 8 (under a
    /// minute); full: the whole treebank, width 12, two epochs (`--epochs` for more). The width is
    /// kept small for the MV-RNN, whose state (`d + d²` numbers a node) makes it the slowest.
    pub fn for_run(run: &Run) -> Config {
        Config {
            train_trees: run.size(None, None),
            eval_trees: run.size(Some(500), None),
            training: TrainConfig {
                width: run.size(8, 12),
                epochs: run.epochs_or(1, 2),
                batch_size: 25,
                learning_rate: 0.01,
                clip_norm: 5.0,
            },
        }
    }
}

/// One model's results.
#[derive(Clone, Debug, Serialize)]
pub struct ModelResult {
    pub model: ModelKind,
    /// Test scores after the last epoch.
    pub test: Scores,
    /// Dev scores after each epoch.
    pub dev: Vec<Scores>,
    /// Seconds of training (evaluation excluded).
    pub train_seconds: f64,
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub results: Vec<ModelResult>,
    /// The share of test roots labelled with the most common training root label.
    pub majority_fine: f64,
}

impl Outcome {
    /// The test scores of `kind`.
    pub fn test(&self, kind: ModelKind) -> Scores {
        test_scores(&self.results, kind)
    }
}

/// The test scores of `kind` among `results` (zeros if it is not there).
fn test_scores(results: &[ModelResult], kind: ModelKind) -> Scores {
    results.iter().find(|r| r.model == kind).map(|r| r.test).unwrap_or_default()
}

/// Trains the five models on SST, writes `sst.json` and `sst-dev-accuracy.svg`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let mut bank = load_treebank(run.data_dir.as_deref())?;
    // The treebank's files are ordered (positive sentences first): subsets are random samples.
    let mut rng = seeded_rng(run.seed);
    for (split, n) in [
        (&mut bank.train, config.train_trees),
        (&mut bank.dev, config.eval_trees),
        (&mut bank.test, config.eval_trees),
    ] {
        if let Some(n) = n {
            split.shuffle(&mut rng);
            split.truncate(n);
        }
    }
    let vocab = vocabulary(&bank.train);
    let data = TrainingData { train: &bank.train, eval: &bank.dev, vocab: &vocab };
    let majority_fine = majority_share(&bank.train, &bank.test);
    let mut chart =
        LineChart::new("SST: dev binary root accuracy").x_label("epoch").y_label("binary root accuracy");
    let mut results = Vec::new();
    for (index, kind) in ModelKind::ALL.into_iter().enumerate() {
        let trained = train(
            kind,
            &data,
            &config.training,
            sub_seed(sub_seed(run.seed, MODELS), index as u64),
            &run.device,
            &mut record,
        )
        .with_context(|| format!("training the {kind} on SST"))?;
        let test = evaluate(&trained.model, &bank.test, &vocab, &run.device);
        let curve = trained.per_epoch.iter().enumerate().map(|(e, s)| ((e + 1) as f64, s.binary_root));
        chart = chart.series(kind.to_string(), curve.collect::<Vec<_>>());
        record.set_metric(format!("{kind} test fine root accuracy"), test.fine_root);
        record.set_metric(format!("{kind} test binary root accuracy"), test.binary_root);
        record.set_metric(format!("{kind} test all-node fine accuracy"), test.fine_all);
        record.set_metric(format!("{kind} train seconds"), trained.train_seconds);
        results.push(ModelResult {
            model: kind,
            test,
            dev: trained.per_epoch,
            train_seconds: trained.train_seconds,
        });
    }
    chart.save_svg(run.picture_path("sst-dev-accuracy.svg"))?;
    record.add_picture("sst-dev-accuracy.svg");
    record.set_metric("majority-class test fine root accuracy", majority_fine);
    print_table(&results, majority_fine, bank.train.len());
    add_claims(&mut record, &results, majority_fine);
    run.finish(&mut record)?;
    Ok(Outcome { record, results, majority_fine })
}

/// The share of `test` roots whose label is the most common root label of `train`.
fn majority_share(train: &[shared::data::Tree], test: &[shared::data::Tree]) -> f64 {
    let mut counts = [0usize; 5];
    train.iter().for_each(|t| counts[usize::from(t.label())] += 1);
    let majority = (0..5).max_by_key(|&k| counts[k]).unwrap_or(2) as u8;
    test.iter().filter(|t| t.label() == majority).count() as f64 / test.len().max(1) as f64
}

fn print_table(results: &[ModelResult], majority_fine: f64, train_trees: usize) {
    println!("\nSST test root accuracy after training on {train_trees} sentences (paper in brackets)");
    println!("{:<16} {:>18} {:>18} {:>12}", "model", "fine-grained", "binary", "train time");
    for r in results {
        let (fine, binary) = paper(r.model);
        println!(
            "{:<16} {:>8.1}% ({:>5.1}%) {:>8.1}% ({:>5.1}%) {:>10.0} s",
            r.model.to_string(),
            100.0 * r.test.fine_root,
            fine,
            100.0 * r.test.binary_root,
            binary,
            r.train_seconds
        );
    }
    println!("majority class (fine-grained): {:.1}%", 100.0 * majority_fine);
}

/// MV-RNN and Tree-LSTM must beat the majority class by this much (fine-grained root accuracy).
pub const MARGIN_OVER_MAJORITY: f64 = 0.05;
/// The bag of vectors' binary root accuracy must exceed this (chance is about 50%).
pub const BAG_BINARY_FLOOR: f64 = 0.70;

fn add_claims(record: &mut ExperimentRecord, results: &[ModelResult], majority_fine: f64) {
    let test = |kind| test_scores(results, kind);
    let (mv, lstm) = (test(ModelKind::MvRnn).fine_root, test(ModelKind::TreeLstm).fine_root);
    record.add_claim(
        "MV-RNN and Tree-LSTM learn fine-grained (5-class) sentence sentiment",
        format!("test fine root accuracy > majority class ({:.1}%) + 5 points", 100.0 * majority_fine),
        format!("MV-RNN {:.1}%, Tree-LSTM {:.1}%", 100.0 * mv, 100.0 * lstm),
        mv.min(lstm) > majority_fine + MARGIN_OVER_MAJORITY,
    );
    let bag = test(ModelKind::Bag).binary_root;
    record.add_claim(
        "a bag of vectors already gets most of the binary polarity right",
        format!("bag test binary root accuracy > {:.0}%", 100.0 * BAG_BINARY_FLOOR),
        format!("{:.1}%", 100.0 * bag),
        bag > BAG_BINARY_FLOOR,
    );
    for r in results {
        let (fine, binary) = paper(r.model);
        record.add_claim(
            format!("{} on SST reaches the published accuracy", r.model),
            format!("paper: fine {fine:.1}%, binary {binary:.1}% (within 2 points)"),
            format!("fine {:.1}%, binary {:.1}%", 100.0 * r.test.fine_root, 100.0 * r.test.binary_root),
            100.0 * r.test.fine_root >= fine - 2.0 && 100.0 * r.test.binary_root >= binary - 2.0,
        );
    }
}
