//! The LSTM cell (Hochreiter & Schmidhuber 1997, with the forget gate of Gers et al. 2000) and
//! the variants of Greff et al. 2015, "LSTM: A Search Space Odyssey".
//!
//! All gates come from ONE matrix product of the concatenated `[x_t, h_{t-1}]`:
//!
//! ```text
//! a   = [x_t, h_{t-1}] W + b            W: [input + hidden, gates * hidden], b: [gates * hidden]
//! i   = σ(a_i (+ p_i ⊙ c_{t-1}))        input gate      (what to write)
//! f   = σ(a_f (+ p_f ⊙ c_{t-1}))        forget gate     (what to keep)
//! g   = tanh(a_g)                       cell candidate  (what could be written)
//! c_t = f ⊙ c_{t-1} + i ⊙ g
//! o   = σ(a_o (+ p_o ⊙ c_t))            output gate     (what to show)
//! h_t = o ⊙ tanh(c_t)
//! ```
//!
//! The column blocks of `W` and `b` are, in order, input, forget, candidate, output (PyTorch's
//! `i, f, g, o`), leaving out the blocks a variant does not have: see [`LstmVariant::gates`].
//! The `p ⊙ c` terms (diagonal "peephole" weights `p: [hidden]`) exist only in
//! [`LstmVariant::Peepholes`]. Shapes: `x_t: [batch, input]`, `h_t, c_t: [batch, hidden]`.

use crate::cell::{RecurrentCell, uniform, uniform_param};
use anyhow::{Result, ensure};
use burn::config::Config;
use burn::module::{Module, Param};
use burn::prelude::{Device, Tensor};
use burn::tensor::activation::sigmoid;
use serde::{Deserialize, Serialize};

/// One of the four gate blocks of the fused weight matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// `i`: how much of the candidate is written into the cell.
    Input,
    /// `f`: how much of the old cell is kept.
    Forget,
    /// `g`: the candidate cell content (tanh, not a gate strictly speaking).
    Candidate,
    /// `o`: how much of the squashed cell is shown as `h_t`.
    Output,
}

/// The LSTM variants of Greff et al. 2015 (their abbreviations in brackets).
///
/// `Vanilla` here has no peepholes, like PyTorch's and burn's LSTM; Greff's "vanilla" has them,
/// which is our `Peepholes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LstmVariant {
    /// All four gate blocks, no peepholes.
    Vanilla,
    /// NIG: `i = 1`, every candidate is written in full.
    NoInputGate,
    /// NFG: `f = 1`, the cell only accumulates: `c_t = c_{t-1} + i ⊙ g`.
    NoForgetGate,
    /// NOG: `o = 1`, `h_t = tanh(c_t)`.
    NoOutputGate,
    /// NOAF: `h_t = o ⊙ c_t`, the cell is shown unsquashed (so `|h_t|` can exceed 1).
    NoOutputActivation,
    /// CIFG: `f = 1 - i`, one gate decides both what to forget and what to write (as in the GRU).
    CoupledInputForget,
    /// `i` and `f` also see `c_{t-1}`, `o` sees `c_t`, through diagonal weights `p_i, p_f, p_o`.
    Peepholes,
}

impl LstmVariant {
    /// Every variant, `Vanilla` first.
    pub const ALL: [LstmVariant; 7] = [
        LstmVariant::Vanilla,
        LstmVariant::NoInputGate,
        LstmVariant::NoForgetGate,
        LstmVariant::NoOutputGate,
        LstmVariant::NoOutputActivation,
        LstmVariant::CoupledInputForget,
        LstmVariant::Peepholes,
    ];

    /// A short name for tables and file names: `V`, `NIG`, `NFG`, `NOG`, `NOAF`, `CIFG`, `PH`.
    pub fn abbreviation(self) -> &'static str {
        match self {
            LstmVariant::Vanilla => "V",
            LstmVariant::NoInputGate => "NIG",
            LstmVariant::NoForgetGate => "NFG",
            LstmVariant::NoOutputGate => "NOG",
            LstmVariant::NoOutputActivation => "NOAF",
            LstmVariant::CoupledInputForget => "CIFG",
            LstmVariant::Peepholes => "PH",
        }
    }

    /// The gate blocks of `W` and `b`, in column order (input, forget, candidate, output, minus
    /// those this variant does not compute; the coupled variant derives `f` from `i`).
    pub fn gates(self) -> &'static [Gate] {
        use Gate::*;
        match self {
            LstmVariant::NoInputGate => &[Forget, Candidate, Output],
            LstmVariant::NoForgetGate | LstmVariant::CoupledInputForget => &[Input, Candidate, Output],
            LstmVariant::NoOutputGate => &[Input, Forget, Candidate],
            LstmVariant::Vanilla | LstmVariant::NoOutputActivation | LstmVariant::Peepholes => {
                &[Input, Forget, Candidate, Output]
            }
        }
    }

    /// The column block of `gate` in `W` and `b` (`None` when this variant has no such block).
    pub fn block_of(self, gate: Gate) -> Option<usize> {
        self.gates().iter().position(|&g| g == gate)
    }
}

