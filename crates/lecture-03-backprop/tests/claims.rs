//! The lecture's claims at quick size, each beside its negative control.

use lecture_03_backprop::experiments::{bptt, chain_rule, checkpointing, cost_scaling};
use shared::experiment::Run;
use shared::stats::median_of;
use std::sync::OnceLock;

const CRATE: &str = "lecture-03-backprop";
/// Seeds of the trained experiment (claim 2); its median decides.
const SEEDS: [u64; 3] = [1, 2, 42];

/// The slope of `log y` against `log x` between the first and the last point: 1 for y ∝ x,
/// 0.5 for y ∝ √x, 0 for a constant.
fn growth_exponent(points: &[(f64, f64)]) -> f64 {
    let (first, last) = (points[0], points[points.len() - 1]);
    (last.1 / first.1).ln() / (last.0 / first.0).ln()
}

// --- claim 1: the chain rule in reverse topological order -------------------------------------

fn chain_rule() -> &'static chain_rule::Outcome {
    static RUN: OnceLock<chain_rule::Outcome> = OnceLock::new();
    RUN.get_or_init(|| {
        let run = Run::for_test(CRATE, 42);
        chain_rule::run(&run, &chain_rule::Config::for_run(&run)).unwrap()
    })
}

#[test]
fn claim_backpropagation_is_the_chain_rule_in_reverse_topological_order() {
    for a in [&chain_rule().mlp, &chain_rule().rnn] {
        assert!(
            a.reverse_vs_burn < chain_rule::EQUAL_TO_BURN,
            "{}: {:.2e} from burn's",
            a.model,
            a.reverse_vs_burn
        );
        assert!(
            a.reverse_vs_finite_differences < chain_rule::EQUAL_TO_FINITE_DIFFERENCES,
            "{}: {:.2e} from finite differences",
            a.model,
            a.reverse_vs_finite_differences
        );
    }
}

/// Control: the same backward pass over the nodes in forward topological order leaves most of
/// every gradient behind.
#[test]
fn control_backpropagation_is_the_chain_rule_in_reverse_topological_order() {
    for a in [&chain_rule().mlp, &chain_rule().rnn] {
        assert!(
            a.forward_order_vs_burn > 0.5,
            "{}: forward order only {:.2e} from burn's",
            a.model,
            a.forward_order_vs_burn
        );
    }
}

// --- claim 2: a value used T times gets the sum of T shares -----------------------------------

fn bptt() -> &'static Vec<bptt::Outcome> {
    static RUN: OnceLock<Vec<bptt::Outcome>> = OnceLock::new();
    RUN.get_or_init(|| {
        Run::at_test_seeds(CRATE, &SEEDS, |run| bptt::run(run, &bptt::Config::for_run(run)).unwrap())
    })
}

#[test]
fn claim_the_shared_weight_gets_the_sum_of_its_uses() {
    for outcome in bptt() {
        assert_eq!(outcome.step_norms.len(), 10, "one share per time step");
        assert_eq!(outcome.sum_minus_gradient, 0.0, "the shares add up to the gradient exactly");
        assert!(
            outcome.gradient_vs_burn < chain_rule::EQUAL_TO_BURN,
            "vs burn: {:.2e}",
            outcome.gradient_vs_burn
        );
    }
    let mse = median_of(bptt(), |o| o.test_mse);
    assert!(mse < 0.12, "the RNN trained by BPTT beats predicting 1 (0.167): median test MSE {mse:.3}");
}

/// Control: keeping one use's share only (what storing instead of adding would do) is far
/// from the gradient, whichever step is kept.
#[test]
fn control_the_shared_weight_gets_the_sum_of_its_uses() {
    let best = median_of(bptt(), |o| o.best_single_step_vs_burn);
    assert!(best > 0.3, "the closest single step's share is only {best:.3} from the gradient");
}

// --- claim 3: reverse mode's cost does not grow with the parameters; forward mode's does ------

fn cost() -> &'static cost_scaling::Outcome {
    static RUN: OnceLock<cost_scaling::Outcome> = OnceLock::new();
    RUN.get_or_init(|| {
        let run = Run::for_test(CRATE, 42);
        cost_scaling::run(&run, &cost_scaling::Config::for_run(&run)).unwrap()
    })
}

fn passes(f: fn(&cost_scaling::Point) -> f64) -> Vec<(f64, f64)> {
    cost().points.iter().map(|p| (p.parameters as f64, f(p))).collect()
}

#[test]
fn claim_reverse_mode_costs_a_few_forward_passes_at_any_size() {
    let reverse = passes(|p| p.reverse_passes);
    assert!(reverse.iter().all(|(_, r)| *r <= cost_scaling::REVERSE_MODE_BOUND), "{reverse:?}");
    let exponent = growth_exponent(&reverse);
    assert!(exponent < 0.1, "reverse mode's cost grows as parameters^{exponent:.2}: {reverse:?}");
}

/// Control: forward mode, the same derivatives without the reverse sweep, costs a pass per
/// parameter: linear growth.
#[test]
fn control_reverse_mode_costs_a_few_forward_passes_at_any_size() {
    let forward = passes(|p| p.forward_mode_passes);
    let exponent = growth_exponent(&forward);
    assert!(exponent > 0.9, "forward mode's cost grows as parameters^{exponent:.2}: {forward:?}");
    assert!(forward.iter().all(|(_, f)| *f > cost_scaling::REVERSE_MODE_BOUND), "{forward:?}");
}

// --- claim 4: checkpointing keeps BPTT's memory near √T for one extra forward pass -------------

fn checkpointing() -> &'static checkpointing::Outcome {
    static RUN: OnceLock<checkpointing::Outcome> = OnceLock::new();
    RUN.get_or_init(|| {
        let run = Run::for_test(CRATE, 42);
        checkpointing::run(&run, &checkpointing::Config::for_run(&run)).unwrap()
    })
}

fn peaks(f: fn(&checkpointing::Point) -> u64) -> Vec<(f64, f64)> {
    checkpointing().points.iter().map(|p| (p.time as f64, f(p) as f64)).collect()
}

#[test]
fn claim_checkpointing_keeps_memory_near_root_t() {
    let checkpointed = peaks(|p| p.checkpointed.peak_bytes);
    let exponent = growth_exponent(&checkpointed);
    assert!(exponent < 0.6, "checkpointed memory grows as T^{exponent:.2}: {checkpointed:?}");
    for p in &checkpointing().points {
        let recomputed = p.checkpointed.forward_flops as f64 / p.kept.forward_flops as f64;
        assert!(recomputed <= 2.05, "T = {}: {recomputed:.2} forward passes, more than one extra", p.time);
    }
}

/// Control: keeping every node, the memory grows linearly with T.
#[test]
fn control_checkpointing_keeps_memory_near_root_t() {
    let kept = peaks(|p| p.kept.peak_bytes);
    let exponent = growth_exponent(&kept);
    assert!(exponent > 0.9, "kept memory grows as T^{exponent:.2}: {kept:?}");
}
