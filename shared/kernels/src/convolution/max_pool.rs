//! Max pooling over non-overlapping windows (stride = window), one plane per task, the planes
//! split between threads (burn-flex's own pooling runs on one thread).
//!
//! ```text
//! x: [planes, H, W], window (kh, kw)  ->  y: [planes, H / kh, W / kw]
//! y[p, r, s] = max over the window x[p, r·kh .. r·kh + kh, s·kw .. s·kw + kw]
//! δx = δy at the position of each window's maximum (the first one on ties; a NaN wins), 0 elsewhere
//! ```
//!
//! With `rectify` it pools `relu(x)` in the same pass: `y = max(0, window maximum)`, and a window
//! whose maximum is not positive passes no gradient (burn's `relu` has gradient 0 at and below
//! 0), so the rectified map `[planes, H, W]` and its gradient are never written.

use crate::recurrent::buffers;
use rayon::prelude::*;

/// Pooling sizes: `planes` (batch x channels) of `height x width`, windows of `window`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolGeometry {
    pub planes: usize,
    pub height: usize,
    pub width: usize,
    pub window: [usize; 2],
}

impl PoolGeometry {
    /// `[H / kh, W / kw]` (the rows and columns past the last whole window are dropped).
    pub fn output_size(&self) -> [usize; 2] {
        assert!(self.window[0] > 0 && self.window[1] > 0, "empty pooling window {:?}", self.window);
        [self.height / self.window[0], self.width / self.window[1]]
    }
}

/// The offset of an output that passes no gradient (a rectified window with no positive value).
const NO_GRADIENT: u32 = u32::MAX;

/// `y: [planes, OH, OW]` and, for each output, the offset of its maximum within its plane
/// ([`NO_GRADIENT`] where `rectify` zeroed it).
pub fn max_pool_forward(geometry: &PoolGeometry, x: &[f32], rectify: bool) -> (Vec<f32>, Vec<u32>) {
    let [oh, ow] = geometry.output_size();
    let plane = geometry.height * geometry.width;
    assert!(plane < NO_GRADIENT as usize, "a plane of {plane} pixels is too large");
    let mut y = buffers::zeros(geometry.planes * oh * ow);
    let mut argmax = vec![0u32; y.len()];
    let outputs = y.par_chunks_mut((oh * ow).max(1)).zip(argmax.par_chunks_mut((oh * ow).max(1)));
    outputs.zip(x.par_chunks(plane.max(1))).for_each(|((y, argmax), x)| {
        if x.iter().any(|v| v.is_nan()) {
            pool_plane_with_nan(geometry, x, y, argmax);
        } else {
            pool_plane(geometry, x, y, argmax);
        }
        if rectify {
            for (y, argmax) in y.iter_mut().zip(argmax) {
                // `<=` keeps a NaN, as `relu` does.
                if *y <= 0.0 {
                    (*y, *argmax) = (0.0, NO_GRADIENT);
                }
            }
        }
    });
    (y, argmax)
}

/// One plane without NaN, window by window, in two passes without data-dependent branches (on
/// random data a compare-and-branch mispredicts half the time): the window's maximum, then the
/// first offset that holds it, found by scanning backwards with arithmetic instead of a select.
/// The common 2 x 2 window gets its own copy with the loops unrolled.
fn pool_plane(geometry: &PoolGeometry, x: &[f32], y: &mut [f32], argmax: &mut [u32]) {
    match geometry.window {
        [2, 2] => pool_plane_window(geometry, x, y, argmax, 2, 2),
        [kh, kw] => pool_plane_window(geometry, x, y, argmax, kh, kw),
    }
}

#[inline(always)]
fn pool_plane_window(
    geometry: &PoolGeometry,
    x: &[f32],
    y: &mut [f32],
    argmax: &mut [u32],
    kh: usize,
    kw: usize,
) {
    let ([_, ow], width) = (geometry.output_size(), geometry.width);
    let rows = y.chunks_exact_mut(ow.max(1)).zip(argmax.chunks_exact_mut(ow.max(1)));
    for (r, (y, argmax)) in rows.enumerate() {
        for (s, (y, argmax)) in y.iter_mut().zip(argmax).enumerate() {
            let first = r * kh * width + s * kw;
            let mut best = x[first];
            for i in 0..kh {
                for &value in &x[first + i * width..][..kw] {
                    best = if value > best { value } else { best };
                }
            }
            let mut found = first as u32;
            for i in (0..kh).rev() {
                for j in (0..kw).rev() {
                    let at = (first + i * width + j) as u32;
                    let hit = u32::from(x[at as usize] == best);
                    found = found.wrapping_add(hit.wrapping_mul(at.wrapping_sub(found)));
                }
            }
            (*y, *argmax) = (best, found);
        }
    }
}

