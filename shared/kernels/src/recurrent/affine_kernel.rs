//! The affine map of many rows at once, `y = x W + b`, and its gradients, on the packed tile of
//! [`super::packed_matmul`] with the rows split between threads: the input projection of every
//! time step of a fused layer (burn-flex's own product runs on one thread).
//!
//! ```text
//! y  = x W + b        x: [N, I], W: [I, C], b: [C]  ->  y: [N, C]
//! δx = δy Wᵀ          [N, I]
//! δW = xᵀ δy          [I, C]   or (δyᵀ x)ᵀ, whichever packs the narrower of x and δy
//! δb = Σ_rows δy      [C]
//! ```

use super::buffers;
use super::mat_ref::MatRef;
use super::packed_matmul::{PackedRhs, matmul_packed};
use rayon::prelude::*;

/// `y = x W + b` for `x: [rows, I]`, `weight: [I, C]`, `bias: [C]`; returns `y: [rows, C]`.
pub fn affine_forward(x: &[f32], weight: &[f32], bias: &[f32], rows: usize) -> Vec<f32> {
    let columns = bias.len();
    let input = weight.len() / columns.max(1);
    let mut y = buffers::repeated(bias, rows);
    let weight = PackedRhs::pack(MatRef::new(weight, input, columns));
    matmul_packed(&mut y, MatRef::new(x, rows, input), &weight, true);
    y
}

/// `δx = δy Wᵀ: [rows, I]` for `d_y: [rows, C]`, `weight: [I, C]`.
pub fn affine_input_grad(d_y: &[f32], weight: &[f32], rows: usize, columns: usize) -> Vec<f32> {
    let input = weight.len() / columns;
    let mut d_x = buffers::zeros(rows * input);
    let weight_t = PackedRhs::pack(MatRef::new(weight, input, columns).t());
    matmul_packed(&mut d_x, MatRef::new(d_y, rows, columns), &weight_t, false);
    d_x
}

/// `δW = xᵀ δy: [I, C]` for `x: [rows, I]`, `d_y: [rows, C]`. The narrower of the two is the
/// packed operand: `xᵀ δy` packs `δy`; for a wide `δy` (the gates of every step: `[S·B, 4H]`)
/// `(δyᵀ x)ᵀ` packs `x` instead and transposes the small result.
pub fn affine_weight_grad(x: &[f32], d_y: &[f32], rows: usize, columns: usize) -> Vec<f32> {
    let input = x.len() / rows.max(1);
    let (x, d_y) = (MatRef::new(x, rows, input), MatRef::new(d_y, rows, columns));
    if columns <= input {
        let mut d_w = vec![0.0; input * columns];
        matmul_packed(&mut d_w, x.t(), &PackedRhs::pack(d_y), false);
        return d_w;
    }
    let mut d_w_t = vec![0.0; columns * input];
    matmul_packed(&mut d_w_t, d_y.t(), &PackedRhs::pack(x), false);
    transpose(&d_w_t, columns, input)
}

/// `δb = Σ_rows δy: [C]` for `d_y: [rows, C]`; the columns are split between threads.
pub fn affine_bias_grad(d_y: &[f32], columns: usize) -> Vec<f32> {
    let mut d_b = vec![0.0; columns];
    let chunk = columns.div_ceil(rayon::current_num_threads()).max(1);
    d_b.par_chunks_mut(chunk).enumerate().for_each(|(task, sums)| {
        let own = task * chunk..task * chunk + sums.len();
        for row in d_y.chunks_exact(columns) {
            sums.iter_mut().zip(&row[own.clone()]).for_each(|(sum, d)| *sum += d);
        }
    });
    d_b
}

/// `[rows, cols]` row-major into `[cols, rows]` row-major, in 16 x 16 blocks so that both the
/// reads and the writes stay within a few cache lines at a time; each block of 16 output rows
/// is a parallel task (a weight gradient's transpose ran on one thread while the other idled).
pub(crate) fn transpose(values: &[f32], rows: usize, cols: usize) -> Vec<f32> {
    const BLOCK: usize = 16;
    let mut out = vec![0.0; rows * cols];
    out.par_chunks_mut((BLOCK * rows).max(1)).enumerate().for_each(|(block, out)| {
        let columns = block * BLOCK..(block * BLOCK + BLOCK).min(cols);
        for r0 in (0..rows).step_by(BLOCK) {
            for r in r0..(r0 + BLOCK).min(rows) {
                for c in columns.clone() {
                    out[(c - columns.start) * rows + r] = values[r * cols + c];
                }
            }
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared_testing::{Tolerance, assert_close};

    fn widen(values: &[f32]) -> Vec<f64> {
        values.iter().map(|&x| x as f64).collect()
    }

    /// `Σ_p a[i, p] b[p, j]` in f64, for row-major `a: [m, k]` and `b: [k, n]`.
    fn product(a: &[f32], b: &[f32], m: usize, k: usize, n: usize) -> Vec<f64> {
        let entry =
            |i: usize, j: usize| (0..k).map(|p| a[i * k + p] as f64 * b[p * n + j] as f64).sum::<f64>();
        (0..m * n).map(|ij| entry(ij / n, ij % n)).collect()
    }

    /// Every output and gradient against the textbook formulas, on a shape off the tile grid
    /// and large enough to split between threads.
    #[test]
    fn the_map_and_its_gradients_match_the_formulas() {
        for (rows, input, columns) in [(37, 11, 45), (37, 45, 11)] {
            check_shape(rows, input, columns);
        }
    }

    fn check_shape(rows: usize, input: usize, columns: usize) {
        let x: Vec<f32> = (0..rows * input).map(|i| (i as f32 * 0.37).sin()).collect();
        let w: Vec<f32> = (0..input * columns).map(|i| (i as f32 * 0.61).cos()).collect();
        let b: Vec<f32> = (0..columns).map(|j| j as f32 * 0.1 - 2.0).collect();
        let d_y: Vec<f32> = (0..rows * columns).map(|i| (i as f32 * 0.23).sin()).collect();
        let tolerance = Tolerance::new(1e-5, 1e-4);

        let y_expected: Vec<f64> = product(&x, &w, rows, input, columns)
            .iter()
            .enumerate()
            .map(|(i, v)| v + b[i % columns] as f64)
            .collect();
        assert_close(&widen(&affine_forward(&x, &w, &b, rows)), &y_expected, tolerance);

        let d_x_entry = |r: usize, i: usize| {
            (0..columns).map(|c| d_y[r * columns + c] as f64 * w[i * columns + c] as f64).sum()
        };
        let d_x_expected: Vec<f64> = (0..rows * input).map(|ri| d_x_entry(ri / input, ri % input)).collect();
        assert_close(&widen(&affine_input_grad(&d_y, &w, rows, columns)), &d_x_expected, tolerance);

        let d_w_entry = |i: usize, c: usize| {
            (0..rows).map(|r| x[r * input + i] as f64 * d_y[r * columns + c] as f64).sum()
        };
        let d_w_expected: Vec<f64> =
            (0..input * columns).map(|ic| d_w_entry(ic / columns, ic % columns)).collect();
        assert_close(&widen(&affine_weight_grad(&x, &d_y, rows, columns)), &d_w_expected, tolerance);

        let d_b_expected: Vec<f64> =
            (0..columns).map(|j| (0..rows).map(|r| d_y[r * columns + j] as f64).sum()).collect();
        assert_close(&widen(&affine_bias_grad(&d_y, columns)), &d_b_expected, tolerance);
    }
}
