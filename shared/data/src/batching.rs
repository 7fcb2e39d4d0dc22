//! Seeded shuffling and mini-batching of item indices.
//!
//! The order of an epoch depends only on the seed and the epoch number, so a run can be
//! repeated exactly; [`BatchStream`] serves them one per training step.

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
    /// An epoch without a batch (no items, or fewer than one batch with `drop_last`) is an
    /// error: a loop over epochs would never reach its step count.
    pub fn new(n_items: usize, batch_size: usize, seed: u64, drop_last: bool) -> Result<Batches> {
        if batch_size == 0 {
            bail!("batch size must be at least 1");
        }
        if n_items == 0 || (drop_last && n_items < batch_size) {
            bail!("a batch of {batch_size} needs at least {batch_size} items, there are {n_items}");
        }
        Ok(Batches { n_items, batch_size, seed, drop_last })
    }

    /// One batch per training step, epoch after epoch: see [`BatchStream`].
    pub fn stream(self) -> BatchStream {
        BatchStream { batches: self, current: None }
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

/// The batches of [`Batches`] as one endless sequence, addressed by training step: step `s`
/// gets batch `s mod B` of epoch `s div B` (`B` batches per epoch). The current epoch's order
/// is kept, so stepping through costs one shuffle per epoch.
#[derive(Clone, Debug)]
pub struct BatchStream {
    batches: Batches,
    current: Option<(u64, Epoch)>,
}

impl BatchStream {
    /// The indices of training step `step`'s batch.
    pub fn at(&mut self, step: u64) -> &[usize] {
        let per_epoch = self.batches.batches_per_epoch() as u64;
        let (epoch, index) = (step / per_epoch, (step % per_epoch) as usize);
        if self.current.as_ref().is_none_or(|(e, _)| *e != epoch) {
            self.current = Some((epoch, self.batches.epoch(epoch)));
        }
        let (_, order) = self.current.as_ref().expect("set just above");
        order.iter().nth(index).expect("index < batches per epoch")
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
    }

    #[test]
    fn an_epoch_without_a_batch_is_an_error_not_an_endless_loop() {
        let message = Batches::new(2, 3, 7, true).unwrap_err().to_string();
        assert!(message.contains("batch of 3 needs at least 3 items, there are 2"), "{message}");
        assert!(Batches::new(0, 3, 7, false).is_err());
        assert_eq!(Batches::new(2, 3, 7, false).unwrap().batches_per_epoch(), 1);
    }

    #[test]
    fn the_stream_walks_epoch_after_epoch() {
        let batches = Batches::new(10, 3, 7, true).unwrap();
        let mut stream = batches.stream();
        let walked: Vec<Vec<usize>> = (0..7).map(|step| stream.at(step).to_vec()).collect();
        let expected: Vec<Vec<usize>> =
            (0..3).flat_map(|epoch| batches_of(&batches, epoch)).take(7).collect();
        assert_eq!(walked, expected);
        assert_eq!(stream.at(1), expected[1].as_slice(), "an earlier step is served again");
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
            n in 1usize..200,
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
