//! Timing a workload: warm-up steps, then `runs` timed runs of `steps` steps each.
//!
//! A run's speed is `steps / seconds`; the benchmark reports the median over runs (robust to
//! one run disturbed by another process), with the minimum and maximum beside it. The device
//! is synchronised at the end of every run, so a lazy backend's queued work is inside the time.

use super::Workload;
use anyhow::{Context, Result, bail, ensure};
use burn::prelude::Device;
use shared_report::stats::median;
use std::time::Instant;

/// How many steps to run untimed, and how many timed runs of how many steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Protocol {
    pub warmup: usize,
    pub runs: usize,
    pub steps: usize,
}

/// The speed of each timed run, in steps per second.
#[derive(Clone, Debug, PartialEq)]
pub struct Measurement {
    pub runs: Vec<f64>,
}

impl Measurement {
    /// Median steps per second over the runs.
    pub fn median_steps_per_s(&self) -> f64 {
        median(&self.runs)
    }

    /// Milliseconds per step at the median speed.
    pub fn median_ms_per_step(&self) -> f64 {
        1000.0 / self.median_steps_per_s()
    }

    /// The slowest run's steps per second.
    pub fn min_steps_per_s(&self) -> f64 {
        self.runs.iter().copied().fold(f64::INFINITY, f64::min)
    }

    /// The fastest run's steps per second.
    pub fn max_steps_per_s(&self) -> f64 {
        self.runs.iter().copied().fold(f64::NEG_INFINITY, f64::max)
    }
}

/// Times `workload` on `device` under `protocol`.
///
/// Fails when the protocol asks for no runs or no steps, or when a loss is not finite (a
/// workload that diverges is not measuring what it claims).
pub fn measure(workload: &mut dyn Workload, device: &Device, protocol: Protocol) -> Result<Measurement> {
    ensure!(protocol.runs > 0, "at least one timed run is needed (got --runs 0)");
    ensure!(protocol.steps > 0, "at least one step per run is needed (got --steps 0)");
    for _ in 0..protocol.warmup {
        workload.step();
    }
    let mut runs = Vec::with_capacity(protocol.runs);
    for run in 0..protocol.runs {
        let start = Instant::now();
        let mut loss = 0.0;
        for _ in 0..protocol.steps {
            loss = workload.step();
        }
        device.sync().context("the device failed to synchronise after a timed run")?;
        let seconds = start.elapsed().as_secs_f64();
        if !loss.is_finite() {
            bail!("{}: loss is {loss} after timed run {}", workload.name(), run + 1);
        }
        runs.push(protocol.steps as f64 / seconds);
    }
    Ok(Measurement { runs })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A workload that takes a fixed time per step and reports a scripted loss.
    struct Sleeper {
        millis: u64,
        loss: f32,
        steps: usize,
    }

    impl Workload for Sleeper {
        fn name(&self) -> &'static str {
            "sleeper"
        }
        fn description(&self) -> &'static str {
            "sleeps"
        }
        fn step(&mut self) -> f32 {
            self.steps += 1;
            std::thread::sleep(std::time::Duration::from_millis(self.millis));
            self.loss
        }
    }

    #[test]
    fn runs_warmup_and_timed_steps_and_reports_steps_per_second() {
        let device = burn::prelude::Device::flex();
        let mut sleeper = Sleeper { millis: 5, loss: 1.0, steps: 0 };
        let protocol = Protocol { warmup: 2, runs: 3, steps: 4 };
        let m = measure(&mut sleeper, &device, protocol).unwrap();
        assert_eq!(sleeper.steps, 2 + 3 * 4);
        assert_eq!(m.runs.len(), 3);
        // 5 ms a step: at most 200 steps/s, and well above 20 on any machine.
        for speed in &m.runs {
            assert!((20.0..=200.0).contains(speed), "{speed} steps/s");
        }
        assert!(m.min_steps_per_s() <= m.median_steps_per_s());
        assert!(m.median_steps_per_s() <= m.max_steps_per_s());
        assert!((m.median_ms_per_step() - 1000.0 / m.median_steps_per_s()).abs() < 1e-9);
    }

    #[test]
    fn bad_protocols_and_diverging_losses_are_errors() {
        let device = burn::prelude::Device::flex();
        let mut sleeper = Sleeper { millis: 0, loss: 1.0, steps: 0 };
        let no_runs = Protocol { warmup: 0, runs: 0, steps: 1 };
        assert!(measure(&mut sleeper, &device, no_runs).unwrap_err().to_string().contains("--runs"));
        let no_steps = Protocol { warmup: 0, runs: 1, steps: 0 };
        assert!(measure(&mut sleeper, &device, no_steps).unwrap_err().to_string().contains("--steps"));
        let mut diverged = Sleeper { millis: 0, loss: f32::NAN, steps: 0 };
        let err = measure(&mut diverged, &device, Protocol { warmup: 0, runs: 1, steps: 1 }).unwrap_err();
        assert!(err.to_string().contains("sleeper: loss is NaN"), "{err}");
    }
}
