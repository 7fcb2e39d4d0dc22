//! The differentiable bilinear sampler of a spatial transformer.
//!
//! Output pixel `i` of channel `c` takes the input `U` `[N, C, H, W]` at the real position
//! `(x_i^s, y_i^s)` (pixel units) through the bilinear kernel (Jaderberg et al. 2015, eq. 5):
//!
//! ```text
//! V_i^c = sum_{n=0}^{H-1} sum_{m=0}^{W-1} U_{nm}^c max(0, 1 - |x_i^s - m|) max(0, 1 - |y_i^s - n|)
//! ```
//!
//! The kernel is separable: with `K^x` `[N, P, W]`, `K^x_{im} = max(0, 1 - |x_i^s - m|)`, and
//! `K^y` `[N, P, H]` likewise, `V^c_i = sum_n K^y_{in} (U^c K^x^T)_{ni}`: one batched matmul
//! `[N, C H, W] x [N, W, P]` and a weighted sum over rows. Pixels outside the input have no
//! term in the sum, so they read as 0 (burn's and PyTorch's `padding_mode = zeros`). The kernel
//! is piecewise linear in `x^s, y^s`, so the loss reaches the grid, and through it `theta`
//! (eq. 6-7), as well as the image.
//!
//! Normalised grid coordinates `g` in `[-1, 1]` become pixel positions by
//! `x^s = ((g + 1) W - 1) / 2` (`align_corners = false`: -1 and 1 are the outer edges of the
//! corner pixels) or `x^s = (g + 1)(W - 1) / 2` (`align_corners = true`: the corner pixels'
//! centres), the two conventions of burn's `grid_sample_2d`.

use burn::prelude::*;
use burn::tensor::activation::relu;

/// Samples `image` `[N, C, H, W]` at `grid` `[N, H_out, W_out, 2]` (normalised `(x, y)`) with
/// the bilinear kernel and zero padding: `[N, C, H_out, W_out]`.
pub fn bilinear_sample(image: Tensor<4>, grid: Tensor<4>, align_corners: bool) -> Tensor<4> {
    let [batch, channels, height, width] = image.dims();
    let [_, out_height, out_width, _] = grid.dims();
    let points = out_height * out_width;
    let grid = grid.reshape([batch, points, 2]);
    let x = to_pixels(grid.clone().narrow(2, 0, 1), width, align_corners); // [N, P, 1]
    let y = to_pixels(grid.narrow(2, 1, 1), height, align_corners);
    let kernel_x = kernel(x, width); // [N, P, W]
    let kernel_y = kernel(y, height); // [N, P, H]
    let rows = image.reshape([batch, channels * height, width]).matmul(kernel_x.swap_dims(1, 2)); // [N, C H, P]
    let rows = rows.reshape([batch, channels, height, points]);
    let weighted = rows * kernel_y.swap_dims(1, 2).unsqueeze_dim::<4>(1); // [N, C, H, P]
    weighted.sum_dim(2).reshape([batch, channels, out_height, out_width])
}

/// Normalised coordinates `[-1, 1]` -> pixel positions `0 .. side - 1` (see the module docs).
fn to_pixels(normalised: Tensor<3>, side: usize, align_corners: bool) -> Tensor<3> {
    let side = side as f32;
    if align_corners {
        (normalised + 1.0) * ((side - 1.0) / 2.0)
    } else {
        ((normalised + 1.0) * side - 1.0) / 2.0
    }
}

/// The 1-D bilinear kernel `max(0, 1 - |position - m|)` for `m = 0 .. side - 1`:
/// `[N, P, 1]` positions -> `[N, P, side]` weights (at most two of them non-zero).
fn kernel(position: Tensor<3>, side: usize) -> Tensor<3> {
    let [batch, points, _] = position.dims();
    let pixels = Tensor::<1, Int>::arange(0..side as i64, &position.device()).float().reshape([1, 1, side]);
    let distance = (position.expand([batch, points, side]) - pixels.expand([batch, points, side])).abs();
    relu(distance.neg() + 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sampling_at_pixel_centres_copies_and_halfway_averages() {
        let device = shared::backend::test_device();
        let image = Tensor::<4>::from_floats([[[[1.0, 3.0], [5.0, 7.0]]]], &device);
        // align_corners: -1 and 1 are the pixel centres; 0 is the middle of all four.
        let grid = Tensor::<4>::from_floats([[[[-1.0, -1.0], [1.0, 1.0], [0.0, 0.0], [0.0, -1.0]]]], &device);
        let out: Vec<f32> = bilinear_sample(image, grid, true).into_data().try_to_vec().unwrap();
        assert_eq!(out, [1.0, 7.0, 4.0, 2.0]);
    }

    #[test]
    fn outside_the_image_reads_zero() {
        let device = shared::backend::test_device();
        let image = Tensor::<4>::from_floats([[[[1.0, 3.0], [5.0, 7.0]]]], &device);
        // One pixel beyond the right edge, and half a pixel beyond it (half of the edge value).
        let grid = Tensor::<4>::from_floats([[[[3.0, -1.0], [2.0, -1.0]]]], &device);
        let out: Vec<f32> = bilinear_sample(image, grid, true).into_data().try_to_vec().unwrap();
        assert_eq!(out, [0.0, 1.5]);
    }
}
