//! Synthetic sentences whose sentiment hangs on structure: negation and "but".
//!
//! ```text
//! sentence := clause | clause (but clause)        "but": the second clause decides
//! clause   := (det noun) (verb phrase)
//! phrase   := adjective | not adjective            "not" flips the adjective
//! ```
//!
//! Every node is labelled like SST: positive phrases 3, negative 1, everything without an
//! opinion (the, movie, is, not, but) 2. For example
//!
//! ```text
//! (3 (1 (2 (2 the) (2 plot)) (1 (2 was) (1 (2 not) (3 clever))))
//!    (3 (2 but) (3 (2 (2 this) (2 cast)) (3 (2 is) (3 (2 not) (1 dull))))))
//! ```
//!
//! A bag of words sees `{not, clever, not, dull, ...}` for this sentence and for its opposite
//! ("not dull ... but ... not clever"); only a model that follows the tree can tell them apart.
//! Adjectives in [`HELD_OUT_NEGATIONS`] never appear negated in the training sentences, so the
//! probe "not X" on them asks whether a model learned negation as an operation.

use rand::RngExt;
use rand::rngs::StdRng;
use shared::data::Tree;
use shared::data::synthetic::seeded_rng;

/// Positive adjectives (label 3).
pub const POSITIVE: [&str; 6] = ["good", "great", "fun", "clever", "moving", "charming"];
/// Negative adjectives (label 1).
pub const NEGATIVE: [&str; 6] = ["bad", "dull", "awful", "boring", "silly", "weak"];
/// Adjectives never negated in training sentences ([`Split::Train`]).
pub const HELD_OUT_NEGATIONS: [&str; 2] = ["clever", "boring"];

const DETERMINERS: [&str; 3] = ["the", "this", "that"];
const NOUNS: [&str; 6] = ["movie", "film", "plot", "acting", "story", "cast"];
const VERBS: [&str; 3] = ["is", "was", "seems"];

/// Label of a positive / negative / neutral phrase.
pub const POSITIVE_LABEL: u8 = 3;
pub const NEGATIVE_LABEL: u8 = 1;
pub const NEUTRAL_LABEL: u8 = 2;

/// Which sentences to draw: training sentences avoid [`HELD_OUT_NEGATIONS`] after "not".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    Train,
    Test,
}

/// How often each construction appears.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct Mix {
    /// Probability that a clause's adjective is negated.
    pub negate: f64,
    /// Probability that a sentence is two clauses joined by "but".
    pub but: f64,
}

impl Default for Mix {
    /// Half the clauses negated, half the sentences contrastive.
    fn default() -> Self {
        Mix { negate: 0.5, but: 0.5 }
    }
}

fn leaf(word: &str, label: u8) -> Tree {
    Tree::Leaf { label, word: word.to_string() }
}

fn node(label: u8, left: Tree, right: Tree) -> Tree {
    Tree::Node { label, left: Box::new(left), right: Box::new(right) }
}

/// The label of an adjective (`None` for a word that is not one of ours).
pub fn adjective_label(word: &str) -> Option<u8> {
    if POSITIVE.contains(&word) {
        Some(POSITIVE_LABEL)
    } else if NEGATIVE.contains(&word) {
        Some(NEGATIVE_LABEL)
    } else {
        None
    }
}

/// The opposite polarity label.
fn flip(label: u8) -> u8 {
    4 - label
}

/// `adjective` alone or `(not adjective)`, labelled; `None` for an unknown adjective.
pub fn adjective_phrase(adjective: &str, negated: bool) -> Option<Tree> {
    let label = adjective_label(adjective)?;
    let word = leaf(adjective, label);
    Some(if negated { node(flip(label), leaf("not", NEUTRAL_LABEL), word) } else { word })
}

fn pick<'a>(rng: &mut StdRng, words: &[&'a str]) -> &'a str {
    words[rng.random_range(0..words.len())]
}

fn clause(rng: &mut StdRng, mix: &Mix, split: Split) -> Tree {
    let positive = rng.random_bool(0.5);
    let adjective = pick(rng, if positive { &POSITIVE } else { &NEGATIVE });
    let negated =
        rng.random_bool(mix.negate) && !(split == Split::Train && HELD_OUT_NEGATIONS.contains(&adjective));
    let phrase = adjective_phrase(adjective, negated).expect("our own adjectives have labels");
    let label = phrase.label();
    let subject = node(
        NEUTRAL_LABEL,
        leaf(pick(rng, &DETERMINERS), NEUTRAL_LABEL),
        leaf(pick(rng, &NOUNS), NEUTRAL_LABEL),
    );
    let predicate = node(label, leaf(pick(rng, &VERBS), NEUTRAL_LABEL), phrase);
    node(label, subject, predicate)
}

/// One sentence: a clause, or `clause (but clause)` labelled by the second clause.
pub fn sentence(rng: &mut StdRng, mix: &Mix, split: Split) -> Tree {
    let first = clause(rng, mix, split);
    if !rng.random_bool(mix.but) {
        return first;
    }
    let second = clause(rng, mix, split);
    let label = second.label();
    node(label, first, node(label, leaf("but", NEUTRAL_LABEL), second))
}

/// `n` sentences drawn from `seed`.
pub fn negation_trees(n: usize, mix: &Mix, split: Split, seed: u64) -> Vec<Tree> {
    let mut rng = seeded_rng(seed);
    (0..n).map(|_| sentence(&mut rng, mix, split)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_follow_negation_and_but() {
        let phrase = adjective_phrase("good", true).unwrap();
        assert_eq!(phrase.to_string(), "(1 (2 not) (3 good))");
        assert_eq!(adjective_phrase("dull", false).unwrap().to_string(), "(1 dull)");
        assert!(adjective_phrase("purple", false).is_none());
        for tree in negation_trees(200, &Mix::default(), Split::Test, 1) {
            let leaves = tree.leaves();
            // The deciding clause is the last one: its last word and whether "not" precedes it.
            let adjective = leaves[leaves.len() - 1];
            let negated = leaves[leaves.len() - 2] == "not";
            let label = adjective_label(adjective).unwrap();
            assert_eq!(tree.label(), if negated { flip(label) } else { label }, "{tree}");
            assert_eq!(leaves.contains(&"but"), leaves.len() > 5, "{tree}");
        }
    }

    #[test]
    fn training_sentences_never_negate_the_held_out_adjectives() {
        let mix = Mix { negate: 1.0, but: 0.5 };
        let negated_held_out = |split| {
            negation_trees(300, &mix, split, 2).iter().any(|t| {
                let words = t.leaves();
                words.windows(2).any(|w| w[0] == "not" && HELD_OUT_NEGATIONS.contains(&w[1]))
            })
        };
        assert!(!negated_held_out(Split::Train));
        assert!(negated_held_out(Split::Test));
    }

    #[test]
    fn the_same_seed_gives_the_same_sentences() {
        let mix = Mix::default();
        assert_eq!(negation_trees(5, &mix, Split::Train, 9), negation_trees(5, &mix, Split::Train, 9));
        assert_ne!(negation_trees(5, &mix, Split::Train, 9), negation_trees(5, &mix, Split::Train, 10));
    }
}
