//! Claim 3: alpha dropout keeps a SELU net's activations at mean 0 and variance 1 while it
//! drops units; ordinary dropout does not.
//!
//! A deep SELU net (LeCun-normal weights) is fed standard normal inputs in training mode with
//! no dropout, ordinary (inverted) dropout and alpha dropout after every activation, and the
//! mean and variance of every layer's output are measured. Ordinary dropout keeps the mean of
//! a unit but multiplies its second moment by `1/q`, and the dropped zeros are not SELU's
//! resting value: the variance settles away from 1. Alpha dropout's affine correction keeps
//! both moments.
//!
//! Keeping the moments alone does not tell alpha dropout from no dropout at all, so each setting
//! also counts the share of activations sitting exactly at alpha dropout's dropped value
//! `a α' + b`: the drop probability for a dropout that drops, about 0 for one that does not.

use crate::activation::ActivationKind;
use crate::alpha_dropout::AlphaDropout;
use crate::deep_net::{DeepNetConfig, DropoutKind, WeightInit};
use crate::moments::{Moments, record_layer_curves};
use anyhow::Result;
use burn::prelude::*;
use burn::tensor::Distribution;
use serde::Serialize;
use shared::data::sub_seed;
use shared::experiment::Run;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;

/// The experiment's name: its record is `out/lecture-11-selu/alpha-dropout.json`.
pub const NAME: &str = "alpha-dropout";

/// The random stream of the net's weights and dropout masks (the input uses the run seed).
const WEIGHTS: u64 = 0;

/// "Keeps the moments": every layer within |mean| < this ...
pub const MEAN_TOL: f64 = 0.1;
/// ... and |variance - 1| < this.
pub const VAR_TOL: f64 = 0.15;
/// "Drops units": the share of activations at the dropped value is within this of the drop
/// probability.
pub const DROP_SHARE_TOL: f64 = 0.03;
/// "Breaks them": ordinary dropout's last-layer |variance - 1| is above this.
pub const BROKEN_ABOVE: f64 = 0.3;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub depth: usize,
    pub width: usize,
    pub batch: usize,
    /// Drop probability of both dropouts.
    pub drop: f64,
}

impl Config {
    /// 32 layers, drop 0.1; quick: width 256, batch 128; full: width 512, batch 512.
    pub fn for_run(run: &Run) -> Config {
        Config { depth: 32, width: run.size(256, 512), batch: run.size(128, 512), drop: 0.1 }
    }

    /// The three settings compared, with their names.
    pub fn variants(&self) -> [(&'static str, DropoutKind); 3] {
        [
            ("no dropout", DropoutKind::None),
            ("ordinary dropout", DropoutKind::Standard(self.drop)),
            ("alpha dropout", DropoutKind::Alpha(self.drop)),
        ]
    }
}

/// Two values closer than this count as equal when looking for the dropped value (f32 rounding).
const SAME_VALUE: f64 = 1e-4;

/// What one setting measured.
pub struct Setting {
    /// The moments of layers 1..=depth.
    pub layers: Vec<Moments>,
    /// The share of all hidden activations at alpha dropout's dropped value `a α' + b`.
    pub at_dropped_value: f64,
}

/// The measurements of the three settings.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub none: Setting,
    pub ordinary: Setting,
    pub alpha: Setting,
}

