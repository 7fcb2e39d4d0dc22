//! The REINFORCE claim at `--quick` size over three seeds, beside its negative control: reversal
//! of 3-8 digits, 100 teacher-forced steps, then 300 steps of REINFORCE (or of teacher forcing).

mod common;

use common::at_seeds;
use lecture_08_attention::experiments::reinforce;
use shared::stats::median_of;

/// The three quick runs, each sample rewarded for its own output or for another row's target.
fn accuracies(unrelated_rewards: bool) -> Vec<reinforce::Accuracies> {
    at_seeds(|run| {
        let config = reinforce::Config { unrelated_rewards, ..reinforce::Config::for_run(run) };
        reinforce::run(run, &config).unwrap().accuracy
    })
}

#[test]
fn claim_reinforce_improves_a_model_from_a_sequence_level_reward() {
    let runs = accuracies(false);
    let (before, after) = (median_of(&runs, |a| a.pretrained), median_of(&runs, |a| a.reinforce));
    let forced = median_of(&runs, |a| a.teacher_forcing);
    assert!(after > before + 0.05, "median accuracy {before} -> REINFORCE {after}");
    assert!(forced > after, "the per-token signal is richer: teacher forcing {forced} vs {after}");
}

/// The reward's information removed (each sample scored against another row's target): no gain.
#[test]
fn control_reinforce_improves_a_model_from_a_sequence_level_reward() {
    let runs = accuracies(true);
    let (before, after) = (median_of(&runs, |a| a.pretrained), median_of(&runs, |a| a.reinforce));
    assert!(after < before + 0.02, "median accuracy {before} -> REINFORCE on unrelated rewards {after}");
}
