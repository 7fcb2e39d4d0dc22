//! Claims 1-3 in SeqGAN's synthetic oracle setting (Yu et al. 2017): an LSTM with random
//! weights is the "true" language, its sentences the training data, and the oracle's NLL of a
//! generator's sentences its quality.
//!
//! One oracle, one generator pre-trained by maximum likelihood (MLE), one discriminator
//! pre-trained against it; then four continuations from the same weights, each for the same
//! number of generator updates:
//!
//! - **MLE**: more maximum likelihood (at the pre-training's final learning rate);
//! - **SeqGAN**: the policy gradient with Monte Carlo roll-outs, rewarded by the discriminator,
//!   which keeps training on the generator's latest sentences;
//! - **whole-sentence reward**: the same game, every token credited with the complete
//!   sentence's reward (claim 2's comparison);
//! - **random reward** (claim 1's negative control): SeqGAN's updates with the discriminator's
//!   verdict replaced by a uniform random number: the same form and size, no information.
//!
//! Claim 1: SeqGAN's oracle NLL ends below MLE's (paper, Table 1: MLE 9.038, SeqGAN 8.736).
//! Claim 2: roll-outs lower the policy gradient's variance (measured on `K` batches at the start
//! of the game, the same sentences under both credits) and end at a better oracle NLL than the
//! whole-sentence reward. Claim 3: lowering the MLE model's temperature also lowers the oracle
//! NLL, at a cost in held-out NLL; is SeqGAN's point below that curve?
//!
//! The paper's setting is scaled down to train in minutes on a CPU: vocabulary 5,000 -> 64,
//! length 20 -> 8, 10,000 training sentences -> 5,000, 16 roll-outs -> 4, a CNN discriminator
//! with windows 2-4 (the paper's: 1-20, with a highway layer and dropout), 200 adversarial
//! epochs -> 300 generator updates (100 at --quick). The LSTMs keep the paper's 32 units
//! (embedding 32), the oracle its N(0, 1) weights.

use crate::discriminator::{Discriminator, DiscriminatorConfig};
use crate::gradient_spread::{Spread, spread};
use crate::lstm_lm::{LstmLm, LstmLmConfig};
use crate::oracle::{Oracle, OracleConfig};
use crate::pretraining::{Phase, train_discriminator, train_mle};
use crate::rollout::Credit;
use crate::seqgan::{GameConfig, Reward, SeqGan, play};
use crate::temperature::{Score, score, sweep};
use anyhow::{Result, bail, ensure};
use serde::Serialize;
use shared::data::sub_seed;
use shared::experiment::Run;
use shared::report::ExperimentRecord;
use shared::testing::seeded_on;

/// The experiment's name: its record is `out/lecture-17-sequence-gan/oracle.json`.
pub const NAME: &str = "oracle";

/// Claim 1: SeqGAN's oracle NLL below MLE's by more than this (nats per token).
pub const BETTER_THAN_MLE: f64 = 0.02;
/// Claim 1's guard against collapse: SeqGAN's held-out NLL at most this above MLE's. Writing a
/// few sentences over and over also lowers the oracle NLL (claim 3's point); a generator that
/// does so gives the rest of the oracle's sentences little probability, and its held-out NLL
/// jumps (a generator trained to lower the reward instead did: +1.1 to +1.3).
pub const NO_COLLAPSE: f64 = 0.05;
/// Claim 2: the whole-sentence reward's gradient variance at least this many times the
/// roll-outs' (a quarter less variance) ...
pub const VARIANCE_RATIO: f64 = 1.25;
/// ... and its final oracle NLL above SeqGAN's by more than this.
pub const ROLLOUTS_BETTER_BY: f64 = 0.01;
/// Claim 3: at the lower temperature the oracle NLL falls and the held-out NLL rises, each by
/// more than this, from temperature 1.
pub const TEMPERATURE_TRADE: f64 = 0.05;
/// Claim 3's lower temperature.
pub const LOWER_TEMPERATURE: f64 = 0.8;

/// Random streams of the run.
const GENERATOR: u64 = 10;
const DISCRIMINATOR: u64 = 11;
const MLE_BATCHES: u64 = 12;
const D_BATCHES: u64 = 13;
const GAME: u64 = 14;
const EVALUATION: u64 = 15;
const SPREAD: u64 = 16;

