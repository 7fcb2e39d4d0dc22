//! An axis scale: maps data values to a fraction `0..=1` of the axis, and names its ticks.
//!
//! Linear: `f(v) = (v - lo) / (hi - lo)` with `lo`, `hi` nice ticks enclosing the data.
//! Log10: `f(v) = (log10 v - a) / (b - a)` with `10^a`, `10^b` the powers of ten enclosing the
//! positive data; values `<= 0` have no place on it and are skipped like NaN.

use super::ticks::{format_power_of_ten, format_tick, linear_ticks};

/// A labelled tick: where it is (data units) and what it says.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Tick {
    pub value: f64,
    pub label: String,
}

/// How data values are laid out along an axis.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Scale {
    /// Evenly spaced ticks `lo, lo + step, ..., hi`.
    Linear { ticks: Vec<f64> },
    /// Decades `10^lo_exp ..= 10^hi_exp`, a labelled tick every `stride` decades.
    Log10 { lo_exp: i32, hi_exp: i32, stride: i32 },
}

/// The most labelled decades a log axis shows before it labels every second (third, ...) one.
const MAX_LOG_LABELS: i32 = 8;

impl Scale {
    /// A linear scale enclosing the finite `values` (`[0, 1]` when there are none).
    pub fn linear_fit(values: impl IntoIterator<Item = f64>) -> Scale {
        let (min, max) = finite_range(values.into_iter()).unwrap_or((0.0, 1.0));
        let (min, max) = widen_if_flat(min, max);
        Scale::Linear { ticks: linear_ticks(min, max) }
    }

    /// A log10 scale enclosing the finite positive `values` (`[1, 10]` when there are none).
    pub fn log_fit(values: impl IntoIterator<Item = f64>) -> Scale {
        let positive = values.into_iter().filter(|v| *v > 0.0);
        let (min, max) = finite_range(positive).unwrap_or((1.0, 10.0));
        let lo_exp = min.log10().floor() as i32;
        let hi_exp = (max.log10().ceil() as i32).max(lo_exp + 1);
        let stride = (hi_exp - lo_exp + MAX_LOG_LABELS - 1) / MAX_LOG_LABELS;
        let lo_exp = lo_exp.div_euclid(stride) * stride;
        let hi_exp = -((-hi_exp).div_euclid(stride) * stride);
        Scale::Log10 { lo_exp, hi_exp, stride }
    }

    /// Where `value` lies along the axis, `0` at the low end and `1` at the high end; `None` for
    /// values the scale cannot show (NaN, infinities, and non-positive values on a log scale).
    pub fn fraction(&self, value: f64) -> Option<f64> {
        if !value.is_finite() {
            return None;
        }
        match self {
            Scale::Linear { ticks } => {
                let (lo, hi) = (ticks[0], ticks[ticks.len() - 1]);
                Some((value - lo) / (hi - lo))
            }
            Scale::Log10 { lo_exp, hi_exp, .. } => {
                (value > 0.0).then(|| (value.log10() - *lo_exp as f64) / (*hi_exp - *lo_exp) as f64)
            }
        }
    }

    /// The labelled ticks, low to high.
    pub fn ticks(&self) -> Vec<Tick> {
        match self {
            Scale::Linear { ticks } => {
                let step = ticks[1] - ticks[0];
                ticks.iter().map(|&value| Tick { value, label: format_tick(value, step) }).collect()
            }
            Scale::Log10 { lo_exp, hi_exp, stride } => (*lo_exp..=*hi_exp)
                .step_by(*stride as usize)
                .map(|e| Tick { value: 10f64.powi(e), label: format_power_of_ten(e) })
                .collect(),
        }
    }

    /// Unlabelled minor ticks: `2..9 x 10^k` on a log scale that shows every decade, else none.
    pub fn minor_ticks(&self) -> Vec<f64> {
        match self {
            Scale::Log10 { lo_exp, hi_exp, stride: 1 } => {
                (*lo_exp..*hi_exp).flat_map(|e| (2..=9).map(move |m| m as f64 * 10f64.powi(e))).collect()
            }
            _ => Vec::new(),
        }
    }
}

/// The smallest and largest finite value, if any.
fn finite_range(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values.filter(|v| v.is_finite()).fold(None, |range, v| match range {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    })
}

/// A flat range `[v, v]` widened by 10% of `|v|` each side (by 1 around zero).
fn widen_if_flat(min: f64, max: f64) -> (f64, f64) {
    if max > min {
        return (min, max);
    }
    let half_width = if min == 0.0 { 1.0 } else { min.abs() * 0.1 };
    (min - half_width, max + half_width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_fit_skips_non_finite_values_and_encloses_the_rest() {
        let scale = Scale::linear_fit([f64::NAN, 0.3, f64::INFINITY, 2.7]);
        assert_eq!(scale.ticks().first().unwrap().value, 0.0);
        assert_eq!(scale.ticks().last().unwrap().value, 3.0);
        assert_eq!(scale.fraction(1.5), Some(0.5));
        assert_eq!(scale.fraction(f64::NAN), None);
    }

    #[test]
    fn a_flat_or_empty_series_still_gets_an_axis() {
        let flat = Scale::linear_fit([2.0, 2.0]);
        assert!(flat.fraction(2.0).is_some_and(|f| f > 0.0 && f < 1.0));
        let empty = Scale::linear_fit([f64::NAN]);
        assert_eq!(empty.ticks().len(), 6, "{empty:?}");
    }

    #[test]
    fn log_ticks_are_powers_of_ten_enclosing_the_data() {
        let scale = Scale::log_fit([0.003, 0.5, 42.0, -1.0, 0.0]);
        let values: Vec<f64> = scale.ticks().iter().map(|t| t.value).collect();
        assert_eq!(values, vec![1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0]);
        assert_eq!(scale.fraction(1.0), Some(0.6));
        assert_eq!(scale.fraction(-1.0), None, "non-positive values are not on a log axis");
        assert_eq!(scale.minor_ticks().len(), 5 * 8);
    }

    #[test]
    fn a_wide_log_range_labels_every_few_decades() {
        let scale = Scale::log_fit([1e-12, 1e9]);
        let ticks = scale.ticks();
        assert!(ticks.len() <= MAX_LOG_LABELS as usize + 1, "{ticks:?}");
        for tick in &ticks {
            let exponent = tick.value.log10();
            assert!((exponent - exponent.round()).abs() < 1e-9, "{} is a power of ten", tick.value);
        }
        assert!(ticks.first().unwrap().value <= 1e-12 && ticks.last().unwrap().value >= 1e9);
        assert!(scale.minor_ticks().is_empty());
    }
}
