//! Several spatial transformers side by side: each crops its own glimpse of the canvas, and one
//! classifier reads all the glimpses (the "parallel transformers" of Jaderberg et al. 2015:
//! the two-digit MNIST-addition experiment, and the bird classifier whose transformers learnt
//! to attend to head and body).
//!
//! ```text
//! canvas U [N, 1, S, S] -> transformer j -> glimpse_j [N, 1, G, G]          j = 1..k
//! glimpses stacked as channels [N, k, G, G] -> CNN -> logits [N, 20]
//!   logits[:, 0..10]: the left digit, logits[:, 10..20]: the right digit
//! ```
//!
//! With `G` smaller than the canvas a glimpse has a fixed, small budget of pixels: one glimpse
//! of the whole canvas sees both digits at a third of their resolution; two glimpses can each
//! zoom in on one digit. Nobody tells a transformer where the digits are: that, and which one
//! goes to which, is learnt from the digit labels alone.

use crate::classifier::{Classifier, ClassifierConfig};
use crate::localisation::LocalisationConfig;
use crate::transformer::SpatialTransformer;
use burn::module::Module;
use burn::prelude::*;
use serde::Serialize;

/// Classes per digit; the network outputs two groups of them.
pub const DIGIT_CLASSES: usize = 10;

/// Sizes of a [`GlimpseNet`].
#[derive(Clone, Copy, Debug, Serialize)]
pub struct GlimpseNetConfig {
    /// Number of transformers (glimpses).
    pub transformers: usize,
    /// Side of each glimpse.
    pub glimpse_side: usize,
    /// Every transformer's localisation network (its `side` is the canvas side).
    pub localisation: LocalisationConfig,
    /// The classifier of the stacked glimpses.
    pub classifier: ClassifierConfig,
    /// Whether every transformer is frozen at its initial glimpse (the claims' negative control).
    pub frozen: bool,
}

impl GlimpseNetConfig {
    /// A fresh network: `transformers` independent localisation networks, one classifier.
    pub fn init(&self, device: &Device) -> GlimpseNet {
        GlimpseNet {
            transformers: (0..self.transformers)
                .map(|_| SpatialTransformer::new(&self.localisation, self.glimpse_side, device))
                .map(|t| if self.frozen { t.frozen() } else { t })
                .collect(),
            classifier: self.classifier.init(self.transformers, self.glimpse_side, 2 * DIGIT_CLASSES, device),
        }
    }
}

/// `k` spatial transformers and a classifier of their stacked glimpses.
#[derive(Module, Debug)]
pub struct GlimpseNet {
    pub transformers: Vec<SpatialTransformer>,
    pub classifier: Classifier,
}

/// What a forward pass produced.
pub struct GlimpseForward {
    /// `[N, 20]`: left-digit logits then right-digit logits.
    pub logits: Tensor<2>,
    /// `[N, k, G, G]`.
    pub glimpses: Tensor<4>,
    /// One `[N, 2, 3]` per transformer.
    pub thetas: Vec<Tensor<3>>,
}

impl GlimpseNet {
    /// `canvases` `[N, 1, S, S]` -> logits, glimpses and transforms.
    pub fn forward(&self, canvases: Tensor<4>) -> GlimpseForward {
        let (glimpses, thetas): (Vec<_>, Vec<_>) =
            self.transformers.iter().map(|t| t.forward(canvases.clone())).unzip();
        let glimpses = Tensor::cat(glimpses, 1);
        GlimpseForward { logits: self.classifier.forward(glimpses.clone()), glimpses, thetas }
    }
}
