//! The lecture's claims at `--quick` size: the same experiment code as `cargo run`, fixed seeds.
//!
//! Three quick `digits` runs (seeds 1, 2, 3: CapsNet and CNN, 150 steps each on shifted digits
//! of the MNIST subset) are shared by the tests below, and every claim reads the median over
//! the seeds of one number of the trained models. Each `claim_X` has its `control_X`: the same
//! measurement where the claimed mechanism is missing (the CapsNet as initialised, a wrong
//! class's capsule, routing reduced to uniform coupling, the CNN), asserting the claim does not
//! hold there. Claims 3b and 5's accuracy part are in `claims_ablation.rs`.

use lecture_12_capsule::experiments::digits::{self, Measured};
use lecture_12_capsule::experiments::equivariance::Response;
use shared::experiment::Run;
use shared::stats::median;
use std::sync::OnceLock;

const CRATE: &str = "lecture-12-capsule";

/// The seeds of the quick runs.
const SEEDS: [u64; 3] = [1, 2, 3];

/// The quick digits runs, run once per test process.
fn digits_runs() -> &'static [Measured] {
    static MEASURED: OnceLock<Vec<Measured>> = OnceLock::new();
    MEASURED.get_or_init(|| {
        SEEDS
            .iter()
            .map(|&seed| {
                let run = Run::for_test(CRATE, seed);
                digits::run(&run, &digits::Config::for_run(&run)).expect("the quick digits run").measured
            })
            .collect()
    })
}

/// The median over the seeds of `number`.
fn median_of(number: impl Fn(&Measured) -> f64) -> f64 {
    median(&digits_runs().iter().map(number).collect::<Vec<f64>>())
}

/// The mean over the 16 dimensions of the decode change.
fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

/// Claim 1: the lengths of the digit capsules classify. Seeds 1, 2, 3 measured 0.950, 0.926,
/// 0.926 after 150 steps (CNN 0.926, 0.903, 0.942).
#[test]
fn claim_1_capsule_lengths_classify_digits() {
    let accuracy = median_of(|m| m.capsnet_accuracy);
    assert!(accuracy > 0.90, "CapsNet test accuracy {accuracy:.4} (median of {SEEDS:?})");
}

/// Control: the same CapsNet as initialised, nothing learnt: 0.085, 0.093, 0.082 (chance 0.1).
#[test]
fn control_1_capsule_lengths_classify_digits() {
    let accuracy = median_of(|m| m.untrained_capsnet_accuracy);
    assert!(accuracy < 0.2, "untrained CapsNet test accuracy {accuracy:.4} (median of {SEEDS:?})");
}

/// Claim 2: moving a dimension of the winning capsule changes the decoded digit (the pictures
/// show how). Mean pixel change between delta -0.25 and +0.25, averaged over the 16
/// dimensions: 0.0046, 0.0049, 0.0044 after 150 steps (0.009-0.066 per dimension in the
/// default run).
#[test]
fn claim_2_capsule_dimensions_change_the_decode() {
    let change = median_of(|m| mean(&m.dimension_change));
    assert!(change > 0.003, "mean decode change per dimension {change:.4} (median of {SEEDS:?})");
}

/// Control: the CapsNet as initialised, whose decoder never learnt to read the capsule:
/// 0.001 for every seed.
#[test]
fn control_2_capsule_dimensions_change_the_decode() {
    let change = median_of(|m| mean(&m.untrained_dimension_change));
    assert!(change < 0.002, "untrained decode change per dimension {change:.4} (median of {SEEDS:?})");
}

/// How consistently the true class's capsule (or the CNN's features) moves under the 10-degree
/// rotation of [`MOVES`](lecture_12_capsule::experiments::equivariance::MOVES).
fn rotation(moves: &[Response]) -> f64 {
    moves[0].consistency
}

/// Claim 2b, equivariance: when every digit turns by 10 degrees, the pose of its capsule moves
/// the same way for every digit of a class, more consistently than the CNN's hidden features
/// move. Does not reproduce at quick size: capsule 0.619, 0.637, 0.612 against CNN 0.676,
/// 0.661, 0.659 (seeds 1, 2, 3; random directions would give about 0.32; under a 2 px shift
/// capsule 0.716, 0.725, 0.707 against CNN 0.736, 0.764, 0.745). Both representations move
/// consistently; the capsules' do not move more so.
#[test]
#[ignore = "does not reproduce at quick size: rotation consistency capsule 0.62 vs CNN 0.68 (median of seeds 1-3)"]
fn claim_2b_capsule_poses_move_with_the_input() {
    let (capsule, cnn) = (median_of(|m| rotation(&m.capsule_moves)), median_of(|m| rotation(&m.cnn_moves)));
    assert!(capsule > cnn + 0.05, "rotation consistency: capsule {capsule:.3}, CNN {cnn:.3}");
}

