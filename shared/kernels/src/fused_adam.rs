//! Adam in one pass over each parameter on burn-flex: [`FusedAdamConfig`] is a drop-in for
//! burn's `AdamConfig` (the same builder: betas, epsilon, gradient clipping), with burn's own
//! state (so checkpoints are interchangeable) and burn's arithmetic, operation for operation:
//!
//! ```text
//! m ← β₁ m + (1 - β₁) g          v ← β₂ v + (1 - β₂) g²          t ← t + 1   (m, v = the second terms at t = 1)
//! c₂ = √(1 - β₂ᵗ),   c = c₂ / (1 - β₁ᵗ)
//! θ ← θ - lr · (c m) / (√v + ε c₂)
//! ```
//!
//! burn's Adam composes this from about ten tensor operations per parameter, each a pass over
//! the parameter and a new buffer, on one thread: a fifth of the `mlp` workload's step. Here it
//! is one loop, split between threads for large parameters. On other backends, in f64, and with
//! weight decay or AMSGrad (which this does not take) it is burn's Adam.

use crate::recurrent::extension::has_kernels;
use burn::config::Config;
use burn::optim::grad_clipping::GradientClippingConfig;
use burn::optim::{
    Adam, AdamConfig, AdamState, AdaptiveMomentumState, LearningRate, ModuleOptimizer, Optimizer,
};
use burn::prelude::{Device, Tensor, TensorData};
use rayon::prelude::*;

/// Floats per parallel task: smaller parameters are updated on the calling thread.
const CHUNK: usize = 1 << 15;

/// burn's `AdamConfig` without AMSGrad and weight decay, which the fused loop does not take.
#[derive(Config, Debug)]
pub struct FusedAdamConfig {
    /// β₁, the first moment's decay.
    #[config(default = 0.9)]
    pub beta_1: f32,
    /// β₂, the second moment's decay.
    #[config(default = 0.999)]
    pub beta_2: f32,
    /// ε (burn's default 1e-5; PyTorch's is 1e-8).
    #[config(default = 1e-5)]
    pub epsilon: f32,
    /// Clipping of each gradient before the step, as burn's.
    pub grad_clipping: Option<GradientClippingConfig>,
}

impl FusedAdamConfig {
    /// The optimiser of a whole module, as `AdamConfig::init`.
    pub fn init(&self) -> ModuleOptimizer {
        let (beta_1, beta_2, epsilon) = (self.beta_1, self.beta_2, self.epsilon);
        let burn = AdamConfig::new().with_beta_1(beta_1).with_beta_2(beta_2).with_epsilon(epsilon).build();
        let optimizer = ModuleOptimizer::from(FusedAdam { beta_1, beta_2, epsilon, burn });
        match &self.grad_clipping {
            Some(clipping) => optimizer.with_grad_clipping(clipping.init()),
            None => optimizer,
        }
    }
}

/// See the module docs.
#[derive(Clone)]
pub struct FusedAdam {
    beta_1: f32,
    beta_2: f32,
    epsilon: f32,
    /// The same optimiser as burn's, for the tensors the fused loop does not take.
    burn: Adam,
}

impl Optimizer for FusedAdam {
    type State<const D: usize> = AdamState<D>;

    fn step<const D: usize>(
        &self,
        lr: LearningRate,
        tensor: Tensor<D>,
        grad: Tensor<D>,
        state: Option<Self::State<D>>,
    ) -> (Tensor<D>, Option<Self::State<D>>) {
        if !has_kernels(&tensor.device(), tensor.dtype())
            || state.as_ref().is_some_and(|s| s.momentum.max_moment_2.is_some())
        {
            return self.burn.step(lr, tensor, grad, state);
        }
        let (device, shape) = (tensor.device(), tensor.dims());
        let mut values = floats_of(tensor);
        let grad = floats_of(grad);
        let (time, mut m, mut v) = match state {
            Some(state) => (
                state.momentum.time + 1,
                floats_of(state.momentum.moment_1),
                floats_of(state.momentum.moment_2),
            ),
            None => (1, vec![0.0; values.len()], vec![0.0; values.len()]),
        };
        let step = self.constants(time, lr);
        values
            .par_chunks_mut(CHUNK)
            .zip(m.par_chunks_mut(CHUNK))
            .zip(v.par_chunks_mut(CHUNK))
            .zip(grad.par_chunks(CHUNK))
            .for_each(|(((values, m), v), grad)| step.apply(values, m, v, grad));
        let tensor_of = |values: Vec<f32>| Tensor::<D>::from_data(TensorData::new(values, shape), &device);
        let momentum = AdaptiveMomentumState::new(time, tensor_of(m), tensor_of(v));
        (tensor_of(values), Some(AdamState::new(momentum)))
    }

    fn to_device<const D: usize>(state: Self::State<D>, device: &Device) -> Self::State<D> {
        Adam::to_device(state, device)
    }
}

