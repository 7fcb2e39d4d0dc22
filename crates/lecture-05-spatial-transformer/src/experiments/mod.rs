//! One experiment per claim of the lecture; each writes `out/lecture-05-spatial-transformer/<name>.json`.

pub mod addition;
pub mod distorted;
pub mod invariance;
pub mod training;
pub mod undo_rotation;
