//! Claims 1 and 3: composition beats a bag of words where negation and "but" decide the
//! sentiment, and the RNTN's phrase vectors flip when "not" is put in front of an adjective.
//!
//! All five models train on the same synthetic sentences ([`crate::negation`]), every node
//! labelled, and are scored on fresh test sentences by binary root accuracy. Then the trained
//! RNTN and Tree-LSTM read each adjective alone and after "not": `P(positive)` should cross
//! 0.5 in opposite directions, also for the adjectives never seen negated in training.

use crate::model::ModelKind;
use crate::negation::{HELD_OUT_NEGATIONS, Mix, NEGATIVE, POSITIVE, Split, adjective_phrase, negation_trees};
use crate::training::{TrainConfig, Trained, TrainingData, train};
use crate::tree_batch::TreeBatch;
use crate::treebank::vocabulary;
use anyhow::{Context, Result};
use serde::Serialize;
use shared::data::{Vocab, sub_seed};
use shared::experiment::Run;
use shared::plot::{Heatmap, LineChart};
use shared::report::ExperimentRecord;
use shared::stats::{mean_and_std, median};

/// The experiment's name: its record is `out/lecture-07-recursive/negation.json`.
pub const NAME: &str = "negation";

/// The random streams of the repeats, one sub-stream per repeat: each repeat draws its own
/// sentences and weights from its seed's streams below.
const REPEATS: u64 = 0;
/// A repeat's training sentences.
const TRAIN_TREES: u64 = 0;
/// A repeat's test sentences.
const TEST_TREES: u64 = 1;
/// A repeat's models (weights and batch order), one sub-stream per model.
const MODELS: u64 = 2;

/// "High" root accuracy for the compositional models (the bar).
pub const HIGH_ACCURACY: f64 = 0.90;
/// The bag of vectors should stay near or below this.
pub const BAG_CEILING: f64 = 0.65;

/// Sizes of the negation experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// Training sentences.
    pub train_trees: usize,
    /// Test sentences (drawn with another seed, held-out negations included).
    pub test_trees: usize,
    /// How often negation and "but" appear.
    pub mix: Mix,
    /// Model width, epochs, batch, optimiser.
    pub training: TrainConfig,
    /// Repeats with different seeds (data and weights): single runs of the RNN and RNTN
    /// sometimes stall in a poor local minimum, so the claims read the median and the mean.
    pub seeds: u64,
}

impl Config {
    /// Quick: 3 seeds of 500 sentences, 15 epochs (seconds); full: 5 seeds of 1000 sentences,
    /// 30 epochs. Width 8 in both.
    pub fn for_run(run: &Run) -> Config {
        Config {
            train_trees: run.size(500, 1000),
            test_trees: 500,
            mix: Mix::default(),
            seeds: run.size(3, 5),
            training: TrainConfig {
                width: 8,
                epochs: run.epochs_or(15, 30),
                batch_size: 25,
                learning_rate: 0.01,
                clip_norm: 5.0,
            },
        }
    }
}

/// `P(positive)` of an adjective alone and after "not", by one model.
#[derive(Clone, Debug, Serialize)]
pub struct Probe {
    pub adjective: String,
    /// Whether the adjective is positive.
    pub positive: bool,
    /// Whether "not <adjective>" never appeared in training.
    pub held_out: bool,
    /// `P(3) + P(4)` of the adjective alone.
    pub plain: f64,
    /// `P(3) + P(4)` of "not <adjective>".
    pub negated: f64,
}

impl Probe {
    /// Whether the model calls the adjective right and "not" flips it.
    pub fn flips(&self) -> bool {
        (self.plain > 0.5) == self.positive && (self.negated > 0.5) != self.positive
    }
}

/// What the experiment measured.
pub struct Outcome {
    /// The written record.
    pub record: ExperimentRecord,
    /// Test binary root accuracy of every model for every seed, in [`ModelKind::ALL`] order.
    pub accuracy: Vec<(ModelKind, Vec<f64>)>,
    /// The RNTN's probes for every seed, one per adjective.
    pub rntn_probes: Vec<Vec<Probe>>,
    /// The same probes of the bag of vectors (no composition): the flip claim's control.
    pub bag_probes: Vec<Vec<Probe>>,
}

impl Outcome {
    /// Median over seeds of `kind`'s binary root accuracy.
    pub fn median(&self, kind: ModelKind) -> f64 {
        median(&self.accuracies(kind))
    }

    /// Mean over seeds of `kind`'s binary root accuracy.
    pub fn mean(&self, kind: ModelKind) -> f64 {
        mean_and_std(&self.accuracies(kind)).0
    }

