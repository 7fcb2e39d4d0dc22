//! The divergence guard: a NaN or infinite loss ends the run with a message, not garbage.
//!
//! Once a loss is NaN every later step is NaN too, and the weights are already destroyed; going
//! on only wastes time and writes meaningless curves. [`ensure_finite`] turns that moment into a
//! [`Diverged`] error that the binary reports and exits non-zero on.

use std::fmt;

/// A training run whose monitored value stopped being a finite number.
#[derive(Clone, Debug, PartialEq)]
pub struct Diverged {
    /// The step at which the value was first non-finite.
    pub step: u64,
    /// What was monitored, e.g. "loss".
    pub name: String,
    /// The offending value: NaN, +inf or -inf.
    pub value: f64,
}

impl fmt::Display for Diverged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "training diverged at step {}: {} is {} (try a smaller learning rate, gradient \
             clipping, or another seed)",
            self.step, self.name, self.value
        )
    }
}

impl std::error::Error for Diverged {}

/// Returns `value` if it is finite, else a [`Diverged`] error naming `name` and `step`.
pub fn ensure_finite(step: u64, name: &str, value: f64) -> Result<f64, Diverged> {
    if value.is_finite() { Ok(value) } else { Err(Diverged { step, name: name.to_string(), value }) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finite_values_pass_through() {
        assert_eq!(ensure_finite(3, "loss", 0.25), Ok(0.25));
        assert_eq!(ensure_finite(3, "loss", -1e30), Ok(-1e30));
    }

    #[test]
    fn nan_and_infinity_stop_the_run_with_a_clear_message() {
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let err = ensure_finite(17, "loss", bad).unwrap_err();
            assert_eq!(err.step, 17);
            let message = err.to_string();
            assert!(message.contains("diverged at step 17"), "{message}");
            assert!(message.contains("loss is"), "{message}");
        }
    }

    #[test]
    fn a_training_loop_stops_at_the_first_bad_step() {
        // A toy "training" whose loss blows up: x <- 3x overflows f32 after ~80 steps.
        let mut loss = 1.0f32;
        let mut stopped_at = None;
        for step in 0..200u64 {
            loss *= 3.0;
            if let Err(err) = ensure_finite(step, "loss", f64::from(loss)) {
                stopped_at = Some(err.step);
                break;
            }
        }
        let step = stopped_at.expect("the guard must stop a diverging run");
        assert!((79..=81).contains(&step), "f32 overflows near 3^80, stopped at {step}");
    }
}
