//! One experiment per claim of the lecture; each writes `out/lecture-14-saddles-and-memorisation/<name>.json`.

pub mod critical_points;
pub mod interpolation;
pub mod label_noise;
pub mod plateau;
pub mod random_labels;
