//! The lecture's experiments, one file each; [`data`], [`training`] and [`capsule_views`] are
//! what they share.

pub mod ablation;
pub mod capsule_views;
pub mod data;
pub mod digits;
pub mod training;
