//! Descriptive statistics of a handful of numbers: timings, seeds' results.

/// The median (mean of the two middle values for an even count); NaN for no values.
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// The median over `items` of one number read from each, e.g. one metric over the runs of a
/// claim's seeds.
pub fn median_of<T>(items: &[T], number: impl Fn(&T) -> f64) -> f64 {
    median(&items.iter().map(number).collect::<Vec<_>>())
}

/// Mean and sample standard deviation (`n - 1` in the denominator; 0 for a single value).
pub fn mean_and_std(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    if values.len() < 2 {
        return (mean, 0.0);
    }
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, variance.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_even_and_no_values() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&[7.0]), 7.0);
        assert!(median(&[]).is_nan());
    }

    #[test]
    fn median_of_reads_one_number_of_each_item() {
        let runs = [(1, 0.9), (2, 0.2), (3, 0.5)];
        assert_eq!(median_of(&runs, |run| run.1), 0.5);
        assert!(median_of(&[] as &[(u8, f64)], |run| run.1).is_nan());
    }

    #[test]
    fn sample_standard_deviation() {
        let (mean, std) = mean_and_std(&[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(mean, 2.5);
        assert!((std - (5.0f64 / 3.0).sqrt()).abs() < 1e-12);
        assert_eq!(mean_and_std(&[5.0]), (5.0, 0.0));
    }
}
