//! Claim 1b, the notes' reason the discriminator wins: it overfits the finite sample of real
//! data it is shown.
//!
//! **Set-up.** A perfect generator: its "fakes" are fresh real digits (14x14 training digits the
//! discriminator never sees labelled real), so data and generator have the same distribution
//! and the best discriminator of the *distributions* is at chance. The discriminator of claim 3
//! (196-256-1) is trained in the shared loop on a finite sample of `n` real digits against
//! them, `L_D = BCE(D(x_real), 1) + BCE(D(x_fake), 0)`. At the end we ask how often it calls a
//! real digit real:
//!
//! ```text
//! train accuracy     = fraction of its n training digits with D(x) > 1/2
//! held-out accuracy  = fraction of unseen real test digits with D(x) > 1/2
//! ```
//!
//! A discriminator that learnt what makes a digit real would score the same on both; one that
//! learnt its sample calls its own digits real and unseen real digits fake, and wins against the
//! perfect generator anyway. The control is the same with a sample as large as the training
//! steps allow to see once or twice, where there is no sample to learn by heart.

use crate::discriminator::{Discriminator, DiscriminatorConfig};
use anyhow::{Result, ensure};
use burn::prelude::*;
use serde::Serialize;
use shared::data::{Batches, sub_seed};
use shared::experiment::Run;
use shared::gan::digits::{DigitSet, PIXELS};
use shared::gan::loss::discriminator_loss;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;
use shared::train::{Fit, FusedAdamConfig};

/// The experiment's name: its record is `out/lecture-15-gan/overfitting.json`.
pub const NAME: &str = "overfitting";

/// The random stream of the fakes' batches (the real batches use the run seed).
const FAKES: u64 = 0;

/// Training digits the fakes are drawn from: those after the largest real sample.
const FAKE_POOL: usize = 5000;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// Real training samples, one discriminator each: a small one and a large one.
    pub sample_sizes: Vec<usize>,
    pub hidden: Vec<usize>,
    pub steps: u64,
    pub batch: usize,
    pub learning_rate: f64,
    /// Unseen real test digits the held-out accuracy is measured on.
    pub held_out: usize,
}

impl Config {
    /// Quick: 600 steps; full: 2000. Samples of 100 and 5000 digits, batch 64.
    pub fn for_run(run: &Run) -> Config {
        Config {
            sample_sizes: vec![100, 5000],
            hidden: vec![256],
            steps: run.steps_or(600, 2000),
            batch: 64,
            learning_rate: 1e-3,
            held_out: 1000,
        }
    }
}

/// One discriminator's accuracies on real digits.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Fitted {
    pub sample_size: usize,
    pub train_accuracy: f64,
    pub held_out_accuracy: f64,
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub fitted: Vec<Fitted>,
}

/// Trains one discriminator per sample size against the perfect generator; writes the record.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    ensure!(config.steps >= 1 && !config.sample_sizes.is_empty(), "nothing to train: {config:?}");
    let largest = config.sample_sizes.iter().copied().max().unwrap_or(0);
    let mut record = run.record(NAME).with_config(config)?;
    let mnist = run.mnist_with_batch(config.batch)?;
    let train = DigitSet::from_mnist(&mnist.train, largest + FAKE_POOL, &run.device)?;
    let test = DigitSet::from_mnist(&mnist.test, config.held_out, &run.device)?;
    ensure!(
        train.len() == largest + FAKE_POOL,
        "{} training digits, need {}",
        train.len(),
        largest + FAKE_POOL
    );
    let fakes = train.images.clone().narrow(0, largest, FAKE_POOL);
    let mut fitted = Vec::new();
    for &n in &config.sample_sizes {
        let discriminator = seeded_on(&run.device, run.seed, |d| {
            DiscriminatorConfig { features: PIXELS, hidden: config.hidden.clone(), classes: 0, dropout: 0.0 }
                .init(d)
        })?;
        let sample = train.images.clone().narrow(0, 0, n);
        let mut real_batches = Batches::new(n, config.batch.min(n), run.seed, true)?.stream();
        let mut fake_batches =
            Batches::new(FAKE_POOL, config.batch, sub_seed(run.seed, FAKES), true)?.stream();
        let name = format!("D on {n} real digits");
        let trained = Fit::new(&name, config.steps, config.learning_rate)
            .loss_curve(format!("{name}: L_D"), "L_D")
            .run(discriminator, FusedAdamConfig::new().with_beta_1(0.5).init(), &mut record, |d, step| {
                let real = rows(&sample, real_batches.at(step));
                let fake = rows(&fakes, fake_batches.at(step));
                Ok(discriminator_loss(d.forward(real, None), d.forward(fake, None), 0.0))
            })?
            .model;
        let result = Fitted {
            sample_size: n,
            train_accuracy: called_real(&trained, sample),
            held_out_accuracy: called_real(&trained, test.images.clone()),
        };
        record.set_metric(format!("{name}: train accuracy on real"), result.train_accuracy);
        record.set_metric(format!("{name}: held-out accuracy on real"), result.held_out_accuracy);
        fitted.push(result);
    }
    println!("{:>8} {:>10} {:>10}", "sample", "train acc", "held-out");
    for f in &fitted {
        println!("{:>8} {:>10.3} {:>10.3}", f.sample_size, f.train_accuracy, f.held_out_accuracy);
    }
    run.finish(&mut record)?;
    Ok(Outcome { record, fitted })
}

/// Rows `indices` of `images` `[n, 196]`.
fn rows(images: &Tensor<2>, indices: &[usize]) -> Tensor<2> {
    let index: Vec<i64> = indices.iter().map(|&i| i as i64).collect();
    let count = index.len();
    images.clone().select(0, Tensor::from_data(TensorData::new(index, [count]), &images.device()))
}

/// The fraction of `images` `[n, 196]` the discriminator calls real (logit > 0).
fn called_real(discriminator: &Discriminator, images: Tensor<2>) -> f64 {
    let n = images.dims()[0];
    let logits = discriminator.forward(images, None).detach();
    logits.greater_elem(0.0).int().sum().into_scalar::<i64>() as f64 / n.max(1) as f64
}