    /// `kind`'s binary root accuracy for every seed.
    pub fn accuracies(&self, kind: ModelKind) -> Vec<f64> {
        self.accuracy.iter().find(|(k, _)| *k == kind).map(|(_, a)| a.clone()).unwrap_or_default()
    }

    /// The number of seeds whose RNTN flips every adjective (`held_out`: only the held-out
    /// ones; else only those seen negated in training).
    pub fn seeds_flipping(&self, held_out: bool) -> usize {
        Self::seeds_where_all_flip(&self.rntn_probes, held_out)
    }

    /// The same for the bag of vectors.
    pub fn bag_seeds_flipping(&self, held_out: bool) -> usize {
        Self::seeds_where_all_flip(&self.bag_probes, held_out)
    }

    fn seeds_where_all_flip(probes: &[Vec<Probe>], held_out: bool) -> usize {
        probes
            .iter()
            .filter(|probes| probes.iter().filter(|p| p.held_out == held_out).all(Probe::flips))
            .count()
    }
}

/// Trains the five models for every seed, probes negation, writes `negation.json` and pictures.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let mut accuracy: Vec<(ModelKind, Vec<f64>)> = ModelKind::ALL.iter().map(|&k| (k, Vec::new())).collect();
    let (mut rntn_probes, mut bag_probes) = (Vec::new(), Vec::new());
    for repeat in 0..config.seeds {
        let seed = sub_seed(sub_seed(run.seed, REPEATS), repeat);
        let train_trees =
            negation_trees(config.train_trees, &config.mix, Split::Train, sub_seed(seed, TRAIN_TREES));
        let test_trees =
            negation_trees(config.test_trees, &config.mix, Split::Test, sub_seed(seed, TEST_TREES));
        let vocab = vocabulary(&train_trees);
        let data = TrainingData { train: &train_trees, eval: &test_trees, vocab: &vocab };
        let mut chart =
            LineChart::new(format!("Synthetic negation, repeat {repeat}: test binary root accuracy"))
                .x_label("epoch")
                .y_label("binary root accuracy");
        let mut trained = Vec::new();
        for (index, kind) in ModelKind::ALL.into_iter().enumerate() {
            let mut scratch = run.record(NAME);
            let model = train(
                kind,
                &data,
                &config.training,
                sub_seed(sub_seed(seed, MODELS), index as u64),
                &run.device,
                &mut scratch,
            )
            .with_context(|| format!("training the {kind} on negation sentences (repeat {repeat})"))?;
            let curve: Vec<(f64, f64)> =
                model.per_epoch.iter().enumerate().map(|(e, s)| ((e + 1) as f64, s.binary_root)).collect();
            let name = format!("{kind} repeat {repeat} test binary root accuracy");
            record.define_curve(&name, "epoch", "binary root accuracy");
            curve.iter().for_each(|&(x, y)| record.push_point(&name, x, y));
            chart = chart.series(kind.to_string(), curve);
            record.set_metric(name, model.scores().binary_root);
            accuracy[index].1.push(model.scores().binary_root);
            trained.push(model);
        }
        let find = |kind| trained.iter().find(|t: &&Trained| t.kind == kind).expect("every kind was trained");
        let probes_now = probes(find(ModelKind::Rntn), &vocab, run);
        if repeat == 0 {
            chart = chart.reference_line("90%", HIGH_ACCURACY).reference_line("65%", BAG_CEILING);
            chart.save_svg(run.picture_path("negation-accuracy.svg"))?;
            record.add_picture("negation-accuracy.svg");
            let lstm_probes = probes(find(ModelKind::TreeLstm), &vocab, run);
            probe_heatmap(&probes_now, &lstm_probes).save_svg(run.picture_path("negation-probes.svg"))?;
            record.add_picture("negation-probes.svg");
        }
        rntn_probes.push(probes_now);
        bag_probes.push(probes(find(ModelKind::Bag), &vocab, run));
    }
    let mut outcome = Outcome { record, accuracy, rntn_probes, bag_probes };
    print_table(&outcome);
    let mut record = std::mem::replace(&mut outcome.record, run.record(NAME));
    add_claims(&mut record, &outcome);
    run.finish(&mut record)?;
    Ok(Outcome { record, ..outcome })
}

