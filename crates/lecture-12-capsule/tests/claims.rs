//! The lecture's claims at `--quick` size: the same experiment code as `cargo run`, fixed seeds.
//!
//! One quick `digits` run (CapsNet and CNN, 150 steps each on shifted digits of the MNIST
//! subset) is shared by the claim tests below: it is the expensive part, and every claim reads
//! a different number of the same trained models.

use lecture_12_capsule::experiments::digits::{self, Measured};
use shared::experiment::Run;
use std::sync::OnceLock;

const CRATE: &str = "lecture-12-capsule";

/// The quick digits run with seed 1, run once per test process.
fn digits_run() -> &'static Measured {
    static MEASURED: OnceLock<Measured> = OnceLock::new();
    MEASURED.get_or_init(|| {
        let run = Run::for_test(CRATE, 1);
        digits::run(&run, &digits::Config::for_run(&run)).expect("the quick digits run").measured
    })
}

/// Claim 1: the lengths of the digit capsules classify. Seed 1 measured 0.947 (CNN 0.918)
/// after 150 steps; chance is 0.1.
#[test]
fn claim_1_capsule_lengths_classify_digits() {
    let m = digits_run();
    assert!(m.capsnet_accuracy > 0.90, "CapsNet test accuracy {:.4}", m.capsnet_accuracy);
}

/// Claim 2: moving a dimension of the winning capsule changes the decoded digit (the
/// pictures show how). Measured mean pixel change between delta -0.25 and +0.25, averaged over
/// the 16 dimensions: seed 1 0.0045 after 150 steps, 0.009-0.066 per dimension in
/// the default run; a decoder that ignored the capsule's pose would give 0.
#[test]
fn claim_2_capsule_dimensions_change_the_decode() {
    let m = digits_run();
    assert_eq!(m.dimension_change.len(), 16);
    let mean = m.dimension_change.iter().sum::<f64>() / 16.0;
    assert!(mean > 0.002, "per-dimension decode change {:?}", m.dimension_change);
}

/// Claim 3: the winning capsule alone is enough to redraw the input: closer than the mean
/// training digit and than a wrong class's capsule (squared error per image, first 100 test
/// digits). After 150 steps the decoder has only begun to leave the class prototype: seed 1
/// measured 49.5 against 51.0 (mean digit) and 51.5 (wrong capsule); the default run reaches
/// 39.0 against 51.0 and 51.7 (README). A decoder that ignored the capsule would sit at or above
/// the mean digit's error.
#[test]
fn claim_3_reconstructions_resemble_the_input() {
    let m = digits_run();
    assert!(
        m.reconstruction_error < m.mean_image_error - 1.0
            && m.reconstruction_error < m.wrong_capsule_error - 1.0,
        "reconstruction {:.2}, mean image {:.2}, wrong capsule {:.2}",
        m.reconstruction_error,
        m.mean_image_error,
        m.wrong_capsule_error
    );
}

// Claim 4 (a smaller accuracy loss than the CNN's on unseen affine transforms) is not
// asserted: it did not reproduce at this scale. Seed 1 at quick size lost 0.100 (CapsNet) vs
// 0.107 (CNN), the default run (seed 42) 0.041 vs 0.057, and 0.049 vs 0.047 with 800 steps: a
// lead that flips with the stopping step (README).

/// Claim 5, the mechanism: each routing pass sends a larger share of the primary capsules'
/// votes to the winning digit capsule (1 pass: uniform, 0.1). Seed 1 measured 0.100, 0.103,
/// 0.106; without the agreement update every pass would stay at 0.100.
#[test]
fn claim_5_routing_passes_concentrate_the_votes_on_the_winner() {
    let shares = &digits_run().coupling_to_winner;
    assert!((shares[0] - 0.1).abs() < 1e-4, "one pass is uniform: {shares:?}");
    assert!(shares[1] > shares[0] + 0.001 && shares[2] > shares[1] + 0.001, "{shares:?}");
}