/// Sizes of the experiment.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub oracle: OracleConfig,
    pub generator: LstmLmConfig,
    pub discriminator: DiscriminatorConfig,
    pub pretraining: Phase,
    pub discriminator_pretraining: Phase,
    /// Generator updates of every continuation.
    pub continuation_steps: u64,
    /// SeqGAN's game; the other arms change its credit or reward.
    pub game: GameConfig,
    /// Sentences sampled to measure an oracle NLL: along the curves, and for the final scores.
    pub curve_samples: usize,
    pub evaluation_samples: usize,
    /// Evaluations every this many generator updates.
    pub evaluate_every: u64,
    /// Batches whose gradients measure the policy gradient's spread (claim 2).
    pub spread_batches: usize,
    /// Temperatures of the MLE model's quality-diversity curve (claim 3).
    pub temperatures: Vec<f64>,
}

impl Config {
    /// The scaled-down oracle setting (see the module docs); quick: shorter pre-training and
    /// game.
    pub fn for_run(run: &Run) -> Config {
        let (vocab, length) = (64, 8);
        Config {
            oracle: OracleConfig {
                model: LstmLmConfig { vocab, embedding: 32, hidden: 32 },
                std: 1.0,
                length,
                training: 5000,
                held_out: 1000,
            },
            generator: LstmLmConfig { vocab, embedding: 32, hidden: 32 },
            discriminator: DiscriminatorConfig { vocab, embedding: 32, windows: vec![2, 3, 4], filters: 64 },
            pretraining: Phase {
                steps: run.size(1000, 1500),
                batch: 64,
                learning_rate: 1e-2,
                decay_at: Some(run.size(700, 1000)),
            },
            discriminator_pretraining: Phase {
                steps: run.size(300, 1000),
                batch: 64,
                learning_rate: 3e-3,
                decay_at: None,
            },
            continuation_steps: run.steps_or(100, 300),
            game: GameConfig {
                batch: 128,
                credit: Credit::RollOut { rollouts: 4 },
                reward: Reward::Discriminator,
                generator_learning_rate: 2e-3,
                discriminator_learning_rate: 3e-3,
                discriminator_steps: 5,
            },
            curve_samples: 1000,
            evaluation_samples: 5000,
            evaluate_every: 25,
            spread_batches: 12,
            temperatures: vec![0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0, 1.1, 1.2],
        }
    }

    /// An error for settings the experiment cannot run: a sentence shorter than 2 tokens, a
    /// window wider than the sentence, no roll-outs, an empty batch, fewer than 2 spread batches.
    pub fn check(&self) -> Result<()> {
        let length = self.oracle.length;
        ensure!(length >= 2, "sentences of {length} tokens leave no prefix to roll out");
        if let Some(wide) = self.discriminator.windows.iter().find(|&&k| k > length) {
            bail!(
                "the discriminator's window of {wide} tokens is wider than the sentences ({length} tokens)"
            );
        }
        ensure!(
            self.game.credit != Credit::RollOut { rollouts: 0 },
            "Monte Carlo credit needs at least one roll-out per prefix"
        );
        let batches = [self.pretraining.batch, self.discriminator_pretraining.batch, self.game.batch];
        ensure!(batches.iter().all(|&b| b > 0), "every batch needs at least one sentence: {batches:?}");
        ensure!(self.spread_batches >= 2, "a gradient's spread needs at least 2 batches");
        ensure!(
            self.temperatures.iter().all(|&t| t > 0.0),
            "temperatures must be positive: {:?}",
            self.temperatures
        );
        Ok(())
    }
}

/// The four continuations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Arm {
    Mle,
    SeqGan,
    WholeSentence,
    RandomReward,
}

impl Arm {
    pub const ALL: [Arm; 4] = [Arm::Mle, Arm::SeqGan, Arm::WholeSentence, Arm::RandomReward];

    /// The arm's name in tables, curves and pictures.
    pub fn label(self) -> &'static str {
        match self {
            Arm::Mle => "MLE",
            Arm::SeqGan => "SeqGAN",
            Arm::WholeSentence => "whole-sentence reward",
            Arm::RandomReward => "random reward",
        }
    }

    /// The game of an adversarial arm (`None` for MLE): SeqGAN's, with its credit or reward
    /// changed. The random reward never asks the discriminator, which is not trained there.
    fn game(self, seqgan: GameConfig) -> Option<GameConfig> {
        match self {
            Arm::Mle => None,
            Arm::SeqGan => Some(seqgan),
            Arm::WholeSentence => Some(GameConfig { credit: Credit::WholeSentence, ..seqgan }),
            Arm::RandomReward => {
                Some(GameConfig { reward: Reward::Random, discriminator_steps: 0, ..seqgan })
            }
        }
    }
}

