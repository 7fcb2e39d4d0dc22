//! Stack RNN (Joulin & Mikolov 2015, "Inferring Algorithmic Patterns with Stack-Augmented
//! Recurrent Nets"): a recurrent network that drives one or more continuous stacks.
//!
//! At each step `t`, reading the one-hot symbol `x_t` (shapes for a batch of `B` rows, hidden
//! size `H`, `S` stacks of depth `K`, of which the top `k` elements are read):
//!
//! ```text
//! h_t      = sigmoid(U x_t + R h_{t-1} + P [s_{t-1}[0..k] of every stack])   [B, H]
//! a_t      = softmax(A h_t), per stack, over (push, pop, no-op)              [B, S, 3]
//! v_t      = sigmoid(D h_t), the value a push puts on top                    [B, S]
//! s_t      = stack_update(s_{t-1}, a_t, v_t)                                  [B, S, K]
//! y_t      = softmax(V h_t), the next-symbol distribution                     [B, vocab]
//! ```
//!
//! The stack is *continuous*: instead of choosing one action, the new stack is the mixture of
//! the three possible next stacks weighted by the action probabilities, so the whole model is
//! differentiable and trains by backpropagation through time (see [`stack_update`]).
//!
//! With `no_op = false` the actions are push and pop only (the default of the authors' released
//! code, where no-op is an option). With `hidden_recurrence = false` there is no `R`: the hidden
//! layer remembers only through its stacks, as in the authors' scripts for their Table 1.
//!
//! With `use_stack = false` the same model has no stack at all (no `P`, `A`, `D`): a plain
//! sigmoid RNN, the baseline that isolates what the stack adds.

use anyhow::{Result, ensure};
use burn::nn::{Embedding, EmbeddingConfig, Linear, LinearConfig};
use burn::prelude::*;
use burn::tensor::activation::{sigmoid, softmax};

/// The value of an empty stack cell: what fills the stack at the start and what a pop brings up
/// from below the bottom. Pushed values are sigmoids in (0, 1), so -1 reads as "nothing here"
/// (the authors' released code uses the same value).
pub const EMPTY: f32 = -1.0;
/// Index of the push probability in the action axis.
pub const PUSH: usize = 0;
/// Index of the pop probability in the action axis.
pub const POP: usize = 1;
/// Index of the no-op probability in the action axis.
pub const NO_OP: usize = 2;
/// Number of stack actions.
pub const ACTIONS: usize = 3;

/// One step of a continuous stack: the mixture of push, pop and no-op.
///
/// With `p`, `q`, `r` the push, pop and no-op probabilities of a stack and `v` the pushed value:
///
/// ```text
/// s_t[0] = p v             + q s_{t-1}[1]   + r s_{t-1}[0]
/// s_t[i] = p s_{t-1}[i-1]  + q s_{t-1}[i+1] + r s_{t-1}[i]     (0 < i < K - 1)
/// s_t[K-1] = p s_{t-1}[K-2] + q EMPTY        + r s_{t-1}[K-1]
/// ```
///
/// A push moves every element one down (the bottom one falls off) and puts `v` on top; a pop
/// moves every element one up and fills the bottom with [`EMPTY`]; a no-op keeps the stack.
///
/// Shapes: `stack [B, S, K]`, `actions [B, S, 3]` (push, pop, no-op), `pushed [B, S]`;
/// returns `[B, S, K]`.
pub fn stack_update(stack: Tensor<3>, actions: Tensor<3>, pushed: Tensor<2>) -> Tensor<3> {
    let [batch, stacks, depth] = stack.dims();
    let pushed = pushed.reshape([batch, stacks, 1]);
    let empty = Tensor::full([batch, stacks, 1], EMPTY, &stack.device());
    let (after_push, after_pop) = if depth == 1 {
        (pushed, empty)
    } else {
        let upper = stack.clone().slice(s![.., .., 0..depth - 1]);
        let lower = stack.clone().slice(s![.., .., 1..depth]);
        (Tensor::cat(vec![pushed, upper], 2), Tensor::cat(vec![lower, empty], 2))
    };
    let weight = |action: usize| actions.clone().slice(s![.., .., action..action + 1]);
    after_push * weight(PUSH) + after_pop * weight(POP) + stack * weight(NO_OP)
}

