//! Our pieces against burn's own modules where burn has them (binary cross-entropy, linear
//! layers), and against values worked out by hand where it does not.

use burn::nn::loss::BinaryCrossEntropyLossConfig;
use burn::prelude::*;
use burn::tensor::Distribution;
use burn::tensor::activation::leaky_relu;
use lecture_15_gan::discriminator::DiscriminatorConfig;
use lecture_15_gan::gan_trainer::{GameConfig, GanTrainer, RealBatch};
use lecture_15_gan::instance_noise::NoiseSchedule;
use lecture_15_gan::vae::kl_to_standard_normal;
use shared::backend::test_device;
use shared::gan::generator::{GeneratorConfig, OutputActivation};
use shared::gan::loss::{
    GeneratorLoss, bce_with_logits, discriminator_accuracy, discriminator_loss,
    discriminator_loss_with_label_noise, js_estimate,
};
use shared::gan::mlp::MlpConfig;
use shared::testing::{Tolerance, assert_tensors_close, seeded};
use shared::train::gradient_norm;

fn values<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data().iter::<f32>().collect()
}

#[test]
fn bce_matches_burns_binary_cross_entropy_in_value_and_gradient() {
    let logits = seeded(0, |d| Tensor::<2>::random([6, 1], Distribution::Normal(0.0, 3.0), d));
    for target in [0, 1] {
        let ours_in = logits.clone().detach().require_grad();
        let burns_in = logits.clone().detach().require_grad();
        let ours = bce_with_logits(ours_in.clone(), f64::from(target));
        let device = logits.device();
        let targets = Tensor::<2, Int>::full([6, 1], target, &device);
        let burns = BinaryCrossEntropyLossConfig::new()
            .with_logits(true)
            .init(&device)
            .forward(burns_in.clone(), targets);
        let tol = Tolerance::new(1e-5, 1e-6);
        assert_tensors_close("BCE value", ours.clone(), burns.clone(), tol);
        let (g_ours, g_burns) =
            (ours_in.grad(&ours.backward()).unwrap(), burns_in.grad(&burns.backward()).unwrap());
        assert_tensors_close("BCE gradient", g_ours, g_burns, tol);
    }
}

#[test]
fn mlp_matches_the_written_out_layers() {
    let (mlp, x) = seeded(1, |d| {
        (
            MlpConfig::new(vec![3, 4, 2]).init(d).unwrap(),
            Tensor::<2>::random([5, 3], Distribution::Normal(0.0, 1.0), d),
        )
    });
    let [first, second] = [&mlp.layers()[0], &mlp.layers()[1]];
    let hidden = leaky_relu(
        x.clone().matmul(first.weight.val()) + first.bias.as_ref().unwrap().val().unsqueeze(),
        0.2,
    );
    let expected = hidden.matmul(second.weight.val()) + second.bias.as_ref().unwrap().val().unsqueeze();
    assert_tensors_close("MLP output", mlp.forward(x), expected, Tolerance::new(1e-5, 1e-6));
}

#[test]
fn generator_loss_gradients_are_the_textbook_ones() {
    // dL/dl per element (batch of 2): minimax -sigmoid(l)/2, non-saturating -(1 - sigmoid(l))/2.
    let device = test_device().autodiff();
    let sigmoid = |l: f32| 1.0 / (1.0 + (-l).exp());
    for (loss, expected) in [
        (GeneratorLoss::Minimax, [-sigmoid(-6.0) / 2.0, -sigmoid(1.0) / 2.0]),
        (GeneratorLoss::NonSaturating, [-(1.0 - sigmoid(-6.0)) / 2.0, -(1.0 - sigmoid(1.0)) / 2.0]),
    ] {
        let logits = Tensor::<2>::from_floats([[-6.0], [1.0]], &device).require_grad();
        let grad = values(logits.grad(&loss.loss(logits.clone()).backward()).unwrap());
        for (g, e) in grad.iter().zip(expected) {
            assert!((g - e).abs() < 1e-6, "{loss:?}: {grad:?} vs {expected:?}");
        }
    }
    // At l = -6 (a confident discriminator) the minimax gradient is 400x smaller.
    assert!(sigmoid(-6.0) * 400.0 < 1.0 - sigmoid(-6.0));
}

#[test]
fn hand_computed_kl_js_and_accuracy() {
    let device = test_device();
    // mu = [1, 0], log s^2 = [0, ln 2]: 1/2 ((1 + 1 - 1 - 0) + (0 + 2 - 1 - ln 2)) = 1 - ln(2)/2.
    let mu = Tensor::<2>::from_floats([[1.0, 0.0]], &device);
    let log_var = Tensor::<2>::from_floats([[0.0, std::f32::consts::LN_2]], &device);
    let kl = kl_to_standard_normal(mu, log_var).into_scalar::<f32>();
    assert!((kl - (1.0 - std::f32::consts::LN_2 / 2.0)).abs() < 1e-6, "{kl}");
    // D(x) = 1/2 everywhere: L_D = 2 log 2, JS = 0; a perfect D: L_D = 0, JS = log 2.
    let zeros = Tensor::<2>::zeros([3, 1], &device);
    let chance = discriminator_loss(zeros.clone(), zeros, 0.0).into_scalar::<f64>();
    assert!((chance - 2.0 * std::f64::consts::LN_2).abs() < 1e-6);
    assert!(js_estimate(chance).abs() < 1e-6);
    assert!((js_estimate(0.0) - std::f64::consts::LN_2).abs() < 1e-12);
    let real = Tensor::<2>::from_floats([[2.0], [-1.0]], &device);
    let fake = Tensor::<2>::from_floats([[-3.0], [0.5]], &device);
    assert_eq!(discriminator_accuracy(real, fake), 0.5);
}

