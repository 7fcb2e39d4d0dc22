//! The planar travelling salesman: exact tours by Held-Karp dynamic programming (n <= 12), and
//! nearest neighbour improved by 2-opt above that.
//!
//! ```text
//! Held-Karp (1962), tours from city 0:
//!   C(S, j) = min over i in S \ {j} of C(S \ {j}, i) + d(i, j)      S ⊆ {1..n-1}, j ∈ S
//!   C({j}, j) = d(0, j);  optimum = min_j C({1..n-1}, j) + d(j, 0)   O(2^n n²) time
//! nearest neighbour: from city 0, always go to the closest unvisited city
//! 2-opt: while reversing a stretch tour[i..=j] shortens the tour, reverse it
//! ```
//!
//! A tour is a list of city positions starting at 0; [`canonical`] picks one of its two
//! directions, so that a pointer network has one answer to learn.

/// Held-Karp's exact limit here: `2^(n-1) n` table entries.
pub const HELD_KARP_MAX: usize = 12;

/// Euclidean distance.
pub fn distance(a: [f64; 2], b: [f64; 2]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
}

/// The length of the closed tour visiting `tour` in order and returning to its start.
pub fn tour_length(points: &[[f64; 2]], tour: &[usize]) -> f64 {
    let k = tour.len();
    (0..k).map(|i| distance(points[tour[i]], points[tour[(i + 1) % k]])).sum()
}

/// `tour` (starting at 0) in the direction whose second city has the lower position.
pub fn canonical(tour: &[usize]) -> Vec<usize> {
    let mut tour = tour.to_vec();
    if tour.len() > 2 && tour[1] > tour[tour.len() - 1] {
        tour[1..].reverse();
    }
    tour
}

/// An optimal tour by Held-Karp, canonical; `None` above [`HELD_KARP_MAX`] cities.
pub fn held_karp(points: &[[f64; 2]]) -> Option<Vec<usize>> {
    let n = points.len();
    if n > HELD_KARP_MAX {
        return None;
    }
    if n <= 3 {
        return Some((0..n).collect());
    }
    let d = |i: usize, j: usize| distance(points[i], points[j]);
    // cities 1..n-1 are bits 0..n-2 of a subset
    let (subsets, m) = (1usize << (n - 1), n - 1);
    let mut cost = vec![f64::INFINITY; subsets * m];
    let mut parent = vec![usize::MAX; subsets * m];
    for j in 0..m {
        cost[(1 << j) * m + j] = d(0, j + 1);
    }
    for set in 1..subsets {
        for j in (0..m).filter(|j| set & (1 << j) != 0) {
            let rest = set & !(1 << j);
            for i in (0..m).filter(|i| rest & (1 << i) != 0) {
                let through = cost[rest * m + i] + d(i + 1, j + 1);
                if through < cost[set * m + j] {
                    (cost[set * m + j], parent[set * m + j]) = (through, i);
                }
            }
        }
    }
    let full = subsets - 1;
    let close = |j: usize| cost[full * m + j] + d(j + 1, 0);
    let mut last = (0..m).min_by(|&a, &b| close(a).total_cmp(&close(b))).expect("n > 3");
    let (mut set, mut tour) = (full, Vec::with_capacity(n));
    while last != usize::MAX {
        tour.push(last + 1);
        let previous = parent[set * m + last];
        set &= !(1 << last);
        last = previous;
    }
    tour.push(0);
    tour.reverse();
    Some(canonical(&tour))
}

/// The nearest-neighbour tour from city 0, canonical.
pub fn nearest_neighbour(points: &[[f64; 2]]) -> Vec<usize> {
    let mut tour = vec![0];
    let mut left: Vec<usize> = (1..points.len()).collect();
    while !left.is_empty() {
        let here = points[*tour.last().expect("tour starts at 0")];
        let k = (0..left.len())
            .min_by(|&a, &b| distance(here, points[left[a]]).total_cmp(&distance(here, points[left[b]])))
            .expect("cities left");
        tour.push(left.swap_remove(k));
    }
    canonical(&tour)
}

