//! Label noise: a fraction `p` of the training labels replaced by random ones.
//!
//! ```text
//! choose round(p n) of the n examples (a seeded shuffle); give each a label uniform on the
//! classes (it may land on the true one, as in Zhang et al. 2017 and Arpit et al. 2017)
//! ```
//!
//! The chosen examples are flagged, so the training accuracy of the clean and the noisy group
//! can be followed apart. [`NoisyLabels::flag_only`] flags the same examples but keeps their
//! labels: the experiment with the noise removed.

use rand::RngExt;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

/// Training labels after corruption, and which examples were chosen.
#[derive(Clone, Debug)]
pub struct NoisyLabels {
    pub labels: Vec<u8>,
    pub noisy: Vec<bool>,
}

impl NoisyLabels {
    /// Replaces a fraction `p` of `labels` by labels uniform on `0..classes`.
    pub fn corrupt(labels: &[u8], p: f64, classes: u8, seed: u64) -> NoisyLabels {
        let mut rng = StdRng::seed_from_u64(seed);
        let noisy = choose(labels.len(), p, &mut rng);
        let labels = labels
            .iter()
            .zip(&noisy)
            .map(|(&l, &n)| if n { rng.random_range(0..classes) } else { l })
            .collect();
        NoisyLabels { labels, noisy }
    }

    /// Flags the examples [`NoisyLabels::corrupt`] would choose, keeping every label.
    pub fn flag_only(labels: &[u8], p: f64, seed: u64) -> NoisyLabels {
        let noisy = choose(labels.len(), p, &mut StdRng::seed_from_u64(seed));
        NoisyLabels { labels: labels.to_vec(), noisy }
    }

    /// The indices of the clean (`false`) or noisy (`true`) group.
    pub fn group(&self, noisy: bool) -> Vec<usize> {
        (0..self.noisy.len()).filter(|&i| self.noisy[i] == noisy).collect()
    }
}

/// `round(p n)` of `n` flags set, at shuffled places.
fn choose(n: usize, p: f64, rng: &mut StdRng) -> Vec<bool> {
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(rng);
    let mut flags = vec![false; n];
    order.iter().take((p * n as f64).round() as usize).for_each(|&i| flags[i] = true);
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fraction_is_flagged_and_only_flagged_labels_change() {
        let labels: Vec<u8> = (0..1000).map(|i| (i % 10) as u8).collect();
        let noisy = NoisyLabels::corrupt(&labels, 0.4, 10, 7);
        assert_eq!(noisy.group(true).len(), 400);
        let changed: Vec<usize> = (0..1000).filter(|&i| noisy.labels[i] != labels[i]).collect();
        assert!(changed.iter().all(|&i| noisy.noisy[i]));
        // A random label misses the true one 9 times in 10: about 360 of the 400 change.
        assert!((320..400).contains(&changed.len()), "{}", changed.len());
        let flagged = NoisyLabels::flag_only(&labels, 0.4, 7);
        assert_eq!((flagged.labels, flagged.noisy), (labels, noisy.noisy));
    }
}