/// The policy gradient of one credit at the start of the game, over `spread_batches` batches
/// (the same sentences under every credit).
#[derive(Clone, Debug, Serialize)]
pub struct CreditAtStart {
    pub spread: Spread,
    /// Mean and standard deviation over the batches' sentences of the reward `Q_t`, per position.
    pub mean_reward: Vec<f64>,
    pub reward_std: Vec<f64>,
}

/// What the experiment measured.
pub struct Outcome {
    pub record: ExperimentRecord,
    /// The oracle's entropy rate (its NLL of its own held-out sentences).
    pub oracle_entropy: f64,
    pub pretrained: Score,
    /// Each arm's final score (temperature 1), in [`Arm::ALL`]'s order.
    pub arms: [Score; 4],
    /// The policy gradient at the start of the game: with roll-outs, with the whole sentence's
    /// reward.
    pub rollout_credit: CreditAtStart,
    pub whole_sentence_credit: CreditAtStart,
    /// The same with a single roll-out per prefix: per-token credit without the Monte Carlo
    /// average (claim 2's control).
    pub single_rollout_credit: CreditAtStart,
    /// The MLE arm's quality-diversity curve, and an untrained generator's (claim 3's control).
    pub mle_temperatures: Vec<Score>,
    pub untrained_temperatures: Vec<Score>,
}

impl Outcome {
    /// The final score of `arm`.
    pub fn of(&self, arm: Arm) -> Score {
        self.arms[Arm::ALL.iter().position(|&a| a == arm).expect("every arm is in ALL")]
    }
}

/// Pre-trains, measures the spread, continues four ways, sweeps the temperature, writes the
/// record and the pictures.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    config.check()?;
    let mut record = run.record(NAME).with_config(config)?;
    let seed = run.seed;
    let oracle = Oracle::new(&config.oracle, seed, &run.device.clone().inner());
    let quality =
        |g: &LstmLm| Ok(score(&oracle, g, 1.0, config.curve_samples, sub_seed(seed, EVALUATION)).oracle);
    let (pretrained, discriminator) = pretrain(run, config, &oracle, &mut record, &quality)?;

    let rollout_credit = credit_at_start(config.game.credit, config, (&pretrained, &discriminator), seed)?;
    let whole_sentence_credit =
        credit_at_start(Credit::WholeSentence, config, (&pretrained, &discriminator), seed)?;
    let single_rollout_credit =
        credit_at_start(Credit::RollOut { rollouts: 1 }, config, (&pretrained, &discriminator), seed)?;

    let mut finals = Vec::new();
    for arm in Arm::ALL {
        let model =
            continue_as(arm, run, config, &oracle, (&pretrained, &discriminator), &mut record, &quality)?;
        finals.push(model);
    }
    let scored = |g: &LstmLm| score(&oracle, g, 1.0, config.evaluation_samples, sub_seed(seed, EVALUATION));
    let untrained = seeded_on(&run.device, sub_seed(seed, GENERATOR), |d| config.generator.init(d));
    let temperatures = |g: &LstmLm| {
        sweep(&oracle, g, &config.temperatures, config.evaluation_samples, sub_seed(seed, EVALUATION))
    };
    let outcome = Outcome {
        oracle_entropy: oracle.entropy,
        pretrained: scored(&pretrained),
        arms: [scored(&finals[0]), scored(&finals[1]), scored(&finals[2]), scored(&finals[3])],
        rollout_credit,
        whole_sentence_credit,
        single_rollout_credit,
        mle_temperatures: temperatures(&finals[0]),
        untrained_temperatures: temperatures(&untrained),
        record,
    };
    super::oracle_report::finish(run, config, outcome)
}

