//! The mean and variance of a layer's activations, pooled over the batch and the units: the two
//! numbers whose travel through the layers tells whether a network self-normalises.

use burn::prelude::Tensor;
use serde::Serialize;
use shared::report::ExperimentRecord;

/// Mean and variance of all the elements of one layer's activations.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Moments {
    pub mean: f64,
    pub var: f64,
}

impl Moments {
    /// The moments of `x: [batch, width]`, computed in f64 on the host.
    pub fn of(x: Tensor<2>) -> Moments {
        let values: Vec<f64> = x.into_data().iter::<f64>().collect();
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
        Moments { mean, var }
    }

    /// Whether these moments are within `mean_tol` of mean 0 and `var_tol` of variance 1.
    pub fn near_standard(&self, mean_tol: f64, var_tol: f64) -> bool {
        self.mean.abs() < mean_tol && (self.var - 1.0).abs() < var_tol
    }

    /// The first layer (1-based) from which on every layer is [`Self::near_standard`], if any.
    pub fn settles_at(layers: &[Moments], mean_tol: f64, var_tol: f64) -> Option<usize> {
        let last_off = layers.iter().rposition(|m| !m.near_standard(mean_tol, var_tol));
        match last_off {
            None => Some(1),
            Some(i) if i + 1 < layers.len() => Some(i + 2),
            Some(_) => None,
        }
    }
}

/// Adds the curves `<name> mean` and `<name> variance` against the layer (1-based) to `record`.
pub fn record_layer_curves(record: &mut ExperimentRecord, name: &str, layers: &[Moments]) {
    for (what, values) in [
        ("mean", layers.iter().map(|m| m.mean).collect::<Vec<_>>()),
        ("variance", layers.iter().map(|m| m.var).collect()),
    ] {
        let curve = format!("{name} {what}");
        record.define_curve(&curve, "layer", what);
        for (layer, value) in values.into_iter().enumerate() {
            record.push_point(&curve, (layer + 1) as f64, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::prelude::Device;

    #[test]
    fn pooled_moments_of_a_small_tensor() {
        let x = Tensor::<2>::from_floats([[1.0, 3.0], [-1.0, 1.0]], &Device::flex());
        let m = Moments::of(x);
        assert_eq!((m.mean, m.var), (1.0, 2.0));
    }

    #[test]
    fn settling_means_staying_near_standard_to_the_end() {
        let m = |mean, var| Moments { mean, var };
        let layers = [m(0.5, 3.0), m(0.0, 1.0), m(0.3, 1.0), m(0.01, 1.05), m(0.0, 0.98)];
        assert_eq!(Moments::settles_at(&layers, 0.1, 0.1), Some(4));
        assert_eq!(Moments::settles_at(&layers[3..], 0.1, 0.1), Some(1));
        assert_eq!(Moments::settles_at(&layers[..3], 0.1, 0.1), None);
    }
}