/// Sizes, variant and forget-gate bias of an [`LstmCell`].
#[derive(Config, Debug)]
pub struct LstmCellConfig {
    /// Width of `x_t`.
    pub input_size: usize,
    /// Width of `h_t` and `c_t`.
    pub hidden_size: usize,
    /// Which variant to build.
    #[config(default = "LstmVariant::Vanilla")]
    pub variant: LstmVariant,
    /// Initial bias of the forget gate. 1.0 (Gers et al. 2000; Jozefowicz et al. 2015) starts
    /// with `f ≈ 0.73`, so the cell remembers from the first update on. The coupled variant gets
    /// input-gate bias `-forget_bias` instead (the same initial `f = 1 - i`); variants without a
    /// forget gate ignore it.
    #[config(default = 1.0)]
    pub forget_bias: f64,
}

impl LstmCellConfig {
    /// A cell with weights, biases and peepholes from `U(-1/sqrt(hidden), 1/sqrt(hidden))`,
    /// except the forget (or coupled input) bias, set to [`Self::forget_bias`].
    pub fn init(&self, device: &Device) -> LstmCell {
        let (input, hidden, variant) = (self.input_size, self.hidden_size, self.variant);
        let gates = variant.gates().len();
        let bias = uniform::<1>([gates * hidden], hidden, device);
        let bias = match self.remembering_bias() {
            Some((block, value)) => bias.slice_fill(block * hidden..(block + 1) * hidden, value),
            None => bias,
        };
        LstmCell {
            weight: uniform_param([input + hidden, gates * hidden], hidden, device),
            bias: Param::from_tensor(bias),
            peepholes: (variant == LstmVariant::Peepholes).then(|| LstmPeepholes {
                input: uniform_param([hidden], hidden, device),
                forget: uniform_param([hidden], hidden, device),
                output: uniform_param([hidden], hidden, device),
            }),
            variant,
        }
    }

    /// The bias block that sets the initial forget rate, and its value.
    fn remembering_bias(&self) -> Option<(usize, f64)> {
        match self.variant {
            LstmVariant::CoupledInputForget => Some((self.variant.block_of(Gate::Input)?, -self.forget_bias)),
            variant => Some((variant.block_of(Gate::Forget)?, self.forget_bias)),
        }
    }
}

/// The diagonal peephole weights `p_i, p_f, p_o`, each `[hidden]`.
#[derive(Module, Debug)]
pub struct LstmPeepholes {
    /// `p_i`, scales `c_{t-1}` into the input gate.
    pub input: Param<Tensor<1>>,
    /// `p_f`, scales `c_{t-1}` into the forget gate.
    pub forget: Param<Tensor<1>>,
    /// `p_o`, scales `c_t` into the output gate.
    pub output: Param<Tensor<1>>,
}

/// An LSTM cell of any [`LstmVariant`]; its state is [`LstmState`].
#[derive(Module, Debug)]
pub struct LstmCell {
    /// `W: [input + hidden, gates * hidden]`, column blocks in the order of [`LstmVariant::gates`].
    pub weight: Param<Tensor<2>>,
    /// `b: [gates * hidden]`, same blocks.
    pub bias: Param<Tensor<1>>,
    /// Present exactly when the variant is [`LstmVariant::Peepholes`].
    pub peepholes: Option<LstmPeepholes>,
    #[module(skip)]
    variant: LstmVariant,
}

/// The LSTM's state: output `h_t` and cell `c_t`, both `[batch, hidden]`.
#[derive(Clone, Debug)]
pub struct LstmState {
    /// `h_t`, the output.
    pub hidden: Tensor<2>,
    /// `c_t`, the memory cell.
    pub cell: Tensor<2>,
}

