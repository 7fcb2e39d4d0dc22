//! The lecture's pieces against independent computations: the discriminator's unfolded
//! convolution against burn's `Conv1d` (outputs and gradients), the generator's step-by-step
//! logits against its teacher-forced ones, and the sampler's frequencies against the softmax.

use burn::module::Param;
use burn::nn::conv::{Conv1d, Conv1dConfig};
use burn::prelude::*;
use burn::tensor::activation::{relu, softmax};
use lecture_17_sequence_gan::discriminator::{Discriminator, DiscriminatorConfig};
use lecture_17_sequence_gan::lstm_lm::LstmLmConfig;
use lecture_17_sequence_gan::sampling::draw;
use lecture_17_sequence_gan::sequences::Sequences;
use shared::data::synthetic::seeded_rng;
use shared::testing::{Tolerance, assert_close, assert_tensors_close, normal, param_grad, seeded};

const VOCAB: usize = 7;
const EMBEDDING: usize = 3;
const LENGTH: usize = 6;

/// burn's `Conv1d` holding convolution `k`'s weights: `W_k: [k d, F]` row `j d + c` is
/// `conv.weight[f, c, j]`.
fn as_conv1d(linear: &burn::nn::Linear, device: &Device) -> Conv1d {
    let [rows, filters] = linear.weight.dims();
    let k = rows / EMBEDDING;
    let weight = linear.weight.val().reshape([k, EMBEDDING, filters]).permute([2, 1, 0]);
    let conv = Conv1dConfig::new(EMBEDDING, filters, k).init(device);
    Conv1d {
        weight: Param::from_tensor(weight.detach().require_grad()),
        bias: Some(Param::from_tensor(linear.bias.as_ref().unwrap().val().detach().require_grad())),
        ..conv
    }
}

/// The discriminator's logits computed with burn's `Conv1d` and `max_dim`: `[B, 1]`.
fn with_burn(d: &Discriminator, convs: &[Conv1d], tokens: Tensor<2, Int>) -> Tensor<2> {
    let e = d.embedding.forward(tokens).swap_dims(1, 2); // [B, d, L]
    let pooled: Vec<Tensor<2>> = convs
        .iter()
        .map(|conv| {
            let a = relu(conv.forward(e.clone())); // [B, F, L - k + 1]
            let [b, f, _] = a.dims();
            a.max_dim(2).reshape([b, f])
        })
        .collect();
    d.output.forward(Tensor::cat(pooled, 1))
}

#[test]
fn the_discriminator_is_a_conv1d_with_max_over_time_outputs_and_gradients() {
    seeded(1, |device| {
        let config =
            DiscriminatorConfig { vocab: VOCAB, embedding: EMBEDDING, windows: vec![2, 3], filters: 4 };
        let d = config.init(device).unwrap();
        let convs: Vec<Conv1d> = d.convolutions.iter().map(|l| as_conv1d(l, device)).collect();
        let tokens: Vec<i64> = (0..5 * LENGTH).map(|i| ((i * 5 + i / 3) % VOCAB) as i64).collect();
        let tokens = Tensor::<2, Int>::from_data(TensorData::new(tokens, [5, LENGTH]), device);
        let ours = d.forward(tokens.clone());
        let theirs = with_burn(&d, &convs, tokens);
        assert_tensors_close("logits", ours.clone(), theirs.clone(), Tolerance::F32);
        let r = normal([5, 1], device);
        let (g_ours, g_theirs) = ((ours * r.clone()).sum().backward(), (theirs * r).sum().backward());
        for (linear, conv) in d.convolutions.iter().zip(&convs) {
            let k = conv.kernel_size;
            let filters = conv.weight.dims()[0];
            let ours = param_grad("W_k", &linear.weight, &g_ours)
                .reshape([k, EMBEDDING, filters])
                .permute([2, 1, 0]);
            assert_tensors_close(
                "dW_k",
                ours,
                param_grad("conv weight", &conv.weight, &g_theirs),
                Tolerance::F32,
            );
            let bias = linear.bias.as_ref().unwrap();
            let conv_bias = conv.bias.as_ref().unwrap();
            assert_tensors_close(
                "db_k",
                param_grad("b_k", bias, &g_ours),
                param_grad("conv bias", conv_bias, &g_theirs),
                Tolerance::F32,
            );
        }
    });
}