impl FusedAdam {
    /// The step's scalars at step `time` (counted from 1).
    fn constants(&self, time: usize, lr: LearningRate) -> StepConstants {
        let time = time as i32;
        let correction_2 = (1.0 - self.beta_2.powi(time)).sqrt();
        StepConstants {
            beta_1: self.beta_1,
            beta_2: self.beta_2,
            first: time == 1,
            combined: correction_2 / (1.0 - self.beta_1.powi(time)),
            epsilon: self.epsilon * correction_2,
            lr: lr as f32,
        }
    }
}

/// What every element of one step needs.
#[derive(Clone, Copy)]
struct StepConstants {
    beta_1: f32,
    beta_2: f32,
    /// Step 1: the moments are the gradient terms alone (burn does not scale zeros).
    first: bool,
    /// `c₂ / (1 - β₁ᵗ)`.
    combined: f32,
    /// `ε c₂`.
    epsilon: f32,
    lr: f32,
}

impl StepConstants {
    /// One chunk, in burn's order of operations (no fused multiply-adds: Rust does not contract
    /// them), so the result is burn's to the last bit.
    fn apply(self, values: &mut [f32], m: &mut [f32], v: &mut [f32], grad: &[f32]) {
        let (keep_1, keep_2) = (1.0 - self.beta_1, 1.0 - self.beta_2);
        for (((value, m), v), &g) in values.iter_mut().zip(m).zip(v).zip(grad) {
            let (new_1, new_2) = (g * keep_1, g * g * keep_2);
            (*m, *v) = if self.first {
                (new_1, new_2)
            } else {
                (*m * self.beta_1 + new_1, *v * self.beta_2 + new_2)
            };
            let update = *m * self.combined / (v.sqrt() + self.epsilon);
            *value -= update * self.lr;
        }
    }
}

/// The values of a flex f32 tensor (its own buffer when no one else holds it).
fn floats_of<const D: usize>(tensor: Tensor<D>) -> Vec<f32> {
    tensor.into_data().try_into_vec::<f32>().expect("the fused Adam takes f32 tensors")
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::nn::{Linear, LinearConfig};
    use burn::optim::GradientsParams;
    use shared_backend::BackendKind;
    use shared_testing::{seeded, seeded_on};

    fn weights(model: &Linear) -> Vec<f32> {
        let bias = model.bias.as_ref().unwrap().val().into_data().try_to_vec::<f32>().unwrap();
        [model.weight.val().into_data().try_to_vec::<f32>().unwrap(), bias].concat()
    }

    /// Five steps of `config`'s optimisers (fused, burn's) from one layer on `device`.
    fn five_steps(device: &Device, pair: (FusedAdamConfig, AdamConfig)) -> [Vec<f32>; 3] {
        let layer = LinearConfig::new(300, 130).init(device);
        let x = Tensor::<2>::random([16, 300], burn::tensor::Distribution::Normal(0.0, 1.0), device);
        let train = |mut optimizer: ModuleOptimizer| {
            let mut model = layer.clone();
            for step in 0..5 {
                let loss = (model.forward(x.clone()) - step as f32 * 0.1).powi_scalar(2).mean();
                let grads = GradientsParams::from_grads(loss.backward(), &model);
                model = optimizer.step(1e-2, model, grads);
            }
            model
        };
        let (fused, burn) = (train(pair.0.init()), train(pair.1.init()));
        [weights(&fused), weights(&burn), weights(&layer)]
    }

    /// Default settings, and other betas, epsilon and gradient clipping.
    fn config_pairs() -> [(FusedAdamConfig, AdamConfig); 2] {
        let clipping = || Some(GradientClippingConfig::Norm(0.05));
        [
            (FusedAdamConfig::new(), AdamConfig::new()),
            (
                FusedAdamConfig::new().with_beta_1(0.5).with_epsilon(1e-8).with_grad_clipping(clipping()),
                AdamConfig::new().with_beta_1(0.5).with_epsilon(1e-8).with_grad_clipping(clipping()),
            ),
        ]
    }

    /// On flex, where the fused loop runs, five steps leave the same parameters as burn's Adam,
    /// bit for bit, on a layer larger than one parallel chunk. (Flex whatever `LECTURE_BACKEND`
    /// says: elsewhere the fused optimiser is burn's.)
    #[test]
    fn five_steps_on_flex_equal_burns_adam_bit_for_bit() {
        let flex = BackendKind::Flex.device().unwrap().autodiff();
        seeded_on(&flex, 12, |device| {
            for pair in config_pairs() {
                let [fused, burn, initial] = five_steps(device, pair);
                assert_eq!(fused, burn);
                assert_ne!(fused, initial, "the steps moved the weights");
            }
        });
    }

    /// On the test backend (burn's Adam where there are no kernels) the result agrees with
    /// burn's Adam to f32 rounding: a GPU's reductions need not add in the same order twice.
    #[test]
    fn five_steps_on_the_test_backend_agree_with_burns_adam() {
        seeded(12, |device| {
            for pair in config_pairs() {
                let [fused, burn, initial] = five_steps(device, pair);
                let moved = fused.iter().zip(&initial).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
                let apart = fused.iter().zip(&burn).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max);
                assert!(moved > 1e-2, "the steps moved the weights by at most {moved}");
                assert!(apart < 1e-5, "fused and burn's Adam {apart} apart");
            }
        });
    }
}
