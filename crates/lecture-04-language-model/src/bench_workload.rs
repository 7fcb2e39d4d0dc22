//! This lecture's benchmark workloads: one training step of the word-level LSTM LM at a
//! 10k vocabulary, with the full softmax (`word_lstm_full`) and with the class-based output
//! layer (`word_lstm_class`), timed by `cargo run -p lecture-04-language-model -- bench`.
//!
//! tokens `[B, T]` -> Embedding `[B, T, E]` -> shared's LSTM layer `[B, T, H]` -> output layer -> mean next-token negative log-likelihood; Adam (shared's
//! [`Trainee`]). Sizes: Zaremba et al.'s small PTB model (E = H = 200, T = 20, B = 20), V = 10,000.

use crate::class_softmax::{ClassSoftmax, FrequencyClasses};
use crate::output_layer::OutputLayer;
use crate::recurrent_lm::{RecurrentKind, RecurrentLm};
use crate::streams::Window;
use burn::nn::LinearConfig;
use burn::prelude::Device;
use rand::RngExt;
use shared::bench::inputs::batch_rng;
use shared::bench::{Trainee, Workload};

/// The sizes of a [`WordLstm`] workload.
#[derive(Clone, Copy, Debug)]
pub struct WordLstmSizes {
    pub vocab: usize,
    pub embedding: usize,
    pub hidden: usize,
    pub batch: usize,
    pub seq_len: usize,
    /// `Some(C)`: class-based output layer with `C` classes; `None`: full softmax.
    pub classes: Option<usize>,
}

/// The workload: the model, Adam, and one fixed batch of random words.
pub struct WordLstm {
    trainee: Trainee<RecurrentLm>,
    window: Window,
    name: &'static str,
}

impl WordLstm {
    /// Zaremba et al.'s small model at a 10k vocabulary, full softmax.
    pub const FULL: WordLstmSizes =
        WordLstmSizes { vocab: 10_000, embedding: 200, hidden: 200, batch: 20, seq_len: 20, classes: None };
    /// The same with 300 frequency classes.
    pub const CLASS: WordLstmSizes = WordLstmSizes { classes: Some(300), ..WordLstm::FULL };
    /// Steps per timed run by default.
    pub const DEFAULT_STEPS: usize = 8;

    /// A fresh model and the fixed batch (uniform random words; the classes follow their counts).
    pub fn new(sizes: WordLstmSizes, device: &Device) -> anyhow::Result<Self> {
        let mut rng = batch_rng();
        let n = sizes.batch * sizes.seq_len;
        let text: Vec<usize> = (0..n + sizes.batch).map(|_| rng.random_range(0..sizes.vocab)).collect();
        let window = Window {
            inputs: text[..n].to_vec(),
            targets: text[sizes.batch..].to_vec(),
            positions: (1..=n).collect(),
            batch: sizes.batch,
            time: sizes.seq_len,
        };
        let output = match sizes.classes {
            None => OutputLayer::Full(LinearConfig::new(sizes.hidden, sizes.vocab).init(device)),
            Some(classes) => {
                let classes = FrequencyClasses::from_counts(&text, sizes.vocab, classes)?;
                OutputLayer::Class(ClassSoftmax::new(sizes.hidden, classes, device))
            }
        };
        let model =
            RecurrentLm::new(RecurrentKind::Lstm, sizes.vocab, sizes.embedding, sizes.hidden, output, device);
        let name = if sizes.classes.is_some() { "word_lstm_class" } else { "word_lstm_full" };
        Ok(Self { trainee: Trainee::new(model), window, name })
    }
}

impl Workload for WordLstm {
    fn name(&self) -> &'static str {
        self.name
    }

    fn description(&self) -> &'static str {
        match self.name {
            "word_lstm_full" => "word LSTM LM, V 10k, E = H = 200, B 20 x T 20, full softmax, Adam",
            _ => "word LSTM LM, V 10k, E = H = 200, B 20 x T 20, class softmax (300 classes), Adam",
        }
    }

    fn step(&mut self) -> f32 {
        self.trainee.train_step(|model| {
            let (log_probs, _, _) = model.window_log_probs(&self.window, None);
            log_probs.mean().neg()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::testing::seeded;

    #[test]
    fn every_workload_fits_its_fixed_batch() {
        for classes in [None, Some(3)] {
            let sizes = WordLstmSizes { vocab: 11, embedding: 4, hidden: 8, batch: 3, seq_len: 5, classes };
            let losses: Vec<f32> = seeded(0, |device| {
                let mut workload = WordLstm::new(sizes, device).unwrap();
                (0..150).map(|_| workload.step()).collect()
            });
            assert!(losses.iter().all(|l| l.is_finite()));
            assert!(
                losses[149] < losses[0] - 0.3,
                "{classes:?}: Adam fits one batch: {} -> {}",
                losses[0],
                losses[149]
            );
        }
    }
}
