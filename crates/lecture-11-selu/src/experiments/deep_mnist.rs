//! Claim 4: a deep fully connected SELU net trains on MNIST without batch norm, as well as or
//! better than ReLU with batch norm, and far better than plain ReLU at the same depth.
//!
//! Four nets of the same depth and width, the same SGD and the same batches: SELU (LeCun-normal);
//! Linear -> BatchNorm -> ReLU (LeCun-normal: batch norm undoes the weights' scale in the forward
//! pass, and the smaller scale gives it the larger effective step, measured better than He's at
//! the quick size); plain ReLU (He-normal, the start that keeps its signal alive); and ELU
//! (LeCun-normal), which is SELU with its constants set to `α = λ = 1`: the same net with the
//! self-normalisation removed. Plain ReLU and ELU are the claim's negative controls. Klambauer et al. (2017, Fig. 1) show the training loss of 8-, 16- and
//! 32-layer nets on MNIST: SELU's falls below batch norm's at every depth (a figure, no table).
//! Here both the training loss and the test accuracy are compared.

use super::mnist_training::{OptimiserKind, Trained, Training, train};
use crate::activation::ActivationKind;
use crate::deep_net::{DeepNetConfig, DropoutKind, WeightInit};
use anyhow::Result;
use serde::Serialize;
use shared::data::mnist::{CLASSES, PIXELS};
use shared::experiment::Run;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;

/// The experiment's name: its record is `out/lecture-11-selu/deep-mnist.json`.
pub const NAME: &str = "deep-mnist";

/// SELU's test accuracy may trail ReLU + batch norm's by at most this ("as well as").
pub const AS_WELL_MARGIN: f64 = 0.01;
/// "Far better": SELU's test accuracy beats plain ReLU's by more than this ...
pub const FAR_BETTER_MARGIN: f64 = 0.05;
/// ... and its training loss is below plain ReLU's divided by this.
pub const FAR_BETTER_LOSS_RATIO: f64 = 5.0;
/// Without its constants (ELU) the same net's training loss is at least this times SELU's.
pub const WITHOUT_CONSTANTS_LOSS_RATIO: f64 = 1.5;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// Hidden layers.
    pub depth: usize,
    pub width: usize,
    pub training: Training,
}

impl Config {
    /// 16 layers, SGD with learning rate 0.02, batch 64; quick: width 64, 300 steps, 2000 test
    /// images; full: width 128, 2000 steps, the 10,000 test images.
    pub fn for_run(run: &Run) -> Config {
        Config {
            depth: 16,
            width: run.size(64, 128),
            training: Training {
                steps: run.steps_or(300, 2000),
                batch: 64,
                learning_rate: 0.02,
                optimiser: OptimiserKind::Sgd,
                eval_every: run.size(50, 200),
                test_size: run.size(2000, 10_000),
            },
        }
    }

