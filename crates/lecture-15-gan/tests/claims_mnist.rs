//! The lecture's claims on MNIST digits (14x14), each run at `--quick` size with a fixed seed,
//! each `claim_X` beside its `control_X` (the same experiment with the claimed mechanism
//! removed, asserting the claim does not hold there).
//!
//! Each test runs exactly the experiment the binary runs (`cargo run -p lecture-15-gan --
//! <experiment> --quick`). The three runs happen one after the other inside one `OnceLock`: they
//! draw from the process-wide random generator, and runs in parallel test threads would
//! interleave their draws and change each other's trajectories.

use lecture_15_gan::experiments::{conditional, vae_vs_gan};
use shared::experiment::Run;
use std::sync::OnceLock;

const CRATE: &str = "lecture-15-gan";

/// The quick runs of this file, once per test process.
struct Runs {
    vae_vs_gan: vae_vs_gan::Outcome,
    conditional: conditional::Outcome,
    label_blind: conditional::Outcome,
}

fn runs() -> &'static Runs {
    static RUNS: OnceLock<Runs> = OnceLock::new();
    RUNS.get_or_init(|| {
        let run = Run::for_test(CRATE, 42);
        Runs {
            vae_vs_gan: vae_vs_gan::run(&run, &vae_vs_gan::Config::for_run(&run)).unwrap(),
            conditional: conditional::run(&run, &conditional::Config::for_run(&run)).unwrap(),
            label_blind: conditional::run(&run, &conditional::Config::label_blind_discriminator(&run))
                .unwrap(),
        }
    })
}

/// Claim 3: the GAN's digits are sharp, like real ones. The VAE and the GAN both train 3000
/// steps of 64 digits. Measured (seed 42, flex): gradient energy real 0.129, VAE 0.057, GAN
/// 0.138; classifier test accuracy 0.932.
#[test]
fn claim_3_gan_digits_are_sharper_than_vae_digits() {
    let outcome = &runs().vae_vs_gan;
    let (real, vae, gan) = (&outcome.real, &outcome.vae, &outcome.gan);
    assert!(outcome.classifier_accuracy > 0.9, "{}", outcome.classifier_accuracy);
    assert!(gan.sharpness > 0.6 * real.sharpness, "GAN {gan:?} real {real:?}");
    assert!(gan.sharpness > 2.0 * vae.sharpness, "GAN {gan:?} VAE {vae:?}");
    assert_eq!(gan.classes_seen, 10, "no digit class is missing from the GAN's samples");
}

/// Control: the VAE, a decoder from noise trained on the pixel loss instead of a
/// discriminator's verdict, with the same budget: its digits are blurred, 0.057 against 0.129
/// for real digits, below the 0.6 of the real sharpness the GAN clears.
#[test]
fn control_3_gan_digits_are_sharper_than_vae_digits() {
    let outcome = &runs().vae_vs_gan;
    let (real, vae) = (&outcome.real, &outcome.vae);
    assert!(vae.sharpness < 0.6 * real.sharpness, "VAE {vae:?} real {real:?}");
}

/// Claim 3b: the classifier reads most GAN digits as confident digits (top probability >= 0.9),
/// and clearly more than the VAE's. Does not reproduce at quick size once the VAE trains as
/// long as the GAN: GAN 0.482, VAE 0.432 (real test digits 0.848; the AE 0.378). With half the
/// steps the VAE had reached 0.32.
#[test]
#[ignore = "does not reproduce at quick size: confident GAN digits 0.48 (not most), VAE 0.43 with the same budget"]
fn claim_3b_the_classifier_reads_most_gan_digits_as_digits() {
    let (gan, vae) = (&runs().vae_vs_gan.gan, &runs().vae_vs_gan.vae);
    assert!(gan.confident_fraction > 0.5, "{gan:?}");
    assert!(gan.confident_fraction > vae.confident_fraction + 0.1, "GAN {gan:?} VAE {vae:?}");
}

/// Control: the VAE's digits are not mostly confident ones (0.432).
#[test]
#[ignore = "control of an ignored claim (claim 3b does not reproduce at quick size)"]
fn control_3b_the_classifier_reads_most_gan_digits_as_digits() {
    let vae = &runs().vae_vs_gan.vae;
    assert!(vae.confident_fraction <= 0.5, "{vae:?}");
}

/// Claim 4: the conditional GAN draws the requested digit. Measured (seed 42, flex, 4000
/// steps): agreement 0.930 overall (claim: >= 0.9), per digit 0.82 (digit 2) to 1.00 (digits 6
/// and 7); classifier test accuracy 0.932.
#[test]
fn claim_4_conditional_gan_draws_the_requested_digit() {
    let outcome = &runs().conditional;
    assert!(outcome.classifier_accuracy > 0.9, "{}", outcome.classifier_accuracy);
    assert!(outcome.agreement >= 0.88, "agreement {}", outcome.agreement);
    let worst = outcome.agreement_by_class.iter().copied().fold(1.0, f64::min);
    assert!(worst >= 0.7, "every digit is drawn as asked most of the time: {:?}", outcome.agreement_by_class);
}

/// Control: the same GAN whose discriminator does not see the label, so nothing makes the
/// generator obey it: agreement 0.102 (per digit 0.06-0.18), chance.
#[test]
fn control_4_conditional_gan_draws_the_requested_digit() {
    let outcome = &runs().label_blind;
    assert!(outcome.agreement < 0.5, "agreement {}", outcome.agreement);
}