/// Sizes of a [`StackRnn`].
#[derive(Config, Debug)]
pub struct StackRnnConfig {
    /// Number of symbols (one-hot input and softmax output size).
    pub vocab: usize,
    /// Hidden units `H`.
    pub hidden: usize,
    /// Number of stacks `S`.
    #[config(default = 1)]
    pub stacks: usize,
    /// Cells per stack `K`: deeper than the longest count the model must hold.
    #[config(default = 40)]
    pub depth: usize,
    /// How many top cells of each stack feed the hidden layer (`k`).
    #[config(default = 2)]
    pub read_depth: usize,
    /// `false`: no stack, the plain RNN baseline.
    #[config(default = true)]
    pub use_stack: bool,
    /// `false`: push and pop only, as in the paper's default (its no-op is an option).
    #[config(default = true)]
    pub no_op: bool,
    /// `false`: no `R`, the hidden layer is recurrent only through the stacks.
    #[config(default = true)]
    pub hidden_recurrence: bool,
}

/// The Stack RNN of the module documentation.
#[derive(Module, Debug)]
pub struct StackRnn {
    /// `U`: one row per symbol (an affine map of a one-hot input).
    input: Embedding,
    /// `R`: hidden to hidden, no bias; absent when the recurrence goes through the stacks only.
    recurrent: Option<Linear>,
    /// `P`, `A`, `D`: absent in the plain RNN.
    memory: Option<StackMemory>,
    /// `V`: hidden to next-symbol logits.
    output: Linear,
    hidden: usize,
}

/// The stack part of a [`StackRnn`]: how it reads, acts on and writes its stacks.
#[derive(Module, Debug)]
pub struct StackMemory {
    /// `P`: the top `read_depth` cells of every stack to the hidden layer, no bias.
    read: Linear,
    /// `A`: hidden to the action logits of every stack.
    action: Linear,
    /// `D`: hidden to the pushed value of every stack.
    push: Linear,
    stacks: usize,
    depth: usize,
    read_depth: usize,
    /// Actions per stack: 3, or 2 without no-op.
    actions: usize,
}

impl StackRnnConfig {
    /// A randomly initialised model; an error for sizes that make no model.
    pub fn init(&self, device: &Device) -> Result<StackRnn> {
        ensure!(self.vocab >= 1 && self.hidden >= 1, "vocab and hidden must be at least 1: {self:?}");
        let memory = if self.use_stack {
            ensure!(self.stacks >= 1, "a Stack RNN needs at least one stack: {self:?}");
            ensure!(
                (1..=self.depth).contains(&self.read_depth),
                "read_depth must be between 1 and the stack depth: {self:?}"
            );
            let actions = if self.no_op { ACTIONS } else { ACTIONS - 1 };
            Some(StackMemory {
                read: LinearConfig::new(self.stacks * self.read_depth, self.hidden)
                    .with_bias(false)
                    .init(device),
                action: LinearConfig::new(self.hidden, self.stacks * actions).init(device),
                push: LinearConfig::new(self.hidden, self.stacks).init(device),
                stacks: self.stacks,
                depth: self.depth,
                read_depth: self.read_depth,
                actions,
            })
        } else {
            None
        };
        Ok(StackRnn {
            input: EmbeddingConfig::new(self.vocab, self.hidden).init(device),
            recurrent: self
                .hidden_recurrence
                .then(|| LinearConfig::new(self.hidden, self.hidden).with_bias(false).init(device)),
            memory,
            output: LinearConfig::new(self.hidden, self.vocab).init(device),
            hidden: self.hidden,
        })
    }
}

