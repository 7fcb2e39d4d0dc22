//! Seeded shuffling and mini-batching of item indices.
//!
//! The order of an epoch depends only on the seed and the epoch number, so a run can be
//! repeated exactly and resumed at any epoch.

use anyhow::{Result, bail};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

/// Mini-batches of the indices `0..n_items`, reshuffled every epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Batches {
    n_items: usize,
    batch_size: usize,
    seed: u64,
    drop_last: bool,
}

impl Batches {
    /// Batches of `batch_size` indices; with `drop_last`, a smaller final batch is left out.
    pub fn new(n_items: usize, batch_size: usize, seed: u64, drop_last: bool) -> Result<Batches> {
        if batch_size == 0 {
            bail!("batch size must be at least 1");
        }
        Ok(Batches { n_items, batch_size, seed, drop_last })
    }

    /// The number of batches in every epoch.
    pub fn batches_per_epoch(&self) -> usize {
        if self.drop_last { self.n_items / self.batch_size } else { self.n_items.div_ceil(self.batch_size) }
    }

    /// The shuffled order of epoch `epoch`; iterate over `&epoch` for its batches.
    pub fn epoch(&self, epoch: u64) -> Epoch {
        let mut order: Vec<usize> = (0..self.n_items).collect();
        order.shuffle(&mut rng_for(self.seed, epoch));
        order.truncate(self.batches_per_epoch() * self.batch_size);
        Epoch { order, batch_size: self.batch_size }
    }
}

/// One epoch: a permutation of the items (without the dropped tail) cut into batches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Epoch {
    order: Vec<usize>,
    batch_size: usize,
}

impl Epoch {
    /// The indices of this epoch in the order they are visited.
    pub fn order(&self) -> &[usize] {
        &self.order
    }

    /// The batches, each a slice of indices.
    pub fn iter(&self) -> std::slice::Chunks<'_, usize> {
        self.order.chunks(self.batch_size)
    }
}

impl<'a> IntoIterator for &'a Epoch {
    type Item = &'a [usize];
    type IntoIter = std::slice::Chunks<'a, usize>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// A generator for (seed, epoch): the seed in the first 8 bytes of the key, the epoch in the
/// next 8, so different pairs never share a stream.
fn rng_for(seed: u64, epoch: u64) -> StdRng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&epoch.to_le_bytes());
    StdRng::from_seed(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn batches_of(batches: &Batches, epoch: u64) -> Vec<Vec<usize>> {
        batches.epoch(epoch).iter().map(<[usize]>::to_vec).collect()
    }

    #[test]
    fn every_item_appears_once_per_epoch() {
        let batches = Batches::new(10, 3, 7, false).unwrap();
        let sizes: Vec<usize> = batches_of(&batches, 0).iter().map(Vec::len).collect();
        assert_eq!(sizes, vec![3, 3, 3, 1]);
        let mut seen = batches.epoch(0).order().to_vec();
        seen.sort_unstable();
        assert_eq!(seen, (0..10).collect::<Vec<_>>());
    }

    #[test]
    fn drop_last_leaves_out_the_short_batch() {
        let batches = Batches::new(10, 3, 7, true).unwrap();
        assert_eq!(batches.batches_per_epoch(), 3);
        assert!(batches_of(&batches, 0).iter().all(|b| b.len() == 3));
        assert_eq!(Batches::new(2, 3, 7, true).unwrap().epoch(0).iter().count(), 0);
    }

    #[test]
    fn order_depends_only_on_seed_and_epoch() {
        let a = Batches::new(50, 8, 1, false).unwrap();
        let b = Batches::new(50, 8, 1, false).unwrap();
        assert_eq!(batches_of(&a, 3), batches_of(&b, 3));
        assert_ne!(a.epoch(3).order(), a.epoch(4).order());
        assert_ne!(a.epoch(0).order(), Batches::new(50, 8, 2, false).unwrap().epoch(0).order());
        assert_ne!(a.epoch(0).order(), (0..50).collect::<Vec<_>>(), "shuffled, not in order");
    }

    #[test]
    fn zero_batch_size_is_an_error() {
        assert!(Batches::new(10, 0, 0, false).unwrap_err().to_string().contains("batch size"));
    }

    proptest! {
        #[test]
        fn batches_cover_the_items_exactly(
            n in 0usize..200,
            size in 1usize..20,
            seed in any::<u64>(),
            epoch in 0u64..5,
        ) {
            let batches = Batches::new(n, size, seed, false).unwrap();
            let epoch = batches.epoch(epoch);
            prop_assert_eq!(epoch.iter().count(), batches.batches_per_epoch());
            let mut seen: Vec<usize> = epoch.iter().flatten().copied().collect();
            seen.sort_unstable();
            prop_assert_eq!(seen, (0..n).collect::<Vec<_>>());
        }
    }
}
