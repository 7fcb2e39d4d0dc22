//! The localisation network: from the input image to the six numbers of the transform.
//!
//! ```text
//! U [N, C, H, W] -> max-pool k x k (downsample)          [N, C, H/k, W/k]
//!   (-> conv 5x5 pad 2 (C -> c) -> ReLU -> max-pool 2     [N, c, H/2k, W/2k], ST-CNN only)
//!   -> flatten -> Linear -> ReLU                           [N, hidden]
//!   -> Linear (the regressor)                              [N, k] -> theta = out B [N, 2, 3]
//! ```
//!
//! The regressor's `k` outputs are the coordinates of theta in a basis `B` `[k, 6]` of the
//! allowed transforms ([`Transforms`]): all affine maps (`k = 6`, `B = I`), or attention, a
//! zoom and a shift without rotation or shear (`k = 3`: `theta = [[s, 0, t_x], [0, s, t_y]]`).
//!
//! The regressor starts with zero weights and the bias of the initial transform (the identity,
//! or a centred zoom): at the start every image passes unchanged and the classifier behind it
//! learns as if the transformer were not there; the gradient then moves theta where it helps
//! the loss. A random start would hand the classifier randomly warped images.

use burn::module::{Module, Param};
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::pool::{MaxPool2d, MaxPool2dConfig};
use burn::nn::{Linear, LinearConfig, PaddingConfig2d};
use burn::prelude::*;
use burn::tensor::activation::relu;
use serde::Serialize;
use shared::fast_ops::{conv2d, max_pool2d, max_pool2d_of_relu};

/// Which transforms the localisation network may output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Transforms {
    /// Any affine map: six free numbers.
    Affine,
    /// Isotropic zoom and shift, `[[s, 0, t_x], [0, s, t_y]]`: three numbers.
    Attention,
}

impl Transforms {
    /// The basis `B` `[k, 6]`: row `j` is the theta (row-major) of the `j`-th output.
    fn basis(self) -> Vec<[f32; 6]> {
        match self {
            Transforms::Affine => {
                (0..6).map(|j| std::array::from_fn(|i| if i == j { 1.0 } else { 0.0 })).collect()
            }
            Transforms::Attention => {
                vec![
                    [1.0, 0.0, 0.0, 0.0, 1.0, 0.0],
                    [0.0, 0.0, 1.0, 0.0, 0.0, 0.0],
                    [0.0, 0.0, 0.0, 0.0, 0.0, 1.0],
                ]
            }
        }
    }

    /// The regressor's bias for a centred zoom `scale` (the coordinates of `scale * I`).
    fn initial(self, scale: f32) -> Vec<f32> {
        match self {
            Transforms::Affine => vec![scale, 0.0, 0.0, 0.0, scale, 0.0],
            Transforms::Attention => vec![scale, 0.0, 0.0],
        }
    }
}

/// Sizes of a [`Localisation`] network.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct LocalisationConfig {
    /// Input `[channels, side, side]`.
    pub channels: usize,
    pub side: usize,
    /// Max-pool factor applied to the input first (1 = none).
    pub downsample: usize,
    /// Channels of the one convolution (`None`: fully connected only, the ST-FCN's).
    pub conv_channels: Option<usize>,
    /// Width of the hidden layer.
    pub hidden: usize,
    /// Zoom of the initial transform: 1 is the identity, 0.5 a centred crop of half the side.
    pub initial_scale: f32,
    /// The transforms allowed.
    pub transforms: Transforms,
}

impl LocalisationConfig {
    /// Side of the maps that reach the flatten.
    fn map_side(&self) -> usize {
        let side = self.side / self.downsample.max(1);
        if self.conv_channels.is_some() { side / 2 } else { side }
    }

    fn flat(&self) -> usize {
        self.conv_channels.unwrap_or(self.channels) * self.map_side().pow(2)
    }

    /// Number of parameters, from the sizes (equal to burn's `num_params` of the built module).
    pub fn num_params(&self) -> usize {
        let conv = self.conv_channels.map_or(0, |c| 25 * self.channels * c + c);
        conv + (self.flat() + 1) * self.hidden + (self.hidden + 1) * self.transforms.basis().len()
    }

    /// A fresh network whose regressor outputs the initial transform for every input.
    pub fn init(&self, device: &Device) -> Localisation {
        let outputs = self.transforms.basis().len();
        let bias = Tensor::<1>::from_data(
            TensorData::new(self.transforms.initial(self.initial_scale), [outputs]),
            device,
        );
        Localisation {
            pool: (self.downsample > 1).then(|| MaxPool2dConfig::new([self.downsample; 2]).init()),
            conv: self.conv_channels.map(|c| {
                Conv2dConfig::new([self.channels, c], [5, 5])
                    .with_padding(PaddingConfig2d::Explicit(2, 2, 2, 2))
                    .init(device)
            }),
            halve: MaxPool2dConfig::new([2, 2]).init(),
            hidden: LinearConfig::new(self.flat(), self.hidden).init(device),
            regressor: Linear {
                weight: Param::from_tensor(Tensor::zeros([self.hidden, outputs], device)),
                bias: Some(Param::from_tensor(bias)),
            },
            transforms: self.transforms,
        }
    }
}

/// Image in, affine transform out.
#[derive(Module, Debug)]
pub struct Localisation {
    /// The downsampling max-pool (none for a factor of 1).
    pool: Option<MaxPool2d>,
    conv: Option<Conv2d>,
    halve: MaxPool2d,
    pub hidden: Linear,
    /// `[hidden, k]`, starts at zero weights and the initial transform as bias.
    pub regressor: Linear,
    /// The allowed transforms (their basis is fixed, not trained).
    #[module(skip)]
    transforms: Transforms,
}

impl Localisation {
    /// `image` `[N, C, H, W]` -> `theta` `[N, 2, 3]`.
    pub fn forward(&self, image: Tensor<4>) -> Tensor<3> {
        let batch = image.dims()[0];
        let mut x = match &self.pool {
            Some(pool) => max_pool2d(pool, image),
            None => image,
        };
        if let Some(conv) = &self.conv {
            x = max_pool2d_of_relu(&self.halve, conv2d(conv, x));
        }
        let hidden = relu(self.hidden.forward(x.flatten::<2>(1, 3)));
        let basis = self.transforms.basis();
        let basis =
            Tensor::<2>::from_data(TensorData::new(basis.concat(), [basis.len(), 6]), &hidden.device());
        self.regressor.forward(hidden).matmul(basis).reshape([batch, 2, 3])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::Distribution;
    use shared::testing::seeded;

    #[test]
    fn it_starts_at_the_initial_transform_for_any_image_and_counts_its_parameters() {
        for (conv_channels, transforms) in [(None, Transforms::Affine), (Some(3), Transforms::Attention)] {
            let config = LocalisationConfig {
                channels: 2,
                side: 12,
                downsample: 2,
                conv_channels,
                hidden: 5,
                initial_scale: 0.5,
                transforms,
            };
            let (net, images) = seeded(9, |device| {
                (config.init(device), Tensor::<4>::random([3, 2, 12, 12], Distribution::Default, device))
            });
            let theta: Vec<f32> = net.forward(images).into_data().try_to_vec().unwrap();
            assert_eq!(theta, [0.5, 0.0, 0.0, 0.0, 0.5, 0.0].repeat(3));
            assert_eq!(net.num_params(), config.num_params(), "{conv_channels:?}");
        }
    }
}
