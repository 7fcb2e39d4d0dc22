//! Lecture 4: language models, from counting n-grams to recurrent networks.
//!
//! Count-based models ([`ngram_counts`], [`add_k`], [`kneser_ney`]), the bridge to learning
//! ([`low_rank_bigram`]), neural LMs ([`feedforward_lm`], [`recurrent_lm`] with [`rnn`] and
//! shared's LSTM layer), a cheaper output layer ([`class_softmax`]), a memory of recent hidden states
//! ([`neural_cache`]), and what the word vectors learn ([`embeddings`]). The experiments in
//! [`experiments`] reproduce the lecture's claims.

pub mod add_k;
pub mod bench_workload;
pub mod class_softmax;
pub mod embeddings;
pub mod experiments;
pub mod feedforward_lm;
pub mod kneser_ney;
pub mod lm_training;
pub mod low_rank_bigram;
pub mod neural_cache;
pub mod ngram_counts;
pub mod ngram_model;
pub mod output_layer;
pub mod recurrent_lm;
pub mod rnn;
pub mod streams;
pub mod word_data;
