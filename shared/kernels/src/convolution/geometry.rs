//! The shape of one 2-D convolution and the map between its input pixels and its patches
//! (im2col and its adjoint).
//!
//! ```text
//! x: [B, C, H, W]   weight: [O, C, KH, KW]   stride (sh, sw)   padding (ph, pw)
//! OH = (H + 2 ph - KH) / sh + 1,   OW = (W + 2 pw - KW) / sw + 1
//! patches of one image, [C·KH·KW, OH·OW]:
//!   patches[(c, i, j), (r, s)] = x[c, r·sh + i - ph, s·sw + j - pw]   (0 outside the image)
//! ```
//!
//! Row `(c, i, j)` of the patches is column `(c, i, j)` of the weight read as `[O, C·KH·KW]`,
//! so one image's convolution is the product `weight · patches`.

use crate::recurrent::packed_matmul::PackedRhs;
use crate::recurrent::vectorise::vectorised;
use std::ops::Range;

/// Sizes of one convolution: input, kernel, stride and symmetric padding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConvGeometry {
    pub batch: usize,
    pub in_channels: usize,
    pub height: usize,
    pub width: usize,
    pub out_channels: usize,
    pub kernel: [usize; 2],
    pub stride: [usize; 2],
    pub padding: [usize; 2],
}

impl ConvGeometry {
    /// `[OH, OW]`; panics when the kernel does not fit in the padded input.
    pub fn output_size(&self) -> [usize; 2] {
        let side = |input: usize, axis: usize| {
            let padded = input + 2 * self.padding[axis];
            assert!(
                self.kernel[axis] <= padded && self.stride[axis] > 0,
                "kernel {:?} with stride {:?} does not fit input {}x{} padded by {:?}",
                self.kernel,
                self.stride,
                self.height,
                self.width,
                self.padding
            );
            (padded - self.kernel[axis]) / self.stride[axis] + 1
        };
        [side(self.height, 0), side(self.width, 1)]
    }

    /// Output pixels per image, `OH·OW`.
    pub fn pixels(&self) -> usize {
        let [oh, ow] = self.output_size();
        oh * ow
    }

    /// Rows of the patch matrix, `C·KH·KW` (the weight's row length).
    pub fn patch_len(&self) -> usize {
        self.in_channels * self.kernel[0] * self.kernel[1]
    }

    /// Floats in one input image, `C·H·W`.
    pub fn image_len(&self) -> usize {
        self.in_channels * self.height * self.width
    }

    /// Floats in one output image, `O·OH·OW`.
    pub fn output_len(&self) -> usize {
        self.out_channels * self.pixels()
    }

    /// The patches of one image `[C, H, W]` (the padding reads as 0), straight into the packed
    /// form `[C·KH·KW, OH·OW]` the products read. `packed` must be zero wherever the padding is
    /// read, as [`PackedRhs::zeroed`] leaves it; a buffer refilled for the next image keeps those
    /// entries zero, because they are the same for every image.
    pub fn unfold_packed(&self, image: &[f32], packed: &mut PackedRhs) {
        let mut gathered = Vec::with_capacity(self.output_size()[1]);
        self.for_each_run(|run| packed.write_row(run.row, run.column, run.read(image, &mut gathered)));
    }

    /// The patches of one image as a row-major `[C·KH·KW, OH·OW]` matrix, zero wherever the
    /// padding is read (a buffer refilled for the next image keeps those entries, see
    /// [`Self::unfold_packed`]).
    pub fn unfold_into(&self, image: &[f32], patches: &mut [f32]) {
        let pixels = self.pixels();
        let mut gathered = Vec::with_capacity(self.output_size()[1]);
        self.for_each_run(|run| {
            let start = run.row * pixels + run.column;
            patches[start..start + run.len].copy_from_slice(run.read(image, &mut gathered));
        });
    }

