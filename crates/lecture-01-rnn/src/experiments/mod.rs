//! One experiment per claim of the lecture; each is a library function that the binary and the
//! claim tests call alike.

pub mod bidirectional;
pub mod gate_ablation;
pub mod pyramidal;
pub mod sequence_metrics;
