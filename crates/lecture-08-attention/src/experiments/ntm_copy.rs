//! Claim 4: the Neural Turing Machine learns the copy task with far fewer parameters than an
//! LSTM and generalises to longer sequences than it was trained on.
//!
//! Both models read `length` random `width`-bit vectors and a delimiter, then write the vectors
//! back (`shared::data::synthetic::copy`). They train on lengths 1 to `longest` (drawn per batch)
//! and are tested on lengths up to twice that; the measure is bit errors per sequence.

use crate::fused_lstm::fused_lstm;
use crate::ntm::NtmConfig;
use anyhow::Result;
use burn::module::Module;
use burn::nn::{Linear, LinearConfig};
use burn::optim::grad_clipping::GradientClippingConfig;
use burn::prelude::*;
use burn::tensor::activation::softplus;
use rand::RngExt;
use serde::Serialize;
use shared::data::synthetic::copy::{BitSequenceBatch, copy_task};
use shared::data::synthetic::seeded_rng;
use shared::data::{batch_seed, sub_seed};
use shared::experiment::Run;
use shared::plot::LineChart;
use shared::recurrent::FusedLstm;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;
use shared::train::{Fit, FusedAdamConfig};

/// The experiment's name: its record is `out/lecture-08-attention/ntm-copy.json`.
pub const NAME: &str = "ntm-copy";

/// The random streams of the test sets, one sub-stream per sequence length (training batches
/// use [`batch_seed`]).
const TEST_SETS: u64 = 0;
/// The random stream of the LSTM baseline's weights (the NTM's are seeded with the run seed).
const LSTM_WEIGHTS: u64 = 1;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub width: usize,
    pub longest: usize,
    pub batch: usize,
    pub steps: u64,
    pub learning_rate: f64,
    pub ntm_hidden: usize,
    pub slots: usize,
    pub slot_width: usize,
    pub lstm_hidden: usize,
    pub test_count: usize,
}

impl Config {
    /// Quick: lengths 1-5, 1000 steps; full: lengths 1-8, 3000 steps.
    pub fn for_run(run: &Run) -> Config {
        Config {
            width: 4,
            longest: run.size(5, 8),
            batch: 32,
            steps: run.steps_or(1000, 3000),
            learning_rate: 3e-3,
            ntm_hidden: 32,
            slots: run.size(16, 24),
            slot_width: 8,
            lstm_hidden: 96,
            test_count: 100,
        }
    }
}

impl Config {
    /// The NTM's sizes: input bits and a delimiter channel in, the bits out.
    pub fn ntm(&self) -> NtmConfig {
        NtmConfig::new(self.width + 1, self.width, self.ntm_hidden, self.slots, self.slot_width)
    }

    /// A fresh LSTM baseline.
    pub fn lstm(&self, device: &Device) -> CopyLstm {
        CopyLstm {
            lstm: fused_lstm(self.width + 1, self.lstm_hidden, device),
            output: LinearConfig::new(self.lstm_hidden, self.width).init(device),
        }
    }
}

/// The LSTM baseline: burn's `Lstm`, computed by the fused layer ([`crate::fused_lstm`]), and a
/// linear read-out of every step.
#[derive(Module, Debug)]
pub struct CopyLstm {
    pub lstm: FusedLstm,
    pub output: Linear,
}

impl CopyLstm {
    fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        self.output.forward(self.lstm.forward(x, None))
    }
}

/// Mean binary cross-entropy of `logits` against `batch`'s targets over its masked steps.
fn masked_bce(logits: Tensor<3>, batch: &BitSequenceBatch, device: &Device) -> Result<Tensor<1>> {
    let targets = batch.target_tensor(device)?;
    let mask = batch.mask_tensor(device)?.unsqueeze_dim::<3>(2);
    let bce = softplus(logits.clone(), 1.0) - logits * targets; // per bit
    let counted = batch.mask.iter().sum::<f32>() * batch.target_channels as f32;
    Ok((bce * mask).sum().div_scalar(counted))
}

/// One model's results.
#[derive(Clone, Debug, Serialize)]
pub struct ModelResult {
    pub name: String,
    pub parameters: usize,
    /// `(length, bit errors per sequence)`.
    pub bit_errors: Vec<(usize, f64)>,
}

impl ModelResult {
    /// Bit errors per sequence at `length`.
    pub fn at(&self, length: usize) -> f64 {
        self.bit_errors.iter().find(|e| e.0 == length).map_or(f64::NAN, |e| e.1)
    }
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub ntm: ModelResult,
    pub lstm: ModelResult,
}

