//! Claim 2 at `--quick` size: the five models on the Stanford Sentiment Treebank after one
//! epoch at width 8. The published accuracies need many epochs and wider vectors (see the
//! README for the default run); here the test checks what one CPU epoch already shows, beside
//! its control: the bag of vectors (composition replaced by the mean), trained the same way.
//! The experiment trains every model once per test binary ([`OnceLock`]).

use lecture_07_recursive::experiments::sst;
use lecture_07_recursive::model::ModelKind;
use shared::experiment::Run;
use shared::stats::median;
use std::sync::OnceLock;

const CRATE: &str = "lecture-07-recursive";

/// One trajectory must not decide a claim: the experiment runs at these seeds.
const SEEDS: [u64; 3] = [42, 43, 44];

fn outcomes() -> &'static [sst::Outcome] {
    static RUNS: OnceLock<Vec<sst::Outcome>> = OnceLock::new();
    RUNS.get_or_init(|| {
        SEEDS
            .iter()
            .map(|&seed| {
                let run = Run::for_test(CRATE, seed);
                sst::run(&run, &sst::Config::for_run(&run)).unwrap()
            })
            .collect()
    })
}

/// The median over the seeds of `kind`'s fine-grained and binary root accuracy, and of the
/// majority class's fine-grained accuracy.
fn medians(kind: ModelKind) -> (f64, f64, f64) {
    let of = |value: &dyn Fn(&sst::Outcome) -> f64| median(&outcomes().iter().map(value).collect::<Vec<_>>());
    (of(&|o| o.test(kind).fine_root), of(&|o| o.test(kind).binary_root), of(&|o| o.majority_fine))
}

/// Measured (seed 42, flex, 500 test sentences): majority class 24.0%; fine-grained MV-RNN
/// 37.0%, Tree-LSTM 34.8%, RNTN 29.6%, RNN 27.8%; binary MV-RNN 80.3%, Tree-LSTM 67.4%, RNTN
/// 63.3%, RNN 56.8%. (An RNTN storing V unscaled stayed at 22.0% / 54.0%: this test guards the
/// scaling in src/rntn.rs.)
#[test]
fn claim_tree_models_learn_sst_sentiment_in_one_epoch() {
    for kind in [ModelKind::MvRnn, ModelKind::Rntn, ModelKind::TreeLstm] {
        let (fine, binary, majority) = medians(kind);
        assert!(fine > majority + 0.05, "{kind}: fine-grained {fine} vs majority {majority}");
        assert!(binary > 0.62, "{kind}: binary {binary}");
    }
    assert!(outcomes().iter().all(|o| o.results.iter().all(|r| r.dev.len() == 1)));
}

/// Composition replaced by the mean: the bag of vectors reaches 18.0% fine-grained (seed 42),
/// below the majority class (24.0%) and so far from the claim's majority + 5 points. (Its
/// binary accuracy, 79.9%, is high: polarity words alone carry the binary task, the tree
/// carries the five classes.)
#[test]
fn control_tree_models_learn_sst_sentiment_in_one_epoch() {
    let (fine, binary, majority) = medians(ModelKind::Bag);
    assert!(fine < majority, "bag: fine-grained {fine} vs majority {majority}");
    assert!(binary > 0.70, "the bag trained: binary {binary}");
}
