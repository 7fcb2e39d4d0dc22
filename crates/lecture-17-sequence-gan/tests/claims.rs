//! Claims 1-3 in the oracle setting, each run at `--quick` size on seeds 1, 2 and 3 and decided
//! by the median (one adversarial trajectory decides little), each beside its negative control.
//!
//! Each test reads exactly the experiment the binary runs (`cargo run -p lecture-17-sequence-gan
//! -- oracle --quick --seed N`): the three runs happen once per test binary, one after the other,
//! inside one `OnceLock`, and every test reads them.

use lecture_17_sequence_gan::experiments::oracle::{
    self, Arm, BETTER_THAN_MLE, LOWER_TEMPERATURE, NO_COLLAPSE, Outcome, ROLLOUTS_BETTER_BY,
    TEMPERATURE_TRADE, VARIANCE_RATIO,
};
use lecture_17_sequence_gan::experiments::oracle_report::at;
use shared::experiment::Run;
use shared::stats::median_of;
use std::sync::OnceLock;

const CRATE: &str = "lecture-17-sequence-gan";
const SEEDS: [u64; 3] = [1, 2, 3];

fn runs() -> &'static [Outcome] {
    static RUNS: OnceLock<Vec<Outcome>> = OnceLock::new();
    RUNS.get_or_init(|| {
        Run::at_test_seeds(CRATE, &SEEDS, |run| oracle::run(run, &oracle::Config::for_run(run)).unwrap())
    })
}

/// `arm`'s final oracle NLL minus the MLE arm's, per seed.
fn oracle_gain(o: &Outcome, arm: Arm) -> f64 {
    o.of(arm).oracle - o.of(Arm::Mle).oracle
}

/// Claim 1: after MLE pre-training, SeqGAN's oracle NLL ends below MLE's, and not by collapsing
/// onto a few sentences (its held-out NLL stays near MLE's). Measured (quick, seeds 1-3):
/// SeqGAN - MLE = -0.023, -0.035, -0.061 nats per token (median -0.035); held-out NLL +0.006,
/// +0.014, +0.012.
#[test]
fn claim_1_seqgan_lowers_the_oracle_nll_below_mle() {
    let gain = median_of(runs(), |o| oracle_gain(o, Arm::SeqGan));
    assert!(gain < -BETTER_THAN_MLE, "median SeqGAN - MLE {gain}");
    let spread = median_of(runs(), |o| o.of(Arm::SeqGan).held_out - o.of(Arm::Mle).held_out);
    assert!(spread < NO_COLLAPSE, "median held-out NLL SeqGAN - MLE {spread}: collapsed");
}

/// Control: the same game with the discriminator's verdict replaced by a uniform random number:
/// updates of the same form and size carry no information, and the oracle NLL does not beat
/// MLE's (measured: random - MLE = +0.046, +0.095, -0.005; median +0.046).
#[test]
fn control_1_seqgan_lowers_the_oracle_nll_below_mle() {
    let gain = median_of(runs(), |o| oracle_gain(o, Arm::RandomReward));
    assert!(gain > -BETTER_THAN_MLE, "median random reward - MLE {gain}");
}

/// Claim 2: Monte Carlo roll-outs (4 per prefix) lower the policy gradient's variance: the
/// whole-sentence reward's total variance over 12 batches (the same sentences) is 1.36-1.47
/// times the roll-outs' on seeds 1-3.
#[test]
fn claim_2_rollouts_lower_the_policy_gradients_variance() {
    let ratio = median_of(runs(), |o| {
        o.whole_sentence_credit.spread.total_variance / o.rollout_credit.spread.total_variance
    });
    assert!(ratio > VARIANCE_RATIO, "median variance ratio whole sentence / roll-outs {ratio}");
}

/// Control: one roll-out per prefix keeps the per-token credit but drops the Monte Carlo
/// average: its variance is not below the whole-sentence reward's (ratios 1.03, 0.93, 0.98).
#[test]
fn control_2_rollouts_lower_the_policy_gradients_variance() {
    let ratio = median_of(runs(), |o| {
        o.whole_sentence_credit.spread.total_variance / o.single_rollout_credit.spread.total_variance
    });
    assert!(ratio < VARIANCE_RATIO, "median variance ratio whole sentence / one roll-out {ratio}");
}

/// Claim 2b: ... and a better oracle NLL than the whole-sentence reward at the end of the game.
#[test]
#[ignore = "does not reproduce at quick size: SeqGAN - whole-sentence oracle NLL = -0.006, -0.030, +0.001 (seeds 1-3, median -0.006 against the claimed < -0.01)"]
fn claim_2b_rollouts_end_at_a_better_oracle_nll() {
    let gap = median_of(runs(), |o| o.of(Arm::SeqGan).oracle - o.of(Arm::WholeSentence).oracle);
    assert!(gap < -ROLLOUTS_BETTER_BY, "median SeqGAN - whole-sentence {gap}");
}

/// Control of 2b: with a random reward the credit scheme cannot matter.
#[test]
#[ignore = "its claim (2b) does not reproduce at quick size"]
fn control_2b_rollouts_end_at_a_better_oracle_nll() {
    let gap = median_of(runs(), |o| o.of(Arm::RandomReward).oracle - o.of(Arm::WholeSentence).oracle);
    assert!(gap > -ROLLOUTS_BETTER_BY, "median random - whole-sentence {gap}");
}

/// Claim 3 (Caccia et al. 2020): lowering the MLE model's temperature to 0.8 buys oracle NLL at
/// a cost in held-out NLL. Measured (seeds 1-3): oracle NLL -0.48, -0.56, -0.59; held-out NLL
/// +0.080, +0.085, +0.083.
#[test]
fn claim_3_a_lower_temperature_trades_diversity_for_quality() {
    let quality = median_of(runs(), |o| {
        at(&o.mle_temperatures, LOWER_TEMPERATURE).oracle - at(&o.mle_temperatures, 1.0).oracle
    });
    let diversity = median_of(runs(), |o| {
        at(&o.mle_temperatures, LOWER_TEMPERATURE).held_out - at(&o.mle_temperatures, 1.0).held_out
    });
    assert!(quality < -TEMPERATURE_TRADE, "oracle NLL change {quality}");
    assert!(diversity > TEMPERATURE_TRADE, "held-out NLL change {diversity}");
}

/// Control: the same sweep on an untrained generator, which has learned nothing of the oracle to
/// sharpen: lowering its temperature buys no oracle NLL (-0.001, +0.000, -0.018).
#[test]
fn control_3_a_lower_temperature_trades_diversity_for_quality() {
    let quality = median_of(runs(), |o| {
        at(&o.untrained_temperatures, LOWER_TEMPERATURE).oracle - at(&o.untrained_temperatures, 1.0).oracle
    });
    assert!(quality > -TEMPERATURE_TRADE, "untrained oracle NLL change {quality}");
}
