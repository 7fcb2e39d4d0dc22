//! 2-D Gaussian mixtures and the mode-collapse metrics of the GAN lectures.
//!
//! The data: equal-weight isotropic Gaussians with a common standard deviation `std` around a
//! set of centres. Two standard layouts (Metz et al. 2017, unrolled GANs; Srivastava et al. 2017,
//! VEEGAN): [`GaussianMixture::ring_of_8`], 8 modes on a circle of radius 2 with std 0.02, and
//! [`GaussianMixture::grid_of_25`], a 5x5 grid at -4, -2, 0, 2, 4 with std 0.05.
//!
//! **What the generator must learn**: to put mass on every mode, and only there. **Why it is
//! hard**: a GAN's generator is rewarded for fooling the current discriminator, so it may hop
//! from mode to mode or settle on a few (mode collapse) while each sample looks perfect.
//!
//! **The metrics** ([`GaussianMixture::coverage`]): a sample is *high quality* when it lies within
//! 3 std of its nearest centre; a mode is *covered* when at least `min_samples_per_mode`
//! high-quality samples are nearest to it (papers differ on that threshold). Even samples from the
//! true mixture are high quality only with probability 1 - exp(-9/2) ≈ 0.989 (the squared
//! distance over std² is chi-squared with 2 degrees of freedom), so that, not 1, is the ceiling.

use super::{ensure_positive, float_tensor, seeded_rng};
use anyhow::{Result, ensure};
use burn::prelude::{Device, Tensor};
use rand::RngExt;
use rand_distr::StandardNormal;

/// Fraction of samples of a 2-D Gaussian within 3 std of its mean: 1 - exp(-4.5).
pub const TRUE_HIGH_QUALITY_FRACTION: f32 = 0.988_891;

/// An equal-weight mixture of isotropic 2-D Gaussians.
#[derive(Clone, Debug, PartialEq)]
pub struct GaussianMixture {
    centres: Vec<[f32; 2]>,
    std: f32,
}

/// How well a set of samples covers a mixture's modes.
#[derive(Clone, Debug, PartialEq)]
pub struct ModeCoverage {
    /// Modes with at least `min_samples_per_mode` high-quality samples.
    pub modes_covered: usize,
    /// Fraction of all samples within 3 std of their nearest centre.
    pub high_quality_fraction: f32,
    /// High-quality samples per mode, in the order of [`GaussianMixture::mode_centres`].
    pub counts: Vec<usize>,
}

impl GaussianMixture {
    /// A mixture with the given centres and common standard deviation (finite, > 0).
    pub fn new(centres: Vec<[f32; 2]>, std: f32) -> Result<Self> {
        ensure!(!centres.is_empty(), "a Gaussian mixture needs at least one centre");
        ensure!(std.is_finite() && std > 0.0, "mixture std must be finite and > 0, got {std}");
        ensure!(centres.iter().flatten().all(|c| c.is_finite()), "mixture centres must be finite");
        Ok(GaussianMixture { centres, std })
    }

    /// `modes` centres evenly spaced on a circle of `radius`, the first at `(radius, 0)`.
    pub fn ring(modes: usize, radius: f32, std: f32) -> Result<Self> {
        ensure_positive("number of ring modes", modes)?;
        GaussianMixture::new(ring_centres(modes, radius), std)
    }

    /// A `side` x `side` grid of centres `spacing` apart, centred on the origin.
    pub fn grid(side: usize, spacing: f32, std: f32) -> Result<Self> {
        ensure_positive("grid side", side)?;
        GaussianMixture::new(grid_centres(side, spacing), std)
    }

    /// The ring of 8: radius 2, std 0.02.
    pub fn ring_of_8() -> Self {
        GaussianMixture { centres: ring_centres(8, 2.0), std: 0.02 }
    }

    /// The grid of 25: centres at {-4, -2, 0, 2, 4}², std 0.05.
    pub fn grid_of_25() -> Self {
        GaussianMixture { centres: grid_centres(5, 2.0), std: 0.05 }
    }

    /// The centres of the modes.
    pub fn mode_centres(&self) -> &[[f32; 2]] {
        &self.centres
    }