/// How the stack follows the action probabilities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Actions {
    /// The mixture of push, pop and no-op (training: differentiable).
    Soft,
    /// Only the most probable action, as if it had probability one (the paper's "rounding",
    /// for testing: a stack that stays sharp however long the word).
    Rounded,
}

impl StackRnn {
    /// Next-symbol logits `[B, T, vocab]` for symbol ids `[B, T]`, from an empty stack and a
    /// zero hidden state, with [`Actions::Soft`].
    pub fn forward(&self, tokens: Tensor<2, Int>) -> Tensor<3> {
        self.forward_with(tokens, Actions::Soft)
    }

    /// [`StackRnn::forward`] with the given way of acting on the stack.
    pub fn forward_with(&self, tokens: Tensor<2, Int>, mode: Actions) -> Tensor<3> {
        let [batch, time] = tokens.dims();
        let device = tokens.device();
        let mut hidden = Tensor::<2>::zeros([batch, self.hidden], &device);
        let mut stack = self.memory.as_ref().map(|memory| memory.empty_stack(batch, &device));
        let mut states = Vec::with_capacity(time);
        for t in 0..time {
            let symbol = tokens.clone().slice(s![.., t..t + 1]);
            let mut activation = self.input.forward(symbol).reshape([batch, self.hidden]);
            if let Some(recurrent) = &self.recurrent {
                activation = activation + recurrent.forward(hidden);
            }
            if let (Some(memory), Some(stack)) = (&self.memory, &stack) {
                activation = activation + memory.read_top(stack.clone());
            }
            hidden = sigmoid(activation);
            if let (Some(memory), Some(previous)) = (&self.memory, stack.take()) {
                stack = Some(memory.step(previous, hidden.clone(), mode));
            }
            states.push(hidden.clone());
        }
        self.output.forward(Tensor::stack(states, 1))
    }

    /// Whether this model has a stack (false: the plain RNN baseline).
    pub fn has_stack(&self) -> bool {
        self.memory.is_some()
    }
}

impl StackMemory {
    /// `S` stacks of depth `K` filled with [`EMPTY`]: `[B, S, K]`.
    fn empty_stack(&self, batch: usize, device: &Device) -> Tensor<3> {
        Tensor::full([batch, self.stacks, self.depth], EMPTY, device)
    }

    /// `P s[0..k]`: the top cells of every stack, `[B, S, K]`, projected to `[B, H]`.
    fn read_top(&self, stack: Tensor<3>) -> Tensor<2> {
        let [batch, stacks, _] = stack.dims();
        let top = stack.slice(s![.., .., 0..self.read_depth]).reshape([batch, stacks * self.read_depth]);
        self.read.forward(top)
    }

