//! Autodiff gradients of every hand-written layer against central finite differences.
//!
//! Each check differentiates `f = Σ (layer(x) ⊙ r)` for a fixed random `r`, so every output
//! element reaches the gradient with its own weight (batch 2, width 4).

use burn::module::Param;
use burn::prelude::{Int, Tensor, TensorData};
use lecture_06_highway_grid_lstm::deep_net::{DeepNetConfig, LayerKind};
use lecture_06_highway_grid_lstm::grid_block::{Edge, GridBlock};
use lecture_06_highway_grid_lstm::grid1d::TiedGridLstm1d;
use lecture_06_highway_grid_lstm::grid2d::{DepthLink, Grid2dLstm};
use lecture_06_highway_grid_lstm::highway::HighwayLayer;
use lecture_06_highway_grid_lstm::highway_gru::ResetlessGruCell;
use lecture_06_highway_grid_lstm::layer::Activation;
use lecture_06_highway_grid_lstm::lstm::LstmCell;
use lecture_06_highway_grid_lstm::plain::PlainLayer;
use lecture_06_highway_grid_lstm::residual::ResidualLayer;
use shared::testing::weights::linear;
use shared::testing::{gradcheck, normal, seeded};

const BATCH: usize = 2;
const WIDTH: usize = 4;

#[track_caller]
fn check(name: &str, f: impl Fn(Tensor<2>) -> Tensor<1>, x: Tensor<2>) {
    gradcheck(f, x).unwrap_or_else(|e| panic!("{name}: {e}"));
}

#[test]
fn plain_highway_and_residual_layers_have_correct_input_gradients() {
    for activation in [Activation::Tanh, Activation::Relu] {
        let (plain, highway, x, r) = seeded(1, |d| {
            (
                PlainLayer::new(WIDTH, activation, d),
                HighwayLayer::new(WIDTH, activation, -1.0, d),
                normal([BATCH, WIDTH], d),
                normal([BATCH, WIDTH], d),
            )
        });
        check(&format!("plain {activation:?}"), |x| (plain.forward(x) * r.clone()).sum(), x.clone());
        check(&format!("highway {activation:?}"), |x| (highway.forward(x) * r.clone()).sum(), x);
    }
    // A residual block starts with W_2 = 0; give it random weights so both paths carry gradient.
    let (mut residual, x, r, w2) = seeded(2, |d| {
        (
            ResidualLayer::new(WIDTH, Activation::Tanh, d),
            normal([BATCH, WIDTH], d),
            normal([BATCH, WIDTH], d),
            normal([WIDTH, WIDTH], d),
        )
    });
    residual.outer = linear(w2, None);
    check("residual", |x| (residual.forward(x) * r.clone()).sum(), x);
}

#[test]
fn the_highway_layer_has_correct_weight_gradients() {
    let (layer, x, r) = seeded(3, |d| {
        (
            HighwayLayer::new(WIDTH, Activation::Tanh, -1.0, d),
            normal([BATCH, WIDTH], d),
            normal([BATCH, WIDTH], d),
        )
    });
    let bias = layer.transform_and_gate.bias.as_ref().unwrap().val();
    let with_weight = |w: Tensor<2>| {
        let layer = HighwayLayer::from_linear(linear(w, Some(bias.clone())), Activation::Tanh);
        (layer.forward(x.clone()) * r.clone()).sum()
    };
    check("highway dL/dW", with_weight, layer.transform_and_gate.weight.val());
}

#[test]
fn the_plain_residual_lstm_and_grid_weights_have_correct_gradients() {
    let (plain, residual, lstm, block, x, h, m, r) = seeded(6, |d| {
        (
            PlainLayer::new(WIDTH, Activation::Tanh, d),
            ResidualLayer::new(WIDTH, Activation::Tanh, d),
            LstmCell::new(2 * WIDTH, WIDTH, d),
            GridBlock::new(2, WIDTH, d),
            normal([BATCH, WIDTH], d),
            normal([BATCH, 2 * WIDTH], d),
            normal([BATCH, WIDTH], d),
            normal([BATCH, WIDTH], d),
        )
    });
    let with_plain = |w: Tensor<2>| {
        let mut layer = plain.clone();
        layer.transform.weight = Param::from_tensor(w);
        (layer.forward(x.clone()) * r.clone()).sum()
    };
    check("plain dL/dW", with_plain, plain.transform.weight.val());
    // W_2 starts at zero, which would hide W_1's gradient: check W_2 first, at a random W_2.
    let w2 = seeded(7, |d| normal([WIDTH, WIDTH], d));
    let with_outer = |w: Tensor<2>| {
        let mut layer = residual.clone();
        layer.outer.weight = Param::from_tensor(w);
        (layer.forward(x.clone()) * r.clone()).sum()
    };
    check("residual dL/dW_2", with_outer, w2.clone());
    let with_inner = |w: Tensor<2>| {
        let mut layer = residual.clone();
        layer.outer.weight = Param::from_tensor(w2.clone());
        layer.inner.weight = Param::from_tensor(w);
        (layer.forward(x.clone()) * r.clone()).sum()
    };
    check("residual dL/dW_1", with_inner, residual.inner.weight.val());
    let with_gates = |w: Tensor<2>| {
        let mut cell = lstm.clone();
        cell.gates.weight = Param::from_tensor(w);
        let (h, c) = cell.forward(h.clone(), m.clone());
        ((h + c) * r.clone()).sum()
    };
    check("LSTM cell dL/dW", with_gates, lstm.gates.weight.val());
    let edges =
        [Edge { hidden: m.clone(), memory: x.clone() }, Edge { hidden: x.clone(), memory: m.clone() }];
    let with_depth_cell = |w: Tensor<2>| {
        let mut grid = block.clone();
        grid.cells[1].gates.weight = Param::from_tensor(w);
        let out = grid.forward(&edges).unwrap();
        out.into_iter().map(|e| ((e.hidden + e.memory) * r.clone()).sum()).reduce(|a, b| a + b).unwrap()
    };
    check("2-D grid block dL/dW of one dimension", with_depth_cell, block.cells[1].gates.weight.val());
}

