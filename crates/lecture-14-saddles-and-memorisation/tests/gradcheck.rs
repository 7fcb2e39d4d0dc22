//! burn's gradients of the flat-parameter net (the Hessian is built from them) against central
//! finite differences, with respect to the parameter rows and the inputs.

use lecture_14_saddles_and_memorisation::flat_net::FlatNet;
use lecture_14_saddles_and_memorisation::landscape::rows_tensor;
use rand::SeedableRng;
use shared::testing::{gradcheck, normal, seeded};

#[test]
fn the_flat_nets_loss_has_correct_parameter_and_input_gradients() {
    let net = FlatNet::new(&[3, 4, 2, 2]).unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    let rows: Vec<Vec<f64>> = (0..3).map(|_| net.init(1.0, &mut rng)).collect();
    let (theta, x, y) = seeded(2, |d| (rows_tensor(&rows, d), normal([5, 3], d), normal([5, 2], d)));
    // Each row's weights differ, so a gradient sent to the wrong copy shows.
    let weights = seeded(3, |d| normal([3], d));
    gradcheck(|t| (net.losses(t, x.clone(), y.clone()) * weights.clone()).sum(), theta.clone())
        .unwrap_or_else(|e| panic!("parameters: {e}"));
    gradcheck(|x| (net.losses(theta.clone(), x, y.clone()) * weights.clone()).sum(), x.clone())
        .unwrap_or_else(|e| panic!("inputs: {e}"));
}

#[test]
fn the_parameter_count_follows_the_layer_widths() {
    // (3 + 1) · 4 + (4 + 1) · 2 + (2 + 1) · 2 = 32; the student of the experiments: 17.
    assert_eq!(FlatNet::new(&[3, 4, 2, 2]).unwrap().parameters(), 32);
    assert_eq!(FlatNet::new(&[2, 4, 1]).unwrap().parameters(), 17);
    assert!(FlatNet::new(&[2]).is_err() && FlatNet::new(&[2, 0, 1]).is_err());
}
