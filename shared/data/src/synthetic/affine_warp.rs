//! Place a square image on a square canvas by an affine transform, with bilinear sampling.
//!
//! A [`Transform`] maps source pixel coordinates `q` (x = column, y = row, integers at pixel
//! centres) to canvas coordinates `p`:
//!
//! ```text
//! p = c_canvas + t + s R(angle) (q - c_source),   R = [[cos, -sin], [sin, cos]],   t = (tx, ty)
//! ```
//!
//! with `c = (side - 1) / 2` the centre of each image. Rows grow downwards, so a positive angle
//! turns the image clockwise on screen. [`warp`] fills each canvas pixel by the inverse map,
//! `q = c_source + R(-angle) (p - c_canvas - t) / s`, reading the source bilinearly and as 0
//! outside it. The identity transform on a canvas the size of the source copies it exactly, and
//! so does any integer translation.
//!
//! [`Transform::stn_theta`] gives the 2x3 matrix with which burn's `affine_grid_2d` and
//! `grid_sample_2d` undo the transform: what a trained spatial transformer should find.

use super::ensure_positive;
use anyhow::{Result, ensure};

/// Rotation (radians), scale and translation (canvas pixels) of a source image on a canvas.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Transform {
    /// Rotation about the source centre, radians; positive is clockwise on screen.
    pub angle: f32,
    /// Scale factor (canvas pixels per source pixel), > 0.
    pub scale: f32,
    /// Offset of the source centre from the canvas centre along x (columns), pixels.
    pub tx: f32,
    /// Offset of the source centre from the canvas centre along y (rows), pixels.
    pub ty: f32,
}

impl Transform {
    /// No rotation, unit scale, centred.
    pub const IDENTITY: Transform = Transform { angle: 0.0, scale: 1.0, tx: 0.0, ty: 0.0 };

    /// The transform that undoes this one: `angle' = -angle`, `scale' = 1 / scale`,
    /// `t' = -R(-angle) t / scale` (both maps act about the centres of their images).
    pub fn inverse(&self) -> Transform {
        let (sin, cos) = self.angle.sin_cos();
        Transform {
            angle: -self.angle,
            scale: 1.0 / self.scale,
            tx: -(cos * self.tx + sin * self.ty) / self.scale,
            ty: -(-sin * self.tx + cos * self.ty) / self.scale,
        }
    }

    /// The `[2, 3]` matrix `theta` that, given to burn's `affine_grid_2d(theta, [n, c,
    /// output_side, output_side])` and then `grid_sample_2d` on the `canvas_side` canvas with
    /// `align_corners`, produces an `output_side` image showing the source upright, at unit
    /// scale and centred (for `output_side` equal to the source side: the source itself).
    ///
    /// burn's `affine_grid_2d` puts -1 and 1 on the centres of the output's corner pixels, so an
    /// output offset `u` (normalised) is `u (output_side - 1) / 2` pixels; the sampler reads
    /// canvas offset `v` as `v (canvas_side - 1) / 2` pixels with `align_corners`, `v canvas_side
    /// / 2` without. Hence `theta = [k R | t / b]` with `b` that canvas half-extent and
    /// `k = scale (output_side - 1) / (2 b)`.
    pub fn stn_theta(&self, canvas_side: usize, output_side: usize, align_corners: bool) -> [[f32; 3]; 2] {
        let canvas = canvas_side as f32;
        let half_canvas = if align_corners { (canvas - 1.0) / 2.0 } else { canvas / 2.0 };
        let k = self.scale * (output_side as f32 - 1.0) / 2.0 / half_canvas;
        let (sin, cos) = self.angle.sin_cos();
        [[k * cos, -k * sin, self.tx / half_canvas], [k * sin, k * cos, self.ty / half_canvas]]
    }

    fn check(&self) -> Result<()> {
        ensure!(
            self.scale.is_finite() && self.scale > 0.0,
            "transform scale must be finite and > 0, got {}",
            self.scale
        );
        ensure!(
            [self.angle, self.tx, self.ty].iter().all(|v| v.is_finite()),
            "transform angle and translation must be finite, got {self:?}"
        );
        Ok(())
    }
}

