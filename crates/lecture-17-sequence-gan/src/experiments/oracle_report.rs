//! The oracle experiment's results: the table, the claims with their measured numbers, and the
//! pictures (oracle NLL over training for each arm, the reward per position with and without
//! roll-outs, the quality-diversity curve).

use super::oracle::{
    Arm, BETTER_THAN_MLE, Config, LOWER_TEMPERATURE, NO_COLLAPSE, Outcome, ROLLOUTS_BETTER_BY,
    TEMPERATURE_TRADE, VARIANCE_RATIO,
};
use crate::temperature::{Score, held_out_at};
use anyhow::Result;
use shared::experiment::Run;
use shared::plot::{LineChart, ScatterPlot};
use shared::report::ExperimentRecord;

/// The score at `temperature` on `curve` (a temperature of the configuration).
pub fn at(curve: &[Score], temperature: f64) -> Score {
    *curve.iter().find(|s| (s.temperature - temperature).abs() < 1e-9).expect("a temperature of the sweep")
}

/// Prints the table, adds metrics and claims, draws the pictures, writes the record.
pub fn finish(run: &Run, config: &Config, mut outcome: Outcome) -> Result<Outcome> {
    print_table(config, &outcome);
    let view = outcome_view(&outcome);
    let scores: Vec<(&str, Score)> = std::iter::once(("pre-trained", outcome.pretrained))
        .chain(Arm::ALL.map(|a| (a.label(), outcome.of(a))))
        .collect();
    let record = &mut outcome.record;
    record.set_metric("oracle entropy", outcome.oracle_entropy);
    for (name, s) in scores {
        record.set_metric(format!("{name} oracle NLL"), s.oracle);
        record.set_metric(format!("{name} held-out NLL"), s.held_out);
    }
    for (name, credit) in [
        ("roll-outs", &outcome.rollout_credit),
        ("whole sentence", &outcome.whole_sentence_credit),
        ("one roll-out", &outcome.single_rollout_credit),
    ] {
        record.set_metric(format!("{name} gradient variance"), credit.spread.total_variance);
        record.set_metric(format!("{name} squared mean gradient"), credit.spread.mean_squared_norm);
    }
    for (name, curve) in [("MLE", &outcome.mle_temperatures), ("untrained", &outcome.untrained_temperatures)]
    {
        for s in curve {
            record.set_metric(format!("{name} at temperature {}: oracle NLL", s.temperature), s.oracle);
            record.set_metric(format!("{name} at temperature {}: held-out NLL", s.temperature), s.held_out);
        }
    }
    add_claims(record, &view);
    draw(run, config, &mut outcome)?;
    run.finish(&mut outcome.record)?;
    Ok(outcome)
}

/// The numbers the claims read.
struct View {
    mle: Score,
    seqgan: Score,
    whole: Score,
    random: Score,
    rollout_variance: f64,
    whole_variance: f64,
    cool: Score,
    warm: Score,
    curve_held_out_at_seqgan: Option<f64>,
}

fn outcome_view(o: &Outcome) -> View {
    View {
        mle: o.of(Arm::Mle),
        seqgan: o.of(Arm::SeqGan),
        whole: o.of(Arm::WholeSentence),
        random: o.of(Arm::RandomReward),
        rollout_variance: o.rollout_credit.spread.total_variance,
        whole_variance: o.whole_sentence_credit.spread.total_variance,
        cool: at(&o.mle_temperatures, LOWER_TEMPERATURE),
        warm: at(&o.mle_temperatures, 1.0),
        curve_held_out_at_seqgan: held_out_at(&o.mle_temperatures, o.of(Arm::SeqGan).oracle),
    }
}

fn add_claims(record: &mut ExperimentRecord, v: &View) {
    record.add_claim(
        "1. adversarial training after MLE pre-training lowers the oracle NLL below MLE alone (without collapsing)",
        format!("oracle NLL: SeqGAN < MLE - {BETTER_THAN_MLE}; held-out NLL: SeqGAN < MLE + {NO_COLLAPSE}"),
        format!(
            "oracle NLL SeqGAN {:.4}, MLE {:.4} (random reward {:.4}); held-out NLL {:.4} vs {:.4}",
            v.seqgan.oracle, v.mle.oracle, v.random.oracle, v.seqgan.held_out, v.mle.held_out
        ),
        v.seqgan.oracle < v.mle.oracle - BETTER_THAN_MLE && v.seqgan.held_out < v.mle.held_out + NO_COLLAPSE,
    );
    record.add_claim(
        "2. Monte Carlo roll-outs: lower policy-gradient variance and a better oracle NLL than the whole-sentence reward",
        format!("variance ratio > {VARIANCE_RATIO}; oracle NLL: SeqGAN < whole-sentence - {ROLLOUTS_BETTER_BY}"),
        format!(
            "variance {:.3e} vs {:.3e} (ratio {:.2}); oracle NLL {:.4} vs {:.4}",
            v.rollout_variance,
            v.whole_variance,
            v.whole_variance / v.rollout_variance,
            v.seqgan.oracle,
            v.whole.oracle
        ),
        v.whole_variance > VARIANCE_RATIO * v.rollout_variance && v.seqgan.oracle < v.whole.oracle - ROLLOUTS_BETTER_BY,
    );
    record.add_claim(
        format!("3. lowering the MLE model's temperature to {LOWER_TEMPERATURE} buys oracle NLL at a cost in held-out NLL"),
        format!("oracle NLL falls and held-out NLL rises, each by > {TEMPERATURE_TRADE}"),
        format!(
            "oracle {:.4} -> {:.4}, held-out {:.4} -> {:.4}",
            v.warm.oracle, v.cool.oracle, v.warm.held_out, v.cool.held_out
        ),
        v.cool.oracle < v.warm.oracle - TEMPERATURE_TRADE && v.cool.held_out > v.warm.held_out + TEMPERATURE_TRADE,
    );
    let below = v.curve_held_out_at_seqgan.map(|curve| v.seqgan.held_out < curve);
    record.add_claim(
        "3b. which wins: is SeqGAN's point below the MLE model's temperature curve?",
        "SeqGAN held-out NLL < the temperature curve's at the same oracle NLL",
        match v.curve_held_out_at_seqgan {
            Some(curve) => format!("SeqGAN {:.4}, curve {curve:.4}", v.seqgan.held_out),
            None => format!("SeqGAN's oracle NLL {:.4} is outside the curve", v.seqgan.oracle),
        },
        below.unwrap_or(false),
    );
}

