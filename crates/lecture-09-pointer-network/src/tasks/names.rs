//! A toy translation task whose sentences carry names, the case for copying (See et al. 2017).
//!
//! English-like sentences from a few templates are translated word for word, with reordering,
//! into a toy French; names pass through unchanged:
//!
//! ```text
//! source  kelu gave the key to dabori .        target  kelu a donné la clé à dabori .
//! source  dabori was seen by kelu .            target  kelu a vu dabori .
//! ```
//!
//! The names come from a fixed pool of made-up words, split three ways: **known** names (in the
//! models' vocabulary), **rare** training names (out of the vocabulary: the input reads them as
//! UNK, and only copying can write them) and **test** names, which never occur in training and
//! are out of the vocabulary too. A model with a fixed vocabulary has no word for a rare or test
//! name; one that copies from the source needs none.
//!
//! Word ids: PAD, BOS, EOS, UNK, the template words, the known names (the first
//! [`NamesTask::vocabulary`] ids: what a model can generate), then the rare and test names (the
//! extended ids only a copy can produce).

use anyhow::{Result, ensure};
use rand::RngExt;
use rand::rngs::StdRng;
use serde::Serialize;
use shared::data::synthetic::seeded_rng;
use std::collections::HashMap;

pub const PAD: usize = 0;
pub const BOS: usize = 1;
pub const EOS: usize = 2;
pub const UNK: usize = 3;
const SPECIALS: [&str; 4] = ["<pad>", "<bos>", "<eos>", "<unk>"];

/// Source and target templates: `A`, `B` are names, `O` an object (translated by [`OBJECTS`]).
const TEMPLATES: [(&str, &str); 9] = [
    ("hello , my name is A .", "bonjour , je m'appelle A ."),
    ("A met B yesterday .", "hier A a rencontré B ."),
    ("did A call B ?", "est-ce que A a appelé B ?"),
    ("A and B are friends .", "A et B sont amis ."),
    ("A gave the O to B .", "A a donné la O à B ."),
    ("the O of A is here .", "la O de A est ici ."),
    ("B was seen by A .", "A a vu B ."),
    ("where is A ?", "où est A ?"),
    ("A wants the O , says B .", "B dit que A veut la O ."),
];

/// Objects and their translations.
const OBJECTS: [(&str, &str); 8] = [
    ("book", "livre"),
    ("pen", "plume"),
    ("key", "clé"),
    ("car", "voiture"),
    ("cat", "chatte"),
    ("map", "carte"),
    ("letter", "lettre"),
    ("phone", "radio"),
];

/// The name pool's seed: the pool is part of the task, the same in every run.
const POOL_SEED: u64 = 0x6e61_6d65;
const CONSONANTS: [char; 14] = ['b', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z'];
const VOWELS: [char; 5] = ['a', 'e', 'i', 'o', 'u'];

/// Sizes of the name pool.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct NamePool {
    pub known: usize,
    pub rare: usize,
    pub test: usize,
}

/// Which names a sentence draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameSplit {
    /// Known and rare names (training).
    Train,
    /// Only the test names, never seen in training.
    Test,
}

/// The task: its word list and where each kind of word lives in it.
#[derive(Clone, Debug)]
pub struct NamesTask {
    /// Every word, by id (the extended vocabulary).
    pub words: Vec<String>,
    ids: HashMap<String, usize>,
    /// Ids `first_name..first_name + known + rare + test` are names, in that order.
    first_name: usize,
    pub pool: NamePool,
}

/// A batch of sentence pairs, padded.
///
/// ```text
/// source          [batch, source_time]   extended ids, PAD after each sentence
/// source_lengths  [batch]
/// decoder_input   [batch, time]          BOS + target, as the model reads it (OOV -> UNK)
/// targets         [batch, time]          target + EOS, extended ids, PAD after
/// weights         [batch, time]          1 on target words and EOS
/// ```
#[derive(Clone, Debug)]
pub struct NamesBatch {
    pub batch: usize,
    pub source_time: usize,
    pub time: usize,
    pub source: Vec<i64>,
    pub source_lengths: Vec<usize>,
    pub decoder_input: Vec<i64>,
    pub targets: Vec<i64>,
    pub weights: Vec<f32>,
}

