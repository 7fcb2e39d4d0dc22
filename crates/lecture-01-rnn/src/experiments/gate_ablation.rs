//! Claim 5 (Greff et al. 2015, "LSTM: A Search Space Odyssey"): of the LSTM's parts, the forget
//! gate matters most and the output activation matters; coupling the input and forget gates costs
//! little. Every [`LstmVariant`] is trained on one task over several seeds.
//!
//! **Task** ("sum since the last reset"): each step carries `x_t = [v_t, m_t, r_t]`, a value
//! `v_t ~ U(0, 1)`, a mark `m_t ∈ {0, 1}` and a reset `r_t ∈ {0, 1}`. A sequence of `T` steps is
//! cut into segments of random length (`segment_min ..= segment_max`); the first step of every
//! segment but the first carries `r_t = 1`, and two other steps of each segment carry `m_t = 1`.
//! The target at every step is the sum of the marked values since the last reset,
//!
//! ```text
//! y_t = Σ { v_k : m_k = 1, last reset <= k <= t }          (0, v, or the sum of two values)
//! ```
//!
//! scored by mean squared error over all steps. The model must hold a value across a gap of up to
//! a segment's length and drop it at the reset: exactly what the forget gate does (`f ≈ 0` for one
//! step). Without it (`NoForgetGate`, `c_t = c_{t-1} + i ⊙ g`) the cell can only cancel its content
//! by writing its negative, which it can read only squashed through `h_{t-1}`.
//!
//! **The paper**: Greff et al. trained each variant with random hyper-parameter search on TIMIT,
//! IAM Online handwriting and JSB Chorales; removing the forget gate (NFG) or the output
//! activation (NOAF) hurt significantly on all three, while coupling the gates (CIFG) and dropping
//! the peepholes did not. Their "vanilla" LSTM has peepholes: it is our `Peepholes`, and their
//! "no peepholes" (NP) is our `Vanilla`.
//!
//! Each model is one LSTM cell of width `hidden` and a linear read-out `h_t -> ŷ_t`, trained with
//! Adam (gradient norm clipped to 1) on fresh batches; every variant sees the same batches and
//! the same test set for a given seed. The loss to beat is the test set's variance (predicting
//! its mean everywhere).

use super::sequence_metrics::masked_mse;
use crate::any_cell::{AnyCell, CellKind};
use crate::feedforward::{FeedForward, FeedForwardConfig};
use crate::lstm_cell::LstmVariant;
use crate::unroll::unroll;
use anyhow::{Result, ensure};
use burn::grad_clipping::GradientClippingConfig;
use burn::module::Module;
use burn::prelude::{Device, Tensor};
use rand::RngExt;
use rand::seq::index::sample;
use serde::Serialize;
use shared::data::synthetic::{float_tensor, seeded_rng};
use shared::data::{batch_seed, sub_seed};
use shared::experiment::Run;
use shared::plot::ScatterPlot;
use shared::report::ExperimentRecord;
use shared::stats::mean_and_std;
use shared::testing::seeded_on;
use shared::train::{Fit, FusedAdamConfig};

/// The settings of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// Sequence length T.
    pub time: usize,
    /// Shortest segment between resets (at least 3: a reset and two marks).
    pub segment_min: usize,
    /// Longest segment between resets.
    pub segment_max: usize,
    /// Width of the LSTM cell.
    pub hidden: usize,
    /// Sequences per training batch.
    pub batch: usize,
    /// Training steps per model.
    pub steps: u64,
    /// Adam's learning rate.
    pub learning_rate: f64,
    /// Test loss is measured every this many steps.
    pub eval_every: u64,
    /// Sequences in each seed's test set.
    pub test_size: usize,
    /// The variants trained (all of them in the experiment; two in the claim's control).
    pub variants: Vec<LstmVariant>,
    /// How many seeds each variant is trained with: repeat `k` draws from sub-stream `k` of the
    /// run seed's `REPEATS` stream.
    pub seeds: u64,
}

impl Config {
    /// Quick: T = 40, 3 seeds, 300 steps; full: T = 60, 5 seeds, 800 steps.
    pub fn for_run(run: &Run) -> Config {
        Config {
            time: run.size(40, 60),
            segment_min: run.size(6, 8),
            segment_max: run.size(16, 24),
            hidden: 16,
            batch: 32,
            steps: run.steps_or(300, 800),
            learning_rate: 1e-2,
            eval_every: run.size(50, 100),
            test_size: 256,
            variants: LstmVariant::ALL.to_vec(),
            seeds: run.size(3, 5),
        }
    }

