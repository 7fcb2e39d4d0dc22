//! Element-wise closeness with a readable diff: `|a - e| <= atol + rtol * |e|` for every element.

use burn::prelude::Tensor;
use std::fmt::Write as _;

/// Absolute and relative tolerance of a comparison.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tolerance {
    /// Relative part, scaled by `|expected|`.
    pub rtol: f64,
    /// Absolute floor, for values near zero.
    pub atol: f64,
}

impl Tolerance {
    /// f32 computations that should agree up to rounding (same maths, different op order).
    pub const F32: Tolerance = Tolerance { rtol: 1e-4, atol: 1e-5 };

    /// Tolerance with the given relative and absolute parts.
    pub const fn new(rtol: f64, atol: f64) -> Self {
        Self { rtol, atol }
    }

    fn allows(&self, actual: f64, expected: f64) -> bool {
        if actual.is_nan() || expected.is_nan() {
            return actual.is_nan() && expected.is_nan();
        }
        if actual.is_infinite() || expected.is_infinite() {
            return actual == expected;
        }
        (actual - expected).abs() <= self.atol + self.rtol * expected.abs()
    }
}

/// Compares `actual` with `expected` (flattened, row-major, of `shape`).
/// `Err` holds a report: the number of mismatches, the worst one and the first few, with their
/// multi-dimensional indices.
pub fn compare(actual: &[f64], expected: &[f64], shape: &[usize], tol: Tolerance) -> Result<(), String> {
    if actual.len() != expected.len() {
        return Err(format!("length differs: actual {} elements, expected {}", actual.len(), expected.len()));
    }
    let bad: Vec<usize> = (0..actual.len()).filter(|&i| !tol.allows(actual[i], expected[i])).collect();
    if bad.is_empty() {
        return Ok(());
    }
    let worst = *bad
        .iter()
        .max_by(|&&i, &&j| gap(actual[i], expected[i]).total_cmp(&gap(actual[j], expected[j])))
        .expect("bad is not empty");
    let mut report = format!(
        "{} of {} elements differ (rtol {:e}, atol {:e}); worst at {:?}: actual {}, expected {}\n",
        bad.len(),
        actual.len(),
        tol.rtol,
        tol.atol,
        unravel(worst, shape),
        actual[worst],
        expected[worst]
    );
    for &i in bad.iter().take(8) {
        let _ = writeln!(
            report,
            "  at {:?}: actual {:>14.7e}  expected {:>14.7e}",
            unravel(i, shape),
            actual[i],
            expected[i]
        );
    }
    Err(report)
}

/// Panics with a readable report unless `actual` and `expected` are close.
#[track_caller]
pub fn assert_close(actual: &[f64], expected: &[f64], tol: Tolerance) {
    if let Err(report) = compare(actual, expected, &[actual.len()], tol) {
        panic!("assert_close failed: {report}");
    }
}

/// Panics unless the tensors have the same shape and close values; `what` names the comparison.
#[track_caller]
pub fn assert_tensors_close<const D: usize>(
    what: &str,
    actual: Tensor<D>,
    expected: Tensor<D>,
    tol: Tolerance,
) {
    let (shape_a, shape_e) = (actual.dims(), expected.dims());
    assert_eq!(shape_a, shape_e, "{what}: shapes differ");
    let values = |t: Tensor<D>| -> Vec<f64> { t.into_data().iter::<f64>().collect() };
    if let Err(report) = compare(&values(actual), &values(expected), &shape_a, tol) {
        panic!("{what}: {report}");
    }
}

fn gap(actual: f64, expected: f64) -> f64 {
    if actual.is_nan() || expected.is_nan() { f64::INFINITY } else { (actual - expected).abs() }
}

/// Row-major flat index -> multi-dimensional index.
fn unravel(mut flat: usize, shape: &[usize]) -> Vec<usize> {
    let mut index = vec![0; shape.len()];
    for (axis, &size) in shape.iter().enumerate().rev() {
        if size > 0 {
            index[axis] = flat % size;
            flat /= size;
        }
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_values_pass_and_far_values_fail() {
        let tol = Tolerance::new(1e-3, 1e-6);
        assert!(compare(&[1.0, 2.0], &[1.0005, 2.0], &[2], tol).is_ok());
        assert!(compare(&[1.0, 2.0], &[1.01, 2.0], &[2], tol).is_err());
        assert!(compare(&[0.0], &[5e-7], &[1], tol).is_ok(), "atol covers values near zero");
    }

    #[test]
    fn nan_only_matches_nan() {
        let tol = Tolerance::F32;
        assert!(compare(&[f64::NAN], &[f64::NAN], &[1], tol).is_ok());
        assert!(compare(&[f64::NAN], &[0.0], &[1], tol).is_err());
        assert!(compare(&[f64::INFINITY], &[f64::INFINITY], &[1], tol).is_ok());
        assert!(compare(&[f64::INFINITY], &[f64::NEG_INFINITY], &[1], tol).is_err());
    }

    #[test]
    fn the_report_names_the_worst_element_by_its_index() {
        let actual = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0];
        let expected = [0.0, 1.1, 2.0, 3.0, 4.0, 9.0];
        let report = compare(&actual, &expected, &[2, 3], Tolerance::F32).unwrap_err();
        assert!(report.starts_with("2 of 6 elements differ"), "{report}");
        assert!(report.contains("worst at [1, 2]: actual 5, expected 9"), "{report}");
        assert!(report.contains("at [0, 1]"), "{report}");
    }

    #[test]
    #[should_panic(expected = "shapes differ")]
    fn tensors_of_different_shapes_fail() {
        let device = burn::prelude::Device::flex();
        let a = Tensor::<1>::zeros([3], &device);
        let b = Tensor::<1>::zeros([4], &device);
        assert_tensors_close("demo", a, b, Tolerance::F32);
    }
}
