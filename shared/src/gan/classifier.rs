//! The judge of generated digits: an MLP classifier trained on real MNIST.
//!
//! ```text
//! p(k | x) = softmax(MLP(x))_k      x: [batch, pixels] in [0, 1] -> p: [batch, 10]
//! ```
//!
//! A generated image counts as a *confident digit* when the classifier's largest probability is
//! at least a threshold (0.9 in the experiments); for a conditional generator, the question is
//! whether the predicted class is the requested one.

use super::mlp::{Mlp, MlpConfig};
use anyhow::Result;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::prelude::*;
use burn::tensor::activation::softmax;

/// The digit classifier.
#[derive(Module, Debug)]
pub struct DigitClassifier {
    net: Mlp,
}

/// What the classifier says about a batch of images.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdicts {
    /// The most probable class of each image.
    pub predicted: Vec<usize>,
    /// Its probability.
    pub confidence: Vec<f32>,
}

impl Verdicts {
    /// Fraction of images whose top probability is at least `threshold`.
    pub fn confident_fraction(&self, threshold: f32) -> f64 {
        self.confidence.iter().filter(|&&c| c >= threshold).count() as f64
            / self.confidence.len().max(1) as f64
    }
}

impl DigitClassifier {
    /// An MLP `[pixels, hidden, classes]`.
    pub fn new(pixels: usize, hidden: usize, classes: usize, device: &Device) -> Result<Self> {
        Ok(Self { net: MlpConfig::new(vec![pixels, hidden, classes]).init(device)? })
    }

    /// Logits `[batch, classes]`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        self.net.forward(x)
    }

    /// Mean cross-entropy against `labels` `[batch]`.
    pub fn loss(&self, x: Tensor<2>, labels: Tensor<1, Int>) -> Tensor<1> {
        CrossEntropyLossConfig::new().init(&x.device()).forward(self.forward(x), labels)
    }

    /// The predicted class and its probability for each image of `x` `[batch, pixels]`.
    pub fn judge(&self, x: Tensor<2>) -> Verdicts {
        let probabilities = softmax(self.forward(x), 1);
        let (confidence, predicted) = probabilities.max_dim_with_indices(1);
        Verdicts {
            predicted: predicted.into_data().iter::<i64>().map(|k| k as usize).collect(),
            confidence: confidence.into_data().iter::<f32>().collect(),
        }
    }
}
