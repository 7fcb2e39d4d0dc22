//! A row-major `f32` matrix view for the CPU kernels, optionally read transposed, so `Aᵀ B` and
//! `A Bᵀ` need no copies.

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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transposed_view_swaps_the_logical_dimensions_and_a_short_slice_is_refused() {
        let data = [0.0; 6];
        assert_eq!(MatRef::new(&data, 2, 3).logical_dims(), (2, 3));
        assert_eq!(MatRef::new(&data, 2, 3).t().logical_dims(), (3, 2));
        assert!(!MatRef::new(&data, 2, 3).t().t().transposed);
        let refused = std::panic::catch_unwind(|| MatRef::new(&data, 3, 3));
        assert!(refused.is_err(), "[3, 3] does not fit in 6 floats");
    }
}
