//! Word vectors as soft word classes: what an LM's embedding table `E: [V, d]` learns.
//!
//! A class-based n-gram puts each word in exactly one class; an embedding places it in a
//! continuous space where words used alike end up close. Closeness is the cosine
//! `cos(u, v) = u·v / (|u| |v|)`. To see the space we project the vectors of a few words onto
//! their two principal components (the top eigenvectors of their covariance matrix).

/// Rows of an embedding table.
pub struct Embeddings {
    vectors: Vec<Vec<f64>>,
}

impl Embeddings {
    /// A table of `rows` vectors of `dims` values each, row-major.
    pub fn new(values: &[f32], dims: usize) -> Embeddings {
        Embeddings {
            vectors: values.chunks(dims).map(|row| row.iter().map(|&v| v as f64).collect()).collect(),
        }
    }

    /// `cos(E[a], E[b])`.
    pub fn cosine(&self, a: usize, b: usize) -> f64 {
        let (u, v) = (&self.vectors[a], &self.vectors[b]);
        let dot: f64 = u.iter().zip(v).map(|(x, y)| x * y).sum();
        let norm = |w: &[f64]| w.iter().map(|x| x * x).sum::<f64>().sqrt();
        dot / (norm(u) * norm(v)).max(1e-12)
    }

    /// The `k` words of `candidates` (other than `word`) most similar to `word`, best first.
    pub fn nearest(&self, word: usize, candidates: impl Iterator<Item = usize>, k: usize) -> Vec<usize> {
        let mut scored: Vec<(f64, usize)> =
            candidates.filter(|&c| c != word).map(|c| (self.cosine(word, c), c)).collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().take(k).map(|(_, c)| c).collect()
    }

    /// The 2-D principal-component coordinates of `words` (power iteration on the covariance).
    pub fn project_2d(&self, words: &[usize]) -> Vec<(f64, f64)> {
        let dims = self.vectors[0].len();
        let mean: Vec<f64> = (0..dims)
            .map(|d| words.iter().map(|&w| self.vectors[w][d]).sum::<f64>() / words.len() as f64)
            .collect();
        let centred: Vec<Vec<f64>> =
            words.iter().map(|&w| self.vectors[w].iter().zip(&mean).map(|(x, m)| x - m).collect()).collect();
        let covariance = |v: &[f64]| -> Vec<f64> {
            let mut out = vec![0.0; dims];
            for row in &centred {
                let dot: f64 = row.iter().zip(v).map(|(x, y)| x * y).sum();
                out.iter_mut().zip(row).for_each(|(o, x)| *o += dot * x);
            }
            out
        };
        let first = power_iteration(&covariance, dims, &[]);
        let second = power_iteration(&covariance, dims, std::slice::from_ref(&first));
        let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
        centred.iter().map(|row| (dot(row, &first), dot(row, &second))).collect()
    }
}

/// The top eigenvector of the symmetric map `apply`, orthogonal to `found`.
fn power_iteration(apply: &impl Fn(&[f64]) -> Vec<f64>, dims: usize, found: &[Vec<f64>]) -> Vec<f64> {
    let mut v: Vec<f64> = (0..dims).map(|d| 1.0 + d as f64 * 0.01).collect();
    for _ in 0..200 {
        for f in found {
            let along: f64 = v.iter().zip(f).map(|(x, y)| x * y).sum();
            v.iter_mut().zip(f).for_each(|(x, y)| *x -= along * y);
        }
        let next = apply(&v);
        let norm = next.iter().map(|x| x * x).sum::<f64>().sqrt().max(1e-300);
        v = next.into_iter().map(|x| x / norm).collect();
    }
    v
}

/// Groups of words alike in use, for judging embeddings (words missing from a vocabulary are
/// skipped by the caller).
pub const WORD_GROUPS: [(&str, &[&str]); 6] = [
    ("pronouns", &["he", "she", "they", "we", "i", "you", "it"]),
    ("modal verbs", &["can", "could", "would", "will", "should", "may", "might", "must"]),
    ("prepositions", &["in", "on", "at", "from", "with", "by", "for", "into", "of"]),
    ("numbers", &["one", "two", "three", "four", "five", "six", "ten"]),
    ("determiners", &["the", "a", "an", "this", "that", "these", "those", "his", "their"]),
    ("forms of be", &["is", "was", "are", "were", "be", "been"]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_follow_the_cosine() {
        let e = Embeddings::new(&[1.0, 0.0, 0.9, 0.1, 0.0, 1.0, -1.0, 0.0], 2);
        assert_eq!(e.nearest(0, 0..4, 2), vec![1, 2]);
        assert!((e.cosine(0, 3) + 1.0).abs() < 1e-12);
    }

    #[test]
    fn the_projection_keeps_the_main_direction() {
        // Points on a line along (1, 1, 0) plus a little spread along (0, 0, 1).
        let e = Embeddings::new(&[0.0, 0.0, 0.0, 1.0, 1.0, 0.1, 2.0, 2.0, 0.0, 3.0, 3.0, -0.1], 3);
        let xy = e.project_2d(&[0, 1, 2, 3]);
        let spread_x = xy.iter().map(|p| p.0.abs()).fold(0.0, f64::max);
        let spread_y = xy.iter().map(|p| p.1.abs()).fold(0.0, f64::max);
        assert!(spread_x > 2.0 && spread_y < 0.2, "{xy:?}");
    }
}
