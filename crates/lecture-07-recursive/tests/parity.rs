//! burn has no tree modules, so parity is checked three ways:
//!
//! 1. tiny cases worked out by hand (numbers in the comments, from a calculator);
//! 2. every model against an independent scalar implementation in plain `f64` loops, written
//!    here straight from the equations, on a batch of trees of different shapes;
//! 3. level-by-level batching against node-at-a-time recursion: the same states, losses and
//!    gradients for every model (the Tree-LSTM included) on SST sentences.

use burn::module::Param;
use burn::optim::GradientsParams;
use burn::prelude::{Device, Tensor, TensorData};
use lecture_07_recursive::bag::Bag;
use lecture_07_recursive::levels::{forward_levels, forward_node_at_a_time};
use lecture_07_recursive::model::{Composer, ModelKind, Schedule, TreeClassifier};
use lecture_07_recursive::mv_rnn::MvRnn;
use lecture_07_recursive::recursive_net::RecursiveNet;
use lecture_07_recursive::rntn::Rntn;
use lecture_07_recursive::tree_batch::TreeBatch;
use lecture_07_recursive::tree_lstm::TreeLstm;
use lecture_07_recursive::treebank::vocabulary;
use shared::backend::test_device;
use shared::data::{Tree, Treebank, Vocab};
use shared::testing::{Tolerance, assert_close, assert_tensors_close, seeded};

fn param<const D: usize>(values: &[f32], shape: [usize; D], device: &Device) -> Param<Tensor<D>> {
    Param::from_tensor(Tensor::from_data(TensorData::new(values.to_vec(), shape), device))
}

fn tree(text: &str) -> Tree {
    text.parse().unwrap()
}

/// The states of the root of each tree, as plain numbers.
fn root_states(states: Tensor<2>, batch: &TreeBatch) -> Vec<Vec<f64>> {
    let width = states.dims()[1];
    let values: Vec<f64> = states.into_data().iter::<f64>().collect();
    batch.roots.iter().map(|&r| values[r * width..(r + 1) * width].to_vec()).collect()
}

// ---------------------------------------------------------------- 1. worked out by hand

#[test]
fn rnn_by_hand() {
    // d = 1, W = [1; 1], b = 0, a = 0.5, b = 0.25: p = tanh(0.5 + 0.25) = tanh(0.75) = 0.635149.
    let device = test_device();
    let vocab = Vocab::from_tokens(["a", "b"]);
    let net = RecursiveNet {
        words: param(&[0.0, 0.5, 0.25], [3, 1], &device),
        w: param(&[1.0, 1.0], [2, 1], &device),
        b: param(&[0.0], [1], &device),
    };
    let batch = TreeBatch::new([&tree("(2 (2 a) (2 b))")], &vocab);
    let root = root_states(forward_levels(&net, &batch, &device), &batch);
    assert_close(&root[0], &[0.635_148_952], Tolerance::F32);
}

#[test]
fn rntn_multiplies_where_the_rnn_adds() {
    // d = 1, only V[0][1] = 1 (stored as V' = 2d V = 2): p = tanh(l * r). "not" = -1, "good" = 0.5, "bad" = -0.5:
    // "not good" = tanh(-0.5) = -0.462117 and "not bad" = tanh(0.5) = +0.462117: the sign flips.
    let device = test_device();
    let vocab = Vocab::from_tokens(["not", "good", "bad"]);
    let rntn = Rntn {
        words: param(&[0.0, -1.0, 0.5, -0.5], [4, 1], &device),
        v: param(&[0.0, 2.0, 0.0, 0.0], [2, 2, 1], &device),
        w: param(&[0.0, 0.0], [2, 1], &device),
        b: param(&[0.0], [1], &device),
    };
    let trees = [tree("(1 (2 not) (3 good))"), tree("(3 (2 not) (1 bad))")];
    let batch = TreeBatch::new(&trees, &vocab);
    let roots = root_states(forward_levels(&rntn, &batch, &device), &batch);
    assert_close(&roots.concat(), &[-0.462_117_157, 0.462_117_157], Tolerance::F32);
}