/// One plane holding a NaN, window by window: a window's first NaN wins, else its first
/// maximum.
fn pool_plane_with_nan(geometry: &PoolGeometry, x: &[f32], y: &mut [f32], argmax: &mut [u32]) {
    let ([kh, kw], [_, ow], width) = (geometry.window, geometry.output_size(), geometry.width);
    for (index, (y, argmax)) in y.iter_mut().zip(argmax).enumerate() {
        let first = index / ow * kh * width + index % ow * kw;
        let offsets = (0..kh).flat_map(|i| (0..kw).map(move |j| first + i * width + j));
        let at = offsets
            .clone()
            .find(|&at| x[at].is_nan())
            .unwrap_or_else(|| offsets.fold(first, |best, at| if x[at] > x[best] { at } else { best }));
        (*y, *argmax) = (x[at], at as u32);
    }
}

/// `δx: [planes, H, W]` for upstream `d_y: [planes, OH, OW]` and the offsets of
/// [`max_pool_forward`].
pub fn max_pool_backward(geometry: &PoolGeometry, d_y: &[f32], argmax: &[u32]) -> Vec<f32> {
    let [oh, ow] = geometry.output_size();
    let plane = geometry.height * geometry.width;
    let mut d_x = buffers::zeros(geometry.planes * plane);
    let upstream = d_y.par_chunks((oh * ow).max(1)).zip(argmax.par_chunks((oh * ow).max(1)));
    d_x.par_chunks_mut(plane.max(1)).zip(upstream).for_each(|(d_x, (d_y, argmax))| {
        for (&d, &at) in d_y.iter().zip(argmax).filter(|&(_, &at)| at != NO_GRADIENT) {
            d_x[at as usize] += d;
        }
    });
    d_x
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values, positions and gradient of a small case written out by hand, with a tie (the
    /// first maximum takes the gradient), a NaN (it wins) and a ragged edge (dropped).
    #[test]
    fn pooling_takes_each_windows_first_maximum_and_routes_the_gradient_there() {
        #[rustfmt::skip]
        let x = [
            1.0, 5.0, 2.0, 2.0, 9.0,
            3.0, 4.0, 0.0, f32::NAN, 9.0,
            7.0, 7.0, 1.0, 1.0, 9.0,
        ];
        let geometry = PoolGeometry { planes: 1, height: 3, width: 5, window: [2, 2] };
        let (y, argmax) = max_pool_forward(&geometry, &x, false);
        assert_eq!(y[0], 5.0);
        assert!(y[1].is_nan());
        assert_eq!(argmax, [1, 8]);
        let d_x = max_pool_backward(&geometry, &[10.0, 20.0], &argmax);
        let mut expected = [0.0; 15];
        (expected[1], expected[8]) = (10.0, 20.0);
        assert_eq!(d_x, expected);
    }

    /// Several planes, windows of 3 x 2: every output is the maximum of its window.
    #[test]
    fn every_output_is_the_maximum_of_its_window() {
        let geometry = PoolGeometry { planes: 5, height: 7, width: 6, window: [3, 2] };
        let x: Vec<f32> = (0..5 * 42).map(|i| (i as f32 * 0.77).sin()).collect();
        let (y, argmax) = max_pool_forward(&geometry, &x, false);
        assert_eq!(y.len(), 5 * 2 * 3);
        for (index, (&y, &at)) in y.iter().zip(&argmax).enumerate() {
            let (p, r, s) = (index / 6, index / 3 % 2, index % 3);
            let plane = &x[p * 42..(p + 1) * 42];
            let window = (0..3).flat_map(|i| (0..2).map(move |j| (r * 3 + i) * 6 + s * 2 + j));
            let expected = window.map(|k| plane[k]).fold(f32::NEG_INFINITY, f32::max);
            assert_eq!(y, expected);
            assert_eq!(plane[at as usize], y);
        }
    }
}