/// Runs the three settings on the same weights and inputs; writes `alpha-dropout.json` and
/// `alpha-dropout-moments.svg`.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let x = seeded_on(&run.device, run.seed, |d| {
        Tensor::<2>::random([config.batch, config.width], Distribution::Normal(0.0, 1.0), d)
    });
    let dropped_value = {
        let (a, b, dropped) = AlphaDropout::new(config.drop)?.affine();
        a * dropped + b
    };
    let mut results = Vec::new();
    for (name, dropout) in config.variants() {
        let net_config = DeepNetConfig {
            input: config.width,
            width: config.width,
            depth: config.depth,
            classes: 1,
            activation: ActivationKind::Selu,
            init: WeightInit::LeCun,
            batch_norm: false,
            dropout,
        };
        // Same weights for all three (same seed); the masks are drawn in the forward pass.
        let setting = seeded_on(&run.device, sub_seed(run.seed, WEIGHTS), |d| -> Result<Setting> {
            let post: Vec<Tensor<2>> =
                net_config.init(d)?.trace(x.clone().detach()).post.into_iter().map(|h| h.detach()).collect();
            let at_dropped: f64 = post.iter().map(|h| share_at(h.clone(), dropped_value)).sum();
            Ok(Setting {
                at_dropped_value: at_dropped / post.len() as f64,
                layers: post.into_iter().map(Moments::of).collect(),
            })
        })?;
        record_layer_curves(&mut record, name, &setting.layers);
        let last = setting.layers[setting.layers.len() - 1];
        record.set_metric(format!("{name}: layer {} mean", config.depth), last.mean);
        record.set_metric(format!("{name}: layer {} variance", config.depth), last.var);
        record.set_metric(format!("{name}: share at the dropped value"), setting.at_dropped_value);
        println!(
            "{name:<17} layer {}: mean {:>7.3}, variance {:.3}; share at the dropped value {:.4}",
            config.depth, last.mean, last.var, setting.at_dropped_value
        );
        results.push(setting);
    }
    let alpha = results.pop().expect("three settings");
    let ordinary = results.pop().expect("three settings");
    let none = results.pop().expect("three settings");

    let curves =
        ["variance", "mean"].map(|what| config.variants().map(|(name, _)| format!("{name} {what}"))).concat();
    record
        .curve_chart(
            format!("SELU net in training, drop {}", config.drop),
            &curves.iter().map(String::as_str).collect::<Vec<_>>(),
        )?
        .y_label("variance and mean of the activations")
        .reference_line("variance 1", 1.0)
        .reference_line("mean 0", 0.0)
        .save_svg(run.picture_path("alpha-dropout-moments.svg"))?;
    record.add_picture("alpha-dropout-moments.svg");
    add_claims(&mut record, config, &ordinary.layers, &alpha);
    run.finish(&mut record)?;
    Ok(Outcome { record, none, ordinary, alpha })
}

/// The share of the elements of `h` within [`SAME_VALUE`] of `value`.
fn share_at(h: Tensor<2>, value: f64) -> f64 {
    h.sub_scalar(value).abs().lower_elem(SAME_VALUE).float().mean().into_scalar::<f64>()
}

/// The largest |mean| and |variance - 1| over the layers.
pub fn worst(moments: &[Moments]) -> (f64, f64) {
    moments.iter().fold((0.0, 0.0), |(m, v), x| (f64::max(m, x.mean.abs()), f64::max(v, (x.var - 1.0).abs())))
}

fn add_claims(record: &mut ExperimentRecord, config: &Config, ordinary: &[Moments], alpha: &Setting) {
    let share = alpha.at_dropped_value;
    record.add_claim(
        "alpha dropout drops units: they sit at its dropped value a α' + b",
        format!("share of activations there within {DROP_SHARE_TOL} of the drop probability {}", config.drop),
        format!("{share:.4}"),
        (share - config.drop).abs() < DROP_SHARE_TOL,
    );
    let (alpha_mean, alpha_var) = worst(&alpha.layers);
    record.add_claim(
        "alpha dropout keeps a SELU net's activations at mean 0, variance 1",
        format!("every layer: |mean| < {MEAN_TOL}, |variance - 1| < {VAR_TOL}"),
        format!("worst layer: |mean| {alpha_mean:.3}, |variance - 1| {alpha_var:.3}"),
        alpha_mean < MEAN_TOL && alpha_var < VAR_TOL,
    );
    let last = ordinary[ordinary.len() - 1];
    record.add_claim(
        "ordinary dropout moves them away",
        format!("layer {}: |variance - 1| > {BROKEN_ABOVE}", config.depth),
        format!("mean {:.3}, variance {:.3}", last.mean, last.var),
        (last.var - 1.0).abs() > BROKEN_ABOVE,
    );
}
