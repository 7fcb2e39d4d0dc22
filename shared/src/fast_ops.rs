//! Element-wise operations that burn-flex runs slowly, on the fused CPU kernels of
//! [`crate::recurrent`].
//!
//! burn-flex computes `tanh` with a scalar library call per element, and again in the backward
//! pass: 20% of the `gan` workload's step. On flex in f32, [`tanh`] is one autodiff node whose
//! forward pass is vectorised (within 3e-7 of the exact value) and whose backward pass takes
//! `1 - y²` from the saved output; `gan` ran 1.3x faster with it. Elsewhere (wgpu, ndarray, f64)
//! it is burn's own.
//!
//! (A `Linear` forward on the packed tile of [`crate::recurrent::affine_kernel`] was tried for
//! the MLP and GAN layers too: at their sizes, one product per weight, it was no faster than
//! burn-flex's.)

use crate::recurrent::extension::{FusedKernelBackend, has_kernels};
use burn::backend::Dispatch;
use burn::prelude::Tensor;

/// `x.tanh()`.
pub fn tanh<const D: usize>(x: Tensor<D>) -> Tensor<D> {
    if !has_kernels(&x.device(), x.dtype()) {
        return x.tanh();
    }
    Tensor::from_dispatch(<Dispatch as FusedKernelBackend>::fused_tanh(x.into_dispatch()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{Tolerance, assert_tensors_close, grad_of, leaf, seeded};
    use burn::tensor::Distribution;

    /// Values and input gradient equal burn's `tanh` on a 3-D tensor spanning saturation.
    #[test]
    fn tanh_matches_burns_tanh_in_value_and_gradient() {
        seeded(4, |device| {
            let x = Tensor::<3>::random([3, 5, 7], Distribution::Normal(0.0, 3.0), device);
            let r = Tensor::<3>::random([3, 5, 7], Distribution::Normal(0.0, 1.0), device);
            let run = |fast: bool| {
                let x = leaf(&x);
                let y = if fast { tanh(x.clone()) } else { x.clone().tanh() };
                let grads = (y.clone() * r.clone()).sum().backward();
                (y, grad_of("x", &x, &grads))
            };
            let (fast, burn) = (run(true), run(false));
            assert_tensors_close("tanh", fast.0, burn.0, Tolerance::new(1e-6, 1e-6));
            assert_tensors_close("gradient of x", fast.1, burn.1, Tolerance::new(1e-5, 1e-5));
        });
    }
}
