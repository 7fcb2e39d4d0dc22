//! Sub-seeds: one run seed, many independent random streams (weights of each model, the
//! training batches, the test set, ...), derived by hashing instead of by addition.
//!
//! `seed + 1` overflows at `--seed 18446744073709551615` and makes neighbouring runs share
//! streams (run 0's second model is run 1's first); a hash does neither.

/// The 64-bit golden ratio `2^64 / φ`, odd: SplitMix64's increment.
const GOLDEN_GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

/// The seed of random stream `stream` of a run seeded with `seed`:
///
/// `sub_seed(seed, stream) = m(m(seed) ⊕ γ·(stream + 1))`, all mod 2^64,
///
/// with `γ` = [`GOLDEN_GAMMA`] and `m` the SplitMix64 finaliser ([`mix`]). `m` and
/// multiplication by the odd `γ` are bijections of the 64-bit integers, so for a fixed seed
/// distinct streams give distinct sub-seeds, and for a fixed stream distinct seeds do; the
/// finaliser's avalanche makes neighbouring seeds or streams give unrelated sub-seeds. Never
/// overflows: all arithmetic wraps.
/// Give each use its own named stream constant; nest calls for a family of streams
/// (`sub_seed(sub_seed(seed, BATCHES), step)`).
pub fn sub_seed(seed: u64, stream: u64) -> u64 {
    mix(mix(seed) ^ stream.wrapping_add(1).wrapping_mul(GOLDEN_GAMMA))
}

/// The stream whose sub-streams are the training batches: no lecture names a stream this large.
const BATCHES: u64 = u64::MAX;

/// The seed of training batch `step` of a run seeded `seed`: stream `step` of the run's batch
/// streams, `sub_seed(sub_seed(seed, BATCHES), step)`, so batches never share a stream with each
/// other or with a lecture's named streams (test sets, weights, ...).
pub fn batch_seed(seed: u64, step: u64) -> u64 {
    sub_seed(sub_seed(seed, BATCHES), step)
}

/// SplitMix64's finaliser (Steele, Lea and Flood 2014): a bijection of the 64-bit integers in
/// which every input bit flips each output bit with probability close to 1/2.
fn mix(z: u64) -> u64 {
    let z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    let z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_largest_seed_and_stream_do_not_overflow() {
        for (seed, stream) in [(u64::MAX, 0), (u64::MAX, u64::MAX), (0, u64::MAX), (u64::MAX - 1, 1)] {
            let _ = sub_seed(seed, stream);
        }
        assert_ne!(sub_seed(u64::MAX, 0), sub_seed(u64::MAX, 1));
    }

    #[test]
    fn neighbouring_seeds_and_streams_give_distinct_seeds() {
        let seeds = [0, 1, 2, 41, 42, 43, u64::MAX - 1, u64::MAX];
        let derived: HashSet<u64> =
            seeds.iter().flat_map(|&seed| (0..64).map(move |stream| sub_seed(seed, stream))).collect();
        assert_eq!(derived.len(), seeds.len() * 64, "every (seed, stream) pair gets its own seed");
        assert!(seeds.iter().all(|s| !derived.contains(s)), "no sub-seed is one of the run seeds");
    }

    #[test]
    fn neighbours_differ_in_about_half_their_bits() {
        let flips = |a: u64, b: u64| (a ^ b).count_ones();
        let by_seed: u32 = (0..256).map(|s| flips(sub_seed(s, 7), sub_seed(s + 1, 7))).sum();
        let by_stream: u32 = (0..256).map(|k| flips(sub_seed(42, k), sub_seed(42, k + 1))).sum();
        for total in [by_seed, by_stream] {
            let mean = f64::from(total) / 256.0;
            assert!((28.0..36.0).contains(&mean), "mean bits flipped {mean}, expected about 32");
        }
    }

    #[test]
    fn batch_seeds_are_their_own_family() {
        let batches: HashSet<u64> = (0..1000).map(|step| batch_seed(42, step)).collect();
        assert_eq!(batches.len(), 1000);
        assert!((0..1000).all(|stream| !batches.contains(&sub_seed(42, stream))));
        assert_ne!(batch_seed(u64::MAX, u64::MAX), batch_seed(u64::MAX, 0));
    }

    #[test]
    fn the_same_seed_and_stream_give_the_same_sub_seed() {
        assert_eq!(sub_seed(42, 3), sub_seed(42, 3));
        // m(0) = 0, so sub_seed(0, 0) = m(γ): SplitMix64's well-known first output from state 0.
        assert_eq!(sub_seed(0, 0), 0xe220_a839_7b1d_cdaf);
        // Pinned: a change of the formula changes every experiment's numbers.
        assert_eq!(sub_seed(42, 3), 0xd00f_f2cd_1798_bc5a);
    }
}