    /// The common standard deviation of the modes.
    pub fn std(&self) -> f32 {
        self.std
    }

    /// `n` samples, `[n, 2]` row-major: a uniformly chosen mode plus Gaussian noise.
    pub fn sample(&self, n: usize, seed: u64) -> Result<Vec<f32>> {
        ensure_positive("number of mixture samples", n)?;
        let mut rng = seeded_rng(seed);
        let points = (0..n).flat_map(|_| {
            let mode = rng.random_range(0..self.centres.len());
            self.around(mode, &mut rng)
        });
        Ok(points.collect())
    }

    /// `n` samples of mode `mode` only, `[n, 2]`: what a fully collapsed generator produces.
    pub fn sample_mode(&self, mode: usize, n: usize, seed: u64) -> Result<Vec<f32>> {
        ensure_positive("number of mixture samples", n)?;
        let modes = self.centres.len();
        ensure!(mode < modes, "mode {mode} out of range: the mixture has {modes} modes");
        let mut rng = seeded_rng(seed);
        Ok((0..n).flat_map(|_| self.around(mode, &mut rng)).collect())
    }

    fn around(&self, mode: usize, rng: &mut impl RngExt) -> [f32; 2] {
        let [x, y] = self.centres[mode];
        let mut normal = || rng.sample::<f32, _>(StandardNormal);
        [x + self.std * normal(), y + self.std * normal()]
    }

    /// Mode coverage of `points` (`[n, 2]` row-major, e.g. a generator's output tensor as a
    /// `Vec`). Non-finite points count as low quality.
    pub fn coverage(&self, points: &[f32], min_samples_per_mode: usize) -> Result<ModeCoverage> {
        ensure!(!points.is_empty(), "mode coverage needs at least one sample");
        ensure!(points.len().is_multiple_of(2), "samples must be [n, 2], got {} numbers", points.len());
        ensure_positive("min_samples_per_mode", min_samples_per_mode)?;
        let mut counts = vec![0; self.centres.len()];
        for point in points.chunks_exact(2) {
            let (mode, distance) = self.nearest(point[0], point[1]);
            if distance <= 3.0 * self.std {
                counts[mode] += 1;
            }
        }
        let high_quality: usize = counts.iter().sum();
        Ok(ModeCoverage {
            modes_covered: counts.iter().filter(|&&c| c >= min_samples_per_mode).count(),
            high_quality_fraction: high_quality as f32 / (points.len() / 2) as f32,
            counts,
        })
    }

    /// The nearest centre's index and the distance to it.
    fn nearest(&self, x: f32, y: f32) -> (usize, f32) {
        let distance = |c: &[f32; 2]| ((x - c[0]).powi(2) + (y - c[1]).powi(2)).sqrt();
        self.centres
            .iter()
            .map(distance)
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((0, f32::INFINITY))
    }
}

/// Points `[n, 2]` as a tensor (what a discriminator reads).
pub fn points_tensor(points: &[f32], device: &Device) -> Result<Tensor<2>> {
    ensure!(points.len().is_multiple_of(2), "points must be [n, 2], got {} numbers", points.len());
    float_tensor(points, [points.len() / 2, 2], device)
}

fn ring_centres(modes: usize, radius: f32) -> Vec<[f32; 2]> {
    (0..modes)
        .map(|k| {
            let angle = std::f32::consts::TAU * k as f32 / modes as f32;
            [radius * angle.cos(), radius * angle.sin()]
        })
        .collect()
}

