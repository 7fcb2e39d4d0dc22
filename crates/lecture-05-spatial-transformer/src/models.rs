//! The four digit classifiers compared in the lecture: CNN, ST-CNN, FCN, ST-FCN.
//!
//! ```text
//! CNN / FCN:       U [N, 1, S, S] ----------------------------> classifier -> logits [N, 10]
//! ST-CNN / ST-FCN: U [N, 1, S, S] -> transformer [N, 1, S', S'] -> classifier -> logits [N, 10]
//! ```
//!
//! A pair (CNN and ST-CNN, FCN and ST-FCN) has the same number of parameters: the baseline's
//! hidden layer is widened until it has as many as the transformer model's localisation
//! network and classifier together ([`NetSizes::baseline`]), so a win of the transformer is not
//! a win of size.

use crate::classifier::{Classifier, ClassifierConfig, Pooling};
use crate::localisation::{LocalisationConfig, Transforms};
use crate::transformer::SpatialTransformer;
use burn::module::Module;
use burn::prelude::*;
use serde::Serialize;

/// Digit classes.
pub const CLASSES: usize = 10;

/// One of the four models.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ModelKind {
    Cnn,
    StCnn,
    Fcn,
    StFcn,
    /// The ST-CNN with its transformer frozen at the identity: the negative control, the same
    /// network with the claimed mechanism removed.
    StCnnFrozen,
    /// The ST-FCN, frozen likewise.
    StFcnFrozen,
}

impl ModelKind {
    /// The name in tables and records.
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::Cnn => "CNN",
            ModelKind::StCnn => "ST-CNN",
            ModelKind::Fcn => "FCN",
            ModelKind::StFcn => "ST-FCN",
            ModelKind::StCnnFrozen => "ST-CNN frozen",
            ModelKind::StFcnFrozen => "ST-FCN frozen",
        }
    }

    /// Whether a spatial transformer sits in front of the classifier.
    pub fn has_transformer(self) -> bool {
        !matches!(self, ModelKind::Cnn | ModelKind::Fcn)
    }

    /// Whether its transformer is frozen at the identity.
    pub fn is_frozen(self) -> bool {
        matches!(self, ModelKind::StCnnFrozen | ModelKind::StFcnFrozen)
    }

    /// Whether its classifier is a CNN.
    pub fn is_cnn(self) -> bool {
        matches!(self, ModelKind::Cnn | ModelKind::StCnn | ModelKind::StCnnFrozen)
    }

    /// A fresh model of this kind with `sizes`.
    pub fn init(self, sizes: &NetSizes, device: &Device) -> DigitNet {
        let model = sizes.init(self.has_transformer(), device);
        match (self.is_frozen(), model.transformer) {
            (true, Some(transformer)) => DigitNet { transformer: Some(transformer.frozen()), ..model },
            (_, transformer) => DigitNet { transformer, ..model },
        }
    }
}

/// Sizes of one model pair on `canvas_side` images.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct NetSizes {
    /// Side of the input images.
    pub canvas_side: usize,
    /// Side of the transformer's output (the transformer model's classifier reads this).
    pub output_side: usize,
    /// The transformer model's classifier.
    pub classifier: ClassifierConfig,
    /// The transformer model's localisation network (its `side` is the canvas side).
    pub localisation: LocalisationConfig,
    /// How the CNN classifiers halve their maps (max-pooling but in claim 1's control).
    pub pooling: Pooling,
}

