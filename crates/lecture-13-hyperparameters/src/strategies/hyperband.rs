//! Hyperband (Li, Jamieson, DeSalvo, Rostamizadeh and Talwalkar 2017): random configurations,
//! most of them stopped early by successive halving.
//!
//! ```text
//! R = the largest budget, η = 3, s_max = ⌊log_η R⌋
//! for s = s_max, ..., 0:                                   one bracket per s
//!     n = ⌈(s_max + 1) η^s / (s + 1)⌉ configurations,  r = R η^-s      (r ≥ 1)
//!     draw n uniform configurations
//!     for i = 0..s:                                        successive halving
//!         train each of the n_i = ⌊n η^-i⌋ survivors with budget r_i = r η^i
//!         keep the best ⌊n_i / η⌋
//! ```
//!
//! The brackets trade breadth for depth: `s = s_max` tries many configurations at a tiny budget,
//! `s = 0` is plain random search at `R`. A trial at a larger budget trains from scratch (no
//! checkpoint is resumed), so every trial costs its budget. With `early_stopping` off, every
//! configuration of a bracket trains to `R` (the claim-4 control): the same configurations
//! without the halving.

use super::random::uniform_point;
use crate::strategy::SearchStrategy;
use crate::trial::{History, Request};
use anyhow::{Result, ensure};
use rand::rngs::StdRng;

/// One bracket's plan: its configurations and the rung reached.
struct Bracket {
    s: u32,
    n: usize,
    r: u64,
    /// The surviving configurations, best first after a rung.
    alive: Vec<Vec<f64>>,
    /// The rung asked for last (`None`: none yet).
    rung: Option<u32>,
}

/// Hyperband over `dimensions` unit axes with largest budget `max_budget`.
pub struct Hyperband {
    dimensions: usize,
    max_budget: u64,
    eta: u64,
    s_max: u32,
    early_stopping: bool,
    /// The brackets still to start, largest `s` first.
    next_s: Option<u32>,
    current: Option<Bracket>,
}

impl Hyperband {
    /// Hyperband with `R = max_budget` and `η = eta`; `early_stopping` false trains every
    /// configuration to `R`.
    pub fn new(dimensions: usize, max_budget: u64, eta: u64, early_stopping: bool) -> Result<Hyperband> {
        ensure!(eta >= 2, "η must be at least 2, got {eta}");
        ensure!(max_budget >= 1, "the largest budget must be at least 1");
        let mut s_max = 0;
        while eta.checked_pow(s_max + 1).is_some_and(|p| p <= max_budget) {
            s_max += 1;
        }
        Ok(Hyperband {
            dimensions,
            max_budget,
            eta,
            s_max,
            early_stopping,
            next_s: Some(s_max),
            current: None,
        })
    }

    /// `(n, r)` of bracket `s`.
    pub fn bracket(&self, s: u32) -> (usize, u64) {
        let n = ((self.s_max + 1) as f64 * (self.eta as f64).powi(s as i32) / (s + 1) as f64).ceil() as usize;
        (n, (self.max_budget / self.eta.pow(s)).max(1))
    }

    /// Total configurations and total cost (in budget units) of one full Hyperband run.
    pub fn plan(&self) -> (usize, u64) {
        let (mut configurations, mut cost) = (0, 0);
        for s in 0..=self.s_max {
            let (n, r) = self.bracket(s);
            configurations += n;
            cost += if self.early_stopping {
                (0..=s).map(|i| (n / self.eta.pow(i) as usize) as u64 * r * self.eta.pow(i)).sum::<u64>()
            } else {
                n as u64 * self.max_budget
            };
        }
        (configurations, cost)
    }

    /// The next rung of the current bracket, after keeping the best of the last rung's results.
    fn next_rung(&mut self, history: &History) -> Option<Vec<Request>> {
        let eta = self.eta;
        let early_stopping = self.early_stopping;
        let bracket = self.current.as_mut()?;
        let rung = bracket.rung.map_or(0, |i| i + 1);
        if rung > bracket.s || (!early_stopping && rung > 0) {
            return None;
        }
        if rung > 0 {
            let last = &history.trials[history.len() - bracket.alive.len()..];
            let mut ranked: Vec<_> = last.iter().collect();
            ranked.sort_by(|a, b| a.value.total_cmp(&b.value));
            let keep = bracket.n / eta.pow(rung) as usize;
            bracket.alive = ranked.into_iter().take(keep).map(|t| t.point.clone()).collect();
            if bracket.alive.is_empty() {
                return None;
            }
        }
        bracket.rung = Some(rung);
        let budget = if early_stopping { bracket.r * eta.pow(rung) } else { self.max_budget };
        Some(bracket.alive.iter().map(|point| Request { point: point.clone(), budget }).collect())
    }
}

impl SearchStrategy for Hyperband {
    fn name(&self) -> String {
        if self.early_stopping {
            "Hyperband".to_string()
        } else {
            "Hyperband without early stopping".to_string()
        }
    }

    fn ask(&mut self, history: &History, rng: &mut StdRng) -> Result<Vec<Request>> {
        loop {
            if let Some(requests) = self.next_rung(history) {
                return Ok(requests);
            }
            let Some(s) = self.next_s else { return Ok(Vec::new()) };
            self.next_s = s.checked_sub(1);
            let (n, r) = self.bracket(s);
            let alive = (0..n).map(|_| uniform_point(self.dimensions, rng)).collect();
            self.current = Some(Bracket { s, n, r, alive, rung: None });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_brackets_of_r_27_follow_the_paper() {
        let hyperband = Hyperband::new(2, 27, 3, true).unwrap();
        let brackets: Vec<_> = (0..=3).rev().map(|s| hyperband.bracket(s)).collect();
        assert_eq!(brackets, [(27, 1), (12, 3), (6, 9), (4, 27)]);
        // 27·1 + 9·3 + 3·9 + 1·27, 12·3 + 4·9 + 1·27, 6·9 + 2·27, 4·27
        assert_eq!(hyperband.plan(), (49, 108 + 99 + 108 + 108));
        assert_eq!(Hyperband::new(2, 27, 3, false).unwrap().plan(), (49, 49 * 27));
    }
}
