//! The 2-D toy task of the Hessian experiments: a student net fits a random teacher net.
//!
//! ```text
//! x ~ N(0, I₂)                               [N, 2]
//! y = teacher(x),  teacher = 2 -> k tanh -> 1, weights N(0, scale² / fan_in), biases N(0, 0.1²)   [N, 1]
//! ```
//!
//! The task is realisable (a student with at least `k` hidden units can reach loss 0), so a
//! critical point's loss says how far it is from a global minimum.

use crate::flat_net::FlatNet;
use crate::landscape::{NetLandscape, rows_tensor};
use anyhow::Result;
use burn::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand_distr::{Distribution, Normal, StandardNormal};
use serde::Serialize;

/// The task's sizes.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct TeacherTask {
    pub points: usize,
    pub teacher_hidden: usize,
    /// The teacher's weight scale (`> 1` gives it curved, saturating units).
    pub teacher_scale: f64,
}

impl TeacherTask {
    /// Inputs `[N, 2]` and the teacher's outputs `[N, 1]`, from `seed`.
    pub fn sample(&self, seed: u64, device: &Device) -> Result<(Tensor<2>, Tensor<2>)> {
        let mut rng = StdRng::seed_from_u64(seed);
        let teacher = FlatNet::new(&[2, self.teacher_hidden, 1])?;
        let mut theta = teacher.init(self.teacher_scale, &mut rng);
        let bias = Normal::new(0.0, 0.1).expect("a finite spread");
        let first_bias = 2 * self.teacher_hidden..3 * self.teacher_hidden;
        theta[first_bias].iter_mut().for_each(|b| *b = bias.sample(&mut rng));
        let inputs: Vec<f64> = (0..self.points * 2).map(|_| StandardNormal.sample(&mut rng)).collect();
        let x = Tensor::<2>::from_data(TensorData::new(inputs, [self.points, 2]), device);
        let theta = rows_tensor(&[theta], device);
        let y = teacher.forward(theta, x.clone()).flatten::<2>(0, 1).detach();
        Ok((x, y))
    }

    /// The landscape of a `student` net (sizes starting at 2 and ending at 1) on this task.
    pub fn landscape(
        &self,
        student: FlatNet,
        weight_decay: f64,
        seed: u64,
        device: &Device,
    ) -> Result<NetLandscape> {
        let (x, y) = self.sample(seed, device)?;
        Ok(NetLandscape { net: student, x, y, weight_decay })
    }
}
