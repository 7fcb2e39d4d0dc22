//! The simple recurrent network (Elman 1990), the recurrent LM of Mikolov et al. 2010:
//!
//! ```text
//! h_t = tanh([x_t, h_{t-1}] W + b)        W: [input + hidden, hidden], b: [hidden]
//! ```
//!
//! Shapes: `x: [batch, time, input]`, `h_t: [batch, hidden]`, outputs `[batch, time, hidden]`.

use burn::module::{Module, Param};
use burn::prelude::{Device, Tensor};
use burn::tensor::Distribution;

/// A one-layer tanh RNN.
#[derive(Module, Debug)]
pub struct Rnn {
    /// `W: [input + hidden, hidden]`.
    pub weight: Param<Tensor<2>>,
    /// `b: [hidden]`.
    pub bias: Param<Tensor<1>>,
}

impl Rnn {
    /// Weights and bias from `U(-1/√hidden, 1/√hidden)`.
    pub fn new(input: usize, hidden: usize, device: &Device) -> Rnn {
        let bound = 1.0 / (hidden as f64).sqrt();
        let init = Distribution::Uniform(-bound, bound);
        Rnn {
            weight: Param::from_tensor(Tensor::random([input + hidden, hidden], init, device)),
            bias: Param::from_tensor(Tensor::random([hidden], init, device)),
        }
    }

    /// Runs over `x: [batch, time, input]` from `h_0` (zeros if `None`): outputs
    /// `[batch, time, hidden]` and `h_T`.
    pub fn forward(&self, x: Tensor<3>, h_0: Option<Tensor<2>>) -> (Tensor<3>, Tensor<2>) {
        let [batch, time, _] = x.dims();
        let hidden = self.bias.dims()[0];
        let mut h = h_0.unwrap_or_else(|| Tensor::zeros([batch, hidden], &x.device()));
        let mut outputs = Vec::with_capacity(time);
        for x_t in x.chunk(time, 1) {
            h = (Tensor::cat(vec![x_t.squeeze_dim(1), h], 1).matmul(self.weight.val())
                + self.bias.val().unsqueeze())
            .tanh();
            outputs.push(h.clone());
        }
        (Tensor::stack(outputs, 1), h)
    }
}
