//! Autodiff gradients of every composition function against central finite differences.
//!
//! Each check differentiates `f = Σ (g(inputs) ⊙ r)` for a fixed random projection `r`, with
//! respect to one argument at a time (children's states and every weight), on tiny shapes
//! (2 nodes, d = 2). The last check goes through the level-by-level gathering of a whole
//! batch of trees, so the gradients of `select` and `cat` reach the word vectors correctly.

use burn::module::Param;
use burn::prelude::Tensor;
use lecture_07_recursive::levels::forward_levels;
use lecture_07_recursive::recursive_net::RecursiveNet;
use lecture_07_recursive::tree_batch::TreeBatch;
use lecture_07_recursive::tree_lstm::TreeLstm;
use lecture_07_recursive::treebank::vocabulary;
use lecture_07_recursive::{bag, mv_rnn, recursive_net, rntn, tree_lstm};
use shared::data::Tree;
use shared::testing::{gradcheck, normal, seeded};

const N: usize = 2;
const D: usize = 2;

/// Checks the gradient of `Σ (f(x) ⊙ r)` with respect to `x`, naming the argument on failure.
#[track_caller]
fn check<const K: usize>(what: &str, x: Tensor<K>, r: &Tensor<2>, f: impl Fn(Tensor<K>) -> Tensor<2>) {
    gradcheck(|x| (f(x) * r.clone()).sum(), x).unwrap_or_else(|e| panic!("{what}: {e}"));
}

#[test]
fn recursive_net_composition() {
    let (l, r_child, w, b, r) = seeded(1, |d| {
        (normal([N, D], d), normal([N, D], d), normal([2 * D, D], d), normal([D], d), normal([N, D], d))
    });
    let f = |l: Tensor<2>, rc: Tensor<2>, w: Tensor<2>, b: Tensor<1>| recursive_net::compose(l, rc, w, b);
    check("left", l.clone(), &r, |x| f(x, r_child.clone(), w.clone(), b.clone()));
    check("right", r_child.clone(), &r, |x| f(l.clone(), x, w.clone(), b.clone()));
    check("W", w.clone(), &r, |x| f(l.clone(), r_child.clone(), x, b.clone()));
    check("b", b.clone(), &r, |x| f(l.clone(), r_child.clone(), w.clone(), x));
}

#[test]
fn rntn_composition_and_its_bilinear_term() {
    let (l, rc, v, w, b, r) = seeded(2, |d| {
        let v = normal([2 * D, 2 * D, D], d) * 0.5;
        (normal([N, D], d), normal([N, D], d), v, normal([2 * D, D], d), normal([D], d), normal([N, D], d))
    });
    let f = |l, rc, v, w, b| rntn::compose(l, rc, v, w, b);
    check("left", l.clone(), &r, |x| f(x, rc.clone(), v.clone(), w.clone(), b.clone()));
    check("right", rc.clone(), &r, |x| f(l.clone(), x, v.clone(), w.clone(), b.clone()));
    check("V", v.clone(), &r, |x| f(l.clone(), rc.clone(), x, w.clone(), b.clone()));
    check("W", w.clone(), &r, |x| f(l.clone(), rc.clone(), v.clone(), x, b.clone()));
    check("b", b.clone(), &r, |x| f(l.clone(), rc.clone(), v.clone(), w.clone(), x));
    let x = Tensor::cat(vec![l, rc], 1);
    check("bilinear x", x.clone(), &r, |x| rntn::bilinear(x, v.clone()));
}

#[test]
fn mv_rnn_composition() {
    let s = D + D * D;
    let (l, rc, w, b, w_m, r) = seeded(3, |d| {
        (
            normal([N, s], d) * 0.7,
            normal([N, s], d) * 0.7,
            normal([2 * D, D], d),
            normal([D], d),
            normal([D, 2 * D], d),
            normal([N, s], d),
        )
    });
    let f = |l, rc, w, b, w_m| mv_rnn::compose(l, rc, w, b, w_m);
    check("left", l.clone(), &r, |x| f(x, rc.clone(), w.clone(), b.clone(), w_m.clone()));
    check("right", rc.clone(), &r, |x| f(l.clone(), x, w.clone(), b.clone(), w_m.clone()));
    check("W", w.clone(), &r, |x| f(l.clone(), rc.clone(), x, b.clone(), w_m.clone()));
    check("b", b.clone(), &r, |x| f(l.clone(), rc.clone(), w.clone(), x, w_m.clone()));
    check("W_M", w_m.clone(), &r, |x| f(l.clone(), rc.clone(), w.clone(), b.clone(), x));
}

