//! The basic structures of a convolutional network (lecture 2): how big a layer's output is,
//! pooling, and why a convolution needs so few parameters.
//!
//! **Output size.** A window of `kernel` cells slid with `stride` over `input` cells padded with
//! `padding` cells on each side fits
//!
//! ```text
//! out = floor((input + 2 padding - kernel) / stride) + 1
//! ```
//!
//! times ([`output_size`]); the same rule holds for convolution and pooling, per axis.
//!
//! **Pooling** summarises each window of a `[batch, channels, height, width]` feature map by one
//! number per channel ([`max_pool2d`], [`avg_pool2d`], [`l2_pool2d`]): written here from tensor
//! operations by cutting the padded map into its windows (`unfold`) and reducing each.
//!
//! **Parameter counts.** A fully connected layer joins every input to every output; a
//! convolution joins each output only to a `kernel` window of the input (*sparse connectivity*)
//! and uses the same weights at every position (*parameter sharing*). [`ParameterComparison`]
//! counts the three steps: fully connected, locally connected (sparse, not shared), convolution.

use anyhow::{Result, ensure};
use burn::prelude::*;
use burn::tensor::ops::PadMode;
use serde::Serialize;

/// How many positions a window of `kernel` with `stride` takes over `input` cells padded by
/// `padding` on both sides: `floor((input + 2 padding - kernel) / stride) + 1`.
///
/// An error when the window does not fit even once, or a size or the stride is zero.
pub fn output_size(input: usize, kernel: usize, stride: usize, padding: usize) -> Result<usize> {
    ensure!(input >= 1, "input size must be at least 1, got {input}");
    ensure!(kernel >= 1, "kernel size must be at least 1, got {kernel}");
    ensure!(stride >= 1, "stride must be at least 1, got {stride}");
    let padded = input + 2 * padding;
    ensure!(
        kernel <= padded,
        "a kernel of {kernel} does not fit an input of {input} padded by {padding} on each side ({padded} cells)"
    );
    Ok((padded - kernel) / stride + 1)
}

/// A 2-D pooling window: size, step and zero/none padding, each as `[height, width]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Window {
    pub kernel: [usize; 2],
    pub stride: [usize; 2],
    pub padding: [usize; 2],
}

impl Window {
    /// A window of `kernel` moved by `stride`, with `padding` cells added on each side.
    pub fn new(kernel: [usize; 2], stride: [usize; 2], padding: [usize; 2]) -> Window {
        Window { kernel, stride, padding }
    }

    /// The pooled `[height, width]` of a `[height, width]` map. Padding may be at most half the
    /// kernel (PyTorch's rule), so that every window holds at least one real cell.
    pub fn output_shape(&self, [height, width]: [usize; 2]) -> Result<[usize; 2]> {
        for axis in 0..2 {
            ensure!(
                self.padding[axis] <= self.kernel[axis] / 2,
                "pooling padding {:?} must be at most half the kernel {:?}",
                self.padding,
                self.kernel
            );
        }
        Ok([
            output_size(height, self.kernel[0], self.stride[0], self.padding[0])?,
            output_size(width, self.kernel[1], self.stride[1], self.padding[1])?,
        ])
    }

    /// Cells per window.
    pub fn area(&self) -> usize {
        self.kernel[0] * self.kernel[1]
    }

    /// The windows of `x` `[N, C, H, W]` padded with `fill`: `[N, C, OH, OW, kh * kw]`.
    fn cut(&self, x: Tensor<4>, fill: f32) -> Result<Tensor<5>> {
        let [batch, channels, height, width] = x.dims();
        let [out_height, out_width] = self.output_shape([height, width])?;
        let [pad_h, pad_w] = self.padding;
        let padded = x.pad([(pad_h, pad_h), (pad_w, pad_w)], PadMode::Constant(fill));
        let rows: Tensor<5> = padded.unfold(2, self.kernel[0], self.stride[0]); // [N, C, OH, W', kh]
        let windows: Tensor<6> = rows.unfold(3, self.kernel[1], self.stride[1]); // [N, C, OH, OW, kh, kw]
        Ok(windows.reshape([batch, channels, out_height, out_width, self.area()]))
    }
}

/// The largest value of each window; padding never wins (it is `-inf`). `[N, C, H, W]` to
/// `[N, C, OH, OW]`. The gradient goes to the largest cell of each window.
pub fn max_pool2d(x: Tensor<4>, window: &Window) -> Result<Tensor<4>> {
    Ok(window.cut(x, f32::NEG_INFINITY)?.max_dim(4).squeeze_dim(4))
}

/// The mean of each window, padding counted as zeros in a window of `kh * kw` cells (burn's
/// and PyTorch's `count_include_pad = true`). `[N, C, H, W]` to `[N, C, OH, OW]`.
pub fn avg_pool2d(x: Tensor<4>, window: &Window) -> Result<Tensor<4>> {
    Ok(window.cut(x, 0.0)?.mean_dim(4).squeeze_dim(4))
}

/// The L2 norm of each window, `sqrt(sum of x²)` over its cells (padding adds zeros): the
/// "L2 norm of a rectangular neighbourhood" of Goodfellow, Bengio & Courville, *Deep Learning*
/// (2016) §9.3, and PyTorch's `LPPool2d` with `p = 2`, which also sums rather than averages
/// (`sqrt(mean)` would only scale it by `1 / sqrt(kh kw)`). `[N, C, H, W]` to `[N, C, OH, OW]`.
/// Its gradient `x / norm` is undefined for a window of zeros (burn then gives NaN).
pub fn l2_pool2d(x: Tensor<4>, window: &Window) -> Result<Tensor<4>> {
    Ok(window.cut(x, 0.0)?.powi_scalar(2).sum_dim(4).squeeze_dim::<4>(4).sqrt())
}

