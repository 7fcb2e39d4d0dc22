//! Gradient check: autodiff against central finite differences.
//!
//! For a scalar function f of a tensor x, each partial derivative is estimated as
//!
//! ```text
//! df/dx_i ≈ (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)
//! ```
//!
//! whose error is O(eps²) from truncation plus O(ulp(f) / eps) from rounding. In f32 with
//! eps = 1e-3 and f of order 1, that is about 1e-4: use tiny shapes, a function of order one,
//! and the default tolerances. A good f is a fixed random projection of the layer's output,
//! `(layer(x) * r).sum()`, so that every output element reaches the gradient with its own weight
//! and a wrong sign or a missing term cannot cancel out.

use super::close::{Tolerance, compare};
use burn::prelude::{Tensor, TensorData};

/// The outcome of a gradient check.
#[derive(Clone, Debug)]
pub struct GradcheckReport {
    /// Gradient from `backward()`, flattened.
    pub analytic: Vec<f64>,
    /// Central finite-difference estimate, flattened.
    pub numeric: Vec<f64>,
    /// Largest |analytic - numeric|.
    pub max_abs_error: f64,
}

/// Checks `f`'s gradient at `x` with eps = 1e-3 and tolerance rtol 1e-2, atol 2e-3.
///
/// `x` must live on an autodiff device and `f` must return a single-element tensor.
/// `Err` carries a report naming the elements whose derivatives disagree.
pub fn gradcheck<const D: usize>(
    f: impl Fn(Tensor<D>) -> Tensor<1>,
    x: Tensor<D>,
) -> Result<GradcheckReport, String> {
    gradcheck_with(f, x, 1e-3, Tolerance::new(1e-2, 2e-3))
}

/// [`gradcheck`] with an explicit step `eps` and tolerance.
pub fn gradcheck_with<const D: usize>(
    f: impl Fn(Tensor<D>) -> Tensor<1>,
    x: Tensor<D>,
    eps: f64,
    tol: Tolerance,
) -> Result<GradcheckReport, String> {
    if !x.device().is_autodiff() {
        return Err("gradcheck needs x on an autodiff device (device.autodiff())".into());
    }
    let analytic = autodiff_gradient(&f, x.clone())?;
    let numeric = finite_difference_gradient(&f, &x, eps)?;
    let max_abs_error = analytic.iter().zip(&numeric).map(|(a, n)| (a - n).abs()).fold(0.0, f64::max);
    compare(&analytic, &numeric, &x.dims(), tol)
        .map_err(|report| format!("gradient check failed (analytic vs finite differences): {report}"))?;
    Ok(GradcheckReport { analytic, numeric, max_abs_error })
}

fn scalar<const D: usize>(
    f: &impl Fn(Tensor<D>) -> Tensor<1>,
    x: Tensor<D>,
) -> Result<(Tensor<1>, f64), String> {
    let y = f(x);
    if y.dims() != [1] {
        return Err(format!("gradcheck needs a scalar function; f returned shape {:?}", y.dims()));
    }
    let value = y.clone().into_data().iter::<f64>().next().expect("one element");
    Ok((y, value))
}

fn autodiff_gradient<const D: usize>(
    f: &impl Fn(Tensor<D>) -> Tensor<1>,
    x: Tensor<D>,
) -> Result<Vec<f64>, String> {
    let x = x.detach().require_grad();
    let (y, _) = scalar(f, x.clone())?;
    let grads = y.backward();
    match x.grad(&grads) {
        Some(grad) => Ok(grad.into_data().iter::<f64>().collect()),
        // f does not depend on x at all: the true gradient is zero everywhere.
        None => Ok(vec![0.0; x.shape().num_elements()]),
    }
}

/// The central finite-difference estimate of `f`'s gradient at `x`, flattened: the reference
/// a hand-written differentiation engine (lecture 03's) is checked against. `x` may live on
/// any device; `f` must return a single-element tensor.
pub fn finite_difference_gradient<const D: usize>(
    f: &impl Fn(Tensor<D>) -> Tensor<1>,
    x: &Tensor<D>,
    eps: f64,
) -> Result<Vec<f64>, String> {
    let device = x.device();
    let shape = x.dims();
    let base: Vec<f64> = x.clone().into_data().iter::<f64>().collect();
    let at = |values: Vec<f64>| -> Result<f64, String> {
        let data = TensorData::new(values, shape).convert_dtype(x.dtype());
        Ok(scalar(f, Tensor::<D>::from_data(data, &device))?.1)
    };
    (0..base.len())
        .map(|i| {
            let mut plus = base.clone();
            plus[i] += eps;
            let mut minus = base.clone();
            minus[i] -= eps;
            Ok((at(plus)? - at(minus)?) / (2.0 * eps))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared_backend::test_device;

    #[test]
    fn a_correct_gradient_passes() {
        let device = test_device();
        let x = Tensor::<2>::from_floats([[0.3, -0.7], [1.1, 0.2]], &device);
        let report = gradcheck(|x| (x.clone().tanh() * x).sum(), x).unwrap();
        // d/dx (x tanh x) = tanh x + x (1 - tanh² x)
        let expected: Vec<f64> =
            [0.3f64, -0.7, 1.1, 0.2].iter().map(|&v| v.tanh() + v * (1.0 - v.tanh().powi(2))).collect();
        for (a, e) in report.analytic.iter().zip(&expected) {
            assert!((a - e).abs() < 1e-5, "analytic {a} vs closed form {e}");
        }
        assert!(report.max_abs_error < 2e-3);
    }

    #[test]
    fn a_detached_term_is_caught() {
        // The bug a lecture might make: detaching part of the computation drops its gradient.
        let device = test_device();
        let x = Tensor::<1>::from_floats([0.5, -1.5, 2.0], &device);
        let err =
            gradcheck(|x| (x.clone().detach() * x.clone().sin()).sum() + x.detach().powi_scalar(2).sum(), x)
                .unwrap_err();
        assert!(err.contains("gradient check failed"), "{err}");
        assert!(err.contains("of 3 elements differ"), "{err}");
    }

    #[test]
    fn non_scalar_functions_and_plain_devices_are_rejected() {
        let device = test_device();
        let x = Tensor::<1>::from_floats([1.0, 2.0], &device);
        assert!(gradcheck(|x| x * 2.0, x).unwrap_err().contains("scalar"));
        let plain = Tensor::<1>::from_floats([1.0], &burn::prelude::Device::flex());
        assert!(gradcheck(|x| x.sum(), plain).unwrap_err().contains("autodiff"));
    }
}
