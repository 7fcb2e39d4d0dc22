//! The lecture's experiments, one file each; [`data`], [`training`], [`capsule_views`] and
//! [`equivariance`] are what they share.

pub mod ablation;
pub mod capsule_views;
pub mod data;
pub mod digits;
pub mod equivariance;
pub mod training;
