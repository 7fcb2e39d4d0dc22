//! Test helpers every lecture uses to prove its from-scratch code right (`shared-testing`;
//! lectures reach it as `shared::testing`).
//!
//! - [`gradcheck`]: autodiff gradients against central finite differences;
//! - [`assert_close`] / [`assert_tensors_close`]: element-wise comparison with a readable diff;
//! - [`weights`]: building burn's own modules from given weights, for parity tests;
//! - [`normal`] / [`normal_with`]: tensors of Gaussian draws as test inputs;
//! - [`seeded`]: run code with burn's process-global random generator seeded and held, so that
//!   tests running in parallel threads still get reproducible weights (from `shared-backend`,
//!   whose test device takes the same lock).

mod close;
mod gradcheck;
mod grads;
mod normal;
mod parameters;
pub mod weights;

pub use close::{Tolerance, assert_close, assert_tensors_close, compare};
pub use gradcheck::{GradcheckReport, finite_difference_gradient, gradcheck, gradcheck_with};
pub use grads::{grad_of, leaf, param_grad};
pub use normal::{normal, normal_with};
pub use parameters::gradcheck_parameters;
pub use shared_backend::{seeded, seeded_on};