#[test]
fn label_noise_swaps_the_targets_with_its_probability() {
    let (real, fake) = seeded(9, |d| {
        (
            Tensor::<2>::random([6, 1], Distribution::Normal(0.0, 2.0), d),
            Tensor::random([6, 1], Distribution::Normal(0.0, 2.0), d),
        )
    });
    let tolerance = Tolerance::new(1e-6, 1e-6);
    // p = 0: the plain loss; p = 1: every target swapped, real ones to 0, fake ones to 1 - s.
    let plain = discriminator_loss(real.clone(), fake.clone(), 0.2);
    assert_tensors_close(
        "no label noise",
        discriminator_loss_with_label_noise(real.clone(), fake.clone(), 0.2, 0.0),
        plain,
        tolerance,
    );
    let swapped = bce_with_logits(real.clone(), 0.0) + bce_with_logits(fake.clone(), 0.8);
    assert_tensors_close(
        "every label swapped",
        discriminator_loss_with_label_noise(real, fake, 0.2, 1.0),
        swapped,
        tolerance,
    );
}

#[test]
fn gradient_norm_of_a_linear_layer_by_hand() {
    // f = sum(x W + b) with x = [[1, 2], [3, 4]]: dW = x^T 1 = [[4, 4], [6, 6]] per output pair,
    // db = [2, 2]; ||.||^2 = 16 + 16 + 36 + 36 + 4 + 4 = 112.
    let device = test_device().autodiff();
    let mlp = MlpConfig::new(vec![2, 2]).init(&device).unwrap();
    let x = Tensor::<2>::from_floats([[1.0, 2.0], [3.0, 4.0]], &device);
    let grads = mlp.forward(x).sum().backward();
    assert!((gradient_norm(&mlp, &grads) - 112f64.sqrt()).abs() < 1e-4);
}

#[test]
fn instance_noise_decays_linearly_to_zero() {
    let schedule = NoiseSchedule { initial_std: 0.4, decay_steps: 100 };
    assert_eq!(
        [schedule.std_at(0), schedule.std_at(50), schedule.std_at(100), schedule.std_at(500)],
        [0.4, 0.2, 0.0, 0.0]
    );
    let x = Tensor::<2>::ones([2, 2], &test_device());
    assert_tensors_close(
        "no noise at the end",
        schedule.apply(x.clone(), 100),
        x.clone(),
        Tolerance::new(0.0, 0.0),
    );
    let noisy = values(schedule.apply(x, 0));
    assert!(noisy.iter().any(|v| (v - 1.0).abs() > 1e-3), "{noisy:?}");
}

/// Each network's update changes its own parameters only: the two optimisers never touch the
/// other network (D's update sees detached fakes; G's gradients for D's parameters are dropped).
#[test]
fn each_update_moves_only_its_own_network() {
    let (generator, discriminator, real) = seeded(6, |d| {
        let g = GeneratorConfig {
            noise: 2,
            hidden: vec![4],
            features: 2,
            classes: 0,
            output: OutputActivation::Identity,
        };
        let dc = DiscriminatorConfig { features: 2, hidden: vec![4], classes: 0, dropout: 0.0 };
        (
            g.init(d).unwrap(),
            dc.init(d).unwrap(),
            Tensor::<2>::random([8, 2], Distribution::Normal(0.0, 1.0), d),
        )
    });
    let params = |m: &shared::gan::mlp::Mlp| -> Vec<f32> {
        m.layers().iter().flat_map(|l| values(l.weight.val())).collect()
    };
    let (g0, d0) = (params(generator.net()), params(discriminator.net()));
    let game = GameConfig {
        loss: GeneratorLoss::NonSaturating,
        learning_rate: 1e-2,
        beta_1: 0.5,
        d_steps: 1,
        instance_noise: NoiseSchedule::NONE,
        label_smoothing: 0.0,
        label_noise: 0.0,
    };
    let mut trainer = GanTrainer::new(generator, discriminator, game);
    let stats = trainer.step(0, true, || Ok(RealBatch { samples: real.clone(), condition: None })).unwrap();
    let (g1, d1) = (params(trainer.generator().net()), params(trainer.discriminator().net()));
    assert_ne!(g0, g1, "the generator was updated");
    assert_ne!(d0, d1, "the discriminator was updated");
    assert!(stats.g_grad_norm.unwrap() > 0.0);
    // Adam's first step moves every parameter with a gradient by about lr: no parameter moved
    // by more than ~lr, so neither network received the other's update on top of its own.
    for (before, after) in g0.iter().zip(&g1).chain(d0.iter().zip(&d1)) {
        assert!((before - after).abs() <= 1.1e-2, "{before} -> {after}");
    }
}
