//! Test helpers every lecture uses to prove its from-scratch code right.
//!
//! - [`gradcheck`]: autodiff gradients against central finite differences;
//! - [`assert_close`] / [`assert_tensors_close`]: element-wise comparison with a readable diff;
//! - [`weights`]: building burn's own modules from given weights, for parity tests;
//! - [`check_lecture_command_line`]: the behaviour every lecture's command line shares;
//! - [`seeded`]: run code with burn's process-global random generator seeded and held, so that
//!   tests running in parallel threads still get reproducible weights.

mod close;
mod command_line;
mod gradcheck;
mod grads;
pub mod weights;

pub use close::{Tolerance, assert_close, assert_tensors_close, compare};
pub use command_line::check_lecture_command_line;
pub use gradcheck::{GradcheckReport, gradcheck, gradcheck_with};
pub use grads::{grad_of, leaf, param_grad};
pub use shared_backend::{seeded, seeded_on};