impl NamesTask {
    /// The task with a pool of `pool` names (made up, distinct from every template word).
    pub fn new(pool: NamePool) -> Result<NamesTask> {
        let total = pool.known + pool.rare + pool.test;
        ensure!(
            pool.known + pool.rare >= 1 && pool.test >= 1,
            "the names task needs training and test names"
        );
        let mut words: Vec<String> = SPECIALS.iter().map(|w| w.to_string()).collect();
        let template_words = TEMPLATES
            .iter()
            .flat_map(|(s, t)| s.split(' ').chain(t.split(' ')))
            .filter(|w| !["A", "B", "O"].contains(w))
            .chain(OBJECTS.iter().flat_map(|(s, t)| [*s, *t]));
        for word in template_words {
            if !words.iter().any(|w| w == word) {
                words.push(word.to_string());
            }
        }
        let first_name = words.len();
        let mut rng = seeded_rng(POOL_SEED);
        while words.len() < first_name + total {
            let name = made_up_name(&mut rng);
            if !words.contains(&name) {
                words.push(name);
            }
        }
        let ids = words.iter().enumerate().map(|(i, w)| (w.clone(), i)).collect();
        Ok(NamesTask { words, ids, first_name, pool })
    }

    /// Ids a model can generate: specials, template words and known names.
    pub fn vocabulary(&self) -> usize {
        self.first_name + self.pool.known
    }

    /// All ids, rare and test names included.
    pub fn extended(&self) -> usize {
        self.words.len()
    }

    /// The names of `split` as ids.
    pub fn names(&self, split: NameSplit) -> std::ops::Range<usize> {
        let train_end = self.first_name + self.pool.known + self.pool.rare;
        match split {
            NameSplit::Train => self.first_name..train_end,
            NameSplit::Test => train_end..self.extended(),
        }
    }

    /// Whether `id` is a name.
    pub fn is_name(&self, id: usize) -> bool {
        id >= self.first_name
    }

    /// `id` as a model reads it: itself in the vocabulary, else UNK.
    pub fn readable(&self, id: usize) -> usize {
        if id < self.vocabulary() { id } else { UNK }
    }

    /// `ids` as text.
    pub fn text(&self, ids: &[usize]) -> String {
        ids.iter().map(|&i| self.words[i].as_str()).collect::<Vec<_>>().join(" ")
    }

    /// One sentence pair as ids, with names from `split`.
    pub fn pair(&self, split: NameSplit, rng: &mut StdRng) -> (Vec<usize>, Vec<usize>) {
        let (source, target) = TEMPLATES[rng.random_range(0..TEMPLATES.len())];
        let names = self.names(split);
        let a = rng.random_range(names.clone());
        let b = loop {
            let b = rng.random_range(names.clone());
            if b != a {
                break b;
            }
        };
        let (object, translation) = OBJECTS[rng.random_range(0..OBJECTS.len())];
        let fill = |template: &str, o: &str| {
            template
                .split(' ')
                .map(|w| match w {
                    "A" => a,
                    "B" => b,
                    "O" => self.ids[o],
                    word => self.ids[word],
                })
                .collect()
        };
        (fill(source, object), fill(target, translation))
    }

