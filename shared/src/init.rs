//! Weight initialisation the lectures share.

use burn::module::Param;
use burn::nn::Linear;
use burn::prelude::{Device, Tensor};
use burn::tensor::Distribution;

/// A `Linear` `x W + b` with `W: [fan_in, fan_out]` drawn from `N(0, gain² / fan_in)` and
/// `b = 0`. A layer so drawn keeps the mean square of its input when `gain` suits the
/// nonlinearity after it: 1 is LeCun's normal initialisation (LeCun et al. 1998, "Efficient
/// BackProp": tanh near 0, SELU, a linear read-out), `√2` He's for ReLU (He et al. 2015).
pub fn scaled_normal_linear(fan_in: usize, fan_out: usize, gain: f64, device: &Device) -> Linear {
    let sd = gain / (fan_in as f64).sqrt();
    Linear {
        weight: Param::from_tensor(Tensor::random([fan_in, fan_out], Distribution::Normal(0.0, sd), device)),
        bias: Some(Param::from_tensor(Tensor::zeros([fan_out], device))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::seeded;

    #[test]
    fn weights_have_the_asked_spread_and_biases_start_at_zero() {
        let (sd, bias_max) = seeded(3, |device| {
            let layer = scaled_normal_linear(400, 300, 2f64.sqrt(), device);
            let weight = layer.weight.val();
            let sd = weight.powi_scalar(2).mean().sqrt().into_scalar::<f64>();
            (sd, layer.bias.expect("a bias").val().abs().max().into_scalar::<f64>())
        });
        let expected = (2.0f64 / 400.0).sqrt();
        assert!((sd / expected - 1.0).abs() < 0.02, "sd {sd}, expected {expected}");
        assert_eq!(bias_max, 0.0);
    }
}
