//! `capsnet`: a reduced capsule network (Sabour, Frosst & Hinton 2017), written from tensor ops.
//!
//! ```text
//! images [B, 1, 28, 28]
//!   -> Conv2d 1->64, 9x9, ReLU                         [B, 64, 20, 20]
//!   -> Conv2d 64->64, 9x9, stride 2 (8 types x 8D)     [B, 64, 6, 6]
//!   -> primary capsules u_i, squashed                  [B, 288, 8]      (288 = 8 types x 6 x 6)
//!   -> predictions u_hat_{j|i} = W_ij u_i              [B, 288, 10, 16] (W: [288, 10, 16, 8])
//!   -> 3 iterations of routing by agreement -> v_j     [B, 10, 16]
//!   -> margin loss on the lengths |v_j|
//! ```
//!
//! Reduced against the paper: 64 rather than 256 channels, 8 rather than 32 capsule types, and
//! no reconstruction decoder. Routing (gradients flow through every iteration):
//! `b_ij = 0`; repeat 3 times: `c_i = softmax_j(b_i)`, `s_j = sum_i c_ij u_hat_{j|i}`,
//! `v_j = squash(s_j)`, and (except after the last) `b_ij += u_hat_{j|i} . v_j`.
//! Margin loss per example: `sum_k T_k max(0, m+ - |v_k|)^2 + lambda (1 - T_k) max(0, |v_k| - m-)^2`
//! with `m+ = 0.9`, `m- = 0.1`, `lambda = 0.5`, averaged over the batch.

use super::inputs::{PIXELS, batch_rng, classes, uniform};
use super::{Trainee, Workload};
use burn::module::Param;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::prelude::*;
use burn::tensor::Distribution;
use burn::tensor::activation::{relu, softmax};
use shared_kernels::fast_ops::conv2d;

const SIDE: usize = 28;
const CHANNELS: usize = 64;
const KERNEL: usize = 9;
const PRIMARY_TYPES: usize = 8;
const PRIMARY_DIM: usize = 8;
/// Side of the primary-capsule grid: (28 - 9 + 1 - 9) / 2 + 1 = 6.
const GRID: usize = 6;
const PRIMARY_CAPSULES: usize = PRIMARY_TYPES * GRID * GRID;
const DIGITS: usize = 10;
const DIGIT_DIM: usize = 16;
const ROUTING_ITERATIONS: usize = 3;
const M_PLUS: f32 = 0.9;
const M_MINUS: f32 = 0.1;
const LAMBDA: f32 = 0.5;
/// Initial distribution of the entries of `W`.
const INIT: Distribution = Distribution::Normal(0.0, 0.01);
/// Keeps the square roots of squared lengths differentiable at zero.
const EPS: f32 = 1e-8;

/// Convolution, primary capsules and the per-pair transformation matrices `W`.
#[derive(Module, Debug)]
pub struct CapsNetModel {
    conv: Conv2d,
    primary: Conv2d,
    /// `W` `[288, 10, 16, 8]`: maps primary capsule i to its prediction for digit capsule j.
    predictions: Param<Tensor<4>>,
}

impl CapsNetModel {
    fn new(device: &Device) -> Self {
        let w = [PRIMARY_CAPSULES, DIGITS, DIGIT_DIM, PRIMARY_DIM];
        Self {
            conv: Conv2dConfig::new([1, CHANNELS], [KERNEL, KERNEL]).init(device),
            primary: Conv2dConfig::new([CHANNELS, PRIMARY_TYPES * PRIMARY_DIM], [KERNEL, KERNEL])
                .with_stride([2, 2])
                .init(device),
            predictions: Param::from_tensor(Tensor::random(w, INIT, device)),
        }
    }

    /// Digit capsules `v` `[B, 10, 16]` of `images` `[B, 1, 28, 28]`.
    fn digit_capsules(&self, images: Tensor<4>) -> Tensor<3> {
        let batch = images.dims()[0];
        let features = conv2d(&self.primary, relu(conv2d(&self.conv, images)));
        // Channel c = type * 8 + component: gather each capsule's 8 components last.
        let primary = features
            .reshape([batch, PRIMARY_TYPES, PRIMARY_DIM, GRID, GRID])
            .permute([0, 1, 3, 4, 2])
            .reshape([batch, PRIMARY_CAPSULES, PRIMARY_DIM]);
        route(self.predict(squash(primary)))
    }

    /// Every primary capsule's prediction for every digit capsule, `u_hat_{j|i} = W_ij u_i`:
    /// `[B, 288, 8]` -> `[B, 288, 10, 16]`, as one batched matmul over the 288 primary capsules
    /// with the batch as the columns: `[288, 160, 8] @ [288, 8, B] -> [288, 160, B]`.
    ///
    /// Not the broadcast `[1, 288, 160, 8] @ [B, 288, 8, 1]`, whose backward materialises the
    /// gradient of `W` once per example (`[B, 288, 160, 8]`, 47 MB at batch 32) and then sums
    /// it over the batch; here `W`'s gradient is one `[288, 160, B] @ [288, B, 8]`, and each
    /// matmul has B columns rather than one. Same products and sums.
    fn predict(&self, primary: Tensor<3>) -> Tensor<4> {
        let batch = primary.dims()[0];
        let w = self.predictions.val().reshape([PRIMARY_CAPSULES, DIGITS * DIGIT_DIM, PRIMARY_DIM]);
        let u_hat = w.matmul(primary.permute([1, 2, 0])); // [288, 160, B]
        u_hat.permute([2, 0, 1]).reshape([batch, PRIMARY_CAPSULES, DIGITS, DIGIT_DIM])
    }

