//! A search space: every hyperparameter is a coordinate of the unit cube `[0, 1]^d`.
//!
//! ```text
//! linear:  value = low + u (high - low)
//! log:     value = exp(ln low + u (ln high - ln low))      uniform u gives a log-uniform value
//! integer: the value above, rounded
//! ```
//!
//! Every strategy proposes points `u ∈ [0, 1]^d`; the objective maps them to values. Sampling `u`
//! uniformly is therefore uniform search on linear dimensions and log-uniform search on log ones
//! (a learning rate is as likely in [1e-4, 1e-3] as in [0.1, 1]).

use anyhow::{Result, ensure};
use serde::Serialize;

/// How a unit coordinate maps to a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Scale {
    Linear,
    Log,
}

/// One hyperparameter.
#[derive(Clone, Debug, Serialize)]
pub struct Dimension {
    pub name: &'static str,
    pub low: f64,
    pub high: f64,
    pub scale: Scale,
    /// Rounded to an integer (width, depth, batch size).
    pub integer: bool,
}

impl Dimension {
    pub fn linear(name: &'static str, low: f64, high: f64) -> Dimension {
        Dimension { name, low, high, scale: Scale::Linear, integer: false }
    }

    pub fn log(name: &'static str, low: f64, high: f64) -> Dimension {
        Dimension { name, low, high, scale: Scale::Log, integer: false }
    }

    /// Rounded to an integer.
    pub fn integer(self) -> Dimension {
        Dimension { integer: true, ..self }
    }

    /// The value at unit coordinate `u` (clamped to [0, 1]).
    pub fn value(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        let value = match self.scale {
            Scale::Linear => self.low + u * (self.high - self.low),
            Scale::Log => (self.low.ln() + u * (self.high.ln() - self.low.ln())).exp(),
        };
        if self.integer { value.round() } else { value }
    }
}

/// The hyperparameters of an objective.
#[derive(Clone, Debug, Serialize)]
pub struct Space {
    pub dimensions: Vec<Dimension>,
}

impl Space {
    /// A space of `dimensions`; a log dimension needs `0 < low`, every one `low < high`.
    pub fn new(dimensions: Vec<Dimension>) -> Result<Space> {
        ensure!(!dimensions.is_empty(), "a search space needs at least one dimension");
        for d in &dimensions {
            ensure!(d.low < d.high, "{}: low {} is not below high {}", d.name, d.low, d.high);
            ensure!(d.scale == Scale::Linear || d.low > 0.0, "{}: a log scale needs low > 0", d.name);
        }
        Ok(Space { dimensions })
    }

    /// `d` unnamed linear dimensions on [0, 1] (the synthetic functions).
    pub fn unit(d: usize) -> Space {
        const NAMES: [&str; 6] = ["x1", "x2", "x3", "x4", "x5", "x6"];
        Space { dimensions: (0..d).map(|i| Dimension::linear(NAMES[i % NAMES.len()], 0.0, 1.0)).collect() }
    }

    pub fn len(&self) -> usize {
        self.dimensions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.dimensions.is_empty()
    }

    /// The values of the unit point `u`.
    pub fn values(&self, u: &[f64]) -> Vec<f64> {
        self.dimensions.iter().zip(u).map(|(d, &u)| d.value(u)).collect()
    }

    /// The index of the dimension called `name`.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.dimensions.iter().position(|d| d.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_dimensions_map_the_unit_interval_to_decades() {
        let lr = Dimension::log("lr", 1e-4, 1.0);
        assert!((lr.value(0.0) - 1e-4).abs() < 1e-12 && (lr.value(1.0) - 1.0).abs() < 1e-12);
        assert!((lr.value(0.5) - 1e-2).abs() < 1e-12, "the middle of 4 decades is 1e-2");
        let width = Dimension::log("width", 16.0, 256.0).integer();
        assert_eq!(width.value(0.5), 64.0);
        assert_eq!(Dimension::linear("p", 0.0, 0.5).value(2.0), 0.5, "clamped");
    }

    #[test]
    fn bad_ranges_are_errors_naming_the_dimension() {
        let err = Space::new(vec![Dimension::log("lr", 0.0, 1.0)]).unwrap_err().to_string();
        assert!(err.contains("lr") && err.contains("log"), "{err}");
        assert!(Space::new(vec![Dimension::linear("p", 1.0, 1.0)]).is_err());
        assert!(Space::new(vec![]).is_err());
    }
}
