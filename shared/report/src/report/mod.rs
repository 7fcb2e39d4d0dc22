//! The result record of an experiment run and the texts made from it.
//!
//! A lecture binary builds an [`ExperimentRecord`] while it runs (curves point by point, final
//! metrics, checked claims, pictures), writes it to `out/<crate>/<experiment>.json` with
//! [`ExperimentRecord::write`] and prints [`ExperimentRecord::print_summary`]. `cargo xtask
//! report` gathers every record with [`collect_records`] into the results gallery.
//!
//! ```no_run
//! use shared_report::report::ExperimentRecord;
//! let mut record = ExperimentRecord::new("lecture-01-rnn", "parity").with_run("flex", 42, true);
//! record.define_curve("train loss", "epoch", "cross-entropy");
//! record.push_point("train loss", 1.0, 0.69);
//! record.set_metric("test accuracy", 0.98);
//! record.add_claim("an RNN learns parity", "accuracy > 0.95", "0.98", true);
//! let path = record.write("out")?;
//! record.print_summary(&path);
//! # anyhow::Ok(())
//! ```

mod chart;
mod collect;
mod json_float;
mod markdown;
mod record;

#[cfg(test)]
mod tests;

pub use collect::{CollectedRecords, RecordFile, SkippedFile, collect_records};
pub use record::{ClaimResult, Curve, ExperimentRecord};