impl LstmCell {
    /// A cell from given parameters (e.g. to gradient-check w.r.t. `weight`, or to copy weights).
    ///
    /// `weight: [input + hidden, gates * hidden]`, `bias: [gates * hidden]` with
    /// `gates = variant.gates().len()`; `peepholes = Some([p_i, p_f, p_o])`, each `[hidden]`,
    /// exactly for [`LstmVariant::Peepholes`].
    pub fn from_weights(
        variant: LstmVariant,
        weight: Tensor<2>,
        bias: Tensor<1>,
        peepholes: Option<[Tensor<1>; 3]>,
    ) -> Result<Self> {
        let gates = variant.gates().len();
        let [rows, columns] = weight.dims();
        let hidden = columns / gates;
        ensure!(
            columns % gates == 0 && hidden > 0 && rows > hidden,
            "LstmCell::from_weights: {variant:?} has {gates} gate blocks, so W must be \
             [input + hidden, {gates} * hidden] with input, hidden > 0; got {:?}",
            weight.dims()
        );
        ensure!(
            bias.dims() == [columns],
            "LstmCell::from_weights: b must be [{columns}], got {:?}",
            bias.dims()
        );
        ensure!(
            peepholes.is_some() == (variant == LstmVariant::Peepholes),
            "LstmCell::from_weights: peephole weights are given exactly for LstmVariant::Peepholes \
             (variant {variant:?}, peepholes given: {})",
            peepholes.is_some()
        );
        let peepholes = match peepholes {
            Some([input, forget, output]) => {
                for (name, p) in [("p_i", &input), ("p_f", &forget), ("p_o", &output)] {
                    ensure!(
                        p.dims() == [hidden],
                        "LstmCell::from_weights: {name} must be [{hidden}], got {:?}",
                        p.dims()
                    );
                }
                Some(LstmPeepholes {
                    input: Param::from_tensor(input),
                    forget: Param::from_tensor(forget),
                    output: Param::from_tensor(output),
                })
            }
            None => None,
        };
        Ok(Self { weight: Param::from_tensor(weight), bias: Param::from_tensor(bias), peepholes, variant })
    }

    /// Which variant this cell computes.
    pub fn variant(&self) -> LstmVariant {
        self.variant
    }

    /// `σ(a_gate + p_gate ⊙ peek)` if the variant has this gate (`None` means the gate is 1).
    fn gate(&self, gate: Gate, blocks: &[Tensor<2>], peek: &Tensor<2>) -> Option<Tensor<2>> {
        let pre_activation = blocks[self.variant.block_of(gate)?].clone();
        let peephole = self.peepholes.as_ref().and_then(|p| match gate {
            Gate::Input => Some(&p.input),
            Gate::Forget => Some(&p.forget),
            Gate::Output => Some(&p.output),
            Gate::Candidate => None,
        });
        Some(sigmoid(match peephole {
            Some(p) => pre_activation + peek.clone() * p.val().unsqueeze(),
            None => pre_activation,
        }))
    }
}

impl RecurrentCell for LstmCell {
    type State = LstmState;

    fn input_size(&self) -> usize {
        self.weight.val().dims()[0] - self.hidden_size()
    }

    fn hidden_size(&self) -> usize {
        self.bias.val().dims()[0] / self.variant.gates().len()
    }

    fn zero_state(&self, batch: usize, device: &Device) -> LstmState {
        let zeros = Tensor::zeros([batch, self.hidden_size()], device);
        LstmState { hidden: zeros.clone(), cell: zeros }
    }

    fn step(&self, x_t: Tensor<2>, state: LstmState) -> LstmState {
        let LstmState { hidden: h_prev, cell: c_prev } = state;
        let gates = self.variant.gates().len();
        let a = Tensor::cat(vec![x_t, h_prev], 1).matmul(self.weight.val()) + self.bias.val().unsqueeze();
        let blocks = a.chunk(gates, 1);

        let candidate =
            blocks[self.variant.block_of(Gate::Candidate).expect("every variant has g")].clone().tanh();
        let input = self.gate(Gate::Input, &blocks, &c_prev);
        let forget = match self.variant {
            LstmVariant::CoupledInputForget => input.clone().map(|i| i.neg().add_scalar(1.0)),
            _ => self.gate(Gate::Forget, &blocks, &c_prev),
        };
        let written = match input {
            Some(i) => i * candidate,
            None => candidate,
        };
        let kept = match forget {
            Some(f) => f * c_prev,
            None => c_prev,
        };
        let cell = kept + written;

        let shown = match self.variant {
            LstmVariant::NoOutputActivation => cell.clone(),
            _ => cell.clone().tanh(),
        };
        let hidden = match self.gate(Gate::Output, &blocks, &cell) {
            Some(o) => o * shown,
            None => shown,
        };
        LstmState { hidden, cell }
    }

