//! Search by a learned policy: the RNN controller samples configurations, trains on their
//! rewards with REINFORCE, and samples again (Zoph and Le 2017).
//!
//! ```text
//! each iteration:
//!     a_1..a_m ~ π_θ                            m configurations, trained in parallel
//!     R_i = -value_i                            e.g. minus the validation error
//!     b  ← β b + (1 - β) mean_i R_i             the moving-average baseline (b = mean R at first)
//!     L(θ) = -(1/m) Σ_i (R_i - b) log π_θ(a_i)  ∇L is the REINFORCE estimate of -∇ E[R]
//!     θ  ← Adam(θ, ∇L)
//! ```
//!
//! The baseline does not bias the gradient (E[∇ log π] = 0) but removes most of its variance.
//! The search space is discrete: option `j` of `K` on an axis is the unit coordinate
//! `(j + 1/2) / K`, so the controller searches the same objectives as the other strategies.
//! With learning rate 0 the policy never changes (the claim-3 control).

use crate::controller::RnnController;
use crate::strategy::SearchStrategy;
use crate::trial::{History, Request};
use anyhow::Result;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use rand::rngs::StdRng;
use shared::backend::seeded_on;

/// The baseline's decay `β`.
pub const BASELINE_DECAY: f64 = 0.8;

/// The controller's settings.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ControllerConfig {
    /// Options per decision.
    pub options: Vec<usize>,
    pub hidden: usize,
    /// Configurations per iteration (`m`).
    pub samples: usize,
    pub learning_rate: f64,
    /// Every trial's budget.
    pub budget: u64,
}

/// The REINFORCE search.
pub struct ControllerSearch {
    config: ControllerConfig,
    controller: Option<RnnController>,
    optimiser: ModuleOptimizer,
    baseline: Option<f64>,
    /// The actions of the last batch asked for.
    pending: Vec<Vec<usize>>,
    /// Mean reward of every finished iteration.
    pub mean_rewards: Vec<f64>,
}

impl ControllerSearch {
    /// A controller with weights drawn from `seed` on `device` (autodiff).
    pub fn new(config: ControllerConfig, seed: u64, device: &Device) -> ControllerSearch {
        let controller = seeded_on(device, seed, |d| RnnController::new(&config.options, config.hidden, d));
        ControllerSearch {
            config,
            controller: Some(controller),
            optimiser: AdamConfig::new().init(),
            baseline: None,
            pending: Vec::new(),
            mean_rewards: Vec::new(),
        }
    }

    /// The unit point of `actions`.
    pub fn point(&self, actions: &[usize]) -> Vec<f64> {
        actions.iter().zip(&self.config.options).map(|(&a, &k)| (a as f64 + 0.5) / k as f64).collect()
    }

    /// The controller (its policy now).
    pub fn controller(&self) -> &RnnController {
        self.controller.as_ref().expect("held between steps")
    }

    /// One REINFORCE step on the rewards of the pending batch.
    fn learn(&mut self, rewards: &[f64]) {
        let mean = rewards.iter().sum::<f64>() / rewards.len() as f64;
        self.mean_rewards.push(mean);
        let baseline = self.baseline.map_or(mean, |b| BASELINE_DECAY * b + (1.0 - BASELINE_DECAY) * mean);
        let model = self.controller.take().expect("held between steps");
        let device = model.start.device();
        let advantages: Vec<f32> = rewards.iter().map(|r| (r - baseline) as f32).collect();
        let advantages = Tensor::<1>::from_data(TensorData::new(advantages, [rewards.len()]), &device);
        let loss = -(model.log_prob(&self.pending) * advantages).mean();
        let gradients = GradientsParams::from_grads(loss.backward(), &model);
        self.controller = Some(self.optimiser.step(self.config.learning_rate, model, gradients));
        self.baseline = Some(baseline);
    }
}

impl SearchStrategy for ControllerSearch {
    fn name(&self) -> String {
        if self.config.learning_rate > 0.0 {
            "RNN controller".to_string()
        } else {
            "controller, no update".to_string()
        }
    }

    fn ask(&mut self, history: &History, rng: &mut StdRng) -> Result<Vec<Request>> {
        if !self.pending.is_empty() {
            let last = &history.trials[history.len() - self.pending.len()..];
            let rewards: Vec<f64> = last.iter().map(|t| -t.value).collect();
            self.learn(&rewards);
        }
        self.pending = self.controller().sample(self.config.samples, rng);
        Ok(self
            .pending
            .iter()
            .map(|a| Request { point: self.point(a), budget: self.config.budget })
            .collect())
    }
}
