//! A progress bar for training loops: position, rate, time left, and the latest metrics.
//!
//! On a terminal it redraws one line in place; when stderr is not a terminal (CI, a pipe, a
//! test) it draws nothing, so logs stay readable. Finishing prints one summary line either way.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A progress bar over `total` steps that shows the latest metrics.
pub struct Progress {
    bar: ProgressBar,
    label: String,
}

impl Progress {
    /// A bar for `total` steps, labelled e.g. with the experiment's name.
    /// Drawn only when stderr is a terminal.
    pub fn new(label: &str, total: u64) -> Self {
        let target = if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        Self::with_target(label, total, target)
    }

    /// A bar that never draws (for tests and nested loops).
    pub fn hidden(label: &str, total: u64) -> Self {
        Self::with_target(label, total, ProgressDrawTarget::hidden())
    }

    fn with_target(label: &str, total: u64, target: ProgressDrawTarget) -> Self {
        let bar = ProgressBar::with_draw_target(Some(total), target);
        let style = ProgressStyle::with_template(
            "{prefix:>12} [{bar:30}] {pos}/{len} {per_sec:>11} eta {eta:>4} {msg}",
        )
        .expect("the template is valid")
        .progress_chars("=> ");
        bar.set_style(style);
        bar.set_prefix(label.to_string());
        Self { bar, label: label.to_string() }
    }

    /// Moves to `step` and shows `metrics` as `name value` pairs.
    pub fn update(&self, step: u64, metrics: &[(&str, f64)]) {
        self.bar.set_position(step);
        self.bar.set_message(format_metrics(metrics));
    }

    /// The step the bar is at.
    pub fn position(&self) -> u64 {
        self.bar.position()
    }

    /// Clears the bar and prints one line with the final metrics and the elapsed time.
    pub fn finish(&self, metrics: &[(&str, f64)]) {
        let elapsed = self.bar.elapsed().as_secs_f64();
        self.bar.finish_and_clear();
        eprintln!(
            "{}: {} steps in {elapsed:.1}s  {}",
            self.label,
            self.bar.position(),
            format_metrics(metrics)
        );
    }
}

/// `loss 0.1234  acc 0.9876`: four significant decimals, scientific for tiny or huge values.
fn format_metrics(metrics: &[(&str, f64)]) -> String {
    metrics
        .iter()
        .map(|(name, value)| {
            let magnitude = value.abs();
            if magnitude != 0.0 && !(1e-3..1e5).contains(&magnitude) {
                format!("{name} {value:.3e}")
            } else {
                format!("{name} {value:.4}")
            }
        })
        .collect::<Vec<_>>()
        .join("  ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_are_formatted_readably() {
        assert_eq!(format_metrics(&[("loss", 0.123456), ("acc", 1.0)]), "loss 0.1235  acc 1.0000");
        assert_eq!(format_metrics(&[("lr", 1e-5)]), "lr 1.000e-5");
        assert_eq!(format_metrics(&[("loss", f64::NAN)]), "loss NaN");
    }

    #[test]
    fn a_hidden_bar_tracks_position() {
        let progress = Progress::hidden("test", 10);
        progress.update(4, &[("loss", 1.0)]);
        assert_eq!(progress.position(), 4);
    }
}
