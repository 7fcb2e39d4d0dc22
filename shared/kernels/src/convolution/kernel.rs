//! A 2-D convolution and its gradients as matrix products on the packed tile of
//! [`crate::recurrent::packed_matmul`], one image per task, the images split between threads
//! (burn-flex's own convolution runs on one thread).
//!
//! For image `b`, with `P_b = unfold(x_b): [C·KH·KW, OH·OW]` (see [`super::geometry`]) and the
//! weight read as `W: [O, C·KH·KW]`:
//!
//! ```text
//! y_b  = W P_b + bias          [O, OH·OW]   (= [O, OH, OW], NCHW)
//! δx_b = fold(Wᵀ δy_b)          [C, H, W]
//! δW   = Σ_b δy_b P_bᵀ          [O, C·KH·KW]
//! δbias = Σ_b Σ_pixels δy_b     [O]
//! ```
//!
//! The patches are recomputed in the backward pass rather than kept: unfolding is a copy, far
//! cheaper than the products, and keeping them would hold `KH·KW` times the input.

use super::geometry::ConvGeometry;
use crate::recurrent::affine_kernel::transpose;
use crate::recurrent::buffers;
use crate::recurrent::mat_ref::MatRef;
use crate::recurrent::packed_matmul::{PackedLhs, PackedRhs, matmul_prepacked_serial, rows_per_task};
use rayon::prelude::*;

/// `y: [B, O, OH, OW]` for `x: [B, C, H, W]`, `weight: [O, C, KH, KW]`, `bias: [O]`.
pub fn conv_forward(geometry: &ConvGeometry, x: &[f32], weight: &[f32], bias: &[f32]) -> Vec<f32> {
    let (pixels, patch_len) = (geometry.pixels(), geometry.patch_len());
    let weight = PackedLhs::pack(MatRef::new(weight, geometry.out_channels, patch_len));
    let mut y = buffers::zeros(geometry.batch * geometry.output_len());
    let images = x.par_chunks(geometry.image_len());
    y.par_chunks_mut(geometry.output_len()).zip(images).for_each_init(
        || PackedRhs::zeroed(patch_len, pixels),
        |patches, (y_b, x_b)| {
            geometry.unfold_packed(x_b, patches);
            for (row, &b) in y_b.chunks_exact_mut(pixels).zip(bias) {
                row.fill(b);
            }
            matmul_prepacked_serial(y_b, &weight, patches, true);
        },
    );
    y
}

/// The gradients of one convolution; `None` where the caller did not ask for it.
pub struct ConvGrads {
    pub x: Option<Vec<f32>>,
    pub weight: Option<Vec<f32>>,
    pub bias: Option<Vec<f32>>,
}

/// Which gradients [`conv_backward`] computes.
#[derive(Clone, Copy, Debug)]
pub struct Wanted {
    pub x: bool,
    pub weight: bool,
    pub bias: bool,
}

/// The gradients of [`conv_forward`] for upstream `d_y: [B, O, OH, OW]`, the images split into
/// one group per thread; each group sums its own `δW`, and the groups' sums are added in order,
/// so the result does not depend on the scheduling.
pub fn conv_backward(
    geometry: &ConvGeometry,
    x: &[f32],
    weight: &[f32],
    d_y: &[f32],
    wanted: Wanted,
) -> ConvGrads {
    let group = rows_per_task(geometry.batch);
    let (image_len, output_len) = (geometry.image_len(), geometry.output_len());
    let mut d_x = buffers::zeros(if wanted.x { x.len() } else { 0 });
    let d_x_groups: Vec<Option<&mut [f32]>> = if wanted.x {
        d_x.chunks_mut(group * image_len).map(Some).collect()
    } else {
        (0..geometry.batch.div_ceil(group)).map(|_| None).collect()
    };
    let weight_t = MatRef::new(weight, geometry.out_channels, geometry.patch_len()).t();
    let weight_t = wanted.x.then(|| PackedLhs::pack(weight_t));
    let partial_d_w: Vec<Vec<f32>> = d_x_groups
        .into_par_iter()
        .zip(x.par_chunks(group * image_len))
        .zip(d_y.par_chunks(group * output_len))
        .map(|((d_x, x), d_y)| backward_group(geometry, x, weight_t.as_ref(), d_y, d_x, wanted.weight))
        .collect();
    let d_w = wanted.weight.then(|| sum_in_order(partial_d_w, weight.len()));
    let d_bias = wanted.bias.then(|| bias_grad(geometry, d_y));
    ConvGrads { x: wanted.x.then_some(d_x), weight: d_w, bias: d_bias }
}

