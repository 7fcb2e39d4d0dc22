//! The grid generator of a spatial transformer: where in the input each output pixel reads.
//!
//! Coordinates are normalised to `[-1, 1]` on both images (x = column, y = row; -1 and 1 are
//! the centres of the corner pixels of the output). Output pixel `i` at `(x_i, y_i)` reads the
//! input at
//!
//! ```text
//! (x_i^s, y_i^s)^T = theta (x_i, y_i, 1)^T,      theta = [[a, b, t_x], [c, d, t_y]]   [2, 3]
//! ```
//!
//! (Jaderberg et al. 2015, eq. 1). For all output pixels at once this is one batched matmul of
//! the fixed homogeneous grid `G` `[P, 3]` (P = H_out W_out) by `theta^T`:
//! `grid = G theta^T` `[N, P, 2]`, then reshaped to `[N, H_out, W_out, 2]` (the layout of burn's
//! `affine_grid_2d` and PyTorch's `affine_grid`). The grid is linear in `theta`, so gradients
//! reach the transform through it.

use burn::prelude::*;

/// The homogeneous target grid `G` `[H_out * W_out, 3]`: rows `(x, y, 1)` in row-major pixel
/// order, `x` and `y` spaced evenly from -1 to 1 (a side of 1 pixel sits at 0).
pub fn target_grid(height: usize, width: usize, device: &Device) -> Tensor<2> {
    let axis = |n: usize| -> Vec<f32> {
        if n == 1 { vec![0.0] } else { (0..n).map(|i| 2.0 * i as f32 / (n - 1) as f32 - 1.0).collect() }
    };
    let (xs, ys) = (axis(width), axis(height));
    let values: Vec<f32> = ys.iter().flat_map(|&y| xs.iter().flat_map(move |&x| [x, y, 1.0])).collect();
    Tensor::from_data(TensorData::new(values, [height * width, 3]), device)
}

/// The sampling grid of `theta` `[N, 2, 3]` for an output of `height` x `width`:
/// `[N, height, width, 2]`, the last axis `(x^s, y^s)` in the input's normalised coordinates.
pub fn affine_grid(theta: Tensor<3>, height: usize, width: usize) -> Tensor<4> {
    let [batch, _, _] = theta.dims();
    let grid =
        target_grid(height, width, &theta.device()).unsqueeze_dim::<3>(0).expand([batch, height * width, 3]);
    grid.matmul(theta.swap_dims(1, 2)).reshape([batch, height, width, 2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_identity_grid_spans_minus_one_to_one() {
        let device = shared::backend::test_device();
        let identity = Tensor::<3>::from_floats([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]], &device);
        let grid: Vec<f32> = affine_grid(identity, 2, 3).into_data().try_to_vec().unwrap();
        // Row 0: x = -1, 0, 1 at y = -1; row 1 the same at y = 1.
        assert_eq!(grid, [-1.0, -1.0, 0.0, -1.0, 1.0, -1.0, -1.0, 1.0, 0.0, 1.0, 1.0, 1.0]);
    }

    #[test]
    fn a_translation_shifts_every_point() {
        let device = shared::backend::test_device();
        let shift = Tensor::<3>::from_floats([[[1.0, 0.0, 0.5], [0.0, 1.0, -0.25]]], &device);
        let grid: Vec<f32> = affine_grid(shift, 1, 1).into_data().try_to_vec().unwrap();
        assert_eq!(grid, [0.5, -0.25]);
    }
}
