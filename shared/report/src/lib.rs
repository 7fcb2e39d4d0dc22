//! `shared-report`: what an experiment leaves behind, without burn.
//!
//! - [`report`]: the JSON record of an experiment run, its markdown summary and chart, and
//!   [`report::collect_records`] for the results gallery (`cargo xtask report`).
//! - [`plot`]: line charts, scatter plots, image grids and heatmaps (SVG by hand, PNG).
//! - [`atomic`]: writes that never leave half a file.
//! - [`stats`]: median, mean and standard deviation of a few numbers.
//!
//! Nothing here depends on burn, so the workspace's tools (xtask) read and write the same
//! records as the lectures without building a deep-learning framework. Lectures reach these
//! modules through `shared` (`shared::report`, `shared::plot`, ...).

pub mod atomic;
pub mod plot;
pub mod report;
pub mod stats;
