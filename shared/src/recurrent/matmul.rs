//! Row-major matrix products on `f32` slices for the CPU kernels, through the `gemm` crate
//! (the library burn-flex multiplies with).
//!
//! A [`MatRef`] is a row-major `[rows, cols]` block of a slice, optionally read transposed, so
//! `Aᵀ B` and `A Bᵀ` need no copies.

/// A read-only matrix view: `data` holds `[rows, cols]` row-major; `transposed` reads it as
/// `[cols, rows]`.
#[derive(Clone, Copy, Debug)]
pub struct MatRef<'a> {
    pub data: &'a [f32],
    pub rows: usize,
    pub cols: usize,
    pub transposed: bool,
}

impl<'a> MatRef<'a> {
    /// `data` as a `[rows, cols]` matrix.
    pub fn new(data: &'a [f32], rows: usize, cols: usize) -> Self {
        assert!(
            data.len() >= rows * cols,
            "matrix [{rows}, {cols}] needs {} floats, got {}",
            rows * cols,
            data.len()
        );
        Self { data, rows, cols, transposed: false }
    }

    /// The same matrix read as its transpose.
    pub fn t(self) -> Self {
        Self { transposed: !self.transposed, ..self }
    }

    /// Logical `(rows, cols)`.
    pub fn logical_dims(&self) -> (usize, usize) {
        if self.transposed { (self.cols, self.rows) } else { (self.rows, self.cols) }
    }

    /// Logical element `(row, col)`.
    #[inline(always)]
    pub fn at(&self, row: usize, col: usize) -> f32 {
        if self.transposed { self.data[col * self.cols + row] } else { self.data[row * self.cols + col] }
    }

    /// Logical `(rows, cols, row stride, column stride)`.
    fn logical(&self) -> (usize, usize, isize, isize) {
        if self.transposed {
            (self.cols, self.rows, 1, self.cols as isize)
        } else {
            (self.rows, self.cols, self.cols as isize, 1)
        }
    }
}

/// `out [m, n] = lhs [m, k] · rhs [k, n]` (`accumulate`: `out += ...`), `out` row-major.
pub fn matmul(out: &mut [f32], lhs: MatRef, rhs: MatRef, accumulate: bool) {
    let (m, k, lhs_rs, lhs_cs) = lhs.logical();
    let (k2, n, rhs_rs, rhs_cs) = rhs.logical();
    assert_eq!(k, k2, "inner dimensions differ: [{m}, {k}] · [{k2}, {n}]");
    assert!(out.len() >= m * n, "output needs [{m}, {n}], got {} floats", out.len());
    let parallelism =
        if m * n * k >= 1 << 20 { gemm::Parallelism::Rayon(0) } else { gemm::Parallelism::None };
    // SAFETY: the asserts above keep every index gemm forms, (i, p) of lhs, (p, j) of rhs and
    // (i, j) of out for i < m, p < k, j < n, inside the three slices; `out` is borrowed mutably
    // and cannot alias the shared inputs.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            out.as_mut_ptr(),
            1,
            n as isize,
            accumulate,
            lhs.data.as_ptr(),
            lhs_cs,
            lhs_rs,
            rhs.data.as_ptr(),
            rhs_cs,
            rhs_rs,
            1.0,
            1.0,
            false,
            false,
            false,
            parallelism,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook triple loop.
    fn reference(lhs: &[f32], rhs: &[f32], m: usize, k: usize, n: usize) -> Vec<f32> {
        let mut out = vec![0.0; m * n];
        for i in 0..m {
            for j in 0..n {
                out[i * n + j] = (0..k).map(|p| lhs[i * k + p] * rhs[p * n + j]).sum();
            }
        }
        out
    }

    fn assert_close(actual: &[f32], expected: &[f32]) {
        let widen = |v: &[f32]| v.iter().map(|&x| x as f64).collect::<Vec<_>>();
        crate::testing::assert_close(
            &widen(actual),
            &widen(expected),
            crate::testing::Tolerance::new(1e-5, 1e-5),
        );
    }

    fn transpose(data: &[f32], rows: usize, cols: usize) -> Vec<f32> {
        (0..cols * rows).map(|i| data[(i % rows) * cols + i / rows]).collect()
    }

    #[test]
    fn products_with_and_without_transposes_match_the_triple_loop() {
        let (m, k, n) = (5, 7, 3);
        let lhs: Vec<f32> = (0..m * k).map(|i| (i as f32 * 0.37).sin()).collect();
        let rhs: Vec<f32> = (0..k * n).map(|i| (i as f32 * 0.61).cos()).collect();
        let expected = reference(&lhs, &rhs, m, k, n);
        let lhs_t = transpose(&lhs, m, k);
        let rhs_t = transpose(&rhs, k, n);
        for (a, b) in [
            (MatRef::new(&lhs, m, k), MatRef::new(&rhs, k, n)),
            (MatRef::new(&lhs_t, k, m).t(), MatRef::new(&rhs, k, n)),
            (MatRef::new(&lhs, m, k), MatRef::new(&rhs_t, n, k).t()),
        ] {
            let mut out = vec![1.0; m * n];
            matmul(&mut out, a, b, false);
            assert_close(&out, &expected);
            matmul(&mut out, a, b, true);
            let doubled: Vec<f32> = expected.iter().map(|x| 2.0 * x).collect();
            assert_close(&out, &doubled);
        }
    }
}