impl NetSizes {
    /// The lecture's pair on `canvas_side` images: a CNN with `channels` (or an FCN when
    /// `channels` is `None`) and `hidden` units reading the transformer's `output_side` image;
    /// a localisation network that max-pools the canvas by 2, has one conv of 8
    /// maps for the CNN pair (none for the FCN pair) and `localisation_hidden` units, and starts
    /// at the identity.
    pub fn for_canvas(
        canvas_side: usize,
        output_side: usize,
        channels: Option<[usize; 2]>,
        hidden: usize,
        localisation_hidden: usize,
    ) -> NetSizes {
        NetSizes {
            canvas_side,
            output_side,
            classifier: match channels {
                Some(channels) => ClassifierConfig::Cnn { channels, hidden },
                None => ClassifierConfig::Fcn { hidden },
            },
            localisation: LocalisationConfig {
                channels: 1,
                side: canvas_side,
                downsample: 2,
                conv_channels: channels.map(|_| 8),
                hidden: localisation_hidden,
                initial_scale: 1.0,
                transforms: Transforms::Affine,
            },
            pooling: Pooling::Max,
        }
    }

    /// Parameters of the transformer model: localisation network plus classifier.
    pub fn transformer_params(&self) -> usize {
        self.localisation.num_params() + self.classifier.num_params(1, self.output_side, CLASSES)
    }

    /// The baseline's classifier on the whole canvas, its hidden layer sized to
    /// [`NetSizes::transformer_params`] parameters.
    pub fn baseline(&self) -> ClassifierConfig {
        let target = self.transformer_params();
        let hidden = self.classifier.hidden_for_params(1, self.canvas_side, CLASSES, target);
        self.classifier.with_hidden(hidden)
    }

    /// A fresh model: with a transformer or the parameter-matched baseline.
    pub fn init(&self, with_transformer: bool, device: &Device) -> DigitNet {
        if with_transformer {
            DigitNet {
                transformer: Some(SpatialTransformer::new(&self.localisation, self.output_side, device)),
                classifier: self
                    .classifier
                    .init(1, self.output_side, CLASSES, device)
                    .with_pooling(self.pooling),
            }
        } else {
            DigitNet {
                transformer: None,
                classifier: self
                    .baseline()
                    .init(1, self.canvas_side, CLASSES, device)
                    .with_pooling(self.pooling),
            }
        }
    }
}

/// A classifier, with or without a spatial transformer in front of it.
#[derive(Module, Debug)]
pub struct DigitNet {
    pub transformer: Option<SpatialTransformer>,
    pub classifier: Classifier,
}

/// What a forward pass saw: the classifier's input, the transform (if any), the logits.
pub struct Forward {
    /// `[N, 1, S', S']` with a transformer, else the input itself.
    pub transformed: Tensor<4>,
    /// `[N, 2, 3]`, with a transformer.
    pub theta: Option<Tensor<3>>,
    /// `[N, 10]`.
    pub logits: Tensor<2>,
}

impl DigitNet {
    /// `images` `[N, 1, S, S]` -> logits `[N, 10]`.
    pub fn forward(&self, images: Tensor<4>) -> Tensor<2> {
        self.forward_all(images).logits
    }

    /// The forward pass with its intermediate results.
    pub fn forward_all(&self, images: Tensor<4>) -> Forward {
        let (transformed, theta) = match &self.transformer {
            Some(transformer) => {
                let (out, theta) = transformer.forward(images);
                (out, Some(theta))
            }
            None => (images, None),
        };
        Forward { logits: self.classifier.forward(transformed.clone()), transformed, theta }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_baseline_has_the_parameter_count_of_its_transformer_model() {
        let device = shared::backend::test_device();
        for channels in [Some([4, 6]), None] {
            let sizes = NetSizes::for_canvas(42, 42, channels, 64, 32);
            let transformer = sizes.init(true, &device).num_params();
            let baseline = sizes.init(false, &device).num_params();
            assert_eq!(transformer, sizes.transformer_params(), "formula vs burn, {channels:?}");
            assert_eq!(
                baseline,
                sizes.baseline().num_params(1, 42, CLASSES),
                "formula vs burn, {channels:?}"
            );
            let gap = baseline.abs_diff(transformer) as f64 / transformer as f64;
            assert!(gap < 0.02, "{channels:?}: baseline {baseline} vs transformer model {transformer}");
        }
    }
}
