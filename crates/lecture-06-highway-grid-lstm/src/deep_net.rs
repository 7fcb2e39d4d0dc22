//! A deep feed-forward classifier of any depth, built from one kind of layer:
//!
//! ```text
//! x: [batch, input] -> g(x W_in + b_in): [batch, width]         a plain projection (not counted)
//!                   -> depth layers of one kind: [batch, width]  plain, highway or residual
//!                   -> logits = h W_out + b_out: [batch, classes]
//! ```
//!
//! The same skeleton as Srivastava et al. 2015's MNIST nets: only the middle layers change, so
//! any difference in training is the layer kind's. [`DeepNet::forward_lesioned`] skips one
//! layer (the lesioning experiment), [`DeepNet::forward_with_gates`] also returns the highway
//! layers' transform gates.

use crate::highway::HighwayLayer;
use crate::layer::Activation;
use crate::plain::PlainLayer;
use crate::residual::ResidualLayer;
use anyhow::{Result, ensure};
use burn::module::Module;
use burn::nn::Linear;
use burn::prelude::{Device, Tensor};
use serde::{Deserialize, Serialize};
use shared::init::scaled_normal_linear;

/// Which layer the middle of the net is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LayerKind {
    Plain,
    Highway,
    Residual,
}

impl LayerKind {
    /// All three, in table order.
    pub const ALL: [LayerKind; 3] = [LayerKind::Plain, LayerKind::Highway, LayerKind::Residual];

    /// Lower-case name for tables, curves and file names.
    pub fn name(self) -> &'static str {
        match self {
            LayerKind::Plain => "plain",
            LayerKind::Highway => "highway",
            LayerKind::Residual => "residual",
        }
    }
}

/// One middle layer.
#[derive(Module, Debug)]
pub enum Layer {
    Plain(PlainLayer),
    Highway(HighwayLayer),
    Residual(ResidualLayer),
}

impl Layer {
    /// `[batch, width]` -> `[batch, width]`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        match self {
            Layer::Plain(layer) => layer.forward(x),
            Layer::Highway(layer) => layer.forward(x),
            Layer::Residual(layer) => layer.forward(x),
        }
    }
}

/// Sizes and kind of a [`DeepNet`].
#[derive(Clone, Debug, Serialize)]
pub struct DeepNetConfig {
    pub input: usize,
    pub width: usize,
    /// Number of middle layers.
    pub depth: usize,
    pub classes: usize,
    pub kind: LayerKind,
    /// `g` of every middle layer.
    pub activation: Activation,
    /// Initial `b_T` of highway layers (ignored by the other kinds).
    pub gate_bias: f64,
    /// Highway layers' `W_T`, `b_T` never learn ([`HighwayLayer::with_frozen_gate`]).
    pub frozen_gates: bool,
}

impl DeepNetConfig {
    /// A tanh net of `depth` layers of `kind`, highway gate bias -3.
    ///
    /// tanh, not ReLU: a highway layer's ReLU transform is unbounded, and at depth 50 our ReLU
    /// highway nets blew up (training loss 2.3 -> 260 in 300 steps with `b_T = -3`); tanh also
    /// makes the highway layer exactly a GRU step ([`crate::highway_gru`]). `b_T = -3` trained
    /// best at depth 50 (final loss 0.29, against 0.47 with -2 and no progress at all with -1).
    pub fn new(input: usize, width: usize, depth: usize, classes: usize, kind: LayerKind) -> Self {
        Self {
            input,
            width,
            depth,
            classes,
            kind,
            activation: Activation::Tanh,
            gate_bias: -3.0,
            frozen_gates: false,
        }
    }

    /// The net, its parameters drawn from `device`'s random generator; an error for zero sizes.
    pub fn init(&self, device: &Device) -> Result<DeepNet> {
        ensure!(
            self.input > 0 && self.width > 0 && self.classes > 0,
            "a deep net needs input, width and classes of at least 1: {self:?}"
        );
        let layers = (0..self.depth)
            .map(|_| match self.kind {
                LayerKind::Plain => Layer::Plain(PlainLayer::new(self.width, self.activation, device)),
                LayerKind::Highway => {
                    let layer = HighwayLayer::new(self.width, self.activation, self.gate_bias, device);
                    Layer::Highway(if self.frozen_gates { layer.with_frozen_gate() } else { layer })
                }
                LayerKind::Residual => {
                    Layer::Residual(ResidualLayer::new(self.width, self.activation, device))
                }
            })
            .collect();
        Ok(DeepNet {
            projection: scaled_normal_linear(self.input, self.width, self.activation.gain(), device),
            layers,
            readout: scaled_normal_linear(self.width, self.classes, 1.0, device),
            activation: self.activation,
        })
    }
}

/// Projection, `depth` middle layers, linear read-out.
#[derive(Module, Debug)]
pub struct DeepNet {
    /// `W_in: [input, width]`.
    pub projection: Linear,
    pub layers: Vec<Layer>,
    /// `W_out: [width, classes]`.
    pub readout: Linear,
    #[module(skip)]
    activation: Activation,
}

impl DeepNet {
    /// `x: [batch, input]` -> logits `[batch, classes]`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        self.forward_lesioned(x, None)
    }

    /// The same with middle layer `removed` (0-based) replaced by the identity.
    pub fn forward_lesioned(&self, x: Tensor<2>, removed: Option<usize>) -> Tensor<2> {
        let mut h = self.activation.apply(self.projection.forward(x));
        for (index, layer) in self.layers.iter().enumerate() {
            if Some(index) != removed {
                h = layer.forward(h);
            }
        }
        self.readout.forward(h)
    }

    /// Logits and, for each highway layer in order, its transform gate `T: [batch, width]`
    /// (none for plain and residual layers).
    pub fn forward_with_gates(&self, x: Tensor<2>) -> (Tensor<2>, Vec<Tensor<2>>) {
        let mut h = self.activation.apply(self.projection.forward(x));
        let mut gates = Vec::new();
        for layer in &self.layers {
            h = match layer {
                Layer::Highway(highway) => {
                    let (y, gate) = highway.forward_with_gate(h);
                    gates.push(gate);
                    y
                }
                other => other.forward(h),
            };
        }
        (self.readout.forward(h), gates)
    }

    /// Number of middle layers.
    pub fn depth(&self) -> usize {
        self.layers.len()
    }
}