/// Parameters of one layer: weights and biases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LayerParameters {
    pub weights: usize,
    pub biases: usize,
}

impl LayerParameters {
    /// Weights plus biases.
    pub fn total(&self) -> usize {
        self.weights + self.biases
    }
}

/// A fully connected layer from `inputs` to `outputs`: `outputs * inputs` weights, one bias
/// per output.
pub fn dense_parameters(inputs: usize, outputs: usize) -> LayerParameters {
    LayerParameters { weights: outputs * inputs, biases: outputs }
}

/// A convolution with `kernel` `[kh, kw]` from `in_channels` to `out_channels`: one
/// `in_channels x kh x kw` filter and one bias per output channel, shared by every position.
pub fn conv2d_parameters(in_channels: usize, out_channels: usize, kernel: [usize; 2]) -> LayerParameters {
    LayerParameters { weights: out_channels * in_channels * kernel[0] * kernel[1], biases: out_channels }
}

/// A locally connected layer: a convolution's sparse windows, but its own filter and bias at
/// each of the `output` `[oh, ow]` positions (no sharing).
pub fn locally_connected_parameters(
    in_channels: usize,
    out_channels: usize,
    kernel: [usize; 2],
    output: [usize; 2],
) -> LayerParameters {
    let positions = output[0] * output[1];
    let shared = conv2d_parameters(in_channels, out_channels, kernel);
    LayerParameters { weights: positions * shared.weights, biases: positions * shared.biases }
}

/// A convolution and the layers with the same input and output shapes that lack its sparse
/// connectivity or its parameter sharing.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParameterComparison {
    /// Input `[height, width, channels]`.
    pub input: [usize; 3],
    /// Output `[height, width, channels]`.
    pub output: [usize; 3],
    pub dense: LayerParameters,
    pub locally_connected: LayerParameters,
    pub convolution: LayerParameters,
}

impl ParameterComparison {
    /// The three layers from `input` `[h, w, c]` to `out_channels` maps of a `kernel x kernel`
    /// window with `stride` and `padding`.
    pub fn new(
        input: [usize; 3],
        out_channels: usize,
        kernel: usize,
        stride: usize,
        padding: usize,
    ) -> Result<ParameterComparison> {
        let [height, width, channels] = input;
        ensure!(channels >= 1 && out_channels >= 1, "channel counts must be at least 1");
        let out =
            [output_size(height, kernel, stride, padding)?, output_size(width, kernel, stride, padding)?];
        let output = [out[0], out[1], out_channels];
        Ok(ParameterComparison {
            input,
            output,
            dense: dense_parameters(input.iter().product(), output.iter().product()),
            locally_connected: locally_connected_parameters(channels, out_channels, [kernel; 2], out),
            convolution: conv2d_parameters(channels, out_channels, [kernel; 2]),
        })
    }

    /// How many times more parameters the fully connected layer needs than the convolution.
    pub fn dense_over_conv(&self) -> f64 {
        self.dense.total() as f64 / self.convolution.total() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_output_size_rule_on_known_cases() {
        assert_eq!(output_size(28, 5, 1, 0).unwrap(), 24, "valid 5x5 convolution");
        assert_eq!(output_size(28, 5, 1, 2).unwrap(), 28, "'same' padding keeps the size");
        assert_eq!(output_size(28, 2, 2, 0).unwrap(), 14, "2x2 pooling halves");
        assert_eq!(output_size(7, 3, 2, 1).unwrap(), 4, "floor((7 + 2 - 3) / 2) + 1");
        assert_eq!(output_size(6, 3, 2, 0).unwrap(), 2, "a last partial window is dropped");
        assert_eq!(output_size(3, 3, 1, 0).unwrap(), 1);
    }

    #[test]
    fn impossible_settings_are_errors_that_say_why() {
        let err = output_size(4, 7, 1, 1).unwrap_err().to_string();
        assert!(err.contains("does not fit") && err.contains("6 cells"), "{err}");
        assert!(output_size(4, 3, 0, 0).unwrap_err().to_string().contains("stride"));
        assert!(output_size(4, 0, 1, 0).is_err());
        assert!(output_size(0, 1, 1, 0).is_err());
        let err = Window::new([2, 2], [2, 2], [2, 0]).output_shape([8, 8]).unwrap_err().to_string();
        assert!(err.contains("half the kernel"), "{err}");
    }

    #[test]
    fn counts_for_a_28x28_image_to_32_maps_of_5x5() {
        let c = ParameterComparison::new([28, 28, 1], 32, 5, 1, 0).unwrap();
        assert_eq!(c.output, [24, 24, 32]);
        assert_eq!(c.convolution, LayerParameters { weights: 32 * 25, biases: 32 });
        assert_eq!(c.locally_connected, LayerParameters { weights: 576 * 32 * 25, biases: 576 * 32 });
        assert_eq!(c.dense, LayerParameters { weights: 18_432 * 784, biases: 18_432 });
        assert_eq!((c.convolution.total(), c.dense.total()), (832, 14_469_120));
    }
}