    fn validate(&self) -> Result<()> {
        ensure!(
            3 <= self.segment_min && self.segment_min <= self.segment_max && self.segment_max <= self.time,
            "gate_ablation: segment lengths must satisfy 3 <= min ({}) <= max ({}) <= time ({})",
            self.segment_min,
            self.segment_max,
            self.time
        );
        ensure!(
            self.hidden > 0 && self.batch > 0 && self.test_size > 0 && self.eval_every > 0 && self.seeds > 0,
            "gate_ablation: hidden, batch, test_size, eval_every and seeds must be positive"
        );
        Ok(())
    }
}

/// One variant's final test losses, one per seed.
#[derive(Clone, Debug)]
pub struct VariantLosses {
    /// The LSTM variant.
    pub variant: LstmVariant,
    /// Final test MSE of each seed, in seed order.
    pub losses: Vec<f64>,
}

impl VariantLosses {
    /// Mean and sample standard deviation over the seeds.
    pub fn mean_and_std(&self) -> (f64, f64) {
        mean_and_std(&self.losses)
    }
}

/// What the experiment measured.
#[derive(Debug)]
pub struct Outcome {
    /// The record written to `out/<crate>/gate_ablation.json`.
    pub record: ExperimentRecord,
    /// Every trained variant's losses, in the config's order.
    pub variants: Vec<VariantLosses>,
    /// The mean over seeds of the test sets' variance: the loss of predicting the mean.
    pub baseline: f64,
}

impl Outcome {
    /// The mean final test loss of `variant` over the seeds.
    pub fn mean_loss(&self, variant: LstmVariant) -> f64 {
        self.variants.iter().find(|v| v.variant == variant).map_or(f64::NAN, |v| v.mean_and_std().0)
    }

    /// The median final test loss of `variant` over the seeds: one repeat that fails to train
    /// does not decide it.
    pub fn median_loss(&self, variant: LstmVariant) -> f64 {
        self.variants
            .iter()
            .find(|v| v.variant == variant)
            .map_or(f64::NAN, |v| shared::stats::median(&v.losses))
    }
}

/// A batch of the task: inputs `[batch, T, 3]` and targets `[batch, T]`, as plain vectors.
struct TaskBatch {
    inputs: Vec<f32>,
    targets: Vec<f32>,
    batch: usize,
}

impl TaskBatch {
    fn tensors(&self, time: usize, device: &Device) -> Result<(Tensor<3>, Tensor<2>)> {
        Ok((
            float_tensor(&self.inputs, [self.batch, time, 3], device)?,
            float_tensor(&self.targets, [self.batch, time], device)?,
        ))
    }

    /// Mean squared deviation of the targets from their mean.
    fn variance(&self) -> f64 {
        let n = self.targets.len() as f64;
        let mean = self.targets.iter().map(|&y| f64::from(y)).sum::<f64>() / n;
        self.targets.iter().map(|&y| (f64::from(y) - mean).powi(2)).sum::<f64>() / n
    }
}

/// Draws `batch` sequences of the task, a pure function of `seed`.
fn task_batch(config: &Config, batch: usize, seed: u64) -> TaskBatch {
    let time = config.time;
    let mut rng = seeded_rng(seed);
    let mut inputs = vec![0.0f32; batch * time * 3];
    let mut targets = vec![0.0f32; batch * time];
    for b in 0..batch {
        let mut start = 0;
        while start < time {
            let length = rng.random_range(config.segment_min..=config.segment_max).min(time - start);
            let step = |t: usize| (b * time + start + t) * 3;
            for t in 0..length {
                inputs[step(t)] = rng.random::<f32>();
            }
            if start > 0 {
                inputs[step(0) + 2] = 1.0;
            }
            // two marks among the segment's steps after the reset step (fewer if it is cut short)
            let marks = sample(&mut rng, length - 1, 2.min(length - 1));
            for t in marks.iter() {
                inputs[step(t + 1) + 1] = 1.0;
            }
            let mut sum = 0.0;
            for t in 0..length {
                sum += inputs[step(t)] * inputs[step(t) + 1];
                targets[b * time + start + t] = sum;
            }
            start += length;
        }
    }
    TaskBatch { inputs, targets, batch }
}

