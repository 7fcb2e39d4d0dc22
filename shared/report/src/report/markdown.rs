//! A record as text: markdown tables of its metrics and claims, and the end-of-run summary.

use super::record::ExperimentRecord;
use std::fmt::Write;
use std::path::Path;

impl ExperimentRecord {
    /// The metrics and the claims as two markdown tables (each left out when empty):
    ///
    /// ```text
    /// | metric | value |
    /// |:--|--:|
    /// | test accuracy | 0.9812 |
    ///
    /// | claim | expected | measured | holds |
    /// |:--|:--|:--|:--:|
    /// | attention copies long sequences | > 0.9 | 0.97 | yes |
    /// ```
    pub fn markdown_table(&self) -> String {
        let mut text = String::new();
        if !self.metrics.is_empty() {
            text.push_str("| metric | value |\n|:--|--:|\n");
            for (name, value) in &self.metrics {
                let _ = writeln!(text, "| {} | {} |", cell(name), format_metric(*value));
            }
        }
        if !self.claims.is_empty() {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str("| claim | expected | measured | holds |\n|:--|:--|:--|:--:|\n");
            for claim in &self.claims {
                let holds = if claim.holds { "yes" } else { "**NO**" };
                let _ = writeln!(
                    text,
                    "| {} | {} | {} | {holds} |",
                    cell(&claim.claim),
                    cell(&claim.expected),
                    cell(&claim.measured)
                );
            }
        }
        text
    }

    /// What a lecture binary prints at the end of a run: what ran, the tables, the wall time,
    /// and where the record (`json_path`, as returned by [`ExperimentRecord::write`]) and its
    /// pictures went.
    pub fn summary(&self, json_path: impl AsRef<Path>) -> String {
        let json_path = json_path.as_ref();
        let size = if self.quick { "quick" } else { "full" };
        let mut text = format!(
            "== {} / {} ({size} run, backend {}, seed {}) ==\n\n",
            self.crate_name, self.experiment, self.backend, self.seed
        );
        let tables = self.markdown_table();
        text.push_str(if tables.is_empty() { "(no metrics or claims recorded)\n" } else { &tables });
        let held = self.claims.iter().filter(|c| c.holds).count();
        if !self.claims.is_empty() {
            let _ = writeln!(text, "\nclaims held: {held} of {}", self.claims.len());
        }
        let _ = writeln!(text, "wall time: {:.1} s", self.wall_time_s);
        let _ = writeln!(text, "record: {}", json_path.display());
        for picture in self.picture_paths(json_path) {
            let _ = writeln!(text, "picture: {}", picture.display());
        }
        text
    }

    /// Prints [`ExperimentRecord::summary`] to stdout.
    pub fn print_summary(&self, json_path: impl AsRef<Path>) {
        print!("{}", self.summary(json_path));
    }
}

/// A table cell: `|` escaped and line breaks flattened so the table stays one row per line.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// About four significant digits: `0.9812`, `12.35`, `1500`, `3.142e-5`, `NaN`.
pub(crate) fn format_metric(value: f64) -> String {
    if !value.is_finite() {
        return format!("{value}");
    }
    let magnitude = value.abs();
    if value == value.trunc() && magnitude < 1e5 {
        format!("{value:.0}")
    } else if !(1e-3..1e5).contains(&magnitude) {
        format!("{value:.3e}")
    } else {
        let decimals = (3 - magnitude.log10().floor() as i32).clamp(0, 6) as usize;
        format!("{value:.decimals$}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_read_with_about_four_significant_digits() {
        let cases = [
            (0.981234, "0.9812"),
            (12.3456, "12.35"),
            (1500.0, "1500"),
            (0.0, "0"),
            (3.14159e-5, "3.142e-5"),
            (-2.5e7, "-2.500e7"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-inf"),
        ];
        for (value, text) in cases {
            assert_eq!(format_metric(value), text, "{value}");
        }
    }

    #[test]
    fn cells_cannot_break_the_table() {
        assert_eq!(cell("a | b\nc"), "a \\| b c");
    }
}
