//! A sentiment classifier over trees: any composition function plus a softmax at every node.
//!
//! ```text
//! states  = composition over the tree batch             [nodes, state]
//! logits  = features(states) W_s + b_s                  [nodes, 5]   (labels 0..=4)
//! loss    = mean over ALL nodes of -log softmax(logits)[label]
//! ```
//!
//! Every phrase of the treebank is labelled, so every node is a training example (Socher et al.
//! 2013); the sentence's label is the root's.

use crate::bag::Bag;
use crate::composition::Composition;
use crate::levels::{forward_levels, forward_node_at_a_time, indices};
use crate::mv_rnn::MvRnn;
use crate::recursive_net::RecursiveNet;
use crate::rntn::Rntn;
use crate::tree_batch::TreeBatch;
use crate::tree_lstm::TreeLstm;
use burn::module::Module;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::nn::{Linear, LinearConfig};
use burn::prelude::{Device, Int, Tensor};
use burn::tensor::activation::softmax;
use serde::Serialize;
use std::fmt;

/// The number of sentiment classes (0 very negative .. 4 very positive).
pub const CLASSES: usize = 5;

/// Which composition function a classifier uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum ModelKind {
    /// [`Bag`]: mean of the word vectors.
    Bag,
    /// [`RecursiveNet`]: `tanh([l; r] W + b)`.
    Rnn,
    /// [`MvRnn`]: a vector and a matrix per word.
    MvRnn,
    /// [`Rntn`]: the RNN plus a bilinear tensor term.
    Rntn,
    /// [`TreeLstm`]: binary Tree-LSTM.
    TreeLstm,
}

impl ModelKind {
    /// Every model, weakest first (the order of Socher et al.'s table).
    pub const ALL: [ModelKind; 5] =
        [ModelKind::Bag, ModelKind::Rnn, ModelKind::MvRnn, ModelKind::Rntn, ModelKind::TreeLstm];

    /// A fresh classifier of this kind over `vocab` words with width `width`.
    pub fn init(self, vocab: usize, width: usize, device: &Device) -> TreeClassifier {
        let composer = match self {
            ModelKind::Bag => Composer::Bag(Bag::new(vocab, width, device)),
            ModelKind::Rnn => Composer::Rnn(RecursiveNet::new(vocab, width, device)),
            ModelKind::MvRnn => Composer::MvRnn(MvRnn::new(vocab, width, device)),
            ModelKind::Rntn => Composer::Rntn(Rntn::new(vocab, width, device)),
            ModelKind::TreeLstm => Composer::TreeLstm(TreeLstm::new(vocab, width, device)),
        };
        let classifier = LinearConfig::new(composer.feature_width(), CLASSES).init(device);
        TreeClassifier { composer, classifier }
    }
}

impl fmt::Display for ModelKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ModelKind::Bag => "bag of vectors",
            ModelKind::Rnn => "RNN",
            ModelKind::MvRnn => "MV-RNN",
            ModelKind::Rntn => "RNTN",
            ModelKind::TreeLstm => "Tree-LSTM",
        })
    }
}

/// Any of the five composition functions.
#[derive(Module, Debug)]
pub enum Composer {
    Bag(Bag),
    Rnn(RecursiveNet),
    MvRnn(MvRnn),
    Rntn(Rntn),
    TreeLstm(TreeLstm),
}

impl Composer {
    fn inner(&self) -> &dyn Composition {
        match self {
            Composer::Bag(m) => m,
            Composer::Rnn(m) => m,
            Composer::MvRnn(m) => m,
            Composer::Rntn(m) => m,
            Composer::TreeLstm(m) => m,
        }
    }
}

impl Composition for Composer {
    fn state_width(&self) -> usize {
        self.inner().state_width()
    }

    fn feature_width(&self) -> usize {
        self.inner().feature_width()
    }

    fn leaves(&self, words: Tensor<1, Int>) -> Tensor<2> {
        self.inner().leaves(words)
    }

    fn compose(&self, left: Tensor<2>, right: Tensor<2>) -> Tensor<2> {
        self.inner().compose(left, right)
    }

    fn features(&self, states: Tensor<2>) -> Tensor<2> {
        self.inner().features(states)
    }
}

/// How the node states are computed: the result is the same, the speed is not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Schedule {
    /// All nodes of equal height together ([`forward_levels`]).
    Levels,
    /// One node per call, tree by tree ([`forward_node_at_a_time`]).
    NodeAtATime,
}

/// A composition function with a softmax classifier at every node.
#[derive(Module, Debug)]
pub struct TreeClassifier {
    /// The composition function and its word representations.
    pub composer: Composer,
    /// `W_s, b_s`: features -> 5 sentiment logits.
    pub classifier: Linear,
}

impl TreeClassifier {
    /// The logits `[nodes, 5]` of every node of `batch`, in the batch's global order.
    pub fn logits(&self, batch: &TreeBatch, schedule: Schedule, device: &Device) -> Tensor<2> {
        let states = match schedule {
            Schedule::Levels => forward_levels(&self.composer, batch, device),
            Schedule::NodeAtATime => forward_node_at_a_time(&self.composer, batch, device),
        };
        self.classifier.forward(self.composer.features(states))
    }

    /// The mean cross-entropy over every node of `batch`, and the logits.
    pub fn loss(&self, batch: &TreeBatch, schedule: Schedule, device: &Device) -> (Tensor<1>, Tensor<2>) {
        let logits = self.logits(batch, schedule, device);
        let loss = CrossEntropyLossConfig::new()
            .init(device)
            .forward(logits.clone(), indices(&batch.labels, device));
        (loss, logits)
    }

    /// The class probabilities `[nodes, 5]` of every node, as rows of plain numbers.
    pub fn probabilities(&self, batch: &TreeBatch, device: &Device) -> Vec<[f32; CLASSES]> {
        let probs = softmax(self.logits(batch, Schedule::Levels, device), 1);
        rows(probs)
    }
}

/// The rows of a `[n, 5]` tensor.
pub fn rows(t: Tensor<2>) -> Vec<[f32; CLASSES]> {
    let values: Vec<f32> = t.into_data().convert::<f32>().try_to_vec::<f32>().expect("converted to f32");
    values.chunks_exact(CLASSES).map(|c| [c[0], c[1], c[2], c[3], c[4]]).collect()
}
