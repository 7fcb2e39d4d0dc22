//! The small training kit every lecture's loop uses.
//!
//! A lecture writes its own loop (that is part of what it teaches) and calls into these pieces:
//! - [`Progress`]: a progress bar with the latest loss and metric, silent when not a terminal;
//! - [`ensure_finite`]: stop a diverging run (NaN or infinite loss) with a clear error;
//! - [`LossTrace`]: a loss curve in the record, the bar, and the mean of the last tenth;
//! - [`FusedAdamConfig`]: burn's Adam, bit for bit, in one pass per parameter on flex.

mod divergence;
mod loss_trace;
mod progress;

pub use divergence::{Diverged, ensure_finite};
pub use loss_trace::LossTrace;
pub use progress::Progress;
pub use shared_kernels::fused_adam::FusedAdamConfig;
