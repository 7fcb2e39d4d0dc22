//! The computational graph: a node per operation, holding the operation, its inputs and value.
//!
//! Nodes are appended as the forward pass runs, so an input always has a smaller index than
//! the node that uses it. The graph owns every intermediate value until it is dropped: that is
//! what reverse mode needs to apply the local derivatives later, and what it costs in memory
//! ([`Meter`]).

use crate::eager::Eager;
use crate::engine::{Engine, Segment};
use crate::ops::bytes_of;
use crate::work::{Meter, Work};
use burn::prelude::{Int, Tensor};

/// A handle on a node of a [`Graph`]: its index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Var(pub(crate) usize);

impl Var {
    /// The node's position in the graph (the order of creation).
    pub fn index(self) -> usize {
        self.0
    }
}

/// What a node computed from which inputs.
#[derive(Clone)]
pub enum Op {
    /// A value to differentiate with respect to (a parameter), with its name.
    Leaf(String),
    /// A value not differentiated (inputs, targets).
    Constant,
    Add(Var, Var),
    Sub(Var, Var),
    Mul(Var, Var),
    MatMul(Var, Var),
    Tanh(Var),
    Sigmoid(Var),
    Relu(Var),
    Exp(Var),
    Log(Var),
    Sum(Var),
    Mean(Var),
    SoftmaxCrossEntropy(Var, Tensor<1, Int>),
    Embedding(Var, Tensor<1, Int>),
    /// A segment whose inner nodes were dropped after the forward pass; see [`super::checkpoint`].
    Checkpoint(Vec<Var>, Segment<Graph>),
}

impl Op {
    /// The nodes this one was computed from.
    pub fn inputs(&self) -> Vec<Var> {
        use Op::*;
        match self {
            Leaf(_) | Constant => vec![],
            Add(a, b) | Sub(a, b) | Mul(a, b) | MatMul(a, b) => vec![*a, *b],
            Tanh(x) | Sigmoid(x) | Relu(x) | Exp(x) | Log(x) | Sum(x) | Mean(x) => vec![*x],
            SoftmaxCrossEntropy(x, _) | Embedding(x, _) => vec![*x],
            Checkpoint(inputs, _) => inputs.clone(),
        }
    }

    /// A short name for pictures: `matmul`, `tanh`, the leaf's own name, ...
    pub fn label(&self) -> String {
        use Op::*;
        let name = match self {
            Leaf(name) => return name.clone(),
            Constant => "const",
            Add(..) => "+",
            Sub(..) => "-",
            Mul(..) => "×",
            MatMul(..) => "matmul",
            Tanh(_) => "tanh",
            Sigmoid(_) => "σ",
            Relu(_) => "relu",
            Exp(_) => "exp",
            Log(_) => "log",
            Sum(_) => "sum",
            Mean(_) => "mean",
            SoftmaxCrossEntropy(..) => "softmax CE",
            Embedding(..) => "lookup",
            Checkpoint(..) => "checkpoint",
        };
        name.to_string()
    }
}

/// One operation of the forward pass and its result.
#[derive(Clone)]
pub struct Node {
    pub op: Op,
    pub value: Tensor<2>,
}

/// A computational graph recorded by running a model on it (it implements [`Engine`]).
pub struct Graph {
    nodes: Vec<Node>,
    eager: Eager,
    meter: Meter,
}

impl Default for Graph {
    fn default() -> Self {
        Graph::with_counters(Work::default(), Meter::default())
    }
}

impl Graph {
    /// An empty graph with its own counters.
    pub fn new() -> Graph {
        Graph::default()
    }

    /// An empty graph counting its flops into `work` and its bytes into `meter`.
    pub fn with_counters(work: Work, meter: Meter) -> Graph {
        Graph { nodes: Vec::new(), eager: Eager { work }, meter }
    }

    /// A value to take the gradient with respect to, named for pictures.
    pub fn leaf(&mut self, name: impl Into<String>, value: Tensor<2>) -> Var {
        self.push(Op::Leaf(name.into()), value)
    }

    /// A leaf per `(name, value)`, in order: a model's parameters.
    pub fn leaves(&mut self, names: &[String], values: &[Tensor<2>]) -> Vec<Var> {
        names.iter().zip(values).map(|(n, v)| self.leaf(n.clone(), v.clone())).collect()
    }