#[test]
fn the_resetless_gru_and_lstm_cells_have_correct_gradients() {
    let (highway, lstm, h, m, r) = seeded(4, |d| {
        (
            HighwayLayer::new(WIDTH, Activation::Tanh, -1.0, d),
            LstmCell::new(2 * WIDTH, WIDTH, d),
            normal([BATCH, 2 * WIDTH], d),
            normal([BATCH, WIDTH], d),
            normal([BATCH, WIDTH], d),
        )
    });
    let gru = ResetlessGruCell::from_highway(&highway).unwrap();
    check("resetless GRU, 3 steps", |h| (gru.run(h, 3) * r.clone()).sum(), m.clone());
    check(
        "LSTM cell dL/dH",
        |big_h| {
            let (h, c) = lstm.forward(big_h, m.clone());
            ((h + c) * r.clone()).sum()
        },
        h.clone(),
    );
    check(
        "LSTM cell dL/dm",
        |m| {
            let (h, c) = lstm.forward(h.clone(), m);
            ((h + c) * r.clone()).sum()
        },
        m,
    );
}

#[test]
fn grid_blocks_and_the_tied_grid_net_have_correct_gradients() {
    let (block, edges, r, net, bits) = seeded(5, |d| {
        let edges: Vec<Edge> = (0..3)
            .map(|_| Edge { hidden: normal([BATCH, WIDTH], d), memory: normal([BATCH, WIDTH], d) })
            .collect();
        (
            GridBlock::new(3, WIDTH, d),
            edges,
            normal([BATCH, WIDTH], d),
            TiedGridLstm1d::new(6, WIDTH, 3, 2, d),
            normal([BATCH, 6], d),
        )
    });
    let through_block = |h0: Tensor<2>| {
        let mut incoming = edges.clone();
        incoming[0].hidden = h0;
        let out = block.forward(&incoming).unwrap();
        out.into_iter().map(|e| ((e.hidden + e.memory) * r.clone()).sum()).reduce(|a, b| a + b).unwrap()
    };
    check("3-D grid block", through_block, edges[0].hidden.clone());
    let r2 = r.narrow(1, 0, 2);
    check("tied 1-D grid net", |x| (net.forward(x) * r2.clone()).sum(), bits);
}

#[test]
fn deep_nets_of_every_kind_have_correct_input_gradients() {
    for (seed, kind) in (10..).zip(LayerKind::ALL) {
        let (net, x, r) = seeded(seed, |d| {
            let net = DeepNetConfig::new(6, WIDTH, 3, 3, kind).init(d).unwrap();
            (net, normal([BATCH, 6], d), normal([BATCH, 3], d))
        });
        check(kind.name(), |x| (net.forward(x) * r.clone()).sum(), x.clone());
        check(
            &format!("{} lesioned", kind.name()),
            |x| (net.forward_lesioned(x, Some(1)) * r.clone()).sum(),
            x,
        );
    }
}

#[test]
fn the_2d_grid_and_stacked_networks_have_correct_gradients() {
    for (seed, link) in (20..).zip([DepthLink::Grid, DepthLink::Stacked]) {
        let (net, r) = seeded(seed, |d| (Grid2dLstm::new(link, 5, 3, 2, d), normal([1, 3, 5], d)));
        let tokens = Tensor::<2, Int>::from_data(TensorData::new(vec![1i64, 4, 2], [1, 3]), &r.device());
        let with_embedding = |e: Tensor<2>| {
            let mut net = net.clone();
            net.embedding.weight = Param::from_tensor(e);
            (net.forward(tokens.clone()).unwrap() * r.clone()).sum()
        };
        check(&format!("{link:?} network, dL/d(embedding)"), with_embedding, net.embedding.weight.val());
    }
}
