//! Claims 1 and 2: attention holds up on long inputs where the fixed-size summary collapses, and
//! its weights show the alignment.
//!
//! Three encoder-decoders of the same size learn to **reverse** digit strings of 3 to `longest`
//! digits: one without attention (the decoder starts from the encoder's last state and never
//! sees the source again), one with additive and one with dot-product attention. After
//! training, each decodes fresh strings of several lengths greedily; token accuracy against
//! length is the analogue of Bahdanau et al. (2015) Fig. 2 (BLEU against sentence length, where
//! the plain encoder-decoder falls off with length and the attentive one does not).
//!
//! Alignment: to write output `t` of a reversal the decoder needs source digit `S - 1 - t`
//! (`S` digits). The share of output digits whose largest attention weight sits on that position
//! or a neighbour measures whether the weights are the interpretable alignment the lecture
//! shows. (A neighbour, because each encoder state `m_s = [f_s; b_s]` also carries its
//! neighbours' tokens: a trained dot-product model often peaks one position to the right, on the
//! state whose forward half has just read the digit it needs.)

use super::token_training::{TokenTraining, decode_test_set, teacher_forced_loss, token_accuracy, train};
use crate::attention::AttentionKind;
use crate::decoding::{Hypothesis, Strategy};
use crate::recurrence::Recurrence;
use crate::seq2seq::{Seq2Seq, Seq2SeqConfig};
use anyhow::Result;
use serde::Serialize;
use shared::data::sub_seed;
use shared::data::synthetic::token_tasks::{EOS, TokenPairs, TokenTask, VOCAB_SIZE, token_digit};
use shared::experiment::Run;
use shared::plot::{Heatmap, LineChart};
use shared::report::ExperimentRecord;
use shared::stats::median;
use shared::testing::seeded_on;

/// The experiment's name: its record is `out/lecture-08-attention/long-inputs.json`.
pub const NAME: &str = "long-inputs";

/// The random streams of the models' initial weights, one sub-stream per attention kind.
const WEIGHTS: u64 = 0;

/// The random streams of the repeats: repeat `k` trains from `sub_seed(sub_seed(seed, REPEATS), k)`.
const REPEATS: u64 = 1;

/// The three models, in table order.
pub const KINDS: [AttentionKind; 3] = [AttentionKind::None, AttentionKind::Additive, AttentionKind::Dot];

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// Task, lengths, batch, steps, optimiser.
    pub training: TokenTraining,
    /// Embedding width.
    pub embedding: usize,
    /// Width of encoder and decoder states.
    pub hidden: usize,
    /// Lengths tested (all within the training range).
    pub test_lengths: Vec<usize>,
    /// Test strings per length.
    pub test_count: usize,
    /// Training runs per model (weights and batches drawn afresh, the same test strings); every
    /// number reported is the median over them, so no single trajectory decides a claim.
    pub repeats: u64,
    /// Attention "holds up" above this accuracy at the longest length (0.7 at quick size, where
    /// 400 steps leave the dot-product model short of converged; 0.9 at full size).
    pub holds_up: f64,
}

impl Config {
    /// Quick: lengths 3-12, hidden 32, 400 steps; full: lengths 3-30, hidden 64, 1000 steps;
    /// three repeats at both sizes.
    pub fn for_run(run: &Run) -> Config {
        let longest = run.size(12, 30);
        Config {
            training: TokenTraining {
                task: TokenTask::Reverse,
                shortest: 3,
                longest,
                batch: 32,
                steps: run.steps_or(400, 1000),
                learning_rate: 5e-3,
                clip_norm: 1.0,
            },
            embedding: 16,
            hidden: run.size(32, 64),
            test_lengths: (1..=longest / 3).map(|k| 3 * k).collect(),
            test_count: run.size(50, 100),
            repeats: 3,
            holds_up: run.size(0.7, 0.9),
        }
    }
}

/// One model's results, each the median over the repeats.
#[derive(Clone, Debug, Serialize)]
pub struct ModelResult {
    pub kind: AttentionKind,
    /// `(length, greedy token accuracy)` for every test length.
    pub accuracy: Vec<(usize, f64)>,
    /// Share of output digits whose attention peaks within one position of the mirrored source
    /// position (attending models only), over all test lengths.
    pub alignment: Option<f64>,
    /// The same share for the untrained model (its weights at initialisation): what the
    /// alignment would be if training did not shape the attention.
    pub alignment_at_start: Option<f64>,
    /// Accuracy at the longest length of each repeat.
    pub longest_per_repeat: Vec<f64>,
}

impl ModelResult {
    /// Accuracy at the shortest tested length.
    pub fn shortest(&self) -> f64 {
        self.accuracy.first().map_or(f64::NAN, |a| a.1)
    }

    /// Accuracy at the longest tested length.
    pub fn longest(&self) -> f64 {
        self.accuracy.last().map_or(f64::NAN, |a| a.1)
    }
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    /// One entry per kind, in [`KINDS`] order.
    pub results: Vec<ModelResult>,
}

