//! Synthetic functions with a known minimum, reported as regret `f(u) - f*` (0 at the optimum).
//!
//! ```text
//! weighted bowl:  f(u) = Σ_i w_i (u_i - c_i)²,   c ~ U(0.1, 0.9)^6 drawn from the seed
//!     2 of 6:     w = (1, 1, 0, 0, 0, 0)          only two hyperparameters matter
//!     all 6:      w = (1/3, ..., 1/3)            every one matters equally (same total weight)
//! Branin:         x = (15 u_1 - 5, 15 u_2),  f = (x_2 - 5.1 x_1²/(4π²) + 5 x_1/π - 6)² + 10 (1 - 1/(8π)) cos x_1 + 10
//!                 f* = 0.397887 (three minima)
//! Hartmann 6:     f = -Σ_k α_k exp(-Σ_i A_ki (u_i - P_ki)²),   f* = -3.32237
//! ```
//!
//! The budget is ignored: every trial costs its budget and returns the same value.

use crate::objective::{Evaluation, Objective};
use crate::space::Space;
use anyhow::Result;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use std::f64::consts::PI;

/// Which synthetic function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Function {
    TwoOfSix,
    AllSix,
    Branin,
    Hartmann6,
}

/// A synthetic function, its optimum placed by a seed where it has one to place.
pub struct Synthetic {
    function: Function,
    space: Space,
    /// The bowls' centre `c`.
    centre: [f64; 6],
}

impl Synthetic {
    /// `function`; the bowls' centre is drawn from `seed` (Branin and Hartmann are fixed).
    pub fn new(function: Function, seed: u64) -> Synthetic {
        let mut rng = StdRng::seed_from_u64(seed);
        let centre = std::array::from_fn(|_| rng.random_range(0.1..0.9));
        let dimensions = if function == Function::Branin { 2 } else { 6 };
        Synthetic { function, space: Space::unit(dimensions), centre }
    }

    /// The bowls' centre (the minimiser of the 2-of-6 and all-6 functions).
    pub fn centre(&self) -> [f64; 6] {
        self.centre
    }

    /// The regret `f(u) - f*`.
    pub fn regret(&self, u: &[f64]) -> f64 {
        let bowl =
            |w: &[f64; 6]| w.iter().zip(u).zip(&self.centre).map(|((w, u), c)| w * (u - c).powi(2)).sum();
        match self.function {
            Function::TwoOfSix => bowl(&[1.0, 1.0, 0.0, 0.0, 0.0, 0.0]),
            Function::AllSix => bowl(&[1.0 / 3.0; 6]),
            Function::Branin => branin(u) - BRANIN_MIN,
            Function::Hartmann6 => hartmann6(u) - HARTMANN6_MIN,
        }
    }
}

const BRANIN_MIN: f64 = 0.397_887_357_729_738;
const HARTMANN6_MIN: f64 = -3.322_368_011_391_339;

fn branin(u: &[f64]) -> f64 {
    let (x1, x2) = (15.0 * u[0] - 5.0, 15.0 * u[1]);
    let b = 5.1 / (4.0 * PI * PI);
    (x2 - b * x1 * x1 + 5.0 / PI * x1 - 6.0).powi(2) + 10.0 * (1.0 - 1.0 / (8.0 * PI)) * x1.cos() + 10.0
}

fn hartmann6(u: &[f64]) -> f64 {
    const ALPHA: [f64; 4] = [1.0, 1.2, 3.0, 3.2];
    const A: [[f64; 6]; 4] = [
        [10.0, 3.0, 17.0, 3.5, 1.7, 8.0],
        [0.05, 10.0, 17.0, 0.1, 8.0, 14.0],
        [3.0, 3.5, 1.7, 10.0, 17.0, 8.0],
        [17.0, 8.0, 0.05, 10.0, 0.1, 14.0],
    ];
    const P: [[f64; 6]; 4] = [
        [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
        [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
        [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
        [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
    ];
    -(0..4)
        .map(|k| ALPHA[k] * (-(0..6).map(|i| A[k][i] * (u[i] - P[k][i]).powi(2)).sum::<f64>()).exp())
        .sum::<f64>()
}

impl Objective for Synthetic {
    fn name(&self) -> String {
        match self.function {
            Function::TwoOfSix => "2-of-6 bowl",
            Function::AllSix => "all-6 bowl",
            Function::Branin => "Branin",
            Function::Hartmann6 => "Hartmann 6",
        }
        .to_string()
    }

    fn space(&self) -> &Space {
        &self.space
    }

    fn max_budget(&self) -> u64 {
        1
    }

    fn evaluate(&self, point: &[f64], budget: u64, _: u64) -> Result<Evaluation> {
        Ok(Evaluation { value: self.regret(point), cost: budget })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_known_minima_have_zero_regret() {
        let branin = Synthetic::new(Function::Branin, 0);
        for x in [(-PI, 12.275), (PI, 2.275), (9.42478, 2.475)] {
            let u = [(x.0 + 5.0) / 15.0, x.1 / 15.0];
            assert!(branin.regret(&u).abs() < 1e-5, "{x:?}: {}", branin.regret(&u));
        }
        let hartmann = Synthetic::new(Function::Hartmann6, 0);
        let u = [0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573];
        assert!(hartmann.regret(&u).abs() < 1e-5, "{}", hartmann.regret(&u));
        let bowl = Synthetic::new(Function::TwoOfSix, 3);
        let mut u = bowl.centre();
        assert_eq!(bowl.regret(&u), 0.0);
        u[4] = 0.0;
        assert_eq!(bowl.regret(&u), 0.0, "axes 3-6 do not matter");
        assert!(Synthetic::new(Function::AllSix, 3).regret(&u) > 0.0);
    }
}