/// An LSTM of some variant with a linear read-out at every step.
#[derive(Module, Debug)]
pub struct Regressor {
    /// The LSTM cell.
    pub cell: AnyCell,
    /// `h_t -> ŷ_t`.
    pub head: FeedForward,
}

impl Regressor {
    fn new(variant: LstmVariant, hidden: usize, device: &Device) -> Result<Regressor> {
        Ok(Regressor {
            cell: CellKind::Lstm(variant).init(3, hidden, device),
            head: FeedForwardConfig::new(vec![hidden, 1]).init(device)?,
        })
    }

    /// `inputs: [batch, T, 3]` -> predictions `[batch, T]`.
    fn predict(&self, inputs: Tensor<3>) -> Tensor<2> {
        let (hiddens, _) = unroll(&self.cell, inputs, None);
        let [batch, time, hidden] = hiddens.dims();
        self.head.forward(hiddens.reshape([batch * time, hidden])).reshape([batch, time])
    }
}

fn mse(predictions: Tensor<2>, targets: Tensor<2>) -> Tensor<1> {
    let mask = targets.ones_like();
    masked_mse(predictions, targets, mask)
}

/// The random streams of the repeats, one sub-stream per repeat.
const REPEATS: u64 = 0;
/// The random stream of a repeat's test set (its training batches use [`batch_seed`]).
const TEST_SET: u64 = 1;

/// The seed of repeat `repeat` (weights, batches, test set) of a run seeded `run_seed`.
fn repeat_seed(run_seed: u64, repeat: u64) -> u64 {
    sub_seed(sub_seed(run_seed, REPEATS), repeat)
}

/// Trains one variant in one repeat; its test-MSE curve `<variant> repeat <repeat> test MSE`
/// (from step 0, every `eval_every` steps and after the last) and its training curve go into
/// `record`. Returns the final test MSE.
fn train_variant(
    run: &Run,
    config: &Config,
    variant: LstmVariant,
    repeat: u64,
    test: &(Tensor<3>, Tensor<2>),
    record: &mut ExperimentRecord,
) -> Result<f64> {
    let device = &run.device;
    let seed = repeat_seed(run.seed, repeat);
    // under the seed lock: a test running beside this one must not draw from the same stream
    let model = seeded_on(device, seed, |device| Regressor::new(variant, config.hidden, device))?;
    let optimiser = FusedAdamConfig::new().with_grad_clipping(Some(GradientClippingConfig::Norm(1.0))).init();
    let label = format!("{} repeat {repeat}", CellKind::Lstm(variant));
    let fitted = Fit::new(label, config.steps, config.learning_rate)
        .loss_unit("train MSE")
        .evaluate_every(config.eval_every, "test MSE", |_, model: &Regressor| {
            Ok(mse(model.valid().predict(test.0.clone()), test.1.clone()).into_scalar::<f64>())
        })
        .run(model, optimiser, record, |model, step| {
            // training batches are numbered from 1
            let batch = task_batch(config, config.batch, batch_seed(seed, step + 1));
            let (inputs, targets) = batch.tensors(config.time, device)?;
            Ok(mse(model.predict(inputs), targets))
        })?;
    Ok(fitted.final_evaluation())
}

/// Trains every variant with every seed and checks claim 5.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    config.validate()?;
    let mut record = run.record("gate_ablation").with_config(config)?;
    let mut variants: Vec<VariantLosses> =
        config.variants.iter().map(|&variant| VariantLosses { variant, losses: Vec::new() }).collect();
    let mut baselines = Vec::new();
    for repeat in 0..config.seeds {
        let test_seed = sub_seed(repeat_seed(run.seed, repeat), TEST_SET);
        let test_batch = task_batch(config, config.test_size, test_seed);
        baselines.push(test_batch.variance());
        let test = test_batch.tensors(config.time, &run.device)?;
        for entry in &mut variants {
            entry.losses.push(train_variant(run, config, entry.variant, repeat, &test, &mut record)?);
        }
    }
    let baseline = mean_and_std(&baselines).0;
    record.set_metric("baseline (predict the mean) MSE", baseline);
    for entry in &variants {
        let (mean, std) = entry.mean_and_std();
        let name = CellKind::Lstm(entry.variant).to_string();
        record.set_metric(format!("{name} mean test MSE"), mean);
        record.set_metric(format!("{name} std test MSE"), std);
    }
    add_claims(&mut record, &variants);
    save_chart(run, &mut record, &variants, baseline)?;
    run.finish(&mut record)?;
    Ok(Outcome { record, variants, baseline })
}