/// The spread of `credit`'s policy gradient and its rewards per position, over
/// `config.spread_batches` batches of the pre-trained generator rewarded by the pre-trained
/// discriminator.
fn credit_at_start(
    credit: Credit,
    config: &Config,
    (pretrained, discriminator): (&LstmLm, &Discriminator),
    seed: u64,
) -> Result<CreditAtStart> {
    let game = GameConfig { credit, ..config.game };
    let mut gan = SeqGan::new(pretrained.clone(), discriminator.clone(), game, sub_seed(seed, SPREAD));
    let length = config.oracle.length;
    let (mut gradients, mut rewards) = (Vec::new(), Vec::new());
    for _ in 0..config.spread_batches {
        let (gradient, q) = gan.gradient_estimate(length)?;
        gradients.push(gradient);
        rewards.extend(q);
    }
    let sentences = (rewards.len() / length) as f64;
    let at = |t: usize| rewards.iter().skip(t).step_by(length);
    let mean_reward: Vec<f64> = (0..length).map(|t| at(t).sum::<f64>() / sentences).collect();
    let reward_std = (0..length)
        .map(|t| (at(t).map(|q| (q - mean_reward[t]).powi(2)).sum::<f64>() / sentences).sqrt())
        .collect();
    Ok(CreditAtStart { spread: spread(&gradients), mean_reward, reward_std })
}

/// The generator pre-trained by maximum likelihood (its oracle NLL traced by `quality`) and the
/// discriminator pre-trained against it.
fn pretrain(
    run: &Run,
    config: &Config,
    oracle: &Oracle,
    record: &mut ExperimentRecord,
    quality: &dyn Fn(&LstmLm) -> Result<f64>,
) -> Result<(LstmLm, Discriminator)> {
    let seed = run.seed;
    let generator = seeded_on(&run.device, sub_seed(seed, GENERATOR), |d| config.generator.init(d));
    let metric = (config.evaluate_every, "oracle NLL");
    let batches = sub_seed(seed, MLE_BATCHES);
    let pretrained = train_mle(
        "MLE pre-training",
        generator,
        &oracle.training,
        &config.pretraining,
        batches,
        record,
        metric,
        quality,
    )?
    .model;
    let discriminator =
        seeded_on(&run.device, sub_seed(seed, DISCRIMINATOR), |d| config.discriminator.init(d))?;
    let phase = &config.discriminator_pretraining;
    let batches = sub_seed(seed, D_BATCHES);
    let discriminator = train_discriminator(
        "D pre-training",
        discriminator,
        &pretrained,
        &oracle.training,
        phase,
        batches,
        record,
    )?;
    Ok((pretrained, discriminator))
}

/// `arm`'s continuation of the pre-trained pair; its oracle NLL goes into the curve
/// `<arm> oracle NLL`, at x = pre-training steps + updates.
fn continue_as(
    arm: Arm,
    run: &Run,
    config: &Config,
    oracle: &Oracle,
    (pretrained, discriminator): (&LstmLm, &Discriminator),
    record: &mut ExperimentRecord,
    quality: &dyn Fn(&LstmLm) -> Result<f64>,
) -> Result<LstmLm> {
    let (seed, offset, steps) = (run.seed, config.pretraining.steps, config.continuation_steps);
    let curve = format!("{} oracle NLL", arm.label());
    record.define_curve(&curve, "generator updates", "oracle NLL (nats per token)");
    record.push_point(&curve, offset as f64, quality(pretrained)?);
    let Some(game) = arm.game(config.game) else {
        let phase = Phase {
            steps,
            learning_rate: config.pretraining.learning_rate / 10.0,
            decay_at: None,
            ..config.pretraining
        };
        let batches = sub_seed(sub_seed(seed, MLE_BATCHES), 1);
        let mut scratch = ExperimentRecord::new(run.crate_name, NAME);
        let fitted = train_mle(
            "MLE",
            pretrained.clone(),
            &oracle.training,
            &phase,
            batches,
            &mut scratch,
            (config.evaluate_every, "oracle NLL"),
            quality,
        )?;
        for &(updates, value) in fitted.evaluations.iter().skip(1) {
            record.push_point(&curve, (offset + updates) as f64, value);
        }
        return Ok(fitted.model);
    };
    let mut gan = SeqGan::new(pretrained.clone(), discriminator.clone(), game, sub_seed(seed, GAME));
    let every = (config.evaluate_every, offset, curve.as_str());
    play(arm.label(), &mut gan, steps, &oracle.training, sub_seed(seed, D_BATCHES), every, record, quality)?;
    Ok(gan.generator().clone())
}