    /// The node behind `var`.
    pub fn node(&self, var: Var) -> &Node {
        &self.nodes[var.0]
    }

    /// Every node, in the order the forward pass made them.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The flops counted so far (forward, backward and recomputations).
    pub fn work(&self) -> &Work {
        &self.eager.work
    }

    /// The bytes held by this graph and any graph sharing its meter.
    pub fn meter(&self) -> &Meter {
        &self.meter
    }

    pub(crate) fn push(&mut self, op: Op, value: Tensor<2>) -> Var {
        self.meter.hold(bytes_of(value.dims()));
        self.nodes.push(Node { op, value });
        Var(self.nodes.len() - 1)
    }

    fn values<const N: usize>(&self, vars: [&Var; N]) -> [Tensor<2>; N] {
        vars.map(|v| self.nodes[v.0].value.clone())
    }
}

impl Drop for Graph {
    fn drop(&mut self) {
        let bytes: u64 = self.nodes.iter().map(|n| bytes_of(n.value.dims())).sum();
        self.meter.release(bytes);
    }
}

impl Engine for Graph {
    type Value = Var;

    fn constant(&mut self, value: Tensor<2>) -> Var {
        self.push(Op::Constant, value)
    }

    fn value(&self, x: &Var) -> Tensor<2> {
        self.nodes[x.0].value.clone()
    }

    fn add(&mut self, a: &Var, b: &Var) -> Var {
        let [va, vb] = self.values([a, b]);
        let value = self.eager.add(&va, &vb);
        self.push(Op::Add(*a, *b), value)
    }

    fn sub(&mut self, a: &Var, b: &Var) -> Var {
        let [va, vb] = self.values([a, b]);
        let value = self.eager.sub(&va, &vb);
        self.push(Op::Sub(*a, *b), value)
    }

    fn mul(&mut self, a: &Var, b: &Var) -> Var {
        let [va, vb] = self.values([a, b]);
        let value = self.eager.mul(&va, &vb);
        self.push(Op::Mul(*a, *b), value)
    }

    fn matmul(&mut self, a: &Var, b: &Var) -> Var {
        let [va, vb] = self.values([a, b]);
        let value = self.eager.matmul(&va, &vb);
        self.push(Op::MatMul(*a, *b), value)
    }

    fn tanh(&mut self, x: &Var) -> Var {
        let value = self.eager.tanh(&self.value(x));
        self.push(Op::Tanh(*x), value)
    }

    fn sigmoid(&mut self, x: &Var) -> Var {
        let value = self.eager.sigmoid(&self.value(x));
        self.push(Op::Sigmoid(*x), value)
    }

    fn relu(&mut self, x: &Var) -> Var {
        let value = self.eager.relu(&self.value(x));
        self.push(Op::Relu(*x), value)
    }

    fn exp(&mut self, x: &Var) -> Var {
        let value = self.eager.exp(&self.value(x));
        self.push(Op::Exp(*x), value)
    }

    fn log(&mut self, x: &Var) -> Var {
        let value = self.eager.log(&self.value(x));
        self.push(Op::Log(*x), value)
    }

    fn sum(&mut self, x: &Var) -> Var {
        let value = self.eager.sum(&self.value(x));
        self.push(Op::Sum(*x), value)
    }

    fn mean(&mut self, x: &Var) -> Var {
        let value = self.eager.mean(&self.value(x));
        self.push(Op::Mean(*x), value)
    }

    fn softmax_cross_entropy(&mut self, logits: &Var, targets: &Tensor<1, Int>) -> Var {
        let value = self.eager.softmax_cross_entropy(&self.value(logits), targets);
        self.push(Op::SoftmaxCrossEntropy(*logits, targets.clone()), value)
    }

    fn embedding(&mut self, table: &Var, ids: &Tensor<1, Int>) -> Var {
        let value = self.eager.embedding(&self.value(table), ids);
        self.push(Op::Embedding(*table, ids.clone()), value)
    }

    /// Checkpoints the segment: see [`super::checkpoint`].
    fn segment(&mut self, inputs: &[Var], segment: Segment<Graph>) -> Var {
        self.checkpoint(inputs, segment)
    }
}
