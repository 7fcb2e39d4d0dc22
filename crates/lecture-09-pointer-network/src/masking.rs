//! Which positions the decoder may not point at next.
//!
//! ```text
//! forbidden_t(j) = j chosen at a step before t              (each input is used once)
//!               or j > n                                     (a class past the inputs)
//!               or j = STOP while the rule forbids stopping  (sort and tour: not before every
//!                                                            nameable input is chosen)
//! ```
//!
//! Positions are the models' output classes: 0 is STOP, `i + 1` is input `i`. A pointer network
//! has `n + 1` classes; the fixed-vocabulary baseline has `n_max + 1` whatever `n` is, so for
//! it the rule "every input chosen" means every input it can name.

use crate::tasks::{STOP, StopRule};

/// `forbidden: [classes]` before the next choice, given the positions `chosen` so far.
pub fn forbidden(rule: StopRule, chosen: &[usize], n: usize, classes: usize) -> Vec<bool> {
    let mut forbidden: Vec<bool> = (0..classes).map(|j| j > n).collect();
    for &j in chosen.iter().filter(|&&j| j != STOP && j < classes) {
        forbidden[j] = true;
    }
    let nameable = n.min(classes - 1);
    forbidden[STOP] = match rule {
        StopRule::AfterAll => chosen.len() < nameable,
        StopRule::AfterFirst => chosen.is_empty(),
    };
    forbidden
}

/// The masks of teacher forcing: `[batch, time, classes]` for the true answers
/// `targets: [batch, time]` (the decoder at step `t` has chosen `targets[.., ..t]`).
pub fn teacher_forced(rule: StopRule, targets: &[i64], time: usize, n: usize, classes: usize) -> Vec<bool> {
    targets
        .chunks_exact(time)
        .flat_map(|row| {
            let chosen: Vec<usize> = row.iter().map(|&j| j as usize).collect();
            (0..time).flat_map(move |t| forbidden(rule, &chosen[..t], n, classes))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chosen_inputs_and_classes_past_n_are_forbidden() {
        // n = 3, 6 classes: STOP, inputs 1-3, and two classes with no input behind them
        let mask = forbidden(StopRule::AfterAll, &[2], 3, 6);
        assert_eq!(mask, [true, false, true, false, true, true]);
        assert_eq!(forbidden(StopRule::AfterAll, &[2, 1, 3], 3, 4), [false, true, true, true]);
    }

    #[test]
    fn a_hull_may_stop_after_its_first_vertex_a_fixed_vocabulary_once_it_has_named_all_it_can() {
        assert!(forbidden(StopRule::AfterFirst, &[], 4, 5)[STOP]);
        assert!(!forbidden(StopRule::AfterFirst, &[3], 4, 5)[STOP]);
        // 8 inputs, but only classes 1-3 exist: after choosing all three it may stop
        assert!(!forbidden(StopRule::AfterAll, &[1, 2, 3], 8, 4)[STOP]);
    }

    #[test]
    fn teacher_forcing_forbids_what_the_true_prefix_chose() {
        let mask = teacher_forced(StopRule::AfterAll, &[2, 1, 0], 3, 2, 3);
        assert_eq!(mask, [true, false, false, true, false, true, false, true, true]);
    }
}
