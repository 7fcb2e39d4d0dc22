//! Claim 3: memory networks answer the bAbI-style questions that an LSTM over the story misses,
//! and more hops help on the two-fact task.
//!
//! Task 1 ("where is mary?", one supporting sentence): a 3-hop memory network against an LSTM
//! reading the story and then the question. Task 2 ("where is the football?", two supporting
//! sentences: who picked it up, then where that person went): memory networks with 1 and 3 hops
//! and the LSTM. Each step draws fresh stories; the test stories are drawn from seeds no
//! training batch uses. The attention of every hop on one test story is drawn as a heatmap.

use crate::babi::{BabiTask, CHANCE, Stories, VOCAB, stories};
use crate::memory_network::{MemoryNetwork, MemoryNetworkConfig};
use crate::story_lstm::StoryLstm;
use anyhow::Result;
use burn::module::Module;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::optim::grad_clipping::GradientClippingConfig;
use burn::prelude::*;
use serde::Serialize;
use shared::data::{batch_seed, sub_seed};
use shared::experiment::Run;
use shared::plot::Heatmap;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;
use shared::train::{Fit, FusedAdamConfig, accuracy};

/// The experiment's name: its record is `out/lecture-08-attention/memory.json`.
pub const NAME: &str = "memory";

/// The random stream of the single-fact test stories (training batches use [`batch_seed`]).
const SINGLE_FACT_TEST: u64 = 0;
/// The random stream of the two-fact test stories.
const TWO_FACTS_TEST: u64 = 1;
/// The random streams of the memory networks' weights, one sub-stream per number of hops.
const MEMORY_WEIGHTS: u64 = 2;
/// The random stream of the LSTM baseline's weights.
const LSTM_WEIGHTS: u64 = 3;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// Sentences per story.
    pub sentences: usize,
    /// Stories per step.
    pub batch: usize,
    /// Optimiser steps of every model, memory network and LSTM alike (on the same batches).
    pub steps: u64,
    /// Adam's learning rate.
    pub learning_rate: f64,
    /// Memory networks train this share of their steps without the softmax (linear start).
    pub linear_start: f64,
    /// Embedding width of both models.
    pub embedding: usize,
    /// The LSTM's hidden width.
    pub lstm_hidden: usize,
    /// Test stories per task.
    pub test_count: usize,
}

impl Config {
    /// Quick: 6-sentence stories, 1500 steps; full: 10-sentence stories, 4000 steps.
    pub fn for_run(run: &Run) -> Config {
        Config {
            sentences: run.size(6, 10),
            batch: 32,
            steps: run.steps_or(1500, 4000),
            learning_rate: 3e-3,
            linear_start: 0.25,
            embedding: 20,
            lstm_hidden: 64,
            test_count: 500,
        }
    }
}

/// Test accuracies.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Accuracies {
    /// Task 1: memory network (3 hops), LSTM.
    pub single_memory: f64,
    pub single_lstm: f64,
    /// Task 2: memory network with 1 and 3 hops, LSTM.
    pub two_memory_1_hop: f64,
    pub two_memory_3_hops: f64,
    pub two_lstm: f64,
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub accuracy: Accuracies,
}

/// Trains `model` in the shared loop to answer `task` with `answer(model, stories) -> logits
/// [batch, V]`.
#[allow(clippy::too_many_arguments)]
fn train<M: Module>(
    label: &str,
    model: M,
    task: BabiTask,
    steps: u64,
    config: &Config,
    run: &Run,
    record: &mut ExperimentRecord,
    answer: impl Fn(&M, &Stories, &Device, bool) -> Result<Tensor<2>>,
) -> Result<M> {
    let device = &run.device;
    let optimiser = FusedAdamConfig::new().with_grad_clipping(Some(GradientClippingConfig::Norm(5.0))).init();
    let loss_fn = CrossEntropyLossConfig::new().init(device);
    let fitted = Fit::new(label, steps, config.learning_rate)
        .loss_curve(format!("{label} loss"), "cross-entropy of the answer (nats)")
        .curve_points(50)
        .run(model, optimiser, record, |model, step| {
            let batch = stories(task, config.batch, config.sentences, batch_seed(run.seed, step))?;
            let linear = (step as f64) < config.linear_start * steps as f64;
            Ok(loss_fn.forward(answer(model, &batch, device, linear)?, batch.answer_tensor(device)?))
        })?;
    Ok(fitted.model)
}

fn memory_network(run: &Run, config: &Config, hops: usize, offset: u64) -> MemoryNetwork {
    let sizes = MemoryNetworkConfig::new(VOCAB, config.embedding, config.sentences, hops);
    seeded_on(&run.device, sub_seed(sub_seed(run.seed, MEMORY_WEIGHTS), offset), |device| sizes.init(device))
}

fn memory_answer(m: &MemoryNetwork, s: &Stories, device: &Device, linear: bool) -> Result<Tensor<2>> {
    Ok(m.forward_with(s.story_tensor(device)?, s.question_tensor(device)?, linear).logits)
}

/// The LSTM has no softmax to leave out: `_linear` is ignored.
fn lstm_answer(m: &StoryLstm, s: &Stories, device: &Device, _linear: bool) -> Result<Tensor<2>> {
    Ok(m.forward(s.story_tensor(device)?, s.question_tensor(device)?))
}

