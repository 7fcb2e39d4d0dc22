//! What every recursive model provides: a state for each leaf, a parent state from two child
//! states, and the features the sentiment softmax reads from a state.
//!
//! A state is one row of a `[nodes, state]` tensor whatever the model (a vector for the RNN,
//! vector and cell for the Tree-LSTM, vector and flattened matrix for the MV-RNN), so that
//! [`crate::levels`] can gather and append the states of any model the same way.

use burn::prelude::{Int, Tensor};

/// A composition function over binary trees, batched over nodes.
pub trait Composition {
    /// The width of one node's state.
    fn state_width(&self) -> usize;

    /// The width of the features the classifier reads.
    fn feature_width(&self) -> usize;

    /// The states of leaves with word ids `words: [n]`: `[n, state]`.
    fn leaves(&self, words: Tensor<1, Int>) -> Tensor<2>;

    /// The parents' states from their children's, `left, right: [n, state]` -> `[n, state]`.
    fn compose(&self, left: Tensor<2>, right: Tensor<2>) -> Tensor<2>;

    /// What the softmax sees of each state: `[n, state]` -> `[n, features]`.
    fn features(&self, states: Tensor<2>) -> Tensor<2>;
}