fn train_and_test<M: Module>(
    name: &str,
    model: M,
    forward: impl Fn(&M, Tensor<3>) -> Tensor<3>,
    config: &Config,
    run: &Run,
    record: &mut ExperimentRecord,
) -> Result<ModelResult> {
    let device = &run.device;
    let parameters = model.num_params();
    let optimiser =
        FusedAdamConfig::new().with_grad_clipping(Some(GradientClippingConfig::Norm(10.0))).init();
    let mut lengths = seeded_rng(run.seed);
    let fitted = Fit::new(name, config.steps, config.learning_rate)
        .loss_curve(format!("{name} loss"), "binary cross-entropy per bit")
        .curve_points(50)
        .run(model, optimiser, record, |model, step| {
            let length = lengths.random_range(1..=config.longest);
            let batch = copy_task(config.batch, config.width, length, batch_seed(run.seed, step))?;
            masked_bce(forward(model, batch.input_tensor(device)?), &batch, device)
        })?;
    let plain = device.clone().inner();
    let model = fitted.model.valid();
    let mut bit_errors = Vec::new();
    for length in 1..=2 * config.longest {
        let test = copy_task(
            config.test_count,
            config.width,
            length,
            sub_seed(sub_seed(run.seed, TEST_SETS), length as u64),
        )?;
        let logits: Vec<f32> =
            forward(&model, test.input_tensor(&plain)?).into_data().iter::<f32>().collect();
        let mut wrong = 0usize;
        for (i, (&z, &y)) in logits.iter().zip(&test.targets).enumerate() {
            let step = i / test.target_channels;
            if test.mask[step] > 0.0 && ((z > 0.0) != (y > 0.5)) {
                wrong += 1;
            }
        }
        let per_sequence = wrong as f64 / test.batch as f64;
        record.set_metric(format!("{name} bit errors per sequence at length {length}"), per_sequence);
        bit_errors.push((length, per_sequence));
    }
    record.set_metric(format!("{name} parameters"), parameters as f64);
    Ok(ModelResult { name: name.into(), parameters, bit_errors })
}

/// Trains both models, tests them on longer sequences, writes the record and the chart.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let ntm = seeded_on(&run.device, run.seed, |d| config.ntm().init(d));
    let ntm = train_and_test("NTM", ntm, |m, x| m.forward(x).logits, config, run, &mut record)?;
    let lstm = seeded_on(&run.device, sub_seed(run.seed, LSTM_WEIGHTS), |d| config.lstm(d));
    let lstm = train_and_test("LSTM", lstm, |m, x| m.forward(x), config, run, &mut record)?;
    let mut chart =
        LineChart::new(format!("Copy: bit errors per sequence (trained on lengths 1-{})", config.longest))
            .x_label("sequence length")
            .y_label("bit errors per sequence");
    for r in [&ntm, &lstm] {
        chart = chart.series(
            format!("{} ({} parameters)", r.name, r.parameters),
            r.bit_errors.iter().map(|&(l, e)| (l as f64, e)).collect::<Vec<_>>(),
        );
    }
    chart.save_svg(run.picture_path("ntm-copy-bit-errors.svg"))?;
    record.add_picture("ntm-copy-bit-errors.svg");
    println!("\ncopy task, bit errors per sequence (trained on lengths 1-{}):", config.longest);
    println!(
        "{:>8} | {:>12} | {:>12}",
        "length",
        format!("NTM ({})", ntm.parameters),
        format!("LSTM ({})", lstm.parameters)
    );
    for (&(length, n), &(_, l)) in ntm.bit_errors.iter().zip(&lstm.bit_errors) {
        println!("{length:>8} | {n:>12.2} | {l:>12.2}");
    }
    let (train_len, long_len) = (config.longest, 2 * config.longest);
    record.add_claim(
        "the NTM learns copy (with far fewer parameters than the LSTM, by construction)",
        "NTM < 0.5 bit errors per sequence at the longest trained length",
        format!(
            "NTM {:.2} errors, {} parameters; LSTM {:.2} errors, {} parameters",
            ntm.at(train_len),
            ntm.parameters,
            lstm.at(train_len),
            lstm.parameters
        ),
        ntm.at(train_len) < 0.5,
    );
    record.add_claim(
        "the NTM generalises to longer sequences than it was trained on",
        "fewer bit errors than the LSTM at twice the longest trained length",
        format!("NTM {:.2}, LSTM {:.2} at length {long_len}", ntm.at(long_len), lstm.at(long_len)),
        ntm.at(long_len) < lstm.at(long_len),
    );
    run.finish(&mut record)?;
    Ok(Outcome { record, ntm, lstm })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "Far fewer parameters" is a fact of the sizes, not a result of training.
    #[test]
    fn the_ntm_has_under_a_quarter_of_the_lstms_parameters_at_both_sizes() {
        let device = shared::backend::test_device();
        for quick in [true, false] {
            let mut run = Run::for_test("lecture-08-attention", 7);
            run.quick = quick;
            let config = Config::for_run(&run);
            let (ntm, lstm) = (config.ntm().init(&device).num_params(), config.lstm(&device).num_params());
            assert!(4 * ntm < lstm, "quick {quick}: NTM {ntm} vs LSTM {lstm}");
        }
    }
}