/// `P(positive)` of every adjective alone and negated.
fn probes(trained: &Trained, vocab: &Vocab, run: &Run) -> Vec<Probe> {
    let plain_device = run.device.clone().inner();
    let model = burn::module::Module::valid(&trained.model);
    POSITIVE
        .iter()
        .chain(&NEGATIVE)
        .map(|&adjective| {
            let p = |negated| {
                let phrase = adjective_phrase(adjective, negated).expect("our adjectives have labels");
                let batch = TreeBatch::new([&phrase], vocab);
                let probs = model.probabilities(&batch, &plain_device);
                let root = probs[batch.roots[0]];
                f64::from(root[3] + root[4])
            };
            Probe {
                adjective: adjective.to_string(),
                positive: POSITIVE.contains(&adjective),
                held_out: HELD_OUT_NEGATIONS.contains(&adjective),
                plain: p(false),
                negated: p(true),
            }
        })
        .collect()
}

/// Rows: adjectives; columns: RNTN "X", RNTN "not X", Tree-LSTM "X", Tree-LSTM "not X".
fn probe_heatmap(rntn: &[Probe], tree_lstm: &[Probe]) -> Heatmap {
    let values: Vec<f64> =
        rntn.iter().zip(tree_lstm).flat_map(|(r, t)| [r.plain, r.negated, t.plain, t.negated]).collect();
    let rows = rntn
        .iter()
        .map(|p| if p.held_out { format!("{} (held out)", p.adjective) } else { p.adjective.clone() });
    Heatmap::new(&values, rntn.len(), 4)
        .title("P(positive) of \"X\" and \"not X\"")
        .row_labels(rows)
        .column_labels(["RNTN: X", "RNTN: not X", "Tree-LSTM: X", "Tree-LSTM: not X"])
        .value_range(0.0, 1.0)
        .show_values(true)
}

fn print_table(outcome: &Outcome) {
    println!("\nbinary root accuracy on test sentences, per seed");
    for (kind, accuracies) in &outcome.accuracy {
        let cells: Vec<String> = accuracies.iter().map(|a| format!("{:5.1}%", 100.0 * a)).collect();
        println!("{:<16} {}   median {:5.1}%", kind.to_string(), cells.join(" "), 100.0 * median(accuracies));
    }
    for (repeat, probes) in outcome.rntn_probes.iter().enumerate() {
        println!("\nRNTN (seed #{repeat}), P(positive): {:>12} {:>6} {:>8}", "adjective", "X", "not X");
        for p in probes {
            let note = if p.held_out { " (never negated in training)" } else { "" };
            println!("{:>45} {:>6.2} {:>8.2}{note}", p.adjective, p.plain, p.negated);
        }
    }
}

fn add_claims(record: &mut ExperimentRecord, outcome: &Outcome) {
    let seeds = outcome.rntn_probes.len();
    let (rntn, lstm) = (outcome.median(ModelKind::Rntn), outcome.median(ModelKind::TreeLstm));
    record.add_claim(
        "RNTN and Tree-LSTM reach high root accuracy on negation sentences",
        format!("median over {seeds} seeds of binary root accuracy > {:.0}% for both", 100.0 * HIGH_ACCURACY),
        format!("RNTN {:.1}%, Tree-LSTM {:.1}%", 100.0 * rntn, 100.0 * lstm),
        rntn > HIGH_ACCURACY && lstm > HIGH_ACCURACY,
    );
    let bag = outcome.accuracies(ModelKind::Bag).into_iter().fold(0.0, f64::max);
    record.add_claim(
        "the bag of vectors stays near 65% or below",
        format!("bag <= {:.0}% (+ 5 points) for every seed", 100.0 * BAG_CEILING),
        format!("at most {:.1}%", 100.0 * bag),
        bag <= BAG_CEILING + 0.05,
    );
    let mean = |kind| outcome.mean(kind);
    let (bag, rnn, best) =
        (mean(ModelKind::Bag), mean(ModelKind::Rnn), mean(ModelKind::Rntn).max(mean(ModelKind::TreeLstm)));
    record.add_claim(
        "the plain recursive net sits between the bag and the RNTN / Tree-LSTM",
        "mean over seeds: bag < RNN < max(RNTN, Tree-LSTM)".to_string(),
        format!("bag {:.1}% < RNN {:.1}% < {:.1}%", 100.0 * bag, 100.0 * rnn, 100.0 * best),
        bag < rnn && rnn < best,
    );
    let seen = outcome.seeds_flipping(false);
    record.add_claim(
        "negation flips the RNTN's phrase sentiment (\"X\" vs \"not X\")",
        "in most seeds every adjective seen negated in training flips".to_string(),
        format!("{seen} of {seeds} seeds (bag of vectors: {} of {seeds})", outcome.bag_seeds_flipping(false)),
        2 * seen > seeds,
    );
    let held = outcome.seeds_flipping(true);
    record.add_claim(
        "the RNTN's negation carries over to adjectives never negated in training",
        "in most seeds the held-out adjectives flip too".to_string(),
        format!("{held} of {seeds} seeds"),
        2 * held > seeds,
    );
}
