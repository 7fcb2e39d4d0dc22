//! Claim 2 at `--quick` size: the five models on the Stanford Sentiment Treebank after one
//! epoch at width 8. The published accuracies need many epochs and wider vectors (see the
//! README for the default run); here the test checks what one CPU epoch already shows.

use lecture_07_recursive::experiments::sst;
use lecture_07_recursive::model::ModelKind;
use shared::experiment::Run;

const CRATE: &str = "lecture-07-recursive";

#[test]
fn claim_tree_models_learn_sst_sentiment_in_one_epoch() {
    let run = Run::for_test(CRATE, 42);
    let outcome = sst::run(&run, &sst::Config::for_run(&run)).unwrap();
    let test = |kind| outcome.test(kind);
    // Measured (seed 42, flex, 500 test sentences): majority class 24.0%; fine-grained RNTN
    // 36.0%, MV-RNN 34.6%, Tree-LSTM 32.2%, RNN 28.6%, bag 17.4%; binary bag 78.2%, MV-RNN
    // 72.2%, RNTN 71.2%, Tree-LSTM 69.8%, RNN 62.6%. (An RNTN storing V unscaled stayed at
    // 22.0% / 54.0%: this test guards the scaling in src/rntn.rs.)
    for kind in [ModelKind::MvRnn, ModelKind::Rntn, ModelKind::TreeLstm] {
        assert!(
            test(kind).fine_root > outcome.majority_fine + 0.05,
            "{kind}: {:?} vs {}",
            test(kind),
            outcome.majority_fine
        );
        assert!(test(kind).binary_root > 0.62, "{kind}: {:?}", test(kind));
    }
    assert!(test(ModelKind::Bag).binary_root > 0.70, "{:?}", test(ModelKind::Bag));
    assert!(outcome.results.iter().all(|r| r.dev.len() == 1 && r.train_seconds > 0.0));
}
