//! The small training kit every lecture's loop uses.
//!
//! A lecture writes its own loop (that is part of what it teaches) and calls into these pieces:
//! - [`Progress`]: a progress bar with the latest loss and metric, silent when not a terminal;
//! - [`MetricLog`]: every logged value by step, saved as CSV and JSON;
//! - [`EarlyStopping`]: stop when a validation metric has not improved for `patience` checks;
//! - [`ensure_finite`]: stop a diverging run (NaN or infinite loss) with a clear error;
//! - [`LossTrace`]: a loss curve in the record, the bar, and the mean of the last tenth;
//! - [`Checkpointer`]: save model + optimiser + progress atomically, and `--resume` from them;
//! - [`FusedAdamConfig`]: burn's Adam, bit for bit, in one pass per parameter on flex.

mod checkpoint;
mod divergence;
mod early_stopping;
mod fused_adam;
mod loss_trace;
mod metric_log;
mod progress;

pub use checkpoint::{Checkpoint, Checkpointer};
pub use divergence::{Diverged, ensure_finite};
pub use early_stopping::{EarlyStopping, Goal, Verdict};
pub use fused_adam::FusedAdamConfig;
pub use loss_trace::LossTrace;
pub use metric_log::MetricLog;
pub use progress::Progress;