/// The `canvas_side` x `canvas_side` canvas (row-major) showing `source` (`source_side` squared,
/// row-major) placed by `transform`.
pub fn warp(
    source: &[f32],
    source_side: usize,
    canvas_side: usize,
    transform: &Transform,
) -> Result<Vec<f32>> {
    ensure_positive("source side", source_side)?;
    ensure_positive("canvas side", canvas_side)?;
    ensure!(
        source.len() == source_side * source_side,
        "source of {} pixels is not {source_side} x {source_side}",
        source.len()
    );
    transform.check()?;
    let centre_source = (source_side as f64 - 1.0) / 2.0;
    let centre_canvas = (canvas_side as f64 - 1.0) / 2.0;
    let (sin, cos) = f64::from(transform.angle).sin_cos();
    let inv_scale = 1.0 / f64::from(transform.scale);
    let mut canvas = Vec::with_capacity(canvas_side * canvas_side);
    for row in 0..canvas_side {
        for col in 0..canvas_side {
            let dx = col as f64 - centre_canvas - f64::from(transform.tx);
            let dy = row as f64 - centre_canvas - f64::from(transform.ty);
            let x = centre_source + (cos * dx + sin * dy) * inv_scale;
            let y = centre_source + (-sin * dx + cos * dy) * inv_scale;
            canvas.push(bilinear(source, source_side, x, y));
        }
    }
    Ok(canvas)
}

