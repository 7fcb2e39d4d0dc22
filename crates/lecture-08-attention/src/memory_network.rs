//! End-to-end memory network (Sukhbaatar, Szlam, Weston & Fergus 2015): attention over the
//! sentences of a story, repeated for several "hops", trained from question-answer pairs alone.
//!
//! ```text
//! sentence i, words x_ij:  m_i = Σ_j l_j ⊙ A x_ij + T_A(i)   memory keys      [batch, n, d]
//!                          c_i = Σ_j l_j ⊙ C x_ij + T_C(i)   memory values    [batch, n, d]
//! question q:              u_1 = Σ_j l_j ⊙ B q_j                              [batch, d]
//! hop k = 1..K:            p = softmax_i(u_k · m_i)          which sentences   [batch, n]
//!                          o = Σ_i p_i c_i;   u_{k+1} = u_k + o
//! answer:                  â = softmax(W u_{K+1})                              [batch, V]
//! l_kj = (1 - j/J) - (k/d)(1 - 2j/J)   position encoding (1-based j, k): word order matters
//! ```
//!
//! Weights are tied between adjacent hops ("adjacent" tying): `K + 1` embeddings `E_0..E_K`
//! (each `[V, d]`) with temporal encodings `T_0..T_K` (`[n, d]`); hop `k` reads keys with
//! `E_{k-1}` and values with `E_k`; the question uses `B = E_0` and the answer `W = E_K^T`.
//! **Linear start** (the paper's "LS"): for the first part of training the softmax of every hop
//! is left out (`p = u_k · m_i`), which keeps gradients flowing to every sentence while the
//! embeddings are still random; then the softmax goes back in. Without it, the two-fact task
//! settles in a poor optimum (answering with recent places) that attention never leaves.
//! One hop can find the sentence that mentions the question's subject; a second hop can follow
//! what that sentence says (who holds the football) to a second sentence (where that person is).

use burn::module::Param;
use burn::nn::{Embedding, EmbeddingConfig};
use burn::prelude::*;
use burn::tensor::Distribution;
use burn::tensor::activation::softmax;

/// Sizes of a [`MemoryNetwork`].
#[derive(Config, Debug)]
pub struct MemoryNetworkConfig {
    /// Words in the vocabulary.
    pub vocab: usize,
    /// Embedding width `d`.
    pub embedding: usize,
    /// Sentences a story holds at most (`n`).
    pub memory_slots: usize,
    /// Hops `K`.
    pub hops: usize,
}

impl MemoryNetworkConfig {
    /// A fresh network; embeddings and temporal encodings drawn from N(0, 0.1²) as in the paper.
    pub fn init(&self, device: &Device) -> MemoryNetwork {
        let normal = Distribution::Normal(0.0, 0.1);
        MemoryNetwork {
            embeddings: (0..=self.hops)
                .map(|_| {
                    let mut e = EmbeddingConfig::new(self.vocab, self.embedding).init(device);
                    e.weight =
                        Param::from_tensor(Tensor::random([self.vocab, self.embedding], normal, device));
                    e
                })
                .collect(),
            temporal: (0..=self.hops)
                .map(|_| {
                    Param::from_tensor(Tensor::random([self.memory_slots, self.embedding], normal, device))
                })
                .collect(),
        }
    }
}

/// `E_0..E_K` and `T_0..T_K`.
#[derive(Module, Debug)]
pub struct MemoryNetwork {
    pub embeddings: Vec<Embedding>,
    pub temporal: Vec<Param<Tensor<2>>>,
}

/// The answer scores and the attention of every hop.
#[derive(Clone, Debug)]
pub struct MemoryOutput {
    /// `[batch, V]`.
    pub logits: Tensor<2>,
    /// One `p: [batch, n]` per hop.
    pub attention: Vec<Tensor<2>>,
}

/// The position encoding `l: [J, d]` of sentences of `words` words.
pub fn position_encoding(words: usize, width: usize, device: &Device) -> Tensor<2> {
    let (big_j, d) = (words as f32, width as f32);
    let values: Vec<f32> = (1..=words)
        .flat_map(|j| {
            (1..=width)
                .map(move |k| (1.0 - j as f32 / big_j) - (k as f32 / d) * (1.0 - 2.0 * j as f32 / big_j))
        })
        .collect();
    Tensor::from_data(TensorData::new(values, [words, width]), device)
}

impl MemoryNetwork {
    /// Hops `K`.
    pub fn hops(&self) -> usize {
        self.embeddings.len() - 1
    }

    /// `Σ_j l_j ⊙ E x_ij` for `tokens: [batch, n, J]`: `[batch, n, d]`.
    fn encode(embedding: &Embedding, tokens: Tensor<3, Int>) -> Tensor<3> {
        let [batch, n, words] = tokens.dims();
        let embedded = embedding.forward(tokens.reshape([batch, n * words])); // [B, n J, d]
        let width = embedded.dims()[2];
        let encoding =
            position_encoding(words, width, &embedded.device()).unsqueeze_dim::<3>(0).unsqueeze_dim::<4>(0);
        (embedded.reshape([batch, n, words, width]) * encoding).sum_dim(2).squeeze_dim(2)
    }

    /// Answers `question: [batch, J]` about `story: [batch, n, J]` (`n` at most `memory_slots`).
    pub fn forward(&self, story: Tensor<3, Int>, question: Tensor<2, Int>) -> MemoryOutput {
        self.forward_with(story, question, false)
    }

    /// [`MemoryNetwork::forward`], with `linear` leaving out the softmax of every hop (linear
    /// start).
    pub fn forward_with(
        &self,
        story: Tensor<3, Int>,
        question: Tensor<2, Int>,
        linear: bool,
    ) -> MemoryOutput {
        let n = story.dims()[1];
        let mut u = Self::encode(&self.embeddings[0], question.unsqueeze_dim(1)).squeeze_dim::<2>(1); // [B, d]
        let slots = |k: usize| self.temporal[k].val().narrow(0, 0, n).unsqueeze_dim::<3>(0);
        let mut attention = Vec::with_capacity(self.hops());
        for k in 1..=self.hops() {
            let keys = Self::encode(&self.embeddings[k - 1], story.clone()) + slots(k - 1);
            let values = Self::encode(&self.embeddings[k], story.clone()) + slots(k);
            let scores = keys.matmul(u.clone().unsqueeze_dim(2)).squeeze_dim::<2>(2); // [B, n]
            let p = if linear { scores } else { softmax(scores, 1) };
            let o = p.clone().unsqueeze_dim::<3>(1).matmul(values).squeeze_dim::<2>(1); // [B, d]
            u = u + o;
            attention.push(p);
        }
        let answer = self.embeddings[self.hops()].weight.val().transpose(); // W = E_K^T: [d, V]
        MemoryOutput { logits: u.matmul(answer), attention }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_position_encoding_matches_the_papers_formula_by_hand() {
        // J = 2, d = 2: l_kj = (1 - j/2) - (k/2)(1 - j): j = 1 gives 0.5, 0.5; j = 2 gives k/2.
        let device = shared::backend::test_device();
        let l: Vec<f32> = position_encoding(2, 2, &device).into_data().iter::<f32>().collect();
        assert_eq!(l, vec![0.5, 0.5, 0.5, 1.0]);
        let l: Vec<f32> = position_encoding(4, 1, &device).into_data().iter::<f32>().collect();
        // k = d = 1: l_j = (1 - j/4) - (1 - j/2) = j/4.
        assert_eq!(l, vec![0.25, 0.5, 0.75, 1.0]);
    }
}
