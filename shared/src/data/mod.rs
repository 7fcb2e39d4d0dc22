//! Data for the lectures: vendored data sets, their parsers, batching and synthetic tasks.
pub mod synthetic;