    /// The stacks after acting on `hidden` `[B, H]`: actions, pushed values, [`stack_update`].
    fn step(&self, stack: Tensor<3>, hidden: Tensor<2>, mode: Actions) -> Tensor<3> {
        let [batch, _] = hidden.dims();
        let logits = self.action.forward(hidden.clone()).reshape([batch, self.stacks, self.actions]);
        let mut probabilities = match mode {
            Actions::Soft => softmax(logits, 2),
            Actions::Rounded => logits.clone().equal(logits.max_dim(2).repeat_dim(2, self.actions)).float(),
        };
        if self.actions < ACTIONS {
            let never = Tensor::zeros([batch, self.stacks, ACTIONS - self.actions], &probabilities.device());
            probabilities = Tensor::cat(vec![probabilities, never], 2);
        }
        let pushed = sigmoid(self.push.forward(hidden));
        stack_update(stack, probabilities, pushed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::backend::test_device;
    use shared::testing::{Tolerance, assert_tensors_close, gradcheck, seeded};

    /// One batch row, one stack: `[1, 1, K]` from values.
    fn stack_of(values: &[f32], device: &Device) -> Tensor<3> {
        Tensor::<1>::from_floats(values, device).reshape([1, 1, values.len()])
    }

    fn act(push: f32, pop: f32, no_op: f32, device: &Device) -> Tensor<3> {
        Tensor::<1>::from_floats([push, pop, no_op], device).reshape([1, 1, ACTIONS])
    }

    fn pushed(value: f32, device: &Device) -> Tensor<2> {
        Tensor::<1>::from_floats([value], device).reshape([1, 1])
    }

    #[test]
    fn a_pure_push_moves_everything_down_and_puts_the_value_on_top() {
        let device = test_device();
        let stack = stack_of(&[0.1, 0.2, 0.3, 0.4], &device);
        let after = stack_update(stack, act(1.0, 0.0, 0.0, &device), pushed(0.9, &device));
        assert_tensors_close("push", after, stack_of(&[0.9, 0.1, 0.2, 0.3], &device), Tolerance::F32);
    }

    #[test]
    fn a_pure_pop_moves_everything_up_and_fills_the_bottom_with_empty() {
        let device = test_device();
        let stack = stack_of(&[0.1, 0.2, 0.3, 0.4], &device);
        let after = stack_update(stack, act(0.0, 1.0, 0.0, &device), pushed(0.9, &device));
        assert_tensors_close("pop", after, stack_of(&[0.2, 0.3, 0.4, EMPTY], &device), Tolerance::F32);
    }

    #[test]
    fn a_no_op_keeps_the_stack() {
        let device = test_device();
        let stack = stack_of(&[0.1, 0.2, 0.3, 0.4], &device);
        let after = stack_update(stack.clone(), act(0.0, 0.0, 1.0, &device), pushed(0.9, &device));
        assert_tensors_close("no-op", after, stack, Tolerance::F32);
    }

    #[test]
    fn mixed_actions_mix_the_three_next_stacks() {
        let device = test_device();
        let stack = stack_of(&[0.1, 0.2, 0.3], &device);
        let after = stack_update(stack, act(0.5, 0.3, 0.2, &device), pushed(0.8, &device));
        // push [0.8, 0.1, 0.2], pop [0.2, 0.3, -1], keep [0.1, 0.2, 0.3]
        let expected = [
            0.5 * 0.8 + 0.3 * 0.2 + 0.2 * 0.1,
            0.5 * 0.1 + 0.3 * 0.3 + 0.2 * 0.2,
            0.5 * 0.2 + 0.3 * EMPTY + 0.2 * 0.3,
        ];
        assert_tensors_close("mixture", after, stack_of(&expected, &device), Tolerance::F32);
    }

    #[test]
    fn a_stack_of_depth_one_holds_the_last_push() {
        let device = test_device();
        let pushed_one =
            stack_update(stack_of(&[0.3], &device), act(1.0, 0.0, 0.0, &device), pushed(0.7, &device));
        assert_tensors_close("push", pushed_one, stack_of(&[0.7], &device), Tolerance::F32);
        let popped =
            stack_update(stack_of(&[0.3], &device), act(0.0, 1.0, 0.0, &device), pushed(0.7, &device));
        assert_tensors_close("pop", popped, stack_of(&[EMPTY], &device), Tolerance::F32);
    }

    #[test]
    fn stacks_and_batch_rows_update_independently() {
        let device = test_device();
        // Two rows, two stacks: push on [0][0], pop on [0][1], no-op on [1][0], push on [1][1].
        let stack = Tensor::<3>::from_floats([[[0.1, 0.2], [0.3, 0.4]], [[0.5, 0.6], [0.7, 0.8]]], &device);
        let actions = Tensor::<3>::from_floats(
            [[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]],
            &device,
        );
        let values = Tensor::<2>::from_floats([[0.9, 0.9], [0.9, 0.05]], &device);
        let expected =
            Tensor::<3>::from_floats([[[0.9, 0.1], [0.4, EMPTY]], [[0.5, 0.6], [0.05, 0.7]]], &device);
        assert_tensors_close("per stack", stack_update(stack, actions, values), expected, Tolerance::F32);
    }

    /// A fixed projection so that every output cell enters the checked scalar with its own weight.
    fn projection(device: &Device) -> Tensor<3> {
        Tensor::<1>::from_floats([0.7, -1.3, 0.4, 1.1, -0.6, 0.9, 0.2, -0.8], device).reshape([2, 1, 4])
    }

    #[test]
    fn stack_update_gradients_match_finite_differences() {
        let device = test_device();
        let stack = Tensor::<3>::from_floats([[[0.2, -0.4, 0.6, -1.0]], [[0.5, 0.1, -0.3, 0.8]]], &device);
        let actions = Tensor::<3>::from_floats([[[0.6, 0.3, 0.1]], [[0.2, 0.5, 0.3]]], &device);
        let values = Tensor::<2>::from_floats([[0.7], [0.4]], &device);
        let r = projection(&device);
        let score = |updated: Tensor<3>| (updated * r.clone()).sum();

        let (a, v) = (actions.clone(), values.clone());
        gradcheck(|s| score(stack_update(s, a.clone(), v.clone())), stack.clone()).unwrap();
        let (s, v) = (stack.clone(), values.clone());
        gradcheck(|a| score(stack_update(s.clone(), a, v.clone())), actions.clone()).unwrap();
        gradcheck(|v| score(stack_update(stack.clone(), actions.clone(), v)), values).unwrap();
    }

    fn tiny(use_stack: bool) -> StackRnnConfig {
        StackRnnConfig::new(3, 5).with_depth(6).with_stacks(2).with_use_stack(use_stack)
    }

    #[test]
    fn logits_have_shape_batch_time_vocab_and_are_causal() {
        seeded(1, |device| {
            let model = tiny(true).init(device).unwrap();
            let a = Tensor::<2, Int>::from_ints([[0, 0, 1, 1, 0]], device);
            let b = Tensor::<2, Int>::from_ints([[0, 0, 1, 0, 2]], device);
            let (la, lb) = (model.forward(a), model.forward(b));
            assert_eq!(la.dims(), [1, 5, 3]);
            // The first three inputs agree, so the first three predictions must too.
            let head = |l: Tensor<3>| l.slice(s![.., 0..3, ..]);
            assert_tensors_close("causal", head(la.clone()), head(lb.clone()), Tolerance::F32);
            let tail = |l: Tensor<3>| l.slice(s![.., 3..5, ..]).into_data().try_to_vec::<f32>().unwrap();
            assert_ne!(tail(la), tail(lb), "later inputs must change later predictions");
        });
    }

    #[test]
    fn the_plain_rnn_is_the_stack_rnn_without_its_stack_parameters() {
        let device = test_device();
        let with = tiny(true).init(&device).unwrap();
        let without = tiny(false).init(&device).unwrap();
        assert!(with.has_stack() && !without.has_stack());
        // P: (2 stacks * 2 read) x 5; A: 5 x 6 + 6; D: 5 x 2 + 2.
        assert_eq!(with.num_params() - without.num_params(), 20 + 36 + 12);
        // U 3x5, R 5x5, V 5x3 + 3.
        assert_eq!(without.num_params(), 15 + 25 + 18);
        // Without no-op, A has two outputs per stack; without R, no 5 x 5 matrix.
        let lean = tiny(true).with_no_op(false).with_hidden_recurrence(false).init(&device).unwrap();
        assert_eq!(with.num_params() - lean.num_params(), 2 * 6 + 25);
    }

    #[test]
    fn impossible_sizes_are_errors() {
        let device = test_device();
        assert!(StackRnnConfig::new(0, 4).init(&device).is_err());
        assert!(tiny(true).with_stacks(0).init(&device).is_err());
        let err = tiny(true).with_read_depth(7).init(&device).unwrap_err().to_string();
        assert!(err.contains("read_depth"), "{err}");
        assert!(tiny(false).with_stacks(0).init(&device).is_ok(), "the plain RNN has no stacks to size");
    }
}