impl Outcome {
    /// The result of `kind`.
    pub fn of(&self, kind: AttentionKind) -> &ModelResult {
        self.results.iter().find(|r| r.kind == kind).expect("every kind is trained")
    }
}

/// Trains the three models, writes the record, the accuracy chart and attention heatmaps.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let mut chart = LineChart::new("Reversal: greedy token accuracy against length")
        .x_label("source length (digits)")
        .y_label("token accuracy");
    let mut results = Vec::new();
    for (index, kind) in KINDS.into_iter().enumerate() {
        let model_config = Seq2SeqConfig {
            vocab: VOCAB_SIZE,
            embedding: config.embedding,
            hidden: config.hidden,
            attention: kind,
            recurrence: Recurrence::Fused,
        };
        let mut repeats = Vec::new();
        for repeat in 0..config.repeats {
            let seed = sub_seed(sub_seed(run.seed, REPEATS), repeat);
            let model = seeded_on(&run.device, sub_seed(sub_seed(seed, WEIGHTS), index as u64), |device| {
                model_config.init(device)
            });
            let at_start = decode_all(run, config, &model)?;
            let device = run.device.clone();
            let label = format!("{kind} r{repeat}");
            let model = train(&label, model, &config.training, seed, &mut record, |m, pairs, _| {
                teacher_forced_loss(m, pairs, &device)
            })?;
            let decoded = decode_all(run, config, &model)?;
            if repeat == 0 && model.attends() {
                let (pairs, hypotheses) = &decoded[decoded.len() - 1].1;
                let file = format!("long-inputs-attention-{}.svg", kind.to_string().replace(' ', "-"));
                attention_heatmap(pairs, &hypotheses[0], &kind.to_string())?
                    .save_svg(run.picture_path(&file))?;
                record.add_picture(file);
            }
            repeats.push((measure(&decoded, model.attends()), measure(&at_start, model.attends())));
        }
        let result = summarise(kind, config, &repeats, &mut record);
        let label = kind.to_string();
        chart = chart.series(&label, result.accuracy.iter().map(|&(l, a)| (l as f64, a)).collect::<Vec<_>>());
        results.push(result);
    }
    chart.save_svg(run.picture_path("long-inputs-accuracy.svg"))?;
    record.add_picture("long-inputs-accuracy.svg");
    print_table(config, &results);
    add_claims(&mut record, config, &results);
    run.finish(&mut record)?;
    Ok(Outcome { record, results })
}

/// One test length, its strings and their greedy decoding.
type Decoded = (usize, (TokenPairs, Vec<Hypothesis>));

/// Every test length's strings and their greedy decoding by `model`.
fn decode_all(run: &Run, config: &Config, model: &Seq2Seq) -> Result<Vec<Decoded>> {
    let task = config.training.task;
    config
        .test_lengths
        .iter()
        .map(|&length| {
            let decoded = decode_test_set(
                model,
                task,
                length,
                config.test_count,
                run.seed,
                Strategy::Greedy,
                &run.device,
            )?;
            Ok((length, decoded))
        })
        .collect()
}

/// One trained model's `(length, accuracy)` per test length and its alignment (if it attends).
type Measured = (Vec<(usize, f64)>, Option<f64>);

fn measure(decoded: &[Decoded], attends: bool) -> Measured {
    let accuracy = decoded.iter().map(|(length, (pairs, h))| (*length, token_accuracy(pairs, h))).collect();
    let (aligned, written) = decoded
        .iter()
        .map(|(_, (pairs, h))| mirrored_peaks(pairs, h))
        .fold((0, 0), |(a, w), (a1, w1)| (a + a1, w + w1));
    (accuracy, attends.then(|| aligned as f64 / written.max(1) as f64))
}

/// The medians over the repeats of `(trained, at start)`, recorded as metrics and a curve.
fn summarise(
    kind: AttentionKind,
    config: &Config,
    repeats: &[(Measured, Measured)],
    record: &mut ExperimentRecord,
) -> ModelResult {
    let median_of = |values: Vec<f64>| median(&values);
    let accuracy: Vec<(usize, f64)> = config
        .test_lengths
        .iter()
        .enumerate()
        .map(|(row, &length)| (length, median_of(repeats.iter().map(|r| r.0.0[row].1).collect())))
        .collect();
    let alignment_of = |pick: fn(&(Measured, Measured)) -> Option<f64>| {
        repeats.iter().map(pick).collect::<Option<Vec<f64>>>().map(median_of)
    };
    let alignment = alignment_of(|r| r.0.1);
    let alignment_at_start = alignment_of(|r| r.1.1);
    let longest_per_repeat = repeats.iter().map(|r| r.0.0.last().map_or(f64::NAN, |a| a.1)).collect();
    let curve = format!("{kind} accuracy");
    record.define_curve(&curve, "source length", "greedy token accuracy (median over repeats)");
    for &(length, value) in &accuracy {
        record.push_point(&curve, length as f64, value);
        record.set_metric(format!("{kind} accuracy at length {length}"), value);
    }
    if let (Some(value), Some(start)) = (alignment, alignment_at_start) {
        record.set_metric(format!("{kind} alignment"), value);
        record.set_metric(format!("{kind} alignment before training"), start);
    }
    ModelResult { kind, accuracy, alignment, alignment_at_start, longest_per_repeat }
}

