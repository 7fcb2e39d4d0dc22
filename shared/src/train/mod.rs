//! Training: the one supervised loop and the pieces it (and the GAN and RL loops) are built from.
//!
//! - [`Fit`]: the supervised training loop every lecture's classifier or regressor trains in:
//!   a loss per step, an optimiser step, the loss curve, evaluations, a divergence stop;
//! - [`accuracy`] and [`correct`]: how many rows have their arg-max at the label;
//! - [`Progress`]: a progress bar with the latest loss and metric, silent when not a terminal;
//! - [`ensure_finite`]: stop a diverging run (NaN or infinite loss) with a clear error;
//! - [`gradient_norm`]: `||dL/dtheta||` over a module's parameters, from one `backward()`;
//! - [`LossTrace`]: a loss curve in the record, the bar, and the mean of the last tenth;
//! - [`FusedAdamConfig`]: burn's Adam, bit for bit, in one pass per parameter on flex.

mod accuracy;
mod divergence;
mod fit;
mod gradient_norm;
mod loss_trace;
mod progress;

pub use accuracy::{accuracy, correct};
pub use divergence::{Diverged, ensure_finite};
pub use fit::{Fit, Fitted};
pub use gradient_norm::gradient_norm;
pub use loss_trace::LossTrace;
pub use progress::Progress;
pub use shared_kernels::fused_adam::FusedAdamConfig;