/// Trains and tests a memory network of `hops` on `task`; returns it with its accuracy.
fn memory_run(
    run: &Run,
    config: &Config,
    task: BabiTask,
    hops: usize,
    record: &mut ExperimentRecord,
    test: &Stories,
) -> Result<(MemoryNetwork, f64)> {
    let label = format!("{task:?} memory network {hops} hop{}", if hops == 1 { "" } else { "s" });
    let model = memory_network(run, config, hops, hops as u64);
    let model = train(&label, model, task, config.steps, config, run, record, memory_answer)?;
    let plain = run.device.clone().inner();
    let value = accuracy(memory_answer(&model.valid(), test, &plain, false)?, test.answer_tensor(&plain)?);
    record.set_metric(format!("{label} accuracy"), value);
    Ok((model, value))
}

fn lstm_run(
    run: &Run,
    config: &Config,
    task: BabiTask,
    record: &mut ExperimentRecord,
    test: &Stories,
) -> Result<f64> {
    let label = format!("{task:?} LSTM");
    let model = seeded_on(&run.device, sub_seed(run.seed, LSTM_WEIGHTS), |device| {
        StoryLstm::new(VOCAB, config.embedding, config.lstm_hidden, device)
    });
    let model = train(&label, model, task, config.steps, config, run, record, lstm_answer)?;
    let plain = run.device.clone().inner();
    let value = accuracy(lstm_answer(&model.valid(), test, &plain, false)?, test.answer_tensor(&plain)?);
    record.set_metric(format!("{label} accuracy"), value);
    Ok(value)
}

/// Trains the five models, writes the record and the hop-attention heatmap.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let single_test = stories(
        BabiTask::SingleFact,
        config.test_count,
        config.sentences,
        sub_seed(run.seed, SINGLE_FACT_TEST),
    )?;
    let two_test =
        stories(BabiTask::TwoFacts, config.test_count, config.sentences, sub_seed(run.seed, TWO_FACTS_TEST))?;
    let (_, single_memory) = memory_run(run, config, BabiTask::SingleFact, 3, &mut record, &single_test)?;
    let single_lstm = lstm_run(run, config, BabiTask::SingleFact, &mut record, &single_test)?;
    let (_, two_memory_1_hop) = memory_run(run, config, BabiTask::TwoFacts, 1, &mut record, &two_test)?;
    let (three, two_memory_3_hops) = memory_run(run, config, BabiTask::TwoFacts, 3, &mut record, &two_test)?;
    let two_lstm = lstm_run(run, config, BabiTask::TwoFacts, &mut record, &two_test)?;
    let accuracy = Accuracies { single_memory, single_lstm, two_memory_1_hop, two_memory_3_hops, two_lstm };
    hop_heatmap(run, &three, &two_test, &mut record)?;
    print_table(&accuracy);
    add_claims(&mut record, &accuracy);
    run.finish(&mut record)?;
    Ok(Outcome { record, accuracy })
}

/// The attention of every hop over the sentences of the first test story.
fn hop_heatmap(
    run: &Run,
    model: &MemoryNetwork,
    test: &Stories,
    record: &mut ExperimentRecord,
) -> Result<()> {
    let plain = run.device.clone().inner();
    let first = stories(BabiTask::TwoFacts, 1, test.sentences, sub_seed(run.seed, TWO_FACTS_TEST))?;
    let output = model.valid().forward(first.story_tensor(&plain)?, first.question_tensor(&plain)?);
    let values: Vec<f32> =
        output.attention.iter().flat_map(|p| p.to_data().iter::<f32>().collect::<Vec<_>>()).collect();
    let text = first.text(0);
    let lines: Vec<&str> = text.lines().collect();
    let question = lines.last().copied().unwrap_or_default();
    let hops = output.attention.len();
    let heatmap = Heatmap::new(&values, hops, first.sentences)
        .row_labels((1..=hops).map(|k| format!("hop {k}")))
        .column_labels(lines[..first.sentences].iter().map(|s| s.to_string()))
        .value_range(0.0, 1.0)
        .show_values(true)
        .title(question.to_string())
        .x_label("story sentence")
        .y_label("hop");
    heatmap.save_svg(run.picture_path("memory-hops.svg"))?;
    record.add_picture("memory-hops.svg");
    Ok(())
}

fn print_table(a: &Accuracies) {
    println!("\nbAbI-style stories: test accuracy (chance {CHANCE:.3})");
    println!("{:>32} | {:>8}", "model", "accuracy");
    for (name, value) in [
        ("task 1: memory network, 3 hops", a.single_memory),
        ("task 1: LSTM", a.single_lstm),
        ("task 2: memory network, 1 hop", a.two_memory_1_hop),
        ("task 2: memory network, 3 hops", a.two_memory_3_hops),
        ("task 2: LSTM", a.two_lstm),
    ] {
        println!("{name:>32} | {value:>8.3}");
    }
}

fn add_claims(record: &mut ExperimentRecord, a: &Accuracies) {
    record.add_claim(
        "a memory network answers what an LSTM over the story misses",
        "memory network > LSTM + 0.2 on both tasks",
        format!(
            "task 1: {:.3} vs {:.3}; task 2: {:.3} vs {:.3}",
            a.single_memory, a.single_lstm, a.two_memory_3_hops, a.two_lstm
        ),
        a.single_memory > a.single_lstm + 0.2 && a.two_memory_3_hops > a.two_lstm + 0.2,
    );
    record.add_claim(
        "more hops help on the two-fact task",
        "3 hops > 1 hop + 0.2",
        format!("3 hops {:.3}, 1 hop {:.3}", a.two_memory_3_hops, a.two_memory_1_hop),
        a.two_memory_3_hops > a.two_memory_1_hop + 0.2,
    );
}