/// One thread's images: adds `fold(Wᵀ δy_b)` into `d_x` (when given, with `weight_t` the
/// packed `Wᵀ`) and returns `Σ_b δy_b P_bᵀ` (empty unless `with_weight`).
///
/// The weight gradient is computed transposed, `δWᵀ = Σ_b P_b δy_bᵀ`: the patches are then the
/// left-hand side, unfolded row by row and packed 8 rows at a time, where `P_bᵀ` as the
/// right-hand side took a scattered write per entry (13% of the `cnn` step). Each entry is the
/// same sum over the pixels in the same order.
fn backward_group(
    geometry: &ConvGeometry,
    x: &[f32],
    weight_t: Option<&PackedLhs>,
    d_y: &[f32],
    mut d_x: Option<&mut [f32]>,
    with_weight: bool,
) -> Vec<f32> {
    let (pixels, patch_len, out_channels) = (geometry.pixels(), geometry.patch_len(), geometry.out_channels);
    let mut d_w_t = vec![0.0; if with_weight { patch_len * out_channels } else { 0 }];
    let mut d_patches = vec![0.0; if d_x.is_some() { patch_len * pixels } else { 0 }];
    let mut patches = vec![0.0; if with_weight { patch_len * pixels } else { 0 }];
    let mut packed_patches = with_weight.then(|| PackedLhs::pack(MatRef::new(&patches, patch_len, pixels)));
    let images = x.chunks_exact(geometry.image_len()).zip(d_y.chunks_exact(geometry.output_len()));
    for (b, (x_b, d_y_b)) in images.enumerate() {
        let d_y_b = MatRef::new(d_y_b, out_channels, pixels);
        if let (Some(d_x), Some(weight_t)) = (d_x.as_deref_mut(), weight_t) {
            matmul_prepacked_serial(&mut d_patches, weight_t, &PackedRhs::pack(d_y_b), false);
            geometry.fold_add(&d_patches, &mut d_x[b * geometry.image_len()..][..geometry.image_len()]);
        }
        if let Some(packed_patches) = packed_patches.as_mut() {
            geometry.unfold_into(x_b, &mut patches);
            packed_patches.refill(MatRef::new(&patches, patch_len, pixels));
            matmul_prepacked_serial(&mut d_w_t, packed_patches, &PackedRhs::pack(d_y_b.t()), true);
        }
    }
    if with_weight { transpose(&d_w_t, patch_len, out_channels) } else { d_w_t }
}

/// The element-wise sum of `parts`, each `len` long, added in the order given (zeros when there
/// are none: an empty batch).
fn sum_in_order(parts: Vec<Vec<f32>>, len: usize) -> Vec<f32> {
    let mut parts = parts.into_iter();
    let mut total = parts.next().unwrap_or_else(|| vec![0.0; len]);
    for part in parts {
        total.iter_mut().zip(&part).for_each(|(t, p)| *t += p);
    }
    total
}

