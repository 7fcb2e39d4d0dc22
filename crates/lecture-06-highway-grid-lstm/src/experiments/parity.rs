//! Claim 4 (first half): a tied-weight 1-D Grid LSTM learns k-bit parity where a tanh MLP of
//! the same depth stays at chance (Kalchbrenner et al. 2015, Sec. 4.1).
//!
//! Parity of k bits (±1-encoded, [`shared::data::synthetic::parity`]) depends on all bits at
//! once; no subset carries any signal, so gradient descent gets nothing to start from unless
//! signal and gradient pass through many layers. The 1-D Grid LSTM ([`TiedGridLstm1d`]) reads
//! the bits at the bottom and carries them up through LSTM memory cells; the MLP is a plain tanh
//! [`DeepNet`] of the same depth. Both train with Adam on fresh random batches; the test set is
//! a separate batch.

use super::training::{Schedule, train_steps};
use crate::deep_net::{DeepNetConfig, LayerKind};
use crate::grid1d::TiedGridLstm1d;
use anyhow::{Result, ensure};
use burn::module::Module;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::prelude::*;
use serde::Serialize;
use shared::data::synthetic::parity::{BitEncoding, parity};
use shared::data::{batch_seed, sub_seed};
use shared::experiment::Run;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;

/// The experiment's name: its record is `out/lecture-06-highway-grid-lstm/parity.json`.
pub const NAME: &str = "parity";

/// The random stream of the test set (training batches use [`batch_seed`]).
const TEST_SET: u64 = 0;

/// Sizes of the parity experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// Bits per example, k.
    pub bits: usize,
    /// Layers of both nets.
    pub depth: usize,
    /// Units of the Grid LSTM's cell and of each MLP layer.
    pub hidden: usize,
    /// `test_size` is the size of the test batch.
    pub schedule: Schedule,
}

impl Config {
    /// Quick: 8 bits, 800 steps; full: 10 bits, 2000 steps; depth 20 at both.
    pub fn for_run(run: &Run) -> Config {
        Config {
            bits: run.size(8, 10),
            depth: 20,
            hidden: 64,
            schedule: Schedule {
                steps: run.steps_or(800, 2000),
                batch: 64,
                learning_rate: 1e-2,
                test_size: 1000,
                curve_points: 60,
            },
        }
    }
}

/// What the run measured: test accuracy of each net.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub grid_accuracy: f64,
    pub mlp_accuracy: f64,
}

const GRID: &str = "tied 1-D Grid LSTM";
const MLP: &str = "tanh MLP";

/// Trains both nets on k-bit parity, tests them, writes the record and the loss chart.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    ensure!(config.bits >= 1 && config.depth >= 1 && config.hidden >= 1, "empty net or task: {config:?}");
    let mut record = run.record(NAME).with_config(config)?;
    let device = &run.device;
    let grid =
        seeded_on(device, run.seed, |d| TiedGridLstm1d::new(config.bits, config.hidden, config.depth, 2, d));
    let grid_accuracy = train_and_test(run, config, &mut record, GRID, grid, |m, x| m.forward(x))?;
    let mut mlp = DeepNetConfig::new(config.bits, config.hidden, config.depth, 2, LayerKind::Plain);
    mlp.activation = crate::layer::Activation::Tanh;
    let mlp = seeded_on(device, run.seed, |d| mlp.init(d))?;
    let mlp_accuracy = train_and_test(run, config, &mut record, MLP, mlp, |m, x| m.forward(x))?;
    let chart = "parity-train-loss.svg";
    record
        .curve_chart(
            format!("{}-bit parity, depth {}: training loss", config.bits, config.depth),
            &[GRID, MLP],
        )?
        .reference_line("chance (ln 2)", std::f64::consts::LN_2)
        .save_svg(run.picture_path(chart))?;
    record.add_picture(chart);
    record.add_claim(
        format!(
            "a tied 1-D Grid LSTM of depth {} learns {}-bit parity, a tanh MLP of the same depth does not",
            config.depth, config.bits
        ),
        "Grid LSTM test accuracy > 0.9; MLP < 0.6",
        format!("Grid LSTM {grid_accuracy:.3}, MLP {mlp_accuracy:.3}"),
        grid_accuracy > 0.9 && mlp_accuracy < 0.6,
    );
    println!("\n{}-bit parity, depth {}, test accuracy (chance 0.5)", config.bits, config.depth);
    println!("{GRID:<20} {grid_accuracy:.3}\n{MLP:<20} {mlp_accuracy:.3}");
    run.finish(&mut record)?;
    Ok(Outcome { record, grid_accuracy, mlp_accuracy })
}

/// Adam on fresh batches (seed `batch_seed(run.seed, step)`); returns the test accuracy.
fn train_and_test<M: Module>(
    run: &Run,
    config: &Config,
    record: &mut ExperimentRecord,
    name: &str,
    model: M,
    forward: impl Fn(&M, Tensor<2>) -> Tensor<2>,
) -> Result<f64> {
    let device = &run.device;
    let schedule = &config.schedule;
    let loss_fn = CrossEntropyLossConfig::new().init(device);
    let (model, final_loss) =
        train_steps(model, schedule, record, name, "training cross-entropy", |model, step| {
            let batch = parity(schedule.batch, config.bits, batch_seed(run.seed, step))?;
            let logits = forward(model, batch.input_tensor(BitEncoding::PlusMinusOne, device)?);
            Ok(loss_fn.forward(logits, batch.label_tensor(device)?))
        })?;
    let test = parity(schedule.test_size, config.bits, sub_seed(run.seed, TEST_SET))?;
    let logits = forward(&model, test.input_tensor(BitEncoding::PlusMinusOne, device)?);
    let right = logits.argmax(1).squeeze_dim::<1>(1).equal(test.label_tensor(device)?).int().sum();
    let accuracy = right.into_scalar::<i64>() as f64 / schedule.test_size as f64;
    record.set_metric(format!("{name} test accuracy"), accuracy);
    record.set_metric(format!("{name} final train loss"), final_loss);
    Ok(accuracy)
}