fn grid_centres(side: usize, spacing: f32) -> Vec<[f32; 2]> {
    let offset = (side as f32 - 1.0) / 2.0;
    let coordinate = |i: usize| (i as f32 - offset) * spacing;
    (0..side).flat_map(|i| (0..side).map(move |j| [coordinate(i), coordinate(j)])).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn standard_layouts_have_the_documented_centres() {
        let ring = GaussianMixture::ring_of_8();
        assert_eq!(ring.mode_centres().len(), 8);
        assert!(ring.mode_centres().iter().all(|c| ((c[0].hypot(c[1])) - 2.0).abs() < 1e-6));
        assert_eq!(ring.mode_centres()[0], [2.0, 0.0]);
        let grid = GaussianMixture::grid_of_25();
        let mut xs: Vec<f32> = grid.mode_centres().iter().map(|c| c[0]).collect();
        xs.dedup();
        assert_eq!(xs, [-4.0, -2.0, 0.0, 2.0, 4.0]);
        assert_eq!(grid.mode_centres().len(), 25);
        assert_eq!((ring.std(), grid.std()), (0.02, 0.05));
    }

    #[test]
    fn true_samples_cover_every_mode_with_high_quality() {
        for mixture in [GaussianMixture::ring_of_8(), GaussianMixture::grid_of_25()] {
            let points = mixture.sample(2500, 1).unwrap();
            let coverage = mixture.coverage(&points, 20).unwrap();
            assert_eq!(coverage.modes_covered, mixture.mode_centres().len());
            let quality = coverage.high_quality_fraction;
            assert!((quality - TRUE_HIGH_QUALITY_FRACTION).abs() < 0.01, "quality {quality}");
        }
    }

    #[test]
    fn a_collapsed_generator_covers_one_mode() {
        let mixture = GaussianMixture::grid_of_25();
        let points = mixture.sample_mode(7, 1000, 2).unwrap();
        let coverage = mixture.coverage(&points, 20).unwrap();
        assert_eq!(coverage.modes_covered, 1);
        assert!(coverage.counts[7] > 950, "counts {:?}", coverage.counts);
    }

    #[test]
    fn samples_between_modes_are_low_quality() {
        let mixture = GaussianMixture::ring_of_8();
        let coverage = mixture.coverage(&[0.0, 0.0, 1.0, 0.0, f32::NAN, 0.0], 1).unwrap();
        assert_eq!((coverage.modes_covered, coverage.high_quality_fraction), (0, 0.0));
    }

    #[test]
    fn same_seed_same_data_other_seed_other_data() {
        let m = GaussianMixture::ring_of_8();
        assert_eq!(m.sample(50, 3).unwrap(), m.sample(50, 3).unwrap());
        assert_ne!(m.sample(50, 3).unwrap(), m.sample(50, 4).unwrap());
    }

    #[test]
    fn invalid_parameters_are_errors() {
        assert!(GaussianMixture::ring(0, 2.0, 0.1).is_err());
        assert!(GaussianMixture::grid(3, 2.0, 0.0).is_err());
        assert!(GaussianMixture::new(vec![], 1.0).is_err());
        let m = GaussianMixture::ring_of_8();
        assert!(m.sample(0, 0).is_err());
        let err = m.sample_mode(8, 5, 0).unwrap_err().to_string();
        assert!(err.contains("mode 8") && err.contains("8 modes"), "{err}");
        assert!(m.coverage(&[1.0, 2.0, 3.0], 1).is_err());
        assert!(m.coverage(&[], 1).is_err());
    }

    #[test]
    fn points_become_an_n_by_2_tensor() {
        let device = shared_backend::test_device();
        let points = GaussianMixture::grid_of_25().sample(9, 0).unwrap();
        assert_eq!(points_tensor(&points, &device).unwrap().dims(), [9, 2]);
        assert!(points_tensor(&points[1..], &device).is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        #[test]
        fn samples_lie_near_the_centres_and_counts_add_up(
            modes in 1usize..12, n in 1usize..300, seed in any::<u64>()
        ) {
            let mixture = GaussianMixture::ring(modes, 3.0, 0.1).unwrap();
            let points = mixture.sample(n, seed).unwrap();
            prop_assert_eq!(points.len(), 2 * n);
            for p in points.chunks_exact(2) {
                // Beyond 6 std happens with probability exp(-18) per point.
                prop_assert!(mixture.nearest(p[0], p[1]).1 < 6.0 * 0.1);
            }
            let coverage = mixture.coverage(&points, 1).unwrap();
            let counted: usize = coverage.counts.iter().sum();
            prop_assert!((coverage.high_quality_fraction - counted as f32 / n as f32).abs() < 1e-6);
            prop_assert!(coverage.modes_covered <= modes.min(n));
        }
    }
}
