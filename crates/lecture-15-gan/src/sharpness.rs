//! A sharpness measure for images: the mean squared gradient magnitude (gradient energy).
//!
//! ```text
//! g_x(i, j) = x(i, j + 1) - x(i, j),   g_y(i, j) = x(i + 1, j) - x(i, j)
//! sharpness = mean over images and over 0 <= i, j < side - 1 of g_x^2 + g_y^2
//! ```
//!
//! for pixels in [0, 1]. A crisp pen stroke jumps from 0 to 1 within a pixel; a blurred one
//! spreads the same change over several pixels. The *plain* mean of |g| cannot tell them apart
//! (a ramp 0, 1/3, 2/3, 1 has the same total variation as a step 0, 0, 0, 1); squaring the
//! differences does (3 x 1/9 against 1). A uniform grey image scores 0. Like any gradient
//! measure it also rewards pixel noise, so it is read together with the pictures and the
//! classifier's verdict.

use anyhow::{Result, ensure};

/// The mean squared gradient magnitude of `images` (`[n, side, side]` row-major, values in [0, 1]).
pub fn gradient_energy(images: &[f32], side: usize) -> Result<f64> {
    ensure!(side >= 2, "sharpness needs images at least 2 pixels wide, got {side}");
    let pixels = side * side;
    ensure!(
        !images.is_empty() && images.len().is_multiple_of(pixels),
        "{} values are not a whole number of {side}x{side} images",
        images.len()
    );
    let mut total = 0.0f64;
    for image in images.chunks_exact(pixels) {
        for i in 0..side - 1 {
            for j in 0..side - 1 {
                let here = image[i * side + j];
                let gx = image[i * side + j + 1] - here;
                let gy = image[(i + 1) * side + j] - here;
                total += f64::from(gx * gx + gy * gy);
            }
        }
    }
    Ok(total / ((images.len() / pixels) * (side - 1) * (side - 1)) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hand_computed_case() {
        // [[0, 1, 0], [1, 1, 0], [0, 0, 0]]: the four top-left positions have
        // (gx, gy) = (1, 1), (-1, 0), (0, -1), (-1, -1): squared magnitudes 2, 1, 1, 2.
        let image = [0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0];
        let expected = 6.0 / 4.0;
        assert!((gradient_energy(&image, 3).unwrap() - expected).abs() < 1e-6);
    }

    #[test]
    fn flat_images_are_not_sharp_and_blur_lowers_sharpness() {
        assert_eq!(gradient_energy(&[0.5; 32], 4).unwrap(), 0.0);
        let edge = [0.0, 0.0, 1.0, 1.0].repeat(4);
        let blurred = [0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0].repeat(4);
        assert!(gradient_energy(&edge, 4).unwrap() > gradient_energy(&blurred, 4).unwrap());
    }

    #[test]
    fn wrong_sizes_are_errors() {
        assert!(gradient_energy(&[0.0; 10], 3).is_err());
        assert!(gradient_energy(&[], 3).is_err());
        assert!(gradient_energy(&[0.0], 1).is_err());
    }
}
