//! Autodiff gradients of every hand-written piece against central finite differences.
//!
//! Losses are differentiated as they are; layers through `f = Σ (layer(x) ⊙ r)` for a fixed
//! random `r`, so every output element reaches the gradient with its own weight. The networks
//! are checked with respect to their inputs and to every parameter (the discriminator's and the
//! generator's weights and biases), so that a weight the forward pass detached would fail.

use burn::prelude::Tensor;
use burn::tensor::Distribution;
use lecture_15_gan::autoencoder::reconstruction_loss;
use lecture_15_gan::discriminator::{Discriminator, DiscriminatorConfig};
use lecture_15_gan::vae::kl_to_standard_normal;
use shared::gan::conditioning::one_hot;
use shared::gan::generator::{Generator, GeneratorConfig, OutputActivation};
use shared::gan::loss::{GeneratorLoss, bce_with_logits, discriminator_loss};
use shared::gan::mlp::MlpConfig;
use shared::testing::{gradcheck, gradcheck_parameters, normal, seeded};

#[test]
fn gan_losses_have_correct_gradients() {
    let logits = seeded(1, |d| normal([4, 1], d).mul_scalar(3.0));
    gradcheck(|l| bce_with_logits(l, 0.8), logits.clone()).unwrap();
    for loss in [GeneratorLoss::Minimax, GeneratorLoss::NonSaturating] {
        gradcheck(|l| loss.loss(l), logits.clone()).unwrap_or_else(|e| panic!("{loss:?}: {e}"));
    }
    let other = seeded(2, |d| normal([4, 1], d));
    gradcheck(|l| discriminator_loss(l, other.clone(), 0.1), logits.clone()).unwrap();
    gradcheck(|l| discriminator_loss(other.clone(), l, 0.1), logits).unwrap();
}

#[test]
fn vae_terms_have_correct_gradients() {
    let (mu, log_var, logits, x) = seeded(3, |d| {
        let x: Tensor<2> = Tensor::random([2, 5], Distribution::Uniform(0.0, 1.0), d);
        (normal([2, 3], d), normal([2, 3], d).mul_scalar(0.5), normal([2, 5], d), x)
    });
    gradcheck(|m| kl_to_standard_normal(m, log_var.clone()), mu.clone()).unwrap();
    gradcheck(|v| kl_to_standard_normal(mu.clone(), v), log_var).unwrap();
    gradcheck(|l| reconstruction_loss(l, x.clone()), logits).unwrap();
}

#[test]
fn mlp_generator_and_discriminator_have_correct_input_gradients() {
    let (mlp, x, r) = seeded(4, |d| {
        (MlpConfig::new(vec![3, 5, 4, 2]).init(d).unwrap(), normal([2, 3], d), normal([2, 2], d))
    });
    gradcheck(|x| (mlp.forward(x) * r.clone()).sum(), x).unwrap();

    let (generator, discriminator, z, condition, r) = seeded(5, |d| {
        let dc = DiscriminatorConfig { features: 4, hidden: vec![5], classes: 2, dropout: 0.0 };
        let labels = Tensor::from_ints([0, 1], d);
        (tiny_generator(d), dc.init(d).unwrap(), normal([2, 3], d), one_hot(labels, 2), normal([2, 4], d))
    });
    gradcheck(|z| (generator.forward(z, Some(&condition)) * r.clone()).sum(), z.clone()).unwrap();
    // The generator's loss through the discriminator: what the generator is trained on.
    gradcheck(
        |z| {
            GeneratorLoss::NonSaturating
                .loss(discriminator.forward(generator.forward(z, Some(&condition)), Some(&condition)))
        },
        z,
    )
    .unwrap();
}

#[test]
fn discriminator_and_generator_losses_have_correct_parameter_gradients() {
    let (generator, discriminator, real, z, condition) = seeded(6, |d| {
        let dc = DiscriminatorConfig { features: 4, hidden: vec![5, 3], classes: 2, dropout: 0.0 };
        let labels = Tensor::from_ints([0, 1, 1], d);
        (tiny_generator(d), dc.init(d).unwrap(), normal([3, 4], d), normal([3, 3], d), one_hot(labels, 2))
    });
    let fake = generator.forward(z.clone(), Some(&condition)).detach();
    // L_D with label smoothing, as the discriminator is trained: every layer of D.
    let d_loss = |d: &Discriminator| {
        discriminator_loss(
            d.forward(real.clone(), Some(&condition)),
            d.forward(fake.clone(), Some(&condition)),
            0.1,
        )
    };
    let checked = gradcheck_parameters(&discriminator, d_loss).unwrap_or_else(|e| panic!("D: {e}"));
    assert_eq!(checked.len(), 6, "three layers of D, weight and bias each: {:?}", paths(&checked));
    // L_G through the discriminator: every layer of G.
    let g_loss = |g: &Generator| {
        GeneratorLoss::NonSaturating
            .loss(discriminator.forward(g.forward(z.clone(), Some(&condition)), Some(&condition)))
    };
    let checked = gradcheck_parameters(&generator, g_loss).unwrap_or_else(|e| panic!("G: {e}"));
    assert_eq!(checked.len(), 4, "two layers of G, weight and bias each: {:?}", paths(&checked));
}

/// A conditional generator small enough for finite differences: noise 3 -> hidden 6 -> 4 (tanh),
/// two classes.
fn tiny_generator(device: &burn::prelude::Device) -> Generator {
    let config = GeneratorConfig {
        noise: 3,
        hidden: vec![6],
        features: 4,
        classes: 2,
        output: OutputActivation::Tanh,
    };
    config.init(device).unwrap()
}

fn paths<R>(checked: &[(String, R)]) -> Vec<&str> {
    checked.iter().map(|(path, _)| path.as_str()).collect()
}
