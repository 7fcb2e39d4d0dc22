//! Spearman's rank correlation: does one quantity grow with another, whatever the shape?
//!
//! ```text
//! ρ = Pearson correlation of the ranks of x and the ranks of y    (tied values share their mean rank)
//! ```
//!
//! `ρ = 1` when `y` rises with `x` at every step, `-1` when it always falls, near 0 when their
//! orders are unrelated; 0 when either has no spread (all values tied).

/// Spearman's `ρ` of the pairs `(x_i, y_i)`.
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    let (rx, ry) = (ranks(x), ranks(y));
    let n = x.len() as f64;
    let (mx, my) = (rx.iter().sum::<f64>() / n, ry.iter().sum::<f64>() / n);
    let covariance: f64 = rx.iter().zip(&ry).map(|(a, b)| (a - mx) * (b - my)).sum();
    let spread = |r: &[f64], m: f64| r.iter().map(|a| (a - m).powi(2)).sum::<f64>().sqrt();
    let (sx, sy) = (spread(&rx, mx), spread(&ry, my));
    if sx == 0.0 || sy == 0.0 { 0.0 } else { covariance / (sx * sy) }
}

/// The rank of each value (1-based), ties sharing the mean of their ranks.
fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start;
        while end + 1 < order.len() && values[order[end + 1]] == values[order[start]] {
            end += 1;
        }
        let mean_rank = (start + end) as f64 / 2.0 + 1.0;
        order[start..=end].iter().for_each(|&i| ranks[i] = mean_rank);
        start = end + 1;
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_their_mean_rank() {
        assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), [3.5, 1.0, 3.5, 2.0]);
    }

    #[test]
    fn monotone_pairs_give_one_and_a_hand_worked_case() {
        assert!((spearman(&[1.0, 2.0, 3.0], &[10.0, 100.0, 1000.0]) - 1.0).abs() < 1e-12);
        assert!((spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
        // ranks (1, 2, 3, 4) and (2, 1, 4, 3): Σd² = 4, ρ = 1 - 6·4 / (4·15) = 0.6.
        assert!((spearman(&[1.0, 2.0, 3.0, 4.0], &[2.0, 1.0, 4.0, 3.0]) - 0.6).abs() < 1e-12);
        assert_eq!(spearman(&[1.0, 2.0, 3.0], &[0.0, 0.0, 0.0]), 0.0, "no spread");
    }
}