/// `δbias[o] = Σ_b Σ_pixels δy[b, o, pixel]`.
fn bias_grad(geometry: &ConvGeometry, d_y: &[f32]) -> Vec<f32> {
    let pixels = geometry.pixels();
    let mut d_bias = vec![0.0; geometry.out_channels];
    for d_y_b in d_y.chunks_exact(geometry.output_len()) {
        for (sum, row) in d_bias.iter_mut().zip(d_y_b.chunks_exact(pixels)) {
            *sum += row.iter().sum::<f32>();
        }
    }
    d_bias
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared_testing::{Tolerance, assert_close};

    fn widen(values: &[f32]) -> Vec<f64> {
        values.iter().map(|&x| x as f64).collect()
    }

    fn wave(len: usize, rate: f32) -> Vec<f32> {
        (0..len).map(|i| (i as f32 * rate).sin()).collect()
    }

    /// The convolution sum written out, in f64, visiting every (output, weight) pair once and
    /// calling `visit(b, o, pixel, x_index, w_index)` where the input pixel lies in the image.
    fn for_each_term(g: &ConvGeometry, mut visit: impl FnMut(usize, usize, usize, usize, usize)) {
        let [oh, ow] = g.output_size();
        for b in 0..g.batch {
            for o in 0..g.out_channels {
                for (r, s) in (0..oh).flat_map(|r| (0..ow).map(move |s| (r, s))) {
                    for (c, i, j) in (0..g.in_channels).flat_map(|c| {
                        (0..g.kernel[0]).flat_map(move |i| (0..g.kernel[1]).map(move |j| (c, i, j)))
                    }) {
                        let y = (r * g.stride[0] + i) as isize - g.padding[0] as isize;
                        let x = (s * g.stride[1] + j) as isize - g.padding[1] as isize;
                        if y < 0 || x < 0 || y >= g.height as isize || x >= g.width as isize {
                            continue;
                        }
                        let x_index =
                            ((b * g.in_channels + c) * g.height + y as usize) * g.width + x as usize;
                        let w_index = ((o * g.in_channels + c) * g.kernel[0] + i) * g.kernel[1] + j;
                        visit(b, o, r * ow + s, x_index, w_index);
                    }
                }
            }
        }
    }

    /// Every output and gradient against the convolution sum, for strides, paddings and kernel
    /// shapes off the tile grid, with more images than threads.
    #[test]
    fn the_convolution_and_its_gradients_match_the_sum() {
        let shapes = [
            ([5, 2, 7, 6, 5], [3, 2], [2, 1], [1, 2]),
            ([3, 3, 5, 5, 4], [5, 5], [1, 1], [2, 2]),
            ([2, 1, 9, 8, 33], [4, 3], [3, 2], [0, 0]),
        ];
        for ([batch, in_channels, height, width, out_channels], kernel, stride, padding) in shapes {
            let g = ConvGeometry { batch, in_channels, height, width, out_channels, kernel, stride, padding };
            check(&g);
        }
    }

    /// An empty batch has an empty output and zero weight and bias gradients of full size.
    #[test]
    fn an_empty_batch_has_zero_gradients() {
        let g = ConvGeometry {
            batch: 0,
            in_channels: 2,
            height: 5,
            width: 5,
            out_channels: 3,
            kernel: [3, 3],
            stride: [1, 1],
            padding: [1, 1],
        };
        let w = wave(3 * g.patch_len(), 0.5);
        assert!(conv_forward(&g, &[], &w, &[0.0; 3]).is_empty());
        let grads = conv_backward(&g, &[], &w, &[], Wanted { x: true, weight: true, bias: true });
        assert_eq!(grads.weight.unwrap(), vec![0.0; w.len()]);
        assert_eq!(grads.bias.unwrap(), vec![0.0; 3]);
        assert!(grads.x.unwrap().is_empty());
    }

    fn check(g: &ConvGeometry) {
        let x = wave(g.batch * g.image_len(), 0.37);
        let w = wave(g.out_channels * g.patch_len(), 0.61);
        let bias = wave(g.out_channels, 1.3);
        let d_y = wave(g.batch * g.output_len(), 0.23);
        let pixels = g.pixels();
        let out = |b: usize, o: usize, p: usize| (b * g.out_channels + o) * pixels + p;

        let mut y = vec![0.0f64; d_y.len()];
        let (mut d_x, mut d_w) = (vec![0.0f64; x.len()], vec![0.0f64; w.len()]);
        for_each_term(g, |b, o, p, xi, wi| {
            y[out(b, o, p)] += x[xi] as f64 * w[wi] as f64;
            d_x[xi] += d_y[out(b, o, p)] as f64 * w[wi] as f64;
            d_w[wi] += d_y[out(b, o, p)] as f64 * x[xi] as f64;
        });
        y.iter_mut().enumerate().for_each(|(k, v)| *v += bias[k / pixels % g.out_channels] as f64);
        let d_bias: Vec<f64> = (0..g.out_channels)
            .map(|o| {
                (0..g.batch)
                    .flat_map(|b| (0..pixels).map(move |p| (b, p)))
                    .map(|(b, p)| d_y[out(b, o, p)] as f64)
                    .sum()
            })
            .collect();

        let tolerance = Tolerance::new(1e-5, 1e-4);
        assert_close(&widen(&conv_forward(g, &x, &w, &bias)), &y, tolerance);
        let all = Wanted { x: true, weight: true, bias: true };
        let grads = conv_backward(g, &x, &w, &d_y, all);
        assert_close(&widen(&grads.x.unwrap()), &d_x, tolerance);
        assert_close(&widen(&grads.weight.unwrap()), &d_w, tolerance);
        assert_close(&widen(&grads.bias.unwrap()), &d_bias, tolerance);

        let only_weight = conv_backward(g, &x, &w, &d_y, Wanted { x: false, weight: true, bias: false });
        assert!(only_weight.x.is_none() && only_weight.bias.is_none());
        assert_close(&widen(&only_weight.weight.unwrap()), &d_w, tolerance);
    }
}
