//! Layer types combined: a small CNN reads every frame of an image sequence into a feature
//! vector, a recurrent cell reads the sequence of features, a linear read-out gives the answer.
//!
//! ```text
//! z_t = CNN(x_t)                  x_t: [batch, 1, 28, 28] -> z_t: [batch, features]
//! h_t = cell(z_t, h_{t-1})        h_t: [batch, hidden]
//! y_t = h_t W_out + b_out         y_t: [batch, classes]; the answer is y_T
//! ```
//!
//! The CNN is conv 5x5 (1 -> c1) - ReLU - max-pool 2x2 - conv 5x5 (c1 -> c2) - ReLU - max-pool
//! 2x2 - linear (c2 * 4 * 4 -> features) - ReLU: a 28x28 image becomes 24x24, 12x12, 8x8, 4x4.
//! The same CNN (the same weights) reads every frame: parameter sharing in space by the
//! convolutions, in time by the recurrence.
//!
//! [`Memory::ResetEveryStep`] cuts the recurrence: every step starts from the zero state, so
//! `y_t` depends on frame `t` alone. It is the "CNN only" baseline, and the ablation that shows
//! the recurrence is what carries information across frames.

use crate::any_cell::{AnyCell, CellKind};
use crate::cell::RecurrentCell;
use burn::module::Module;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::pool::{MaxPool2d, MaxPool2dConfig};
use burn::nn::{Linear, LinearConfig};
use burn::prelude::{Device, Tensor};
use burn::tensor::activation::relu;
use shared::fast_ops::{conv2d, max_pool2d_of_relu};

/// Side of the images the frame encoder reads.
pub const FRAME_SIDE: usize = 28;
/// Side of the feature maps after the two conv + pool stages: ((28 - 4) / 2 - 4) / 2.
const MAP_SIDE: usize = 4;

/// Whether the cell's state is carried from one frame to the next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Memory {
    /// `h_t = cell(z_t, h_{t-1})`: the recurrent network.
    Carried,
    /// `h_t = cell(z_t, 0)`: every frame is read alone (the "CNN only" baseline).
    ResetEveryStep,
}

/// Sizes of a [`CnnRnn`].
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct CnnRnnConfig {
    /// Channels of the first and second convolution.
    pub channels: [usize; 2],
    /// Width of the feature vector `z_t` of one frame.
    pub features: usize,
    /// The recurrent cell and its width.
    pub cell: CellKind,
    pub hidden: usize,
    /// Output classes of the read-out.
    pub classes: usize,
}

impl CnnRnnConfig {
    /// A fresh model (burn's default initialisation for the CNN and read-out, the cell's own).
    pub fn init(&self, device: &Device) -> CnnRnn {
        let [c1, c2] = self.channels;
        CnnRnn {
            conv1: Conv2dConfig::new([1, c1], [5, 5]).init(device),
            conv2: Conv2dConfig::new([c1, c2], [5, 5]).init(device),
            pool: MaxPool2dConfig::new([2, 2]).init(),
            project: LinearConfig::new(c2 * MAP_SIDE * MAP_SIDE, self.features).init(device),
            cell: self.cell.init(self.features, self.hidden, device),
            readout: LinearConfig::new(self.hidden, self.classes).init(device),
        }
    }
}

/// A CNN frame encoder, a recurrent cell over the frames, and a linear read-out.
#[derive(Module, Debug)]
pub struct CnnRnn {
    pub conv1: Conv2d,
    pub conv2: Conv2d,
    pub pool: MaxPool2d,
    /// `[c2 * 4 * 4, features]`.
    pub project: Linear,
    pub cell: AnyCell,
    /// `[hidden, classes]`.
    pub readout: Linear,
}

impl CnnRnn {
    /// `images: [n, 1, 28, 28]` -> features `[n, features]`.
    pub fn encode(&self, images: Tensor<4>) -> Tensor<2> {
        let maps = max_pool2d_of_relu(&self.pool, conv2d(&self.conv1, images));
        let maps = max_pool2d_of_relu(&self.pool, conv2d(&self.conv2, maps));
        relu(self.project.forward(maps.flatten(1, 3)))
    }

    /// `frames: [batch, time, 1, 28, 28]` -> `y_t` at every step, `[batch, time, classes]`.
    pub fn forward_every_step(&self, frames: Tensor<5>, memory: Memory) -> Tensor<3> {
        let [batch, time, channels, height, width] = frames.dims();
        let features = self.encode(frames.reshape([batch * time, channels, height, width]));
        let [_, width_z] = features.dims();
        let hidden = self.cell.hidden_size();
        let hiddens = match memory {
            Memory::Carried => self.cell.unroll(features.reshape([batch, time, width_z]), None).0,
            Memory::ResetEveryStep => {
                let zero = self.cell.zero_state(batch * time, &features.device());
                AnyCell::hidden(&self.cell.step(features, zero)).reshape([batch, time, hidden])
            }
        };
        self.readout.forward(hiddens)
    }

    /// `frames: [batch, time, 1, 28, 28]` -> the answer `y_T: [batch, classes]`, read from the
    /// last hidden state.
    pub fn forward(&self, frames: Tensor<5>, memory: Memory) -> Tensor<2> {
        let [_, time, _, _, _] = frames.dims();
        let every_step = self.forward_every_step(frames, memory);
        every_step.narrow(1, time - 1, 1).squeeze_dim(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::Distribution;
    use shared::testing::{Tolerance, assert_tensors_close, seeded};

    fn model(device: &Device) -> CnnRnn {
        let config =
            CnnRnnConfig { channels: [2, 3], features: 5, cell: CellKind::Gru, hidden: 4, classes: 7 };
        config.init(device)
    }

    #[test]
    fn shapes_follow_the_frames() {
        seeded(0, |device| {
            let model = model(device);
            let frames = Tensor::<5>::random([2, 3, 1, 28, 28], Distribution::Default, device);
            assert_eq!(model.forward_every_step(frames.clone(), Memory::Carried).dims(), [2, 3, 7]);
            assert_eq!(model.forward(frames, Memory::ResetEveryStep).dims(), [2, 7]);
        });
    }

    #[test]
    fn the_first_step_is_the_same_with_or_without_memory_and_later_steps_differ() {
        seeded(1, |device| {
            let model = model(device);
            let frames = Tensor::<5>::random([2, 3, 1, 28, 28], Distribution::Default, device);
            let carried = model.forward_every_step(frames.clone(), Memory::Carried);
            let reset = model.forward_every_step(frames, Memory::ResetEveryStep);
            let first = |y: &Tensor<3>| y.clone().narrow(1, 0, 1);
            assert_tensors_close("y_1", first(&carried), first(&reset), Tolerance::F32);
            let last_gap = (carried.narrow(1, 2, 1) - reset.narrow(1, 2, 1)).abs().max().into_scalar::<f32>();
            assert!(last_gap > 1e-4, "the state carried from earlier frames changes y_3: {last_gap}");
        });
    }

    #[test]
    fn without_memory_each_answer_depends_on_its_own_frame_only() {
        seeded(2, |device| {
            let model = model(device);
            let frames = Tensor::<5>::random([1, 3, 1, 28, 28], Distribution::Default, device);
            let last_alone = frames.clone().narrow(1, 2, 1);
            assert_tensors_close(
                "y_3 of the sequence vs of its last frame alone",
                model.forward(frames, Memory::ResetEveryStep),
                model.forward(last_alone, Memory::Carried),
                Tolerance::F32,
            );
        });
    }
}
