//! Lecture 9: pointer networks, pointing at the input and copying from it.
//!
//! The pointer network ([`pointer_net`]) is an LSTM encoder and decoder ([`encoder_decoder`])
//! whose content-based attention ([`attention`]) is itself the output, masked so that every
//! answer is valid ([`masking`]) and decoded greedily or by beam search ([`decoding`]). Beside
//! it, the fixed-vocabulary baseline ([`fixed_vocabulary`]) and, for words, the
//! pointer-generator ([`pointer_generator`]). The tasks and their exact solvers are in
//! [`tasks`]; the experiments in [`experiments`] reproduce the lecture's claims.

pub mod attention;
pub mod bench_workload;
pub mod decoding;
pub mod encoder_decoder;
pub mod experiments;
pub mod fixed_vocabulary;
pub mod masking;
pub mod pointer_generator;
pub mod pointer_net;
pub mod tasks;