/// Control: the CapsNet as initialised (no learnt part-whole matrices `W_ij`) is no more
/// consistent than the CNN: 0.436, 0.449, 0.479 against 0.676, 0.661, 0.659. (Training does
/// make the capsules' moves more consistent, from 0.45 to 0.62, but not more than the CNN's.)
#[test]
#[ignore = "control of an ignored claim (claim 2b does not reproduce at quick size)"]
fn control_2b_capsule_poses_move_with_the_input() {
    let capsule = median_of(|m| rotation(&m.untrained_capsule_moves));
    let cnn = median_of(|m| rotation(&m.cnn_moves));
    assert!(capsule < cnn + 0.05, "rotation consistency: untrained capsule {capsule:.3}, CNN {cnn:.3}");
}

/// Claim 3a: the winning capsule alone is enough to redraw the input: closer than the mean
/// training digit (squared error per image, first 100 test digits). After 150 steps the decoder
/// has only begun to leave the class prototypes: 49.27, 49.21, 49.15 against 51.00 (mean digit);
/// the default run reaches 39.0 against 51.0 (README).
#[test]
fn claim_3a_reconstructions_resemble_the_input() {
    let (error, mean_image) = (median_of(|m| m.reconstruction_error), median_of(|m| m.mean_image_error));
    assert!(error < mean_image - 1.0, "reconstruction {error:.2}, mean image {mean_image:.2}");
}

/// Control: decoding a wrong class's capsule instead (the input's pose removed): 51.33, 51.23,
/// 51.05, no closer than the mean digit.
#[test]
fn control_3a_reconstructions_resemble_the_input() {
    let (error, mean_image) = (median_of(|m| m.wrong_capsule_error), median_of(|m| m.mean_image_error));
    assert!(error > mean_image - 1.0, "wrong capsule {error:.2}, mean image {mean_image:.2}");
}

/// The accuracy lost from the clean to the affine test digits.
fn capsnet_drop(m: &Measured) -> f64 {
    m.capsnet_accuracy - m.capsnet_affine_accuracy
}

fn cnn_drop(m: &Measured) -> f64 {
    m.cnn_accuracy - m.cnn_affine_accuracy
}

/// Claim 4: the CapsNet loses less accuracy than the CNN on affine transforms it never saw.
/// Does not reproduce: drops 0.099, 0.106, 0.111 (CapsNet) against 0.100, 0.126, 0.103 (CNN)
/// at quick size; the default run 0.041 vs 0.057, but 0.049 vs 0.047 with 800 steps (README).
#[test]
#[ignore = "does not reproduce at quick size: affine drop CapsNet 0.106 vs CNN 0.103 (median of seeds 1-3)"]
fn claim_4_capsules_generalise_to_unseen_affine_transforms() {
    let (capsnet, cnn) = (median_of(capsnet_drop), median_of(cnn_drop));
    assert!(capsnet < cnn - 0.01, "affine drop: CapsNet {capsnet:.4}, CNN {cnn:.4}");
}

/// Control: the weak arm, the CNN without capsules, does not lose less than the CapsNet.
#[test]
#[ignore = "control of an ignored claim (claim 4 does not reproduce at quick size)"]
fn control_4_capsules_generalise_to_unseen_affine_transforms() {
    let (capsnet, cnn) = (median_of(capsnet_drop), median_of(cnn_drop));
    assert!(cnn > capsnet - 0.01, "affine drop: CapsNet {capsnet:.4}, CNN {cnn:.4}");
}

/// Claim 5, the mechanism: each routing pass sends a larger share of the primary capsules'
/// votes to the winning digit capsule: 0.100, 0.103, 0.106 for every seed.
#[test]
fn claim_5_routing_passes_concentrate_the_votes_on_the_winner() {
    let share = |pass: usize| median_of(|m| m.coupling_to_winner[pass]);
    let shares = [share(0), share(1), share(2)];
    assert!(shares[1] > shares[0] + 0.001 && shares[2] > shares[1] + 0.001, "{shares:?}");
}

/// Control: routing reduced to uniform coupling (one pass, no agreement update) leaves the
/// winner its tenth: 0.100 for every seed.
#[test]
fn control_5_routing_passes_concentrate_the_votes_on_the_winner() {
    let uniform = median_of(|m| m.coupling_to_winner[0]);
    assert!(uniform < 0.1 + 0.001, "uniform coupling's share of the winner {uniform:.4}");
}
