//! Claims 1, 2 (the headline) and 7 at `--quick` size, each beside its negative control. Each
//! test runs exactly the experiment the binary runs (`cargo run -p lecture-08-attention --
//! long-inputs --quick`), whose numbers are already medians of three repeats, or the quick
//! experiment at three seeds.

mod common;

use common::at_seeds;
use lecture_08_attention::attention::AttentionKind;
use lecture_08_attention::experiments::{attention_penalty, long_inputs};
use shared::experiment::Run;
use shared::stats::median_of;
use std::sync::OnceLock;

/// The long-inputs run (three models, three repeats each), shared by claims 1 and 2 and their
/// controls: it trains once per test binary.
fn long_inputs() -> &'static long_inputs::Outcome {
    static RUN: OnceLock<long_inputs::Outcome> = OnceLock::new();
    RUN.get_or_init(|| {
        let run = Run::for_test(common::CRATE, 7);
        long_inputs::run(&run, &long_inputs::Config::for_run(&run)).unwrap()
    })
}

/// Quick size: reversal, lengths 3-12, hidden 32, 400 steps, medians of three repeats.
/// Measured (flex, AVX-512): see the README's claims table.
#[test]
fn claim_attention_holds_up_on_long_inputs_where_the_fixed_context_collapses() {
    let outcome = long_inputs();
    let (additive, dot) = (outcome.of(AttentionKind::Additive), outcome.of(AttentionKind::Dot));
    assert!(additive.longest() > 0.7 && dot.longest() > 0.7, "{additive:?} {dot:?}");
    let none = outcome.of(AttentionKind::None);
    assert!(dot.longest().min(additive.longest()) > none.longest() + 0.4, "{none:?} {dot:?} {additive:?}");
}

/// Attention removed (the decoder reads the source only through the encoder's last state):
/// the same training collapses at the longest length, far below the attending models.
#[test]
fn control_attention_holds_up_on_long_inputs_where_the_fixed_context_collapses() {
    let outcome = long_inputs();
    let none = outcome.of(AttentionKind::None);
    assert!(none.longest() < 0.45, "{none:?}");
    assert!(none.shortest() - none.longest() > 0.3, "{none:?}");
}

/// Claim 2: the weights peak on the mirrored source digit (or its neighbour).
#[test]
fn claim_attention_weights_show_the_alignment() {
    let outcome = long_inputs();
    for kind in [AttentionKind::Additive, AttentionKind::Dot] {
        let result = outcome.of(kind);
        assert!(result.alignment.unwrap() > 0.8, "{result:?}");
    }
}

/// Training removed: the same models' weights at initialisation peak on the mirrored digit only
/// as often as chance allows, so the alignment is learnt, not built in.
#[test]
fn control_attention_weights_show_the_alignment() {
    let outcome = long_inputs();
    for kind in [AttentionKind::Additive, AttentionKind::Dot] {
        let result = outcome.of(kind);
        assert!(result.alignment_at_start.unwrap() < 0.5, "{result:?}");
    }
}

/// The spread (standard deviation over source positions) of the total attention each input
/// receives, below which the totals count as even.
const EVEN: f64 = 0.1;

fn penalty_runs() -> &'static [attention_penalty::Outcome] {
    static RUNS: OnceLock<Vec<attention_penalty::Outcome>> = OnceLock::new();
    RUNS.get_or_init(|| {
        at_seeds(|run| attention_penalty::run(run, &attention_penalty::Config::for_run(run)).unwrap())
    })
}

/// Quick size: sorting 3-8 digits, 400 steps, λ = 1, medians over three seeds.
#[test]
fn claim_the_attention_penalty_evens_out_total_attention_per_input() {
    let runs = penalty_runs();
    let (spread, accuracy) = (median_of(runs, |o| o.with.spread), median_of(runs, |o| o.with.accuracy));
    let accuracy_without = median_of(runs, |o| o.without.accuracy);
    assert!(spread < EVEN, "median spread with the penalty {spread}");
    assert!(
        accuracy > accuracy_without - 0.05,
        "the penalty costs little accuracy: {accuracy} vs {accuracy_without}"
    );
}

/// The penalty removed (λ = 0): the totals are far from even.
#[test]
fn control_the_attention_penalty_evens_out_total_attention_per_input() {
    let spread = median_of(penalty_runs(), |o| o.without.spread);
    assert!(spread > 1.5 * EVEN, "median spread without the penalty {spread}");
}