    /// The adjoint of unfolding: adds every entry of `patches: [C·KH·KW, OH·OW]` into the input
    /// pixel it was read from, `image: [C, H, W]`.
    pub fn fold_add(&self, patches: &[f32], image: &mut [f32]) {
        fold_add_runs(self, patches, image);
    }

    /// Calls `visit` for each patch row `(c, i, j)` and output row `r` that reads inside the
    /// image, with the run of output columns `s` that do: the entries `column..column + len` of
    /// patch row `row` read input pixels `input, input + step, ...` (`step` = `sw`).
    fn for_each_run(&self, mut visit: impl FnMut(Run)) {
        let [oh, ow] = self.output_size();
        let [kh, kw] = self.kernel;
        let [sh, sw] = self.stride;
        let [ph, pw] = self.padding;
        for row in 0..self.patch_len() {
            let (c, i, j) = (row / (kh * kw), row / kw % kh, row % kw);
            let columns = valid_outputs(ow, self.width, sw, j, pw);
            if columns.is_empty() {
                continue;
            }
            for r in valid_outputs(oh, self.height, sh, i, ph) {
                let (y, x) = (r * sh + i - ph, columns.start * sw + j - pw);
                visit(Run {
                    row,
                    column: r * ow + columns.start,
                    input: (c * self.height + y) * self.width + x,
                    len: columns.len(),
                    step: sw,
                });
            }
        }
    }
}

vectorised! {
    /// [`ConvGeometry::fold_add`], compiled for AVX-512 where the CPU has it.
    fn fold_add_runs(geometry: &ConvGeometry, patches: &[f32], image: &mut [f32]) => fold_add_body
}

#[inline(always)]
fn fold_add_body(geometry: &ConvGeometry, patches: &[f32], image: &mut [f32]) {
    let pixels = geometry.pixels();
    geometry.for_each_run(|run| {
        let patches = &patches[run.row * pixels + run.column..][..run.len];
        if run.step == 1 {
            add_into(&mut image[run.input..][..run.len], patches);
        } else {
            let inputs = image[run.input..].iter_mut().step_by(run.step);
            inputs.zip(patches).for_each(|(x, &p)| *x += p);
        }
    });
}

/// `sums += values`, 8 floats at a time through local copies (which cannot alias, so the
/// compiler vectorises them; the slices' own loop stayed scalar: 8% of the `cnn` step).
#[inline(always)]
fn add_into(sums: &mut [f32], values: &[f32]) {
    let (blocks, sums_tail) = sums.as_chunks_mut::<8>();
    let (value_blocks, values_tail) = values.as_chunks::<8>();
    for (block, values) in blocks.iter_mut().zip(value_blocks) {
        let (mut sum, values) = (*block, *values);
        for l in 0..8 {
            sum[l] += values[l];
        }
        *block = sum;
    }
    sums_tail.iter_mut().zip(values_tail).for_each(|(s, &v)| *s += v);
}

/// A run of one patch row's entries that read one input row (see
/// [`ConvGeometry::for_each_run`]).
struct Run {
    row: usize,
    column: usize,
    input: usize,
    len: usize,
    step: usize,
}

impl Run {
    /// The input pixels the run reads: a slice of `image`, or gathered into `buffer` for a
    /// stride above 1.
    fn read<'a>(&self, image: &'a [f32], buffer: &'a mut Vec<f32>) -> &'a [f32] {
        if self.step == 1 {
            return &image[self.input..][..self.len];
        }
        buffer.clear();
        buffer.extend(image[self.input..].iter().step_by(self.step).take(self.len));
        buffer
    }
}

