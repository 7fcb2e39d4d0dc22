//! The claims on 2-D Gaussian mixtures, each run at `--quick` size on three seeds and asserted
//! on the median, and beside each `claim_X` its `control_X`: the same experiment with the
//! claimed mechanism removed, asserting the claim does not hold there.
//!
//! Each test runs exactly the experiment the binary runs (`cargo run -p lecture-16-improved-gan
//! -- <experiment> --quick`). The runs of one experiment happen inside one `OnceLock`, one
//! after the other: they draw from the process-wide random generator, and runs in parallel
//! test threads would interleave their draws.

use lecture_16_improved_gan::experiments::{disjoint_supports, w1_tracking};
use shared::experiment::Run;
use shared::stats::median_of;
use std::sync::OnceLock;

const CRATE: &str = "lecture-16-improved-gan";
const SEEDS: [u64; 3] = [1, 2, 42];

fn disjoint_supports_runs() -> &'static [disjoint_supports::Outcome] {
    static RUNS: OnceLock<Vec<disjoint_supports::Outcome>> = OnceLock::new();
    RUNS.get_or_init(|| {
        Run::at_test_seeds(CRATE, &SEEDS, |run| {
            disjoint_supports::run(run, &disjoint_supports::Config::for_run(run)).unwrap()
        })
    })
}

/// Claim 2: against a frozen generator whose samples do not overlap the ring of 8, the WGAN-GP
/// critic keeps sending the generator a gradient (within an order of magnitude of its peak),
/// each fake pushed with strength ~1 along its optimal transport route.
#[test]
fn claim_2_the_critic_gives_a_gradient_on_disjoint_supports() {
    let runs = disjoint_supports_runs();
    let kept = median_of(runs, |o| o.wgan_gp.kept());
    let push = median_of(runs, |o| o.wgan_gp.last().sample_gradient_norm);
    let along = median_of(runs, |o| o.wgan_gp.last().along_the_plan);
    assert!(kept >= disjoint_supports::KEPT_FRACTION, "median kept {kept}");
    assert!((disjoint_supports::PUSH_AT_LEAST..2.0).contains(&push), "median push {push}");
    assert!(along >= disjoint_supports::ALONG_THE_PLAN, "median cosine {along}");
}

/// Control: the same network, optimiser and batches playing the minimax GAN: its generator's
/// gradient vanishes (below 1% of its peak, two orders below the claim's bound) and each fake
/// is pushed a thousand times less than by the critic.
#[test]
fn control_2_the_critic_gives_a_gradient_on_disjoint_supports() {
    let runs = disjoint_supports_runs();
    let kept = median_of(runs, |o| o.minimax.kept());
    let push = median_of(runs, |o| o.minimax.last().sample_gradient_norm);
    assert!(kept < disjoint_supports::VANISHED_FRACTION, "median kept {kept}");
    assert!(push < 1e-3 * disjoint_supports::PUSH_AT_LEAST, "median push {push}");
    assert!(runs.iter().all(|o| !o.minimax.holds_the_claim()));
}

fn w1_tracking_runs() -> &'static [w1_tracking::Outcome] {
    static RUNS: OnceLock<Vec<w1_tracking::Outcome>> = OnceLock::new();
    RUNS.get_or_init(|| {
        Run::at_test_seeds(CRATE, &SEEDS, |run| {
            w1_tracking::run(run, &w1_tracking::Config::for_run(run)).unwrap()
        })
    })
}

/// Claim 1: over training, the WGAN-GP critic's gap `E f(x) - E f(G(z))` follows the exact W1
/// between the generated and real points it is read on (Pearson correlation >= 0.9). Does not
/// reproduce at quick size (300 generator steps after 200 critic warm-up steps, batch 128,
/// Adam(1e-4, 0.5, 0.9)): correlation -0.576 / 0.287 / 0.103 on seeds 1 / 2 / 42. The critic
/// lags the moving generator: its gap swings below zero while the exact W1 swings between 0.9
/// and 3.2 (also at lr 3e-4 and 1e-3, and at 600 steps: -0.007 to 0.228).
#[test]
#[ignore = "does not reproduce at quick size: correlation of the critic's gap with W1 -0.58 / 0.29 / 0.10 (seeds 1 / 2 / 42)"]
fn claim_1_the_critic_tracks_the_exact_w1() {
    let correlation = median_of(w1_tracking_runs(), |o| o.wgan.correlation);
    assert!(correlation >= w1_tracking::TRACKS, "median correlation {correlation}");
}

/// Control: the standard GAN's discriminator loss, read on the same kind of batches, does not
/// follow W1 (|correlation| < 0.5). Measured: 0.523 / 0.452 / 0.391.
#[test]
#[ignore = "control of an ignored claim (claim 1 does not reproduce at quick size)"]
fn control_1_the_critic_tracks_the_exact_w1() {
    let correlation = median_of(w1_tracking_runs(), |o| o.gan.correlation);
    assert!(correlation.abs() < w1_tracking::SAYS_NOTHING, "median correlation {correlation}");
}
