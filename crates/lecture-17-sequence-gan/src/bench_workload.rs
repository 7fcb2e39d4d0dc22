//! This lecture's benchmark workload for `cargo xtask bench`: one SeqGAN generator update with
//! Monte Carlo roll-outs, the step that dominates the lecture's training time.
//!
//! ```text
//! sample Y ~ G                     [128, 8] tokens, V = 64 (G: embedding 32, LSTM 32)
//! finish every prefix 4 times      7 x 4 x 128 = 3584 roll-outs
//! D(each finished sentence)        CNN: embedding 32, windows 2, 3, 4 x 64 filters
//! Q [128, 8] -> advantages -> policy-gradient loss -> backward -> Adam (clip 5)
//! ```

use crate::discriminator::DiscriminatorConfig;
use crate::lstm_lm::LstmLmConfig;
use crate::rollout::Credit;
use crate::seqgan::{GameConfig, Reward, SeqGan};
use anyhow::Result;
use burn::prelude::Device;
use shared::bench::Workload;

/// Sizes of the workload.
#[derive(Clone, Copy, Debug)]
pub struct SeqGanSizes {
    pub vocab: usize,
    pub length: usize,
    pub hidden: usize,
    pub batch: usize,
    pub rollouts: usize,
}

/// The workload: a fresh generator and discriminator in a game whose steps are timed.
pub struct SeqGanGeneratorStep {
    gan: SeqGan,
    length: usize,
    step: u64,
}

impl SeqGanGeneratorStep {
    /// The headline experiment's sizes: V 64, L 8, hidden 32, batch 128, 4 roll-outs.
    pub const BENCH: SeqGanSizes = SeqGanSizes { vocab: 64, length: 8, hidden: 32, batch: 128, rollouts: 4 };

    /// Steps per timed run by default (about 1-3 s on flex).
    pub const DEFAULT_STEPS: usize = 10;

    /// Fresh networks on `device` (autodiff).
    pub fn new(sizes: SeqGanSizes, device: &Device) -> Result<Self> {
        let generator =
            LstmLmConfig { vocab: sizes.vocab, embedding: sizes.hidden, hidden: sizes.hidden }.init(device);
        let discriminator =
            DiscriminatorConfig { vocab: sizes.vocab, embedding: 32, windows: vec![2, 3, 4], filters: 64 }
                .init(device)?;
        let game = GameConfig {
            batch: sizes.batch,
            credit: Credit::RollOut { rollouts: sizes.rollouts },
            reward: Reward::Discriminator,
            generator_learning_rate: 1e-3,
            discriminator_learning_rate: 1e-3,
            discriminator_steps: 0,
        };
        Ok(Self { gan: SeqGan::new(generator, discriminator, game, 0), length: sizes.length, step: 0 })
    }
}

impl Workload for SeqGanGeneratorStep {
    fn name(&self) -> &'static str {
        "seqgan_generator_step"
    }

    fn description(&self) -> &'static str {
        "SeqGAN generator step: sample 128 x 8 (V 64, LSTM 32), 4 roll-outs of every prefix, CNN D rewards, policy gradient, Adam"
    }

    /// Returns the policy-gradient loss (NaN if it diverged).
    fn step(&mut self) -> f32 {
        let loss = self.gan.generator_step(self.step, self.length);
        self.step += 1;
        loss.map_or(f32::NAN, |(loss, _)| loss as f32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::testing::seeded;

    #[test]
    fn the_workload_runs_and_its_loss_stays_finite() {
        let sizes = SeqGanSizes { vocab: 6, length: 4, hidden: 4, batch: 5, rollouts: 2 };
        let losses: Vec<f32> = seeded(0, |device| {
            let mut workload = SeqGanGeneratorStep::new(sizes, device).unwrap();
            (0..5).map(|_| workload.step()).collect()
        });
        assert!(losses.iter().all(|l| l.is_finite()), "{losses:?}");
    }
}
