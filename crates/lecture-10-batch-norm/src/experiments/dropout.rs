//! Claim 6: BN regularises; with BN, removing dropout costs little or nothing.
//!
//! In training mode an example's normalised value depends on the other examples that happen to
//! share its mini-batch, a noise much like dropout's. The paper removed dropout from its
//! BN-Inception without losing accuracy. Here four nets train for the same steps: plain and BN,
//! each with and without dropout after every hidden layer. Compared: final test accuracy, and the
//! generalisation gap (training accuracy minus test accuracy).

use super::data::{InputScaling, MnistData};
use super::training::{Schedule, accuracy, train};
use crate::sigmoid_net::SigmoidNetConfig;
use anyhow::Result;
use burn::module::Module;
use serde::Serialize;
use shared::experiment::Run;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;

/// The experiment's name: its record is `out/lecture-10-batch-norm/dropout.json`.
pub const NAME: &str = "dropout";

/// "Costs little": BN without dropout is at most this far below BN with dropout.
pub const COST_AT_MOST: f64 = 0.005;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub schedule: Schedule,
    /// Dropout probability of the "with dropout" nets.
    pub dropout: f64,
    pub n_train: usize,
    pub n_test: usize,
}

impl Config {
    /// Quick: 800 steps; full: 4000 steps; 10,000 training and test images, dropout 0.2.
    pub fn for_run(run: &Run) -> Config {
        Config {
            schedule: Schedule {
                steps: run.steps_or(800, 4000),
                batch: 60,
                learning_rate: 0.5,
                eval_every: run.size(100, 200),
            },
            dropout: 0.2,
            n_train: 10_000,
            n_test: 10_000,
        }
    }
}

/// One net's result.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct NetResult {
    pub batch_norm: bool,
    pub dropout: bool,
    pub test_accuracy: f64,
    pub train_accuracy: f64,
}

impl NetResult {
    fn name(&self) -> String {
        format!(
            "{}{}",
            if self.batch_norm { "BN" } else { "plain" },
            if self.dropout { " + dropout" } else { "" }
        )
    }
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub nets: Vec<NetResult>,
}

impl Outcome {
    /// The net with these options.
    pub fn net(&self, batch_norm: bool, dropout: bool) -> Option<&NetResult> {
        self.nets.iter().find(|n| n.batch_norm == batch_norm && n.dropout == dropout)
    }
}

/// Trains the four nets; writes `dropout.json` and `dropout-accuracy.svg`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let data = MnistData::load(run, config.n_train, config.n_test, InputScaling::Standardized)?;
    let mut nets = Vec::new();
    for batch_norm in [false, true] {
        for dropout in [false, true] {
            let net_config = SigmoidNetConfig {
                dropout: if dropout { config.dropout } else { 0.0 },
                ..SigmoidNetConfig::mnist(batch_norm)
            };
            let mut result = NetResult { batch_norm, dropout, test_accuracy: 0.0, train_accuracy: 0.0 };
            let label = result.name();
            let net = seeded_on(&run.device, run.seed, |device| net_config.init(device));
            let trained = train(&label, net, &data, &config.schedule, run, &mut record, |_, _| Ok(()))?
                .require_finite(&label)?;
            result.test_accuracy = trained.final_accuracy();
            result.train_accuracy = accuracy(&trained.net.valid(), &data.train_x, &data.train_y);
            record.set_metric(format!("{label}: test accuracy"), result.test_accuracy);
            record.set_metric(format!("{label}: train accuracy"), result.train_accuracy);
            nets.push(result);
        }
    }
    let curves: Vec<String> = nets.iter().map(|n| format!("{} test accuracy", n.name())).collect();
    let names: Vec<&str> = curves.iter().map(String::as_str).collect();
    record
        .curve_chart("Test accuracy with and without dropout", &names)?
        .x_label("training step")
        .y_label("test accuracy")
        .save_svg(run.picture_path("dropout-accuracy.svg"))?;
    record.add_picture("dropout-accuracy.svg");
    add_claims(&mut record, &nets);
    run.finish(&mut record)?;
    Ok(Outcome { record, nets })
}

fn add_claims(record: &mut ExperimentRecord, nets: &[NetResult]) {
    let net = |dropout: bool| nets.iter().find(|n| n.batch_norm && n.dropout == dropout);
    let (Some(bn), Some(bn_dropout)) = (net(false), net(true)) else { return };
    let cost = bn_dropout.test_accuracy - bn.test_accuracy;
    record.add_claim(
        "with BN, removing dropout costs little or nothing",
        format!("test accuracy: BN >= BN + dropout - {COST_AT_MOST}"),
        format!("BN {:.3}, BN + dropout {:.3} (cost {cost:+.3})", bn.test_accuracy, bn_dropout.test_accuracy),
        cost <= COST_AT_MOST,
    );
}
