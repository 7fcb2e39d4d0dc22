//! Claim 3b at `--quick` size: three quick `ablation` runs (seeds 1, 2, 3), each training three
//! CapsNets from the same start on the same batches (3 passes with the reconstruction loss,
//! without it, and 1 pass), shared by the claim and its control; the medians over the seeds
//! decide.

use lecture_12_capsule::experiments::ablation::{self, Variant};
use shared::experiment::Run;
use shared::stats::median;
use std::sync::OnceLock;

const CRATE: &str = "lecture-12-capsule";

/// The seeds of the quick runs.
const SEEDS: [u64; 3] = [1, 2, 3];

/// The variants of each quick ablation run, run once per test process.
fn ablation_runs() -> &'static [Vec<Variant>] {
    static VARIANTS: OnceLock<Vec<Vec<Variant>>> = OnceLock::new();
    VARIANTS.get_or_init(|| {
        SEEDS
            .iter()
            .map(|&seed| {
                let run = Run::for_test(CRATE, seed);
                ablation::run(&run, &ablation::Config::for_run(&run))
                    .expect("the quick ablation run")
                    .variants
            })
            .collect()
    })
}

/// The median over the seeds of the test accuracy of the variant with `iterations` passes and
/// with (or without) the reconstruction loss.
fn median_accuracy(iterations: usize, reconstruction: bool) -> f64 {
    let accuracies: Vec<f64> = ablation_runs()
        .iter()
        .map(|variants| {
            let variant = variants
                .iter()
                .find(|v| v.iterations == iterations && (v.reconstruction_weight > 0.0) == reconstruction)
                .expect("the variant is trained");
            variant.accuracy
        })
        .collect();
    median(&accuracies)
}

/// Claim 3b: the reconstruction loss regularises: the CapsNet trained with it classifies better
/// than the same CapsNet without it (the paper: 0.25% vs 0.35% error). Does not reproduce at
/// quick size: 0.886, 0.922, 0.904 with against 0.886, 0.920, 0.904 without (seeds 1, 2, 3, 80
/// steps); the default run 96.64% vs 96.56% (README), within the noise of one seed.
#[test]
#[ignore = "does not reproduce at quick size: 0.904 with vs 0.904 without the reconstruction loss (median of seeds 1-3)"]
fn claim_3b_the_reconstruction_loss_regularises() {
    let (with, without) = (median_accuracy(3, true), median_accuracy(3, false));
    assert!(with > without + 0.005, "test accuracy with {with:.4}, without {without:.4}");
}

/// Control: the arm without the reconstruction loss does not beat the arm with it.
#[test]
#[ignore = "control of an ignored claim (claim 3b does not reproduce at quick size)"]
fn control_3b_the_reconstruction_loss_regularises() {
    let (with, without) = (median_accuracy(3, true), median_accuracy(3, false));
    assert!(without < with + 0.005, "test accuracy with {with:.4}, without {without:.4}");
}