    /// `batch` pairs with names from `split`, drawn from `seed`.
    pub fn batch(&self, split: NameSplit, batch: usize, seed: u64) -> NamesBatch {
        let mut rng = seeded_rng(seed);
        let pairs: Vec<_> = (0..batch).map(|_| self.pair(split, &mut rng)).collect();
        let source_time = pairs.iter().map(|p| p.0.len()).max().unwrap_or(1);
        let time = pairs.iter().map(|p| p.1.len()).max().unwrap_or(0) + 1;
        let mut out = NamesBatch {
            batch,
            source_time,
            time,
            source: vec![PAD as i64; batch * source_time],
            source_lengths: pairs.iter().map(|p| p.0.len()).collect(),
            decoder_input: vec![PAD as i64; batch * time],
            targets: vec![PAD as i64; batch * time],
            weights: vec![0.0; batch * time],
        };
        for (b, (source, target)) in pairs.iter().enumerate() {
            for (s, &w) in source.iter().enumerate() {
                out.source[b * source_time + s] = w as i64;
            }
            let row = b * time;
            out.decoder_input[row] = BOS as i64;
            for (t, &w) in target.iter().enumerate() {
                out.decoder_input[row + t + 1] = self.readable(w) as i64;
                out.targets[row + t] = w as i64;
            }
            out.targets[row + target.len()] = EOS as i64;
            out.weights[row..row + target.len() + 1].fill(1.0);
        }
        out
    }
}

impl NamesBatch {
    /// Row `b` of the source, without padding.
    pub fn source_row(&self, b: usize) -> Vec<usize> {
        let row = &self.source[b * self.source_time..b * self.source_time + self.source_lengths[b]];
        row.iter().map(|&w| w as usize).collect()
    }

    /// Row `b` of the targets up to (without) EOS.
    pub fn target_row(&self, b: usize) -> Vec<usize> {
        let row = &self.targets[b * self.time..(b + 1) * self.time];
        row.iter().take_while(|&&w| w as usize != EOS).map(|&w| w as usize).collect()
    }
}

/// Two or three consonant-vowel syllables, e.g. "kelu", "dabori".
fn made_up_name(rng: &mut StdRng) -> String {
    let syllables = rng.random_range(2..=3);
    (0..syllables)
        .flat_map(|_| {
            [CONSONANTS[rng.random_range(0..CONSONANTS.len())], VOWELS[rng.random_range(0..VOWELS.len())]]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task() -> NamesTask {
        NamesTask::new(NamePool { known: 20, rare: 20, test: 20 }).unwrap()
    }

    #[test]
    fn test_names_never_occur_in_training_sentences() {
        let task = task();
        let test = task.names(NameSplit::Test);
        let batch = task.batch(NameSplit::Train, 200, 1);
        assert!(batch.source.iter().chain(&batch.targets).all(|&w| !test.contains(&(w as usize))));
        let test_batch = task.batch(NameSplit::Test, 50, 2);
        for b in 0..50 {
            let names: Vec<usize> =
                test_batch.target_row(b).into_iter().filter(|&w| task.is_name(w)).collect();
            assert!(!names.is_empty() && names.iter().all(|w| test.contains(w)));
        }
    }

    #[test]
    fn names_pass_through_and_are_read_as_unk_out_of_the_vocabulary() {
        let task = task();
        let batch = task.batch(NameSplit::Test, 30, 3);
        for b in 0..30 {
            let mut source: Vec<usize> =
                batch.source_row(b).into_iter().filter(|&w| task.is_name(w)).collect();
            let mut target: Vec<usize> =
                batch.target_row(b).into_iter().filter(|&w| task.is_name(w)).collect();
            source.sort_unstable();
            target.sort_unstable();
            assert_eq!(source, target);
            let row = &batch.decoder_input[b * batch.time..(b + 1) * batch.time];
            assert!(row.iter().all(|&w| (w as usize) < task.vocabulary()));
        }
        assert_eq!(task.readable(task.names(NameSplit::Test).start), UNK);
    }

    #[test]
    fn the_pool_is_fixed_and_its_names_are_distinct_from_template_words() {
        let (a, b) = (task(), task());
        assert_eq!(a.words, b.words);
        let mut sorted = a.words.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), a.words.len());
        assert_eq!(a.extended(), a.vocabulary() + 40);
    }
}