    /// The four nets: name, activation, batch norm, initialisation.
    pub fn variants() -> [(&'static str, ActivationKind, bool, WeightInit); 4] {
        [
            ("SELU", ActivationKind::Selu, false, WeightInit::LeCun),
            ("ReLU + batch norm", ActivationKind::Relu, true, WeightInit::LeCun),
            ("ReLU", ActivationKind::Relu, false, WeightInit::He),
            ("ELU (SELU with α = λ = 1)", ActivationKind::Elu, false, WeightInit::LeCun),
        ]
    }
}

/// One number for each of the four nets.
#[derive(Clone, Copy, Debug)]
pub struct Nets {
    pub selu: f64,
    pub relu_bn: f64,
    pub relu: f64,
    pub elu: f64,
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub test_accuracy: Nets,
    pub train_loss: Nets,
}

/// Trains the four nets; writes `deep-mnist.json`, `deep-mnist-loss.svg` and
/// `deep-mnist-accuracy.svg`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let mnist = run.mnist_with_batch(config.training.batch)?;
    let mut trained: Vec<Trained> = Vec::new();
    for (name, activation, batch_norm, init) in Config::variants() {
        let net = DeepNetConfig {
            input: PIXELS,
            width: config.width,
            depth: config.depth,
            classes: CLASSES,
            activation,
            init,
            batch_norm,
            dropout: DropoutKind::None,
        };
        let model = seeded_on(&run.device, run.seed, |d| net.init(d))?;
        trained.push(train(name, model, &mnist, &config.training, run.seed, &run.device, &mut record)?);
    }
    let pick = |f: fn(&Trained) -> f64| Nets {
        selu: f(&trained[0]),
        relu_bn: f(&trained[1]),
        relu: f(&trained[2]),
        elu: f(&trained[3]),
    };
    let test_accuracy = pick(Trained::final_accuracy);
    let train_loss = pick(|t| t.final_train_loss);
    draw(run, config, &mut record)?;
    add_claims(&mut record, config, test_accuracy, train_loss);
    println!("\n{:<26} {:>16} {:>14}", "net", "train loss", "test accuracy");
    for (i, (name, ..)) in Config::variants().iter().enumerate() {
        println!("{name:<26} {:>16.4} {:>14.4}", trained[i].final_train_loss, trained[i].final_accuracy());
    }
    run.finish(&mut record)?;
    Ok(Outcome { record, test_accuracy, train_loss })
}

fn draw(run: &Run, config: &Config, record: &mut ExperimentRecord) -> Result<()> {
    let names = Config::variants().map(|(name, ..)| name);
    let losses = names.map(|n| format!("{n} train loss"));
    let accuracies = names.map(|n| format!("{n} test accuracy"));
    let title = format!("MNIST, {} x {}", config.depth, config.width);
    record
        .curve_chart(format!("{title}: training loss"), &losses.each_ref().map(String::as_str))?
        .log_y(true)
        .save_svg(run.picture_path("deep-mnist-loss.svg"))?;
    record
        .curve_chart(format!("{title}: test accuracy"), &accuracies.each_ref().map(String::as_str))?
        .reference_line("chance", 0.1)
        .save_svg(run.picture_path("deep-mnist-accuracy.svg"))?;
    record.add_picture("deep-mnist-loss.svg");
    record.add_picture("deep-mnist-accuracy.svg");
    Ok(())
}

fn add_claims(record: &mut ExperimentRecord, config: &Config, accuracy: Nets, loss: Nets) {
    record.add_claim(
        format!(
            "a {}-layer SELU net without batch norm trains as well as ReLU with batch norm",
            config.depth
        ),
        format!("test accuracy: SELU >= ReLU + BN - {AS_WELL_MARGIN}"),
        format!(
            "SELU {:.4}, ReLU + BN {:.4} (train loss {:.3} vs {:.3})",
            accuracy.selu, accuracy.relu_bn, loss.selu, loss.relu_bn
        ),
        accuracy.selu >= accuracy.relu_bn - AS_WELL_MARGIN,
    );
    record.add_claim(
        "... and far better than plain ReLU (He init) at that depth",
        format!("test accuracy: SELU > ReLU + {FAR_BETTER_MARGIN}; train loss: SELU < ReLU / {FAR_BETTER_LOSS_RATIO}"),
        format!("SELU {:.4}, ReLU {:.4} (train loss {:.3} vs {:.3})", accuracy.selu, accuracy.relu, loss.selu, loss.relu),
        accuracy.selu > accuracy.relu + FAR_BETTER_MARGIN && loss.selu < loss.relu / FAR_BETTER_LOSS_RATIO,
    );
    record.add_claim(
        "... and than the same net without SELU's constants (ELU, α = λ = 1)",
        format!("train loss: ELU >= {WITHOUT_CONSTANTS_LOSS_RATIO} x SELU; test accuracy: ELU < SELU"),
        format!(
            "SELU {:.4}, ELU {:.4} (train loss {:.3} vs {:.3})",
            accuracy.selu, accuracy.elu, loss.selu, loss.elu
        ),
        loss.elu >= WITHOUT_CONSTANTS_LOSS_RATIO * loss.selu && accuracy.elu < accuracy.selu,
    );
}