/// `tour` improved by 2-opt moves until none shortens it by more than 1e-12, canonical.
pub fn two_opt(points: &[[f64; 2]], tour: &[usize]) -> Vec<usize> {
    let (mut tour, n) = (tour.to_vec(), tour.len());
    let d = |a: usize, b: usize| distance(points[a], points[b]);
    let mut improved = true;
    while improved {
        improved = false;
        for i in 1..n.saturating_sub(1) {
            for j in i + 1..n {
                let (a, b, c, e) = (tour[i - 1], tour[i], tour[j], tour[(j + 1) % n]);
                if d(a, c) + d(b, e) < d(a, b) + d(c, e) - 1e-12 {
                    tour[i..=j].reverse();
                    improved = true;
                }
            }
        }
    }
    canonical(&tour)
}

/// The reference tour: Held-Karp's optimum up to [`HELD_KARP_MAX`] cities, else nearest
/// neighbour + 2-opt.
pub fn reference_tour(points: &[[f64; 2]]) -> Vec<usize> {
    held_karp(points).unwrap_or_else(|| two_opt(points, &nearest_neighbour(points)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Four corners of a unit square given in crossing order: the optimum is the perimeter, 4,
    /// and the crossing tour 0 -> 2 -> 1 -> 3 is 2 + 2√2.
    #[test]
    fn a_four_city_square_is_toured_along_its_perimeter() {
        let points = [[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0]];
        let tour = held_karp(&points).unwrap();
        assert_eq!(tour, [0, 2, 1, 3]);
        assert_eq!(tour_length(&points, &tour), 4.0);
        assert!((tour_length(&points, &[0, 1, 2, 3]) - (2.0 + 2.0 * 2f64.sqrt())).abs() < 1e-12);
        assert_eq!(two_opt(&points, &[0, 1, 2, 3]), [0, 2, 1, 3]);
    }

    #[test]
    fn canonical_tours_start_at_zero_with_the_lower_neighbour_second() {
        assert_eq!(canonical(&[0, 4, 1, 3, 2]), [0, 2, 3, 1, 4]);
        assert_eq!(canonical(&[0, 2, 3, 1, 4]), [0, 2, 3, 1, 4]);
    }

    /// Held-Karp against trying every permutation, on ten random 7-city instances.
    #[test]
    fn held_karp_finds_the_shortest_of_all_tours() {
        fn permutations(rest: &mut Vec<usize>, k: usize, best: &mut f64, score: &dyn Fn(&[usize]) -> f64) {
            if k == rest.len() {
                *best = best.min(score(rest));
                return;
            }
            for i in k..rest.len() {
                rest.swap(k, i);
                permutations(rest, k + 1, best, score);
                rest.swap(k, i);
            }
        }
        for instance in 0..10u64 {
            let points: Vec<[f64; 2]> = (0..7u64)
                .map(|i| {
                    [
                        ((i * 7919 + instance * 104_729) % 1000) as f64,
                        ((i * 6007 + instance * 3571) % 997) as f64,
                    ]
                })
                .collect();
            let mut best = f64::INFINITY;
            let score = |rest: &[usize]| tour_length(&points, &[&[0], rest].concat());
            permutations(&mut (1..7).collect(), 0, &mut best, &score);
            let exact = held_karp(&points).unwrap();
            assert!((tour_length(&points, &exact) - best).abs() < 1e-9, "instance {instance}");
            let heuristic = two_opt(&points, &nearest_neighbour(&points));
            assert!(tour_length(&points, &heuristic) >= best - 1e-9);
        }
    }

    #[test]
    fn above_the_limit_the_reference_is_a_two_opt_tour_of_every_city() {
        let points: Vec<[f64; 2]> =
            (0..20).map(|i| [((i * 37) % 101) as f64, ((i * 59) % 97) as f64]).collect();
        assert!(held_karp(&points).is_none());
        let tour = reference_tour(&points);
        let mut sorted = tour.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..20).collect::<Vec<_>>());
        assert!(tour_length(&points, &tour) <= tour_length(&points, &nearest_neighbour(&points)) + 1e-9);
    }
}