#[test]
fn mv_rnn_by_hand() {
    // d = 1, "very" = (0.1, 2), "good" = (0.5, 1), W = [1; 1], W_M = [1, 1]:
    // p = tanh(B a + A b) = tanh(1 * 0.1 + 2 * 0.5) = tanh(1.1) = 0.800499, P = A + B = 3.
    let device = test_device();
    let vocab = Vocab::from_tokens(["very", "good"]);
    let mv = MvRnn {
        words: param(&[0.0, 0.1, 0.5], [3, 1], &device),
        matrices: param(&[1.0, 2.0, 1.0], [3, 1], &device),
        w: param(&[1.0, 1.0], [2, 1], &device),
        b: param(&[0.0], [1], &device),
        w_m: param(&[1.0, 1.0], [1, 2], &device),
    };
    let batch = TreeBatch::new([&tree("(4 (2 very) (3 good))")], &vocab);
    let root = root_states(forward_levels(&mv, &batch, &device), &batch);
    assert_close(&root[0], &[0.800_499_022, 3.0], Tolerance::F32);
}

#[test]
fn tree_lstm_by_hand() {
    // d = 1, W_x = 0, b_x = (i 0, o 0, u 1): a leaf has c = σ(0) tanh(1) = 0.380797 and
    // h = σ(0) tanh(c) = 0.181700. With U = 0 and b = 0 every gate of the parent is 0.5:
    // c = 0.5 tanh(0) + 0.5 c_l + 0.5 c_r = 0.380797 (the mean of its children's cells), h = 0.181700.
    let device = test_device();
    let vocab = Vocab::from_tokens(["a", "b"]);
    let lstm = TreeLstm {
        words: param(&[0.0, 1.0, -1.0], [3, 1], &device),
        w_x: param(&[0.0, 0.0, 0.0], [1, 3], &device),
        b_x: param(&[0.0, 0.0, 1.0], [3], &device),
        u: param(&[0.0; 10], [2, 5], &device),
        b: param(&[0.0; 5], [5], &device),
    };
    let batch = TreeBatch::new([&tree("(2 (2 a) (2 b))")], &vocab);
    let root = root_states(forward_levels(&lstm, &batch, &device), &batch);
    assert_close(&root[0], &[0.181_699_742, 0.380_797_078], Tolerance::F32);
}

#[test]
fn bag_is_the_mean_of_the_words() {
    // "a" = (1, 2), "b" = (3, -2), "c" = (2, 6): the bag of ((a b) c) is ((1+3+2)/3, (2-2+6)/3) = (2, 2).
    let device = test_device();
    let vocab = Vocab::from_tokens(["a", "b", "c"]);
    let bag = Bag { words: param(&[0.0, 0.0, 1.0, 2.0, 3.0, -2.0, 2.0, 6.0], [4, 2], &device) };
    let batch = TreeBatch::new([&tree("(2 (2 (2 a) (2 b)) (2 c))")], &vocab);
    let states = forward_levels(&bag, &batch, &device);
    let mean = lecture_07_recursive::bag::mean(states);
    let root = root_states(mean, &batch);
    assert_close(&root[0], &[2.0, 2.0], Tolerance::F32);
}

// ---------------------------------------------------------------- 2. scalar reference

fn rows(t: Tensor<2>) -> Vec<Vec<f64>> {
    let [_, width] = t.dims();
    let values: Vec<f64> = t.into_data().iter::<f64>().collect();
    values.chunks(width).map(<[f64]>::to_vec).collect()
}