#[test]
fn tree_lstm_leaf_and_composition() {
    let (l, rc, u, b, x, w_x, b_x, r) = seeded(4, |d| {
        (
            normal([N, 2 * D], d),
            normal([N, 2 * D], d),
            normal([2 * D, 5 * D], d),
            normal([5 * D], d),
            normal([N, D], d),
            normal([D, 3 * D], d),
            normal([3 * D], d),
            normal([N, 2 * D], d),
        )
    });
    let f = |l, rc, u, b| tree_lstm::compose(l, rc, u, b);
    check("left", l.clone(), &r, |x| f(x, rc.clone(), u.clone(), b.clone()));
    check("right", rc.clone(), &r, |x| f(l.clone(), x, u.clone(), b.clone()));
    check("U", u.clone(), &r, |x| f(l.clone(), rc.clone(), x, b.clone()));
    check("b", b.clone(), &r, |x| f(l.clone(), rc.clone(), u.clone(), x));
    check("leaf x", x.clone(), &r, |x| tree_lstm::leaf(x, w_x.clone(), b_x.clone()));
    check("leaf W_x", w_x.clone(), &r, |w| tree_lstm::leaf(x.clone(), w, b_x.clone()));
    check("leaf b_x", b_x.clone(), &r, |b| tree_lstm::leaf(x.clone(), w_x.clone(), b));
}

#[test]
fn bag_composition_and_mean() {
    let (l, rc, r, r_mean) = seeded(5, |d| {
        (normal([N, D + 1], d), normal([N, D + 1], d), normal([N, D + 1], d), normal([N, D], d))
    });
    check("left", l.clone(), &r, |x| bag::compose(x, rc.clone()));
    check("right", rc.clone(), &r, |x| bag::compose(l.clone(), x));
    // Counts must stay away from 0 for the mean: shift the count column to 2..4.
    let [n, _] = l.dims();
    let shifted = Tensor::cat(vec![l.clone().narrow(1, 0, D), l.narrow(1, D, 1).abs() + 2.0], 1);
    assert_eq!(shifted.dims(), [n, D + 1]);
    check("mean", shifted, &r_mean, bag::mean);
}

#[test]
fn gradients_reach_the_word_vectors_through_the_level_batching() {
    let trees: Vec<Tree> = ["(3 (2 a) (3 (2 very) (4 good)))", "(1 (2 not) (3 good))", "(2 a)"]
        .map(|t| t.parse().unwrap())
        .to_vec();
    let vocab = vocabulary(&trees);
    let batch = TreeBatch::new(&trees, &vocab);
    let nodes = batch.node_count();
    let (rnn, lstm, words, r_rnn, r_lstm, device) = seeded(6, |d| {
        let rnn = RecursiveNet::new(vocab.size(), D, d);
        let lstm = TreeLstm::new(vocab.size(), D, d);
        (rnn, lstm, normal([vocab.size(), D], d), normal([nodes, D], d), normal([nodes, 2 * D], d), d.clone())
    });
    let with_words = |net: &RecursiveNet, x: Tensor<2>| RecursiveNet {
        words: Param::from_tensor(x),
        w: Param::from_tensor(net.w.val()),
        b: Param::from_tensor(net.b.val()),
    };
    check("RNN word vectors", words.clone(), &r_rnn, |x| {
        forward_levels(&with_words(&rnn, x), &batch, &device)
    });
    let lstm_with = |x: Tensor<2>| TreeLstm {
        words: Param::from_tensor(x),
        w_x: Param::from_tensor(lstm.w_x.val()),
        b_x: Param::from_tensor(lstm.b_x.val()),
        u: Param::from_tensor(lstm.u.val()),
        b: Param::from_tensor(lstm.b.val()),
    };
    check("Tree-LSTM word vectors", words, &r_lstm, |x| forward_levels(&lstm_with(x), &batch, &device));
}
