//! A pyramidal RNN (Chan et al. 2016, "Listen, Attend and Spell"): before each layer, neighbouring
//! frames of the sequence below are joined in pairs, so every layer reads half as many steps.
//!
//! ```text
//! z⁰ = x                                         [batch, T, input]
//! ẑˡ_k = [zˡ⁻¹_{2k}, zˡ⁻¹_{2k+1}]                  [batch, T / 2ˡ, 2 width(zˡ⁻¹)]
//! zˡ = cellˡ over ẑˡ                              [batch, T / 2ˡ, hidden]      l = 1 .. L
//! ```
//!
//! The reduction is per layer and includes the first: layer l (1-based) reads `T / 2ˡ` steps, the
//! top one `T / 2ᴸ`, so three layers read 8x fewer steps at the top ([`PyramidalRnn::reduction`]).
//! (LAS puts one ordinary BLSTM under its three pyramidal layers; we let the first layer join the
//! input frames itself, which saves its T-step pass.) `T` must be a multiple of `2ᴸ`.

use crate::any_cell::{AnyCell, CellKind};
use crate::cell::RecurrentCell;
use crate::unroll::unroll;
use anyhow::{Result, ensure};
use burn::config::Config;
use burn::module::Module;
use burn::prelude::{Device, Tensor};

/// A pyramid of `layers` cells of one kind, each `hidden_size` wide.
#[derive(Config, Debug)]
pub struct PyramidalRnnConfig {
    /// Which cell every layer uses.
    pub kind: CellKind,
    /// Width of `x_t` (the first layer reads pairs: `2 * input_size`).
    pub input_size: usize,
    /// Width of every layer's `h_t` (the layers above read `2 * hidden_size`).
    pub hidden_size: usize,
    /// Number of layers L (at least 1), each halving the time steps.
    pub layers: usize,
}

impl PyramidalRnnConfig {
    /// The freshly initialised pyramid; an error when `layers` is 0.
    pub fn init(&self, device: &Device) -> Result<PyramidalRnn<AnyCell>> {
        ensure!(self.layers > 0, "PyramidalRnnConfig: a pyramid needs at least one layer, got 0");
        let layers = (0..self.layers)
            .map(|l| {
                let below = if l == 0 { self.input_size } else { self.hidden_size };
                self.kind.init(2 * below, self.hidden_size, device)
            })
            .collect();
        PyramidalRnn::new(layers)
    }
}

/// L recurrent cells, bottom first, each reading pairs of the frames below.
#[derive(Module, Debug)]
pub struct PyramidalRnn<C: Module + RecurrentCell> {
    /// The cells; `layers[l]` reads `2 *` the width of the sequence below it.
    pub layers: Vec<C>,
}

impl<C: Module + RecurrentCell> PyramidalRnn<C> {
    /// A pyramid of the given cells: an error when there are none or when a layer does not read
    /// twice the hidden width of the layer below.
    pub fn new(layers: Vec<C>) -> Result<Self> {
        ensure!(!layers.is_empty(), "PyramidalRnn::new: a pyramid needs at least one layer");
        for (l, pair) in layers.windows(2).enumerate() {
            ensure!(
                pair[1].input_size() == 2 * pair[0].hidden_size(),
                "PyramidalRnn::new: layer {} must read 2 x {} features (pairs of layer {l}'s outputs), \
                 it reads {}",
                l + 1,
                pair[0].hidden_size(),
                pair[1].input_size()
            );
        }
        Ok(Self { layers })
    }

    /// How many input steps one top-layer step covers: `2ᴸ`.
    pub fn reduction(&self) -> usize {
        1 << self.layers.len()
    }

    /// The number of steps each layer reads (bottom first) for an input of `time` steps:
    /// `[T/2, T/4, .., T/2ᴸ]`; an error unless `time` is a positive multiple of `2ᴸ`.
    pub fn steps_per_layer(&self, time: usize) -> Result<Vec<usize>> {
        ensure!(
            time > 0 && time.is_multiple_of(self.reduction()),
            "PyramidalRnn: a {}-layer pyramid halves the sequence {} times, so its length must be a \
             positive multiple of {}; got {time} steps",
            self.layers.len(),
            self.layers.len(),
            self.reduction()
        );
        Ok((1..=self.layers.len()).map(|l| time >> l).collect())
    }

    /// `inputs: [batch, T, input]` -> the top layer's outputs `[batch, T / 2ᴸ, hidden]` and every
    /// layer's final state (bottom first). An error unless `T` is a positive multiple of `2ᴸ`.
    pub fn forward(&self, inputs: Tensor<3>) -> Result<(Tensor<3>, Vec<C::State>)> {
        self.steps_per_layer(inputs.dims()[1])?;
        let mut sequence = inputs;
        let mut states = Vec::with_capacity(self.layers.len());
        for layer in &self.layers {
            let (outputs, state) = unroll(layer, join_neighbours(sequence)?, None);
            sequence = outputs;
            states.push(state);
        }
        Ok((sequence, states))
    }
}

/// `[batch, T, features]` -> `[batch, T/2, 2 features]`, step k being `[z_{2k}, z_{2k+1}]`
/// (a reshape: the two frames are neighbours in memory). An error when `T` is odd.
pub fn join_neighbours(sequence: Tensor<3>) -> Result<Tensor<3>> {
    let [batch, time, features] = sequence.dims();
    ensure!(
        time.is_multiple_of(2),
        "join_neighbours: cannot pair the frames of an odd-length ({time}) sequence"
    );
    Ok(sequence.reshape([batch, time / 2, 2 * features]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::Distribution;
    use shared::testing::{Tolerance, assert_tensors_close, seeded};

    #[test]
    fn three_layers_read_eight_times_fewer_steps_at_the_top() {
        seeded(1, |device| {
            let pyramid = PyramidalRnnConfig::new(CellKind::LSTM, 3, 5, 3).init(device).unwrap();
            assert_eq!(pyramid.reduction(), 8);
            assert_eq!(pyramid.steps_per_layer(64).unwrap(), vec![32, 16, 8]);
            let (top, states) =
                pyramid.forward(Tensor::random([2, 64, 3], Distribution::Default, device)).unwrap();
            assert_eq!(top.dims(), [2, 8, 5]);
            assert_eq!(states.len(), 3);
        });
    }

    #[test]
    fn lengths_that_do_not_divide_are_an_error() {
        let device = Device::flex();
        let pyramid = PyramidalRnnConfig::new(CellKind::Gru, 3, 4, 2).init(&device).unwrap();
        let err = pyramid.forward(Tensor::zeros([1, 10, 3], &device)).unwrap_err().to_string();
        assert!(err.contains("positive multiple of 4; got 10 steps"), "{err}");
    }

    #[test]
    fn joining_neighbours_concatenates_consecutive_frames() {
        let device = Device::flex();
        let frames = Tensor::<3>::from_floats([[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]], &device);
        let expected = Tensor::<3>::from_floats([[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]], &device);
        assert_tensors_close("pairs", join_neighbours(frames).unwrap(), expected, Tolerance::F32);
        assert!(join_neighbours(Tensor::zeros([1, 3, 2], &device)).is_err());
    }
}
