//! Claim 2 at `--quick` size: the failing game of claim 1 played for real on the ring of 8, with
//! no remedy, with each of the lecture's remedies alone and with three together, over three
//! seeds; the medians over the seeds decide. One `remedies` run, shared by every test here.

use lecture_15_gan::experiments::remedies::{self, Arm, LEARNT_DISTANCE, Score, median_of};
use shared::experiment::Run;
use std::sync::OnceLock;

const CRATE: &str = "lecture-15-gan";

/// The quick remedies run on the ring: every arm, three seeds.
fn remedies_run() -> &'static remedies::Outcome {
    static OUTCOME: OnceLock<remedies::Outcome> = OnceLock::new();
    OUTCOME.get_or_init(|| {
        let run = Run::for_test(CRATE, 42);
        remedies::run(&run, &remedies::Config::for_run(&run)).unwrap()
    })
}

/// The medians over the seeds of `arm` on the ring: (median distance to a mode, late D
/// accuracy, modes covered).
fn ring(arm: Arm) -> (f64, f64, f64) {
    let scores: Vec<&Score> = remedies_run().of("ring", arm);
    (
        median_of(&scores, |s| s.median_distance),
        median_of(&scores, |s| s.late_d_accuracy),
        median_of(&scores, |s| s.modes_covered as f64),
    )
}

/// The generator of `arm` learnt: it reached the ring (median distance to a mode below
/// [`LEARNT_DISTANCE`]).
#[track_caller]
fn assert_learns(arm: Arm) {
    let (distance, d_accuracy, modes) = ring(arm);
    assert!(
        distance < LEARNT_DISTANCE,
        "{}: median distance {distance:.2}, late D accuracy {d_accuracy:.3}, modes {modes}",
        arm.name()
    );
}

/// Every control: the failing game without remedies, where D wins and the generator walks off
/// the data. Measured (the three seeds): median distance 8.94, 3.14, 1.24; late D accuracy
/// 1.000, 0.998, 0.983; no mode covered.
#[track_caller]
fn assert_no_remedy_fails() {
    let (distance, d_accuracy, modes) = ring(Arm::NoRemedy);
    assert!(
        distance > 2.0 * LEARNT_DISTANCE && d_accuracy > 0.95,
        "median distance {distance:.2}, D accuracy {d_accuracy:.3}, modes {modes}"
    );
}

/// Claim 2: the lecture's remedies together (decaying instance noise, label smoothing, a weaker
/// dropout D) restore learning in the failing game: the generator reaches the ring while D stays
/// beatable. Measured (three seeds): median distance 0.309, 0.325, 0.287; late D accuracy
/// 0.518, 0.532, 0.523.
#[test]
fn claim_2_remedies_restore_learning_on_the_ring() {
    assert_learns(Arm::Together);
    let (_, d_accuracy, _) = ring(Arm::Together);
    assert!(d_accuracy < 0.8, "late D accuracy {d_accuracy:.3}");
}

#[test]
fn control_2_remedies_restore_learning_on_the_ring() {
    assert_no_remedy_fails();
}

/// Claim 2, ablated: the weaker dropout discriminator alone restores learning, as well as the
/// three together: median distance 0.304, 0.260, 0.263 (late D accuracy 0.58, 0.59, 0.56).
#[test]
fn claim_2_weaker_discriminator_alone_restores_learning() {
    assert_learns(Arm::WeakerDiscriminator);
}

#[test]
fn control_2_weaker_discriminator_alone_restores_learning() {
    assert_no_remedy_fails();
}

/// Claim 2, ablated: label noise alone (10% of D's targets swapped) brings the generator onto
/// the ring: median distance 0.360, 0.399, 0.378, though D stays 93-94% accurate.
#[test]
fn claim_2_label_noise_alone_restores_learning() {
    assert_learns(Arm::LabelNoise);
}

#[test]
fn control_2_label_noise_alone_restores_learning() {
    assert_no_remedy_fails();
}

/// Claim 2, ablated: decaying instance noise alone. Does not reproduce in 1500 steps: the
/// generator comes near the ring but not onto it (median distance 0.607, 0.465, 0.729) and D
/// stays 97-98% accurate once the noise has decayed.
#[test]
#[ignore = "does not reproduce at quick size: instance noise alone, median distance 0.61 (bound 0.5), D accuracy 0.98"]
fn claim_2_instance_noise_alone_restores_learning() {
    assert_learns(Arm::InstanceNoise);
}

#[test]
#[ignore = "control of an ignored claim (instance noise alone does not reproduce at quick size)"]
fn control_2_instance_noise_alone_restores_learning() {
    assert_no_remedy_fails();
}

/// Claim 2, ablated: one-sided label smoothing alone. Does not reproduce: median distance
/// 3.189, 1.034, 1.365, D accuracy 0.98-1.00: smoothing caps D's confidence on real samples,
/// not its separation of the two.
#[test]
#[ignore = "does not reproduce at quick size: label smoothing alone, median distance 1.37, D accuracy 0.99"]
fn claim_2_label_smoothing_alone_restores_learning() {
    assert_learns(Arm::LabelSmoothing);
}

#[test]
#[ignore = "control of an ignored claim (label smoothing alone does not reproduce at quick size)"]
fn control_2_label_smoothing_alone_restores_learning() {
    assert_no_remedy_fails();
}

/// Claim 2b: trained well, a GAN with the remedies covers all 8 modes of the ring (a
/// well-trained GAN on this toy does). Does not reproduce: after 1500 steps the three seeds
/// cover 2, 0 and 3 modes (high-quality fraction 0.040, 0.014, 0.049, against 0.989 for true
/// samples); training longer did not help (6000 steps, seed 42: 1 mode, 0.035).
#[test]
#[ignore = "does not reproduce: the remedied GAN covers 2 of 8 modes (median of 3 seeds; 1 of 8 after 6000 steps)"]
fn claim_2b_remedies_cover_every_mode_of_the_ring() {
    let (_, _, modes) = ring(Arm::Together);
    assert!(modes >= 8.0, "modes covered {modes}");
}

/// Control: without remedies no mode is covered.
#[test]
#[ignore = "control of an ignored claim (claim 2b does not reproduce)"]
fn control_2b_remedies_cover_every_mode_of_the_ring() {
    let (_, _, modes) = ring(Arm::NoRemedy);
    assert!(modes < 8.0, "modes covered {modes}");
}
