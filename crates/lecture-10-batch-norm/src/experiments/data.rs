//! The MNIST tensors every experiment trains on, with the input scaling of its choice.
//!
//! Pixels come as bytes 0..=255. [`InputScaling::Bytes`] feeds them as they are,
//! [`InputScaling::Unit`] divides by 255 (what `shared::data` hands out), and
//! [`InputScaling::Standardized`] standardises every pixel with the training set's mean and
//! standard deviation ([`Standardizer`]). The tensors live on the device *without* autodiff;
//! [`MnistData::batch`] lifts a mini-batch onto the training device.

use crate::scaling::Standardizer;
use anyhow::{Result, ensure};
use burn::prelude::*;
use serde::Serialize;
use shared::data::{LabelledImages, Mnist};
use shared::experiment::Run;

/// How the pixels are fed to the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum InputScaling {
    /// Raw bytes, 0 to 255.
    Bytes,
    /// Divided by 255: 0 to 1.
    Unit,
    /// Every pixel standardised with the training set's statistics.
    Standardized,
}

impl InputScaling {
    /// A short name for tables and curves.
    pub fn name(self) -> &'static str {
        match self {
            InputScaling::Bytes => "raw bytes 0-255",
            InputScaling::Unit => "pixels / 255",
            InputScaling::Standardized => "standardised",
        }
    }
}

/// The smallest per-pixel standard deviation standardisation divides by (pixels in [0, 1]).
pub const MIN_STD: f64 = 0.1;

/// A training and a test split as tensors `[N, 784]` and labels `[N]`, on the plain device.
pub struct MnistData {
    pub train_x: Tensor<2>,
    pub train_y: Tensor<1, Int>,
    pub test_x: Tensor<2>,
    pub test_y: Tensor<1, Int>,
}

impl MnistData {
    /// The first `n_train` training and `n_test` test images of `run.mnist()`, scaled.
    pub fn load(run: &Run, n_train: usize, n_test: usize, scaling: InputScaling) -> Result<MnistData> {
        MnistData::new(&run.mnist()?, &run.device, n_train, n_test, scaling)
    }

    /// The first `n_train` training and `n_test` test images of `mnist`, scaled, on `device`
    /// without autodiff.
    pub fn new(
        mnist: &Mnist,
        device: &Device,
        n_train: usize,
        n_test: usize,
        scaling: InputScaling,
    ) -> Result<MnistData> {
        let device = device.clone().without_autodiff();
        let take = |set: &LabelledImages, n: usize, what: &str| -> Result<(Tensor<2>, Tensor<1, Int>)> {
            ensure!(n > 0 && n <= set.len(), "asked for {n} {what} images, the data set has {}", set.len());
            let indices: Vec<usize> = (0..n).collect();
            Ok((set.features_tensor(&indices, &device), set.labels_tensor(&indices, &device)))
        };
        let (train_x, train_y) = take(&mnist.train, n_train, "training")?;
        let (test_x, test_y) = take(&mnist.test, n_test, "test")?;
        let (train_x, test_x) = match scaling {
            InputScaling::Bytes => (train_x.mul_scalar(255.0), test_x.mul_scalar(255.0)),
            InputScaling::Unit => (train_x, test_x),
            InputScaling::Standardized => {
                let scaler = Standardizer::fit(train_x.clone(), MIN_STD)?;
                (scaler.apply(train_x), scaler.apply(test_x))
            }
        };
        Ok(MnistData { train_x, train_y, test_x, test_y })
    }

    /// The number of training images.
    pub fn n_train(&self) -> usize {
        self.train_x.dims()[0]
    }

    /// Training images `indices` on `device` (the autodiff training device): `[B, 784]`, `[B]`.
    pub fn batch(&self, indices: &[usize], device: &Device) -> (Tensor<2>, Tensor<1, Int>) {
        let plain = self.train_x.device();
        let ids: Vec<i64> = indices.iter().map(|&i| i as i64).collect();
        let ids = Tensor::<1, Int>::from_data(TensorData::new(ids, [indices.len()]), &plain);
        let x = self.train_x.clone().select(0, ids.clone()).to_device(device);
        let y = self.train_y.clone().select(0, ids).to_device(device);
        (x, y)
    }
}