/// The outputs `o` whose input index `o·stride + k - pad` lies in `0..input`.
fn valid_outputs(outputs: usize, input: usize, stride: usize, k: usize, pad: usize) -> Range<usize> {
    // o·stride + k >= pad  and  o·stride + k < input + pad.
    let first = pad.saturating_sub(k).div_ceil(stride);
    let end = (input + pad).saturating_sub(k).div_ceil(stride);
    first.min(outputs)..end.min(outputs).max(first.min(outputs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recurrent::mat_ref::MatRef;

    /// The patch matrix `[C·KH·KW, OH·OW]` of one image, entry by entry from the formula of the
    /// module doc (independent of the runs the kernels use).
    fn unfold(g: &ConvGeometry, image: &[f32]) -> Vec<f32> {
        let [oh, ow] = g.output_size();
        let [kh, kw] = g.kernel;
        let entry = |row: usize, pixel: usize| {
            let (c, i, j, r, s) = (row / (kh * kw), row / kw % kh, row % kw, pixel / ow, pixel % ow);
            let y = (r * g.stride[0] + i) as isize - g.padding[0] as isize;
            let x = (s * g.stride[1] + j) as isize - g.padding[1] as isize;
            let inside = (0..g.height as isize).contains(&y) && (0..g.width as isize).contains(&x);
            if inside { image[(c * g.height + y as usize) * g.width + x as usize] } else { 0.0 }
        };
        (0..g.patch_len() * oh * ow).map(|k| entry(k / (oh * ow), k % (oh * ow))).collect()
    }

    /// `unfold` and `fold_add` are adjoint: `<unfold(x), p> = <x, fold(p)>` for any `x`, `p`.
    #[test]
    fn fold_is_the_adjoint_of_unfold() {
        let g = ConvGeometry {
            batch: 1,
            in_channels: 2,
            height: 5,
            width: 7,
            out_channels: 1,
            kernel: [3, 4],
            stride: [2, 3],
            padding: [2, 1],
        };
        let x: Vec<f32> = (0..g.image_len()).map(|i| (i as f32 * 0.7).sin()).collect();
        let p: Vec<f32> = (0..g.patch_len() * g.pixels()).map(|i| (i as f32 * 0.3).cos()).collect();
        let patches = unfold(&g, &x);
        let mut folded = vec![0.0; x.len()];
        g.fold_add(&p, &mut folded);
        let dot = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(a, b)| *a as f64 * *b as f64).sum::<f64>();
        let (lhs, rhs) = (dot(&patches, &p), dot(&x, &folded));
        // f32 sums in `fold_add`: equal to about 1e-7.
        assert!((lhs - rhs).abs() < 1e-6 * lhs.abs().max(1.0), "{lhs} != {rhs}");
    }

    /// Unfolding into a plain buffer equals the formula, and into the packed form equals packing
    /// it, also when the buffers are refilled.
    #[test]
    fn unfolding_into_the_packed_form_equals_packing_the_patches() {
        for padding in [[0, 0], [2, 1]] {
            let g = ConvGeometry {
                batch: 1,
                in_channels: 3,
                height: 9,
                width: 11,
                out_channels: 1,
                kernel: [3, 4],
                stride: [1, 2],
                padding,
            };
            let mut packed = PackedRhs::zeroed(g.patch_len(), g.pixels());
            let mut refilled = vec![0.0; g.patch_len() * g.pixels()];
            for seed in [0.7f32, 0.3] {
                let x: Vec<f32> = (0..g.image_len()).map(|i| (i as f32 * seed).sin() + 2.0).collect();
                let patches = unfold(&g, &x);
                g.unfold_into(&x, &mut refilled);
                assert_eq!(refilled, patches);
                g.unfold_packed(&x, &mut packed);
                assert_eq!(packed, PackedRhs::pack(MatRef::new(&patches, g.patch_len(), g.pixels())));
            }
        }
    }

    #[test]
    fn the_output_size_follows_the_formula_and_an_oversized_kernel_is_refused() {
        let mut g = ConvGeometry {
            batch: 1,
            in_channels: 1,
            height: 28,
            width: 20,
            out_channels: 1,
            kernel: [9, 9],
            stride: [2, 1],
            padding: [0, 2],
        };
        assert_eq!(g.output_size(), [10, 16]);
        g.kernel = [29, 9];
        assert!(std::panic::catch_unwind(|| g.output_size()).is_err());
    }
}
