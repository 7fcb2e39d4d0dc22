//! The exact Wasserstein-1 distance between two sets of `n` points: the ground truth the
//! critic's estimate is measured against.
//!
//! Between two empirical distributions with `n` equally weighted points each, an optimal
//! transport plan can be taken to be a permutation (Birkhoff: the extreme points of the
//! doubly stochastic matrices are permutations), so
//!
//! ```text
//! W_1(a, b) = min over permutations σ of  (1/n) Σ_i ||a_i - b_σ(i)||_2
//! ```
//!
//! an assignment problem, solved exactly by the Hungarian method with potentials
//! (Kuhn-Munkres; Jonker-Volgenant's O(n^3) form): row by row, a shortest augmenting path over
//! reduced costs `c_ij - u_i - v_j >= 0`, after which the potentials are updated so that every
//! reduced cost stays non-negative and those of the matching are 0.

use anyhow::{Result, ensure};

/// `W_1` between the point sets `a` and `b` (`[n, d]` row-major each, `d >= 1`).
pub fn wasserstein_1(a: &[f32], b: &[f32], d: usize) -> Result<f64> {
    Ok(optimal_transport(a, b, d)?.distance)
}

/// An optimal plan between two point sets: point `i` of `a` goes to point `matching[i]` of `b`.
#[derive(Clone, Debug, PartialEq)]
pub struct Transport {
    /// `W_1`: the mean distance travelled.
    pub distance: f64,
    pub matching: Vec<usize>,
}

/// The optimal plan between `a` and `b` (`[n, d]` row-major each, `d >= 1`).
pub fn optimal_transport(a: &[f32], b: &[f32], d: usize) -> Result<Transport> {
    ensure!(d >= 1, "points need at least one coordinate");
    ensure!(!a.is_empty() && a.len().is_multiple_of(d), "{} numbers are not [n, {d}] points", a.len());
    ensure!(
        a.len() == b.len(),
        "W1 by assignment needs as many points on each side: {} vs {}",
        a.len() / d,
        b.len() / d
    );
    let n = a.len() / d;
    let cost: Vec<f64> = (0..n * n)
        .map(|k| {
            let (i, j) = (k / n, k % n);
            let squared: f32 = (0..d).map(|c| (a[i * d + c] - b[j * d + c]).powi(2)).sum();
            f64::from(squared.sqrt())
        })
        .collect();
    let matching = assignment(&cost, n);
    let distance = matching.iter().enumerate().map(|(i, &j)| cost[i * n + j]).sum::<f64>() / n as f64;
    Ok(Transport { distance, matching })
}

/// The permutation `σ` (row `i` -> column `σ(i)`) minimising `Σ_i cost[i][σ(i)]` for an `n x n`
/// row-major cost matrix.
pub fn assignment(cost: &[f64], n: usize) -> Vec<usize> {
    // 1-based: row 0 and column 0 are the sentinel of the augmenting path search.
    let (mut u, mut v) = (vec![0.0; n + 1], vec![0.0; n + 1]);
    let mut row_of = vec![0usize; n + 1]; // row_of[j]: the row matched to column j
    let mut previous = vec![0usize; n + 1];
    for row in 1..=n {
        row_of[0] = row;
        let mut column = 0;
        let mut slack = vec![f64::INFINITY; n + 1];
        let mut visited = vec![false; n + 1];
        while row_of[column] != 0 {
            visited[column] = true;
            let i = row_of[column];
            let (mut delta, mut next) = (f64::INFINITY, 0);
            for j in 1..=n {
                if visited[j] {
                    continue;
                }
                let reduced = cost[(i - 1) * n + j - 1] - u[i] - v[j];
                if reduced < slack[j] {
                    slack[j] = reduced;
                    previous[j] = column;
                }
                if slack[j] < delta {
                    delta = slack[j];
                    next = j;
                }
            }
            for j in 0..=n {
                if visited[j] {
                    u[row_of[j]] += delta;
                    v[j] -= delta;
                } else {
                    slack[j] -= delta;
                }
            }
            column = next;
        }
        while column != 0 {
            let before = previous[column];
            row_of[column] = row_of[before];
            column = before;
        }
    }
    let mut matching = vec![0; n];
    for j in 1..=n {
        matching[row_of[j] - 1] = j - 1;
    }
    matching
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cheapest permutation by trying all of them.
    fn brute_force(cost: &[f64], n: usize) -> f64 {
        fn go(cost: &[f64], n: usize, row: usize, used: &mut Vec<bool>) -> f64 {
            if row == n {
                return 0.0;
            }
            let mut best = f64::INFINITY;
            for j in 0..n {
                if !used[j] {
                    used[j] = true;
                    best = best.min(cost[row * n + j] + go(cost, n, row + 1, used));
                    used[j] = false;
                }
            }
            best
        }
        go(cost, n, 0, &mut vec![false; n])
    }

    #[test]
    fn the_assignment_is_the_cheapest_permutation() {
        let mut state = 12345u64;
        let mut next = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as f64 / f64::from(1u32 << 31)
        };
        for n in 1..=7 {
            for _ in 0..5 {
                let cost: Vec<f64> = (0..n * n).map(|_| next()).collect();
                let matching = assignment(&cost, n);
                let mut seen = matching.clone();
                seen.sort_unstable();
                assert_eq!(seen, (0..n).collect::<Vec<_>>(), "a permutation");
                let total: f64 = matching.iter().enumerate().map(|(i, &j)| cost[i * n + j]).sum();
                assert!((total - brute_force(&cost, n)).abs() < 1e-12, "n = {n}");
            }
        }
    }

    #[test]
    fn in_one_dimension_w1_matches_sorted_points() {
        // In 1-D the optimal plan matches the points in sorted order.
        let a = [0.3f32, -1.0, 2.5, 0.0, 4.0];
        let b = [1.0f32, 1.5, -2.0, 3.0, 0.5];
        let (mut sa, mut sb) = (a.to_vec(), b.to_vec());
        sa.sort_by(f32::total_cmp);
        sb.sort_by(f32::total_cmp);
        let sorted: f64 = sa.iter().zip(&sb).map(|(x, y)| f64::from((x - y).abs())).sum::<f64>() / 5.0;
        assert!((wasserstein_1(&a, &b, 1).unwrap() - sorted).abs() < 1e-9);
    }

    #[test]
    fn a_shifted_copy_is_its_shift_away_and_a_set_is_zero_from_itself() {
        let a = [0.0f32, 0.0, 1.0, 0.0, 0.0, 2.0, -1.0, 1.0];
        let b: Vec<f32> = a.chunks(2).flat_map(|p| [p[0] + 0.3, p[1] - 0.4]).collect();
        assert!((wasserstein_1(&a, &b, 2).unwrap() - 0.5).abs() < 1e-6);
        assert_eq!(wasserstein_1(&a, &a, 2).unwrap(), 0.0);
    }

    #[test]
    fn mismatched_sets_are_errors() {
        assert!(wasserstein_1(&[0.0, 1.0], &[0.0], 1).is_err());
        assert!(wasserstein_1(&[0.0, 1.0, 2.0], &[0.0, 1.0, 2.0], 2).is_err());
        assert!(wasserstein_1(&[], &[], 2).is_err());
    }
}