fn print_table(config: &Config, o: &Outcome) {
    let log_v = (config.oracle.model.vocab as f64).ln();
    println!("\noracle entropy rate {:.4} nats per token (uniform: log V = {log_v:.4})", o.oracle_entropy);
    println!("{:<24} {:>12} {:>14}", "generator (temperature 1)", "oracle NLL", "held-out NLL");
    for (name, s) in
        std::iter::once(("pre-trained", o.pretrained)).chain(Arm::ALL.map(|a| (a.label(), o.of(a))))
    {
        println!("{name:<24} {:>12.4} {:>14.4}", s.oracle, s.held_out);
    }
    println!("\npolicy-gradient variance at the start ({} batches):", config.spread_batches);
    for (name, c) in [
        ("roll-outs", &o.rollout_credit),
        ("whole sentence", &o.whole_sentence_credit),
        ("one roll-out", &o.single_rollout_credit),
    ] {
        println!(
            "  {name:<16} {:.3e}  (squared mean {:.3e})",
            c.spread.total_variance, c.spread.mean_squared_norm
        );
    }
    println!("\nat temperature τ:  τ, oracle NLL, held-out NLL (MLE | untrained generator)");
    for (s, u) in o.mle_temperatures.iter().zip(&o.untrained_temperatures) {
        println!(
            "  {:.2}  {:.4}  {:.4} | {:.4}  {:.4}",
            s.temperature, s.oracle, s.held_out, u.oracle, u.held_out
        );
    }
}

/// `oracle-nll.svg`, `oracle-credit.svg`, `oracle-quality-diversity.svg`.
fn draw(run: &Run, config: &Config, o: &mut Outcome) -> Result<()> {
    let curves = Arm::ALL.map(|a| format!("{} oracle NLL", a.label()));
    let names: Vec<&str> = curves.iter().map(String::as_str).collect();
    let title = format!(
        "oracle NLL after {} MLE steps (oracle entropy {:.2})",
        config.pretraining.steps, o.oracle_entropy
    );
    o.record.curve_chart(title, &names)?.save_svg(run.picture_path("oracle-nll.svg"))?;
    let positions =
        |values: &[f64]| values.iter().enumerate().map(|(t, &v)| ((t + 1) as f64, v)).collect::<Vec<_>>();
    LineChart::new("reward Q_t per position at the start of the game")
        .x_label("position t")
        .y_label("reward Q_t")
        .series("roll-outs: mean", positions(&o.rollout_credit.mean_reward))
        .series("whole sentence: mean", positions(&o.whole_sentence_credit.mean_reward))
        .series("roll-outs: std over sentences", positions(&o.rollout_credit.reward_std))
        .series("whole sentence: std over sentences", positions(&o.whole_sentence_credit.reward_std))
        .save_svg(run.picture_path("oracle-credit.svg"))?;
    let point = |s: &Score| (s.held_out, s.oracle);
    let mut plot = ScatterPlot::new("quality against diversity")
        .x_label("held-out NLL (diversity: lower is better)")
        .y_label("oracle NLL (quality: lower is better)")
        .labelled_group(
            "MLE at temperature τ",
            o.mle_temperatures.iter().map(|s| (point(s), format!("{:.1}", s.temperature))),
        );
    for arm in [Arm::SeqGan, Arm::WholeSentence, Arm::RandomReward] {
        plot = plot.group(arm.label(), [point(&o.of(arm))]);
    }
    plot.save_svg(run.picture_path("oracle-quality-diversity.svg"))?;
    for picture in ["oracle-nll.svg", "oracle-credit.svg", "oracle-quality-diversity.svg"] {
        o.record.add_picture(picture);
    }
    Ok(())
}