    /// Margin loss of the digit capsules against `targets` (one-hot `[B, 10]`).
    fn loss(&self, images: Tensor<4>, targets: Tensor<2>) -> Tensor<1> {
        let lengths = length(self.digit_capsules(images)); // [B, 10]
        let present = lengths.clone().neg().add_scalar(M_PLUS).clamp_min(0.0).square();
        let absent = lengths.sub_scalar(M_MINUS).clamp_min(0.0).square();
        let per_class = targets.clone() * present + targets.neg().add_scalar(1.0) * absent * LAMBDA;
        per_class.sum_dim(1).mean()
    }
}

/// Routing by agreement: predictions `u_hat` `[B, 288, 10, 16]` -> digit capsules `[B, 10, 16]`.
fn route(predictions: Tensor<4>) -> Tensor<3> {
    let [batch, primary, digits, _] = predictions.dims();
    let mut logits = Tensor::<3>::zeros([batch, primary, digits], &predictions.device());
    for _ in 1..ROUTING_ITERATIONS {
        let v = vote(predictions.clone(), logits.clone());
        let agreement = (predictions.clone() * v.unsqueeze_dim::<4>(1)).sum_dim(3); // u_hat . v_j
        logits = logits + agreement.squeeze_dim::<3>(3);
    }
    vote(predictions, logits)
}

/// One routing vote: `v_j = squash(sum_i softmax_j(b_i)_j u_hat_{j|i})`, `[B, 10, 16]`.
fn vote(predictions: Tensor<4>, logits: Tensor<3>) -> Tensor<3> {
    let coupling = softmax(logits, 2).unsqueeze_dim::<4>(3); // [B, 288, 10, 1]
    squash((coupling * predictions).sum_dim(1).squeeze_dim::<3>(1))
}

/// `squash(s) = |s|^2 / (1 + |s|^2) * s / |s|` along the last dimension: keeps the direction,
/// maps the length into [0, 1).
fn squash(s: Tensor<3>) -> Tensor<3> {
    let squared = s.clone().square().sum_dim(2);
    let scale = squared.clone() / squared.clone().add_scalar(1.0) / squared.add_scalar(EPS).sqrt();
    s * scale
}

/// Euclidean length along the last dimension: `[B, N, D]` -> `[B, N]`.
fn length(capsules: Tensor<3>) -> Tensor<2> {
    capsules.square().sum_dim(2).add_scalar(EPS).sqrt().squeeze_dim(2)
}

/// The workload: the model, Adam, and one fixed batch of random images and labels.
pub struct CapsNet {
    trainee: Trainee<CapsNetModel>,
    images: Tensor<4>,
    targets: Tensor<2>,
}

impl CapsNet {
    /// Batch 32.
    pub const BENCH_BATCH: usize = 32;

    /// A fresh model and `batch` images with pixels uniform in [-1, 1) and one-hot labels.
    pub fn new(batch: usize, device: &Device) -> Self {
        let mut rng = batch_rng();
        Self {
            trainee: Trainee::new(CapsNetModel::new(device)),
            images: uniform(&mut rng, [batch, 1, SIDE, SIDE], PIXELS, device),
            targets: classes(&mut rng, [batch], DIGITS, device).one_hot::<2>(DIGITS).float(),
        }
    }
}

impl Workload for CapsNet {
    fn name(&self) -> &'static str {
        "capsnet"
    }

    fn description(&self) -> &'static str {
        "CapsNet: conv 9x9 1->64, 288 primary 8D caps, 10x16D digit caps, 3 routing iters, \
         margin loss, batch 32, Adam"
    }

    fn step(&mut self) -> f32 {
        self.trainee.train_step(|model| model.loss(self.images.clone(), self.targets.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squash_keeps_direction_and_maps_length_n_to_n2_over_1_plus_n2() {
        let device = Device::flex();
        let s = Tensor::<3>::from_floats([[[3.0, 4.0], [0.0, 0.0]]], &device);
        let v: Vec<f32> = squash(s).into_data().try_to_vec().unwrap();
        let scale = 25.0 / 26.0 / 5.0;
        let expected = [3.0 * scale, 4.0 * scale, 0.0, 0.0];
        for (got, want) in v.iter().zip(expected) {
            assert!((got - want).abs() < 1e-6, "{v:?} != {expected:?}");
        }
    }

    #[test]
    fn predict_is_w_ij_times_u_i_for_every_example_and_pair() {
        let device = Device::flex();
        let model = CapsNetModel::new(&device);
        let batch = 3;
        let shape = [batch, PRIMARY_CAPSULES, PRIMARY_DIM];
        let primary = Tensor::<3>::random(shape, Distribution::Normal(0.0, 1.0), &device);
        let u: Vec<f32> = primary.to_data().try_to_vec().unwrap();
        let w: Vec<f32> = model.predictions.val().into_data().try_to_vec().unwrap();
        let u_hat: Vec<f32> = model.predict(primary).into_data().try_to_vec().unwrap();
        let rows = DIGITS * DIGIT_DIM;
        for b in 0..batch {
            for i in 0..PRIMARY_CAPSULES {
                for r in 0..rows {
                    let w_row = &w[(i * rows + r) * PRIMARY_DIM..][..PRIMARY_DIM];
                    let u_i = &u[(b * PRIMARY_CAPSULES + i) * PRIMARY_DIM..][..PRIMARY_DIM];
                    let want: f32 = w_row.iter().zip(u_i).map(|(w, u)| w * u).sum();
                    let got = u_hat[(b * PRIMARY_CAPSULES + i) * rows + r];
                    assert!((got - want).abs() < 1e-6, "b {b} i {i} row {r}: {got} != {want}");
                }
            }
        }
    }
}