/// `image` at the real coordinates `(x, y)` by bilinear interpolation, 0 outside the image.
fn bilinear(image: &[f32], side: usize, x: f64, y: f64) -> f32 {
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let pixel = |col: f64, row: f64| -> f64 {
        let inside = col >= 0.0 && row >= 0.0 && col < side as f64 && row < side as f64;
        if inside { f64::from(image[row as usize * side + col as usize]) } else { 0.0 }
    };
    let top = pixel(x0, y0) * (1.0 - fx) + pixel(x0 + 1.0, y0) * fx;
    let bottom = pixel(x0, y0 + 1.0) * (1.0 - fx) + pixel(x0 + 1.0, y0 + 1.0) * fx;
    (top * (1.0 - fy) + bottom * fy) as f32
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use burn::prelude::{Tensor, TensorData};
    use burn::tensor::grid::affine_grid_2d;
    use burn::tensor::ops::GridSampleOptions;
    use std::f32::consts::{FRAC_PI_2, PI};

    /// A smooth, asymmetric 28 x 28 test image in [0, 1]: two blobs of different size, off
    /// centre, that vanish towards the border.
    pub(crate) fn blob_image() -> Vec<f32> {
        let blob = |x: f32, y: f32, cx: f32, cy: f32, r: f32| {
            (-((x - cx).powi(2) + (y - cy).powi(2)) / (2.0 * r * r)).exp()
        };
        (0..28 * 28)
            .map(|i| {
                let (x, y) = ((i % 28) as f32, (i / 28) as f32);
                (blob(x, y, 10.0, 12.0, 3.0) + 0.6 * blob(x, y, 17.0, 17.0, 2.0)).min(1.0)
            })
            .collect()
    }

    fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
        a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max)
    }

    #[test]
    fn identity_on_a_same_size_canvas_copies_exactly() {
        let image = blob_image();
        assert_eq!(warp(&image, 28, 28, &Transform::IDENTITY).unwrap(), image);
    }

    #[test]
    fn integer_translation_moves_pixels_exactly() {
        let image = blob_image();
        let moved = Transform { tx: 3.0, ty: -2.0, ..Transform::IDENTITY };
        let canvas = warp(&image, 28, 40, &moved).unwrap();
        // Source pixel (col, row) lands at canvas (col + 6 + 3, row + 6 - 2).
        for (row, col) in [(0, 0), (12, 10), (27, 27), (5, 20)] {
            assert_eq!(canvas[(row + 4) * 40 + col + 9], image[row * 28 + col]);
        }
    }

    #[test]
    fn two_quarter_turns_make_a_half_turn() {
        let image = blob_image();
        let quarter = Transform { angle: FRAC_PI_2, ..Transform::IDENTITY };
        let twice = warp(&warp(&image, 28, 28, &quarter).unwrap(), 28, 28, &quarter).unwrap();
        let half = warp(&image, 28, 28, &Transform { angle: PI, ..Transform::IDENTITY }).unwrap();
        assert!(max_abs_diff(&twice, &half) < 1e-4);
        // A half turn sends pixel (col, row) to (27 - col, 27 - row).
        assert!((half[27 * 28 + 27 - 10] - image[10]).abs() < 1e-4);
    }

    #[test]
    fn rotation_preserves_mass_and_scaling_multiplies_it_by_scale_squared() {
        let image = blob_image();
        let mass: f32 = image.iter().sum();
        let turned = Transform { angle: 0.6, ..Transform::IDENTITY };
        let turned_mass: f32 = warp(&image, 28, 42, &turned).unwrap().iter().sum();
        assert!((turned_mass / mass - 1.0).abs() < 0.01, "mass {mass} -> {turned_mass}");
        let grown = Transform { scale: 1.2, ..Transform::IDENTITY };
        let grown_mass: f32 = warp(&image, 28, 42, &grown).unwrap().iter().sum();
        assert!((grown_mass / mass - 1.44).abs() < 0.02, "mass {mass} -> {grown_mass}");
    }

    #[test]
    fn bad_sizes_and_transforms_are_errors() {
        assert!(warp(&[0.0; 10], 3, 5, &Transform::IDENTITY).is_err());
        assert!(warp(&[], 0, 5, &Transform::IDENTITY).is_err());
        let flat = Transform { scale: 0.0, ..Transform::IDENTITY };
        assert!(warp(&[0.0; 9], 3, 5, &flat).unwrap_err().to_string().contains("scale"));
        let nan = Transform { angle: f32::NAN, ..Transform::IDENTITY };
        assert!(warp(&[0.0; 9], 3, 5, &nan).is_err());
    }

    /// What burn's spatial-transformer ops make of `canvas` with `theta`: a 28 x 28 image.
    fn burn_resample(canvas: &[f32], side: usize, theta: [[f32; 3]; 2], align: bool) -> Vec<f32> {
        let device = shared_backend::test_device();
        let canvas = Tensor::<4>::from_data(TensorData::new(canvas.to_vec(), [1, 1, side, side]), &device);
        let theta = Tensor::<3>::from_data(TensorData::new(theta.concat(), [1, 2, 3]), &device);
        let grid = affine_grid_2d(theta, [1, 1, 28, 28]);
        let options = GridSampleOptions::default().with_align_corners(align);
        canvas.grid_sample_2d(grid, options).into_data().try_to_vec().unwrap()
    }

    #[test]
    fn the_inverse_brings_the_image_back() {
        let image = blob_image();
        let transform = Transform { angle: 0.5, scale: 0.9, tx: 4.0, ty: -3.0 };
        let canvas = warp(&image, 28, 42, &transform).unwrap();
        let back = warp(&canvas, 42, 28, &transform.inverse()).unwrap();
        // Two bilinear resamplings blur a little; the wrong angle is far off.
        assert!(max_abs_diff(&back, &image) < 0.06);
        let wrong = Transform { angle: -0.5, ..transform }.inverse();
        assert!(max_abs_diff(&warp(&canvas, 42, 28, &wrong).unwrap(), &image) > 0.3);
        let round_trip = transform.inverse().inverse();
        assert!((round_trip.tx - transform.tx).abs() < 1e-5 && (round_trip.ty - transform.ty).abs() < 1e-5);
    }

    #[test]
    fn stn_theta_samples_where_the_inverse_warp_does() {
        let transform = Transform { angle: 0.5, scale: 0.9, tx: 4.0, ty: -3.0 };
        let canvas = warp(&blob_image(), 28, 42, &transform).unwrap();
        let expected = warp(&canvas, 42, 28, &transform.inverse()).unwrap();
        for align in [true, false] {
            let undone = burn_resample(&canvas, 42, transform.stn_theta(42, 28, align), align);
            let error = max_abs_diff(&undone, &expected);
            assert!(error < 1e-4, "align_corners {align}: error {error}");
            // The half-extent convention matters: the other one's theta samples elsewhere.
            let mismatched = burn_resample(&canvas, 42, transform.stn_theta(42, 28, !align), align);
            assert!(max_abs_diff(&mismatched, &expected) > 0.01);
        }
    }
}
