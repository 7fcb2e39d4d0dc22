//! One experiment per claim of the lecture: each trains (or counts), writes its record and
//! pictures under `out/lecture-01-rnn/`, and returns the numbers its claim test asserts.

pub mod cnn_basics;
pub mod stack_rnn;