fn flat<const D: usize>(t: Tensor<D>) -> Vec<f64> {
    t.into_data().iter::<f64>().collect()
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// `x W + b` for `x: [n]`, `W: [n, m]` (row-major), `b: [m]`.
fn affine(x: &[f64], w: &[f64], b: &[f64]) -> Vec<f64> {
    let m = b.len();
    (0..m).map(|k| b[k] + x.iter().enumerate().map(|(i, xi)| xi * w[i * m + k]).sum::<f64>()).collect()
}

/// A parent state from two child states, in plain numbers.
type ScalarCompose = Box<dyn Fn(&[f64], &[f64]) -> Vec<f64>>;

/// A model as two scalar functions: the state of word `id`, and a parent from two states.
struct Reference {
    leaf: Box<dyn Fn(usize) -> Vec<f64>>,
    compose: ScalarCompose,
}

fn reference(composer: &Composer) -> Reference {
    match composer {
        Composer::Bag(m) => {
            let words = rows(m.words.val());
            Reference {
                leaf: Box::new(move |id| [words[id].clone(), vec![1.0]].concat()),
                compose: Box::new(|l, r| l.iter().zip(r).map(|(a, b)| a + b).collect()),
            }
        }
        Composer::Rnn(m) => {
            let (words, w, b) = (rows(m.words.val()), flat(m.w.val()), flat(m.b.val()));
            Reference {
                leaf: Box::new(move |id| words[id].clone()),
                compose: Box::new(move |l, r| {
                    affine(&[l, r].concat(), &w, &b).into_iter().map(f64::tanh).collect()
                }),
            }
        }
        Composer::Rntn(m) => {
            let (words, w, b) = (rows(m.words.val()), flat(m.w.val()), flat(m.b.val()));
            let d = b.len();
            let v: Vec<f64> = flat(m.v.val()).iter().map(|v| v / (2 * d) as f64).collect();
            Reference {
                leaf: Box::new(move |id| words[id].clone()),
                compose: Box::new(move |l, r| {
                    let x = [l, r].concat();
                    let linear = affine(&x, &w, &b);
                    (0..d)
                        .map(|k| {
                            let mut quadratic = 0.0;
                            for i in 0..2 * d {
                                for j in 0..2 * d {
                                    quadratic += x[i] * v[(i * 2 * d + j) * d + k] * x[j];
                                }
                            }
                            (quadratic + linear[k]).tanh()
                        })
                        .collect()
                }),
            }
        }
        Composer::MvRnn(m) => {
            let (words, mats) = (rows(m.words.val()), rows(m.matrices.val()));
            let (w, bias, w_m) = (flat(m.w.val()), flat(m.b.val()), flat(m.w_m.val()));
            let d = bias.len();
            Reference {
                leaf: Box::new(move |id| [words[id].clone(), mats[id].clone()].concat()),
                compose: Box::new(move |l, r| {
                    let (a, ma, b, mb) = (&l[..d], &l[d..], &r[..d], &r[d..]);
                    let apply = |m: &[f64], v: &[f64]| -> Vec<f64> {
                        (0..d).map(|i| (0..d).map(|j| m[i * d + j] * v[j]).sum()).collect()
                    };
                    let y = [apply(mb, a), apply(ma, b)].concat();
                    let p: Vec<f64> = affine(&y, &w, &bias).into_iter().map(f64::tanh).collect();
                    let stacked = [ma, mb].concat(); // [2d, d]
                    let mat_p: Vec<f64> = (0..d * d)
                        .map(|ic| {
                            let (i, c) = (ic / d, ic % d);
                            (0..2 * d).map(|j| w_m[i * 2 * d + j] * stacked[j * d + c]).sum()
                        })
                        .collect();
                    [p, mat_p].concat()
                }),
            }
        }
        Composer::TreeLstm(m) => {
            let (words, w_x, b_x) = (rows(m.words.val()), flat(m.w_x.val()), flat(m.b_x.val()));
            let (u, b) = (flat(m.u.val()), flat(m.b.val()));
            let d = b.len() / 5;
            Reference {
                leaf: Box::new(move |id| {
                    let z = affine(&words[id], &w_x, &b_x);
                    let c: Vec<f64> = (0..d).map(|k| sigmoid(z[k]) * z[2 * d + k].tanh()).collect();
                    let h: Vec<f64> = (0..d).map(|k| sigmoid(z[d + k]) * c[k].tanh()).collect();
                    [h, c].concat()
                }),
                compose: Box::new(move |l, r| {
                    let z = affine(&[&l[..d], &r[..d]].concat(), &u, &b);
                    let gate = |block: usize, k: usize| z[block * d + k];
                    let c: Vec<f64> = (0..d)
                        .map(|k| {
                            sigmoid(gate(0, k)) * gate(4, k).tanh()
                                + sigmoid(gate(1, k)) * l[d + k]
                                + sigmoid(gate(2, k)) * r[d + k]
                        })
                        .collect();
                    let h: Vec<f64> = (0..d).map(|k| sigmoid(gate(3, k)) * c[k].tanh()).collect();
                    [h, c].concat()
                }),
            }
        }
    }
}

/// The reference states of every node of `batch`, by global index.
fn reference_states(reference: &Reference, batch: &TreeBatch) -> Vec<Vec<f64>> {
    let mut states = vec![Vec::new(); batch.node_count()];
    for order in &batch.post_order {
        for &node in order {
            states[node] = match batch.children[node] {
                None => (reference.leaf)(batch.words[node] as usize),
                Some((l, r)) => (reference.compose)(&states[l], &states[r]),
            };
        }
    }
    states
}

const TREES: [&str; 4] = [
    "(3 (2 a) (3 (2 very) (4 good)))",
    "(1 (2 (2 the) (2 film)) (1 (2 is) (1 (2 not) (3 good))))",
    "(2 film)",
    "(3 (3 (3 good) (2 film)) (2 (2 a) (2 film)))",
];

#[test]
fn every_model_matches_a_scalar_reference_on_trees_of_different_shapes() {
    let trees: Vec<Tree> = TREES.iter().map(|t| tree(t)).collect();
    let vocab = vocabulary(&trees);
    let batch = TreeBatch::new(&trees, &vocab);
    for (seed, kind) in ModelKind::ALL.into_iter().enumerate() {
        let (model, device) = seeded(seed as u64, |d| (kind.init(vocab.size(), 3, d), d.clone()));
        let expected = reference_states(&reference(&model.composer), &batch);
        let actual = rows(forward_levels(&model.composer, &batch, &device));
        let report = shared::testing::compare(
            &actual.concat(),
            &expected.concat(),
            &[actual.len()],
            Tolerance::new(1e-4, 1e-5),
        );
        assert!(report.is_ok(), "{kind}: {report:?}");
    }
}

// ---------------------------------------------------------------- 3. levels == node at a time

fn sst_sample() -> Vec<Tree> {
    let sst = Treebank::sst().unwrap();
    sst.dev.into_iter().step_by(97).take(6).collect()
}

/// Every trainable tensor of a classifier, flattened, in a fixed order.
fn parameter_gradients(model: &TreeClassifier, grads: &GradientsParams) -> Vec<Vec<f64>> {
    let g2 = |p: &Param<Tensor<2>>| grads.get::<2>(p.id);
    let g1 = |p: &Param<Tensor<1>>| grads.get::<1>(p.id).map(|g| g.reshape([1, -1]));
    let mut tensors: Vec<Option<Tensor<2>>> =
        vec![g2(&model.classifier.weight), model.classifier.bias.as_ref().and_then(g1)];
    match &model.composer {
        Composer::Bag(m) => tensors.push(g2(&m.words)),
        Composer::Rnn(m) => tensors.extend([g2(&m.words), g2(&m.w), g1(&m.b)]),
        Composer::Rntn(m) => tensors.extend([
            g2(&m.words),
            g2(&m.w),
            g1(&m.b),
            grads.get::<3>(m.v.id).map(|g| g.reshape([1, -1])),
        ]),
        Composer::MvRnn(m) => tensors.extend([g2(&m.words), g2(&m.matrices), g2(&m.w), g1(&m.b), g2(&m.w_m)]),
        Composer::TreeLstm(m) => tensors.extend([g2(&m.words), g2(&m.w_x), g1(&m.b_x), g2(&m.u), g1(&m.b)]),
    }
    tensors.into_iter().map(|t| flat(t.expect("every parameter gets a gradient"))).collect()
}

#[test]
fn levels_and_node_at_a_time_agree_on_states_losses_and_gradients() {
    let trees = sst_sample();
    let vocab = vocabulary(&trees);
    let batch = TreeBatch::new(&trees, &vocab);
    assert!(batch.levels.len() >= 8, "the sample should hold deep trees");
    for (seed, kind) in ModelKind::ALL.into_iter().enumerate() {
        let (model, device) = seeded(seed as u64, |d| (kind.init(vocab.size(), 4, d), d.clone()));
        assert_tensors_close(
            &format!("{kind} states"),
            forward_levels(&model.composer, &batch, &device),
            forward_node_at_a_time(&model.composer, &batch, &device),
            Tolerance::F32,
        );
        let gradients = |schedule| {
            let (loss, _) = model.loss(&batch, schedule, &device);
            let value = loss.clone().into_scalar::<f32>();
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            (value, parameter_gradients(&model, &grads))
        };
        let (loss_levels, grads_levels) = gradients(Schedule::Levels);
        let (loss_nodes, grads_nodes) = gradients(Schedule::NodeAtATime);
        assert!((loss_levels - loss_nodes).abs() < 1e-5, "{kind}: {loss_levels} vs {loss_nodes}");
        for (a, b) in grads_levels.iter().zip(&grads_nodes) {
            assert_close(a, b, Tolerance::new(1e-3, 1e-6));
        }
    }
}