/// `(output digits whose attention peaks within one position of S - 1 - t, output digits)`.
fn mirrored_peaks(pairs: &TokenPairs, decoded: &[Hypothesis]) -> (usize, usize) {
    let (mut aligned, mut total) = (0, 0);
    for (i, h) in decoded.iter().enumerate() {
        let length = pairs.lengths[i];
        for (t, weights) in h.weights.iter().take(length).enumerate() {
            let peak = (0..weights.len()).fold(0, |b, s| if weights[s] > weights[b] { s } else { b });
            aligned += usize::from((peak + 1 + t).abs_diff(length) <= 1);
            total += 1;
        }
        total += length.saturating_sub(h.weights.len());
    }
    (aligned, total)
}

fn token_label(token: i64) -> String {
    match token_digit(token) {
        Some(d) => d.to_string(),
        None if token == EOS => "EOS".into(),
        None => "?".into(),
    }
}

/// The attention weights of one decoded example: rows = output tokens, columns = source tokens.
pub fn attention_heatmap(pairs: &TokenPairs, decoded: &Hypothesis, model: &str) -> Result<Heatmap> {
    let source: Vec<String> = pairs.source[..pairs.time].iter().map(|&t| token_label(t)).collect();
    let mut outputs: Vec<String> = decoded.tokens.iter().map(|&t| token_label(t)).collect();
    outputs.truncate(decoded.weights.len());
    while outputs.len() < decoded.weights.len() {
        outputs.push("EOS".into());
    }
    let values: Vec<f32> = decoded.weights.iter().flatten().copied().collect();
    anyhow::ensure!(!values.is_empty(), "the decoded example has no attention weights to draw");
    Ok(Heatmap::new(&values, decoded.weights.len(), source.len())
        .row_labels(outputs)
        .column_labels(source)
        .value_range(0.0, 1.0)
        .cell_size(18)
        .title(model.to_string())
        .x_label("source token")
        .y_label("output token"))
}

fn print_table(config: &Config, results: &[ModelResult]) {
    println!(
        "\ngreedy token accuracy when reversing strings (trained on lengths {}-{}), median of {} repeats:",
        config.training.shortest, config.training.longest, config.repeats
    );
    print!("{:>8}", "length");
    for r in results {
        print!(" | {:>22}", r.kind.to_string());
    }
    println!();
    for (row, &length) in config.test_lengths.iter().enumerate() {
        print!("{length:>8}");
        for r in results {
            print!(" | {:>22.3}", r.accuracy[row].1);
        }
        println!();
    }
    let row = |name: &str, value: fn(&ModelResult) -> Option<f64>| {
        print!("{name:>8}");
        for r in results {
            match value(r) {
                Some(a) => print!(" | {a:>22.3}"),
                None => print!(" | {:>22}", "-"),
            }
        }
        println!();
    };
    row("aligned", |r| r.alignment);
    row("untrained", |r| r.alignment_at_start);
    print!("{:>8}", "repeats");
    for r in results {
        let each: Vec<String> = r.longest_per_repeat.iter().map(|a| format!("{a:.3}")).collect();
        print!(" | {:>22}", each.join(" "));
    }
    println!("   (accuracy at the longest length, per repeat)");
}

/// The plain encoder-decoder "collapses" below this accuracy at the longest length.
pub const COLLAPSED: f64 = 0.5;

fn add_claims(record: &mut ExperimentRecord, config: &Config, results: &[ModelResult]) {
    let holds_up = config.holds_up;
    let (none, additive, dot) = (&results[0], &results[1], &results[2]);
    record.add_claim(
        "attention holds up on the longest inputs",
        format!("additive and dot-product accuracy > {holds_up} at the longest length (medians of repeats)"),
        format!("additive {:.3}, dot {:.3}", additive.longest(), dot.longest()),
        additive.longest() > holds_up && dot.longest() > holds_up,
    );
    record.add_claim(
        "without attention, accuracy collapses with length",
        format!("accuracy < {COLLAPSED} at the longest length, far below the shortest"),
        format!("shortest {:.3}, longest {:.3}", none.shortest(), none.longest()),
        none.longest() < COLLAPSED && none.shortest() > none.longest() + 0.3,
    );
    let alignment = |r: &ModelResult| r.alignment.unwrap_or(f64::NAN);
    record.add_claim(
        "attention weights show the alignment (output t looks at source S-1-t)",
        "attention peaks within one position of S-1-t for > 80% of output digits",
        format!(
            "additive {:.3}, dot {:.3} (untrained: {:.3}, {:.3})",
            alignment(additive),
            alignment(dot),
            additive.alignment_at_start.unwrap_or(f64::NAN),
            dot.alignment_at_start.unwrap_or(f64::NAN)
        ),
        alignment(additive) > 0.8 && alignment(dot) > 0.8,
    );
}