#[test]
fn generating_step_by_step_gives_the_teacher_forced_logits() {
    seeded(2, |device| {
        let model = LstmLmConfig { vocab: VOCAB, embedding: EMBEDDING, hidden: 5 }.init(device);
        let rows: Vec<Vec<i64>> =
            (0..3).map(|b| (0..LENGTH).map(|t| ((b * 3 + t * 2) % VOCAB) as i64).collect()).collect();
        let sentences = Sequences::from_rows(&rows, LENGTH).unwrap();
        let forced = model.logits(sentences.tensor(device)); // [3, L, V]
        let mut previous = Tensor::<1, Int>::full([3], model.bos(), device);
        let mut state = None;
        for t in 0..LENGTH {
            let (logits, next) = model.step(previous, state);
            let expected = forced.clone().narrow(1, t, 1).reshape([3, VOCAB]);
            assert_tensors_close(&format!("logits at step {t}"), logits, expected, Tolerance::F32);
            previous = sentences.tensor(device).narrow(1, t, 1).reshape([3]);
            state = Some(next);
        }
    });
}

#[test]
fn the_token_log_probabilities_are_the_log_softmax_of_the_tempered_logits_at_the_tokens() {
    seeded(3, |device| {
        let model = LstmLmConfig { vocab: VOCAB, embedding: EMBEDDING, hidden: 5 }.init(device);
        let sentences =
            Sequences::from_rows(&[vec![1, 4, 0, 6, 2, 2], vec![3, 3, 5, 1, 0, 4]], LENGTH).unwrap();
        let temperature = 0.7;
        let log_probs: Vec<f64> =
            model.token_log_probs(sentences.tensor(device), temperature).into_data().iter::<f64>().collect();
        let logits: Vec<f64> = model.logits(sentences.tensor(device)).into_data().iter::<f64>().collect();
        let expected: Vec<f64> = logits
            .chunks(VOCAB)
            .zip(&sentences.tokens)
            .map(|(row, &token)| {
                let z: f64 = row.iter().map(|l| (l / temperature).exp()).sum();
                row[token as usize] / temperature - z.ln()
            })
            .collect();
        assert_close(&log_probs, &expected, Tolerance::new(1e-5, 1e-5));
    });
}

#[test]
fn draws_follow_the_tempered_softmax() {
    let logits = [0.5f32, -1.0, 2.0, 0.0];
    for temperature in [1.0, 0.5, 2.0] {
        let mut rng = seeded_rng(4);
        let draws = 40_000;
        let mut counts = [0usize; 4];
        for _ in 0..draws {
            counts[draw(&logits, temperature, &mut rng)] += 1;
        }
        let device = shared::backend::test_device();
        let scaled = Tensor::<1>::from_floats(logits, &device) / temperature;
        let expected: Vec<f64> = softmax(scaled, 0).into_data().iter::<f64>().collect();
        let observed: Vec<f64> = counts.iter().map(|&c| c as f64 / draws as f64).collect();
        // Binomial standard error at 40,000 draws is at most 0.0025: four of them.
        assert_close(&observed, &expected, Tolerance::new(0.0, 0.01));
    }
}

#[test]
fn gumbel_max_samples_follow_the_softmax_and_the_relaxation_tends_to_them() {
    use lecture_17_sequence_gan::gumbel_softmax::{gumbel_noise, gumbel_softmax, hard_sample};
    let device = shared::backend::test_device();
    let draws = 20_000;
    let logits =
        Tensor::<1>::from_floats([0.5, -1.0, 2.0, 0.0], &device).unsqueeze_dim::<2>(0).repeat_dim(0, draws);
    let noise = gumbel_noise([draws, 4], &mut seeded_rng(5), &device);
    let hard = hard_sample(logits.clone(), noise.clone());
    let observed: Vec<f64> = hard.clone().mean_dim(0).into_data().iter::<f64>().collect();
    let expected: Vec<f64> = softmax(logits.clone().narrow(0, 0, 1), 1).into_data().iter::<f64>().collect();
    // Binomial standard error at 20,000 draws is at most 0.0036: three of them.
    assert_close(&observed, &expected, Tolerance::new(0.0, 0.011));
    // As τ falls the relaxed sample tends to the hard one (but for the rare near-ties).
    let gap = |temperature| {
        let relaxed = gumbel_softmax(logits.clone(), noise.clone(), temperature);
        (relaxed - hard.clone()).abs().sum_dim(1).mean().into_scalar::<f64>()
    };
    let (cold, warm) = (gap(0.01), gap(1.0));
    assert!(cold < 0.01 && warm > 0.3, "mean L1 gap to the hard sample: τ = 0.01 {cold}, τ = 1 {warm}");
}
