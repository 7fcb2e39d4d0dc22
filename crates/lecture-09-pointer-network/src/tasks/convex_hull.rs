//! The planar convex hull, exactly: Andrew's monotone chain (1979), `O(n log n)`.
//!
//! ```text
//! sort the points by (x, y)
//! lower chain: for p left to right:  pop while the last two and p do not turn left; push p
//! upper chain: the same, right to left
//! hull = lower + upper, each without its last point          counter-clockwise
//! ```
//!
//! A pointer network's answer to the hull task is this list of input positions, started at the
//! lowest position on the hull (as Vinyals et al. 2015 do), so that every hull has one answer.
//! Collinear points on an edge are left out (the turn test is strict).

/// `(b - a) × (c - a)`: positive when `a -> b -> c` turns left (counter-clockwise).
pub fn cross(a: [f64; 2], b: [f64; 2], c: [f64; 2]) -> f64 {
    (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
}

/// The positions of the hull's vertices, counter-clockwise from the lowest position. Fewer than
/// three distinct points give them all (in that order).
pub fn convex_hull(points: &[[f64; 2]]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&i, &j| points[i].partial_cmp(&points[j]).expect("finite coordinates"));
    order.dedup_by(|i, j| points[*i] == points[*j]);
    if order.len() < 3 {
        return order;
    }
    let chain = |order: &mut dyn Iterator<Item = usize>| {
        let mut chain: Vec<usize> = Vec::new();
        for p in order {
            while chain.len() >= 2
                && cross(points[chain[chain.len() - 2]], points[chain[chain.len() - 1]], points[p]) <= 0.0
            {
                chain.pop();
            }
            chain.push(p);
        }
        chain.pop();
        chain
    };
    let mut hull = chain(&mut order.iter().copied());
    hull.extend(chain(&mut order.iter().rev().copied()));
    rotate_to_lowest(&hull)
}

/// `cycle` rotated to start at its lowest position (the direction kept).
pub fn rotate_to_lowest(cycle: &[usize]) -> Vec<usize> {
    let start = (0..cycle.len()).min_by_key(|&k| cycle[k]).unwrap_or(0);
    cycle[start..].iter().chain(&cycle[..start]).copied().collect()
}

/// The signed area of the polygon `vertices` (shoelace formula): positive when counter-clockwise.
pub fn signed_area(points: &[[f64; 2]], vertices: &[usize]) -> f64 {
    let k = vertices.len();
    (0..k)
        .map(|i| {
            let (a, b) = (points[vertices[i]], points[vertices[(i + 1) % k]]);
            a[0] * b[1] - b[0] * a[1]
        })
        .sum::<f64>()
        / 2.0
}

/// Whether the closed polygon `vertices` is simple: at least three vertices, none repeated, and
/// no two edges that do not share a vertex cross.
pub fn is_simple_polygon(points: &[[f64; 2]], vertices: &[usize]) -> bool {
    let k = vertices.len();
    let mut seen = vertices.to_vec();
    seen.sort_unstable();
    seen.dedup();
    if k < 3 || seen.len() != k {
        return false;
    }
    let edge = |i: usize| (points[vertices[i]], points[vertices[(i + 1) % k]]);
    (0..k).all(|i| {
        (i + 2..k).filter(|&j| (j + 1) % k != i).all(|j| {
            let ((a, b), (c, d)) = (edge(i), edge(j));
            !(cross(a, b, c) * cross(a, b, d) < 0.0 && cross(c, d, a) * cross(c, d, b) < 0.0)
        })
    })
}

/// How much of the true hull's area the predicted polygon covers: `|area(predicted)| / area(hull)`
/// when the prediction is a simple polygon, else 0 (Vinyals et al. report the area only for
/// predictions that do not cross themselves).
pub fn area_coverage(points: &[[f64; 2]], predicted: &[usize], hull: &[usize]) -> f64 {
    if !is_simple_polygon(points, predicted) {
        return 0.0;
    }
    signed_area(points, predicted).abs() / signed_area(points, hull).abs()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A square with a point inside: the hull is the four corners, counter-clockwise.
    #[test]
    fn a_square_with_an_interior_point_has_its_corners_as_hull() {
        let points = [[0.5, 0.5], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0], [0.25, 0.75]];
        assert_eq!(convex_hull(&points), [1, 2, 3, 4]);
        assert_eq!(signed_area(&points, &[1, 2, 3, 4]), 1.0);
        assert_eq!(signed_area(&points, &[4, 3, 2, 1]), -1.0);
        assert_eq!(area_coverage(&points, &[1, 2, 3, 4], &[1, 2, 3, 4]), 1.0);
        assert_eq!(area_coverage(&points, &[1, 2, 4], &[1, 2, 3, 4]), 0.5);
    }

    #[test]
    fn collinear_edge_points_and_duplicates_are_not_vertices() {
        let points = [[0.0, 0.0], [0.5, 0.0], [1.0, 0.0], [0.5, 1.0], [0.5, 1.0]];
        assert_eq!(convex_hull(&points), [0, 2, 3]);
    }

    #[test]
    fn a_bow_tie_is_not_simple_and_covers_nothing() {
        let points = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]];
        assert!(!is_simple_polygon(&points, &[0, 2, 1, 3]));
        assert!(is_simple_polygon(&points, &[0, 1, 2, 3]));
        assert!(!is_simple_polygon(&points, &[0, 1, 1, 3]));
        assert_eq!(area_coverage(&points, &[0, 2, 1, 3], &[0, 1, 2, 3]), 0.0);
    }

    #[test]
    fn every_point_lies_inside_or_on_the_hull() {
        let points: Vec<[f64; 2]> =
            (0..40).map(|i| [((i * 37) % 101) as f64 / 101.0, ((i * 59) % 97) as f64 / 97.0]).collect();
        let hull = convex_hull(&points);
        for k in 0..hull.len() {
            let (a, b) = (points[hull[k]], points[hull[(k + 1) % hull.len()]]);
            assert!(points.iter().all(|&p| cross(a, b, p) >= 0.0), "edge {k} of {hull:?}");
        }
        assert_eq!(hull[0], *hull.iter().min().unwrap());
    }
}
