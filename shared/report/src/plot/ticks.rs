//! "Nice" axis ticks: steps of 1, 2 or 5 times a power of ten, and their labels.
//!
//! For a span `s` and about `n` wanted intervals the raw step `s / n` is written `m * 10^k` with
//! `1 <= m < 10`; the nice step is the smallest of `1, 2, 5, 10` (times `10^k`) not below `m`.
//! The axis then runs from `floor(min / step) * step` to `ceil(max / step) * step`, so both ends
//! are ticks.

/// How many intervals an axis aims for.
pub(crate) const TARGET_INTERVALS: usize = 5;

/// The most ticks an axis draws, whatever the data (a guard against a degenerate span).
const MAX_TICKS: usize = 50;

/// The nice step (1, 2 or 5 times a power of ten) for `span` split into about `intervals`.
pub(crate) fn nice_step(span: f64, intervals: usize) -> f64 {
    let raw = span / intervals.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let mantissa = raw / magnitude;
    let nice = [1.0, 2.0, 5.0, 10.0].into_iter().find(|&m| m >= mantissa * (1.0 - 1e-9)).unwrap_or(10.0);
    nice * magnitude
}

/// Ticks covering `[min, max]` (finite, `min < max`): at least two, the first and last enclosing
/// the data.
pub(crate) fn linear_ticks(min: f64, max: f64) -> Vec<f64> {
    let step = nice_step(max - min, TARGET_INTERVALS);
    let first = (min / step + 1e-9).floor();
    let last = (max / step - 1e-9).ceil().max(first + 1.0);
    let count = ((last - first) as usize).min(MAX_TICKS);
    (0..=count).map(|i| snap_to_zero((first + i as f64) * step, step)).collect()
}

/// `-0.0` and rounding noise such as `1e-17` become an exact zero.
fn snap_to_zero(value: f64, step: f64) -> f64 {
    if value.abs() < step * 1e-9 { 0.0 } else { value }
}

/// A tick label with just the digits the step needs: `0.25`, `1500`, `2.5e6`, `3e-5`.
pub(crate) fn format_tick(value: f64, step: f64) -> String {
    if value == 0.0 {
        return "0".to_string();
    }
    let step_exponent = step.abs().log10().floor() as i32;
    let value_exponent = value.abs().log10().floor() as i32;
    if value_exponent >= 6 || step_exponent <= -5 {
        let precision = (value_exponent - step_exponent).max(0) as usize;
        format!("{value:.precision$e}")
    } else {
        let decimals = (-step_exponent).max(0) as usize;
        format!("{value:.decimals$}")
    }
}

/// The label of `10^exponent`: plain for `1e-4 ..= 1e4`, scientific beyond.
pub(crate) fn format_power_of_ten(exponent: i32) -> String {
    match exponent {
        -4..=-1 => format!("{:.*}", (-exponent) as usize, 10f64.powi(exponent)),
        0..=4 => format!("{}", 10i32.pow(exponent as u32)),
        _ => format!("1e{exponent}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_nice(step: f64) -> bool {
        let mantissa = step / 10f64.powf(step.log10().floor());
        [1.0, 2.0, 5.0, 10.0].iter().any(|m| (mantissa - m).abs() < 1e-9)
    }

    #[test]
    fn steps_are_one_two_or_five_times_a_power_of_ten() {
        for span in [0.003, 0.7, 1.0, 3.3, 9.99, 17.0, 123.0, 4.5e7] {
            let step = nice_step(span, TARGET_INTERVALS);
            assert!(is_nice(step), "step {step} for span {span}");
            let intervals = span / step;
            assert!((2.0..=10.0).contains(&intervals), "{intervals} intervals for span {span}");
        }
    }

    #[test]
    fn ticks_enclose_the_data_and_are_multiples_of_the_step() {
        let ticks = linear_ticks(0.13, 0.97);
        assert_eq!(ticks, vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]);
        let ticks = linear_ticks(-3.0, 47.0);
        assert_eq!(ticks.first(), Some(&-10.0));
        assert_eq!(ticks.last(), Some(&50.0));
    }

    #[test]
    fn labels_show_the_digits_the_step_needs() {
        assert_eq!(format_tick(0.6000000000000001, 0.2), "0.6");
        assert_eq!(format_tick(1500.0, 500.0), "1500");
        assert_eq!(format_tick(0.05, 0.05), "0.05");
        assert_eq!(format_tick(2.5e6, 5e5), "2.5e6");
        assert_eq!(format_tick(3e-5, 1e-5), "3e-5");
        assert_eq!(format_tick(-0.0, 1.0), "0");
    }

    #[test]
    fn powers_of_ten_read_naturally() {
        assert_eq!(format_power_of_ten(-2), "0.01");
        assert_eq!(format_power_of_ten(0), "1");
        assert_eq!(format_power_of_ten(4), "10000");
        assert_eq!(format_power_of_ten(-5), "1e-5");
        assert_eq!(format_power_of_ten(6), "1e6");
    }
}
