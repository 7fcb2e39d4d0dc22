//! The computational graph drawn: a small expression in which one value is used twice, the
//! unrolled RNN (its recurrent weight read at every step), and the same RNN checkpointed.
//!
//! Each graph is written as Graphviz DOT (`<name>.dot`) and as an SVG laid out here
//! (`<name>.svg`): parameters in yellow, inputs in grey, operations in white.

use super::{adding_batch, engine_device};
use crate::differentiate::record_and_backpropagate;
use crate::engine::Engine;
use crate::picture::{dot::to_dot, drawn_nodes, svg::to_svg};
use crate::reverse::{Graph, Var};
use crate::rnn::{self, rnn_loss};
use anyhow::Result;
use serde::Serialize;
use shared::atomic::write_atomic;
use shared::experiment::Run;
use shared::report::ExperimentRecord;
use shared::testing::{normal, seeded_on};

/// The experiment's name: its record is `out/lecture-03-backprop/graphs.json`.
pub const NAME: &str = "graphs";

/// Sizes of the drawn RNN.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    pub hidden: usize,
    pub time: usize,
    pub checkpoint_every: usize,
}

impl Config {
    /// Three steps of a 4-unit RNN (six steps in segments of two for the checkpointed one):
    /// small enough to read; the same at both sizes.
    pub fn for_run(_run: &Run) -> Config {
        Config { hidden: 4, time: 3, checkpoint_every: 2 }
    }
}

/// Nodes in each drawn graph.
pub struct Outcome {
    pub expression_nodes: usize,
    pub rnn_nodes: usize,
    pub checkpointed_nodes: usize,
}

/// Draws the three graphs; writes `graphs.json` and a `.dot` and `.svg` per graph.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let mut record = run.record(NAME).with_config(config)?;
    let device = engine_device(run);
    let (x, y) = seeded_on(&device, run.seed, |d| (normal([2, 3], d), normal([2, 3], d)));
    let mut graph = Graph::new();
    let (x, y) = (graph.leaf("x", x), graph.leaf("y", y));
    let root = expression(&mut graph, x, y);
    let expression_nodes = draw(run, &mut record, "expression", "L = Σ tanh(x ⊙ y + x)", &graph, root)?;

    let p = rnn::init(config.hidden, run.seed, &device);
    let rnn_graph = |time: usize, every: Option<usize>| -> Result<(Graph, Var)> {
        let (xs, targets) = adding_batch(2, time, run.seed, &device)?;
        let (graph, _, root, _) =
            record_and_backpropagate(&p.names, &p.tensors, |g, w| rnn_loss(g, w, &xs, &targets, every));
        Ok((graph, root))
    };
    let (graph, root) = rnn_graph(config.time, None)?;
    let title = format!("tanh RNN unrolled over {} steps, squared error", config.time);
    let rnn_nodes = draw(run, &mut record, "rnn-unrolled", &title, &graph, root)?;
    let time = 3 * config.checkpoint_every;
    let (graph, root) = rnn_graph(time, Some(config.checkpoint_every))?;
    let title = format!("the same RNN over {time} steps, checkpointed every {}", config.checkpoint_every);
    let checkpointed_nodes = draw(run, &mut record, "rnn-checkpointed", &title, &graph, root)?;
    println!(
        "\ngraphs drawn: expression {expression_nodes} nodes, RNN {rnn_nodes} nodes, checkpointed RNN {checkpointed_nodes} nodes"
    );
    run.finish(&mut record)?;
    Ok(Outcome { expression_nodes, rnn_nodes, checkpointed_nodes })
}

/// `L = Σ tanh(x ⊙ y + x)`: `x` is used twice, so its gradient has two contributions.
pub fn expression(graph: &mut Graph, x: Var, y: Var) -> Var {
    let product = graph.mul(&x, &y);
    let sum = graph.add(&product, &x);
    let activation = graph.tanh(&sum);
    graph.sum(&activation)
}

/// Writes `<stem>.dot` and `<stem>.svg` of the graph below `root`; returns its node count.
fn draw(
    run: &Run,
    record: &mut ExperimentRecord,
    stem: &str,
    title: &str,
    graph: &Graph,
    root: Var,
) -> Result<usize> {
    let nodes = drawn_nodes(graph, root);
    write_atomic(run.picture_path(&format!("{stem}.dot")), to_dot(title, &nodes).as_bytes())?;
    write_atomic(run.picture_path(&format!("{stem}.svg")), to_svg(title, &nodes).as_bytes())?;
    record.add_picture(format!("{stem}.svg"));
    record.set_metric(format!("{stem} nodes"), nodes.len() as f64);
    Ok(nodes.len())
}