/// The variant's mean loss over vanilla's (`> 1`: the variant does worse).
fn ratio_to_vanilla(variants: &[VariantLosses], variant: LstmVariant) -> f64 {
    let mean =
        |v: LstmVariant| variants.iter().find(|e| e.variant == v).map_or(f64::NAN, |e| e.mean_and_std().0);
    mean(variant) / mean(LstmVariant::Vanilla)
}

/// `mean(variant) - mean(vanilla) - max(std(variant), std(vanilla))`: positive when the variant is
/// worse than vanilla by more than the seeds' spread.
fn beyond_spread(variants: &[VariantLosses], variant: LstmVariant) -> f64 {
    let stats = |v: LstmVariant| {
        variants.iter().find(|e| e.variant == v).map_or((f64::NAN, f64::NAN), |e| e.mean_and_std())
    };
    let ((mean, std), (vanilla_mean, vanilla_std)) = (stats(variant), stats(LstmVariant::Vanilla));
    mean - vanilla_mean - std.max(vanilla_std)
}

/// NFG must be this many times worse than vanilla (and worst of all) to "hurt most".
pub const FORGET_GATE_HURTS: f64 = 2.0;
/// CIFG may be at most this many times worse than vanilla to "cost little".
pub const COUPLING_COSTS_LITTLE: f64 = 1.5;

fn add_claims(record: &mut ExperimentRecord, variants: &[VariantLosses]) {
    let ratio = |variant| ratio_to_vanilla(variants, variant);
    let worst =
        variants.iter().max_by(|a, b| a.mean_and_std().0.total_cmp(&b.mean_and_std().0)).map(|e| e.variant);
    let nfg = ratio(LstmVariant::NoForgetGate);
    let nfg_excess = beyond_spread(variants, LstmVariant::NoForgetGate);
    record.add_claim(
        "claim 5a: removing the forget gate hurts most",
        format!(
            "NFG has the highest mean test MSE, >= {FORGET_GATE_HURTS} x vanilla and beyond the seeds' spread"
        ),
        format!(
            "worst {}, NFG / vanilla = {nfg:.2}, excess over the spread {nfg_excess:+.4}",
            worst.map_or("none", |v| v.abbreviation())
        ),
        worst == Some(LstmVariant::NoForgetGate) && nfg >= FORGET_GATE_HURTS && nfg_excess > 0.0,
    );
    let beyond_spread = beyond_spread(variants, LstmVariant::NoOutputActivation);
    record.add_claim(
        "claim 5b: removing the output activation hurts",
        "NOAF's mean test MSE exceeds vanilla's by more than the larger of their standard deviations",
        format!(
            "NOAF / vanilla = {:.2}, excess over the spread {beyond_spread:+.4}",
            ratio(LstmVariant::NoOutputActivation)
        ),
        beyond_spread > 0.0,
    );
    let cifg = ratio(LstmVariant::CoupledInputForget);
    record.add_claim(
        "claim 5c: coupling the input and forget gates costs little",
        format!("CIFG / vanilla mean test MSE <= {COUPLING_COSTS_LITTLE}"),
        format!("{cifg:.2}"),
        cifg <= COUPLING_COSTS_LITTLE,
    );
}

/// Final test loss per variant: a dot per seed and the mean, labelled with the variant's name
/// (the baseline, far above, goes in the title so as not to squash the scale).
fn save_chart(
    run: &Run,
    record: &mut ExperimentRecord,
    variants: &[VariantLosses],
    baseline: f64,
) -> Result<()> {
    let x = |i: usize| i as f64;
    let seeds = variants.iter().enumerate().flat_map(|(i, e)| e.losses.iter().map(move |&l| (x(i), l)));
    let means =
        variants.iter().enumerate().map(|(i, e)| ((x(i), e.mean_and_std().0), e.variant.abbreviation()));
    ScatterPlot::new(format!("Gate ablation: final test MSE (predicting the mean: {baseline:.3})"))
        .size(760, 480)
        .x_label("variant")
        .y_label("test MSE")
        .group("each seed", seeds)
        .labelled_group("mean over seeds", means)
        .save_svg(run.picture_path("gate_ablation.svg"))?;
    record.add_picture("gate_ablation.svg");
    Ok(())
}
