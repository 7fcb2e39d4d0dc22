//! What a benchmark workload is, and the eight of them by name.

use super::char_lstm::LstmKind;
use super::seq2seq_attention::Seq2SeqKind;
use super::{CapsNet, CharLstm, Cnn, Gan, Mlp, Seq2SeqAttention};
use burn::prelude::Device;

/// One fixed training problem whose speed `cargo xtask bench` measures.
///
/// The model, its optimiser state and its (seeded, random) batch live in the workload; the
/// batch is made once, in the constructor, so the timed loop holds nothing but training.
pub trait Workload {
    /// The name used on the command line and in the JSON record, e.g. `char_lstm`.
    fn name(&self) -> &'static str;

    /// One line: the model, its sizes, the loss and the optimiser.
    fn description(&self) -> &'static str;

    /// One full training step on the fixed batch: forward, loss, backward, optimiser step.
    ///
    /// Returns the step's loss (read back from the device, which forces a lazy backend to run
    /// the forward pass; the runner synchronises the device after each timed run for the rest).
    fn step(&mut self) -> f32;
}

/// The eight workloads, in the order the benchmark runs them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum WorkloadKind {
    /// Character LSTM language model ([`shared_kernels::recurrent::FusedLstm`]).
    CharLstm,
    /// The same model with burn's `Lstm`.
    CharLstmBurn,
    /// Two-layer perceptron on MNIST-sized inputs.
    Mlp,
    /// Two convolution blocks and a linear classifier.
    Cnn,
    /// Reduced capsule network with routing by agreement.
    Capsnet,
    /// MLP generator and discriminator, one step of each.
    Gan,
    /// GRU encoder-decoder with dot-product attention ([`shared_kernels::recurrent::FusedGru`]).
    Seq2seqAttention,
    /// The same model with burn's `Gru`, decoded step by step.
    Seq2seqAttentionStepwise,
}

impl WorkloadKind {
    /// All eight, in benchmark order.
    pub const ALL: [WorkloadKind; 8] = [
        WorkloadKind::CharLstm,
        WorkloadKind::CharLstmBurn,
        WorkloadKind::Mlp,
        WorkloadKind::Cnn,
        WorkloadKind::Capsnet,
        WorkloadKind::Gan,
        WorkloadKind::Seq2seqAttention,
        WorkloadKind::Seq2seqAttentionStepwise,
    ];

    /// The workload at its benchmark size, its parameters initialised from `device`'s seed.
    /// `device` must be an autodiff device.
    pub fn build(self, device: &Device) -> Box<dyn Workload> {
        match self {
            WorkloadKind::CharLstm => Box::new(CharLstm::new(CharLstm::BENCH, LstmKind::Fused, device)),
            WorkloadKind::CharLstmBurn => Box::new(CharLstm::new(CharLstm::BENCH, LstmKind::Burn, device)),
            WorkloadKind::Mlp => Box::new(Mlp::new(Mlp::BENCH, device)),
            WorkloadKind::Cnn => Box::new(Cnn::new(Cnn::BENCH_BATCH, device)),
            WorkloadKind::Capsnet => Box::new(CapsNet::new(CapsNet::BENCH_BATCH, device)),
            WorkloadKind::Gan => Box::new(Gan::new(Gan::BENCH, device)),
            WorkloadKind::Seq2seqAttention => {
                Box::new(Seq2SeqAttention::new(Seq2SeqAttention::BENCH, Seq2SeqKind::Fused, device))
            }
            WorkloadKind::Seq2seqAttentionStepwise => {
                Box::new(Seq2SeqAttention::new(Seq2SeqAttention::BENCH, Seq2SeqKind::Stepwise, device))
            }
        }
    }

    /// Steps per timed run when `--steps` is not given: about 1-3 s per run for burn on flex
    /// on a 2-core machine (`bench/pytorch_bench.py` has its own, for its ~1-3 s runs).
    pub fn default_steps(self) -> usize {
        match self {
            WorkloadKind::CharLstm => 30,
            WorkloadKind::CharLstmBurn => 8,
            WorkloadKind::Mlp => 300,
            WorkloadKind::Cnn => 10,
            WorkloadKind::Capsnet => 6,
            WorkloadKind::Gan => 200,
            WorkloadKind::Seq2seqAttention => 100,
            WorkloadKind::Seq2seqAttentionStepwise => 20,
        }
    }
}