    fn hidden(state: &LstmState) -> Tensor<2> {
        state.hidden.clone()
    }

    fn with_hidden(state: LstmState, hidden: Tensor<2>) -> LstmState {
        LstmState { hidden, ..state }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::module::Module;
    use burn::prelude::s;
    use burn::tensor::Distribution;
    use shared::testing::{Tolerance, assert_tensors_close, seeded};

    const TOL: Tolerance = Tolerance::F32;

    /// A random cell (input 3, hidden 4), an input `[2, 3]` and a state `(h, c)`, each `[2, 4]`.
    struct Case {
        cell: LstmCell,
        x: Tensor<2>,
        state: LstmState,
    }

    impl Case {
        fn new(variant: LstmVariant) -> Case {
            seeded(7, |device| {
                let random =
                    |shape: [usize; 2]| Tensor::<2>::random(shape, Distribution::Normal(0.0, 1.0), device);
                Case {
                    cell: LstmCellConfig::new(3, 4).with_variant(variant).init(device),
                    x: random([2, 3]),
                    state: LstmState { hidden: random([2, 4]), cell: random([2, 4]) },
                }
            })
        }

        /// `[x, h] W + b` of one gate, computed gate by gate from W's column block.
        fn pre(&self, gate: Gate) -> Tensor<2> {
            let k = self.cell.variant().block_of(gate).expect("gate present");
            let w = self.cell.weight.val().slice(s![.., k * 4..(k + 1) * 4]);
            let b = self.cell.bias.val().slice(s![k * 4..(k + 1) * 4]);
            self.x.clone().matmul(w.clone().slice(s![0..3, ..]))
                + self.state.hidden.clone().matmul(w.slice(s![3..7, ..]))
                + b.unsqueeze()
        }

        fn step(&self) -> LstmState {
            self.cell.step(self.x.clone(), self.state.clone())
        }
    }

    #[test]
    fn the_blocks_are_in_pytorch_order() {
        use Gate::*;
        assert_eq!(LstmVariant::Vanilla.gates(), &[Input, Forget, Candidate, Output]);
        assert_eq!(LstmVariant::CoupledInputForget.block_of(Forget), None);
    }

    #[test]
    fn vanilla_follows_the_lstm_equations() {
        let case = Case::new(LstmVariant::Vanilla);
        let [i, f, o] = [Gate::Input, Gate::Forget, Gate::Output].map(|g| sigmoid(case.pre(g)));
        let g = case.pre(Gate::Candidate).tanh();
        let c = f * case.state.cell.clone() + i * g;
        let next = case.step();
        assert_tensors_close("c_t", next.cell, c.clone(), TOL);
        assert_tensors_close("h_t", next.hidden, o * c.tanh(), TOL);
    }

    #[test]
    fn without_a_forget_gate_the_cell_only_accumulates() {
        let case = Case::new(LstmVariant::NoForgetGate);
        let written = sigmoid(case.pre(Gate::Input)) * case.pre(Gate::Candidate).tanh();
        assert_tensors_close("c_t - c_{t-1}", case.step().cell - case.state.cell.clone(), written, TOL);
    }

    #[test]
    fn without_an_input_gate_the_whole_candidate_is_written() {
        let case = Case::new(LstmVariant::NoInputGate);
        let c = sigmoid(case.pre(Gate::Forget)) * case.state.cell.clone() + case.pre(Gate::Candidate).tanh();
        assert_tensors_close("c_t", case.step().cell, c, TOL);
    }

    #[test]
    fn without_an_output_gate_the_squashed_cell_is_the_output() {
        let next = Case::new(LstmVariant::NoOutputGate).step();
        assert_tensors_close("h_t", next.hidden, next.cell.tanh(), TOL);
    }

    #[test]
    fn coupled_gates_forget_exactly_what_they_write() {
        let case = Case::new(LstmVariant::CoupledInputForget);
        let i = sigmoid(case.pre(Gate::Input));
        let g = case.pre(Gate::Candidate).tanh();
        let c = (i.clone().neg() + 1.0) * case.state.cell.clone() + i * g;
        assert_tensors_close("c_t", case.step().cell, c, TOL);
    }

    #[test]
    fn peepholes_let_the_gates_see_the_cell() {
        let case = Case::new(LstmVariant::Peepholes);
        let p = case.cell.peepholes.as_ref().expect("peepholes");
        let c_prev = case.state.cell.clone();
        let i = sigmoid(case.pre(Gate::Input) + c_prev.clone() * p.input.val().unsqueeze());
        let f = sigmoid(case.pre(Gate::Forget) + c_prev.clone() * p.forget.val().unsqueeze());
        let c = f * c_prev + i * case.pre(Gate::Candidate).tanh();
        let o = sigmoid(case.pre(Gate::Output) + c.clone() * p.output.val().unsqueeze());
        let next = case.step();
        assert_tensors_close("c_t", next.cell, c.clone(), TOL);
        assert_tensors_close("h_t", next.hidden, o * c.tanh(), TOL);
    }

    #[test]
    fn without_output_activation_the_output_can_exceed_one() {
        // All gates open (σ(10) ≈ 1) and g ≈ 1: the cell counts the steps, c_t ≈ t.
        let device = Device::flex();
        let run = |variant: LstmVariant| -> f32 {
            let gates = variant.gates().len();
            let cell = LstmCell::from_weights(
                variant,
                Tensor::zeros([1 + 1, gates], &device),
                Tensor::ones([gates], &device) * 10.0,
                None,
            )
            .unwrap();
            let mut state = cell.zero_state(1, &device);
            for _ in 0..3 {
                state = cell.step(Tensor::zeros([1, 1], &device), state);
            }
            state.hidden.into_scalar()
        };
        assert!(run(LstmVariant::NoOutputActivation) > 2.9, "h = o c ≈ 3");
        assert!(run(LstmVariant::Vanilla) < 1.0, "h = o tanh(c) < 1");
    }

    #[test]
    fn variants_without_a_gate_have_a_quarter_fewer_gate_parameters() {
        let device = Device::flex();
        let (input, hidden) = (3, 4);
        let per_gate = (input + hidden + 1) * hidden;
        for variant in LstmVariant::ALL {
            let cell = LstmCellConfig::new(input, hidden).with_variant(variant).init(&device);
            let peepholes = if variant == LstmVariant::Peepholes { 3 * hidden } else { 0 };
            assert_eq!(cell.num_params(), variant.gates().len() * per_gate + peepholes, "{variant:?}");
            assert_eq!((cell.input_size(), cell.hidden_size()), (input, hidden), "{variant:?}");
        }
        assert_eq!(LstmVariant::NoForgetGate.gates().len(), 3);
    }

    #[test]
    fn the_forget_bias_starts_the_cell_remembering() {
        let device = Device::flex();
        let bias_block = |variant: LstmVariant, gate: Gate| -> Vec<f32> {
            let cell = LstmCellConfig::new(2, 3).with_variant(variant).init(&device);
            let k = variant.block_of(gate).unwrap();
            cell.bias.val().slice(s![k * 3..(k + 1) * 3]).into_data().try_to_vec::<f32>().unwrap()
        };
        assert_eq!(bias_block(LstmVariant::Vanilla, Gate::Forget), vec![1.0; 3]);
        assert_eq!(
            bias_block(LstmVariant::CoupledInputForget, Gate::Input),
            vec![-1.0; 3],
            "f = 1 - σ(-1) = σ(1)"
        );
    }

    #[test]
    fn inconsistent_weights_are_an_error() {
        let device = Device::flex();
        let err = |variant, weight: [usize; 2], bias: usize, peepholes: Option<[Tensor<1>; 3]>| {
            LstmCell::from_weights(
                variant,
                Tensor::zeros(weight, &device),
                Tensor::zeros([bias], &device),
                peepholes,
            )
            .unwrap_err()
            .to_string()
        };
        assert!(err(LstmVariant::Vanilla, [5, 10], 10, None).contains("4 gate blocks"));
        assert!(err(LstmVariant::Vanilla, [5, 8], 12, None).contains("b must be [8]"));
        assert!(err(LstmVariant::Peepholes, [5, 8], 8, None).contains("exactly for LstmVariant::Peepholes"));
        let short = || Tensor::<1>::zeros([1], &device);
        assert!(
            err(LstmVariant::Peepholes, [5, 8], 8, Some([short(), short(), short()]))
                .contains("p_i must be [2]")
        );
    }
}
