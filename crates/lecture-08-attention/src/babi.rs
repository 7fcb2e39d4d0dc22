//! Generated bAbI-style stories (after Weston et al. 2015's tasks 1 and 2), each sentence exactly
//! four words so that a story is a plain `[stories, sentences, 4]` array of word ids.
//!
//! ```text
//! task 1, single supporting fact:        task 2, two supporting facts:
//!   mary went to kitchen                   john went to garden
//!   john moved to office                   john picked up football
//!   mary travelled to garden               mary moved to office
//!   where is mary ?        -> garden       john went to kitchen
//!                                          where is football ?  -> kitchen
//! ```
//!
//! Task 1: a person's location is the place of their latest move (one supporting sentence).
//! Task 2: an object is wherever the person who picked it up went last (two supporting
//! sentences: the pick-up, then that person's latest move). Every story has the same number of
//! sentences; the question is always about someone or something the story mentions, and the
//! answer is one of the six places (a uniform guess scores 1/6).

use anyhow::{Result, ensure};
use burn::prelude::*;
use rand::RngExt;
use rand::seq::IndexedRandom;
use shared::data::synthetic::{int_tensor, seeded_rng};

/// Every word of the stories; a word's id is its index.
pub const WORDS: [&str; 23] = [
    "mary",
    "john",
    "sandra",
    "daniel", // people 0-3
    "bathroom",
    "hallway",
    "kitchen",
    "office",
    "garden",
    "bedroom", // places 4-9
    "football",
    "apple",
    "milk", // objects 10-12
    "went",
    "moved",
    "travelled",
    "journeyed", // moves 13-16
    "to",
    "picked",
    "up",
    "where",
    "is",
    "?",
];
/// Words in the vocabulary.
pub const VOCAB: usize = WORDS.len();
/// Words per sentence (and per question).
pub const SENTENCE: usize = 4;
/// A uniform guess among the six places.
pub const CHANCE: f64 = 1.0 / 6.0;

const PEOPLE: std::ops::Range<i64> = 0..4;
const PLACES: std::ops::Range<i64> = 4..10;
const OBJECTS: std::ops::Range<i64> = 10..13;
const MOVES: std::ops::Range<i64> = 13..17;
const TO: i64 = 17;
const PICKED: i64 = 18;
const UP: i64 = 19;
const WHERE: i64 = 20;
const IS: i64 = 21;
const QUESTION_MARK: i64 = 22;

/// Which question the stories ask.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum BabiTask {
    /// Where is a person? One supporting fact.
    SingleFact,
    /// Where is an object? Two supporting facts.
    TwoFacts,
}

/// A batch of stories with their questions and answers.
#[derive(Clone, Debug, PartialEq)]
pub struct Stories {
    /// `[batch, sentences, 4]` word ids.
    pub story: Vec<i64>,
    /// `[batch, 4]` word ids.
    pub question: Vec<i64>,
    /// `[batch]`: the answer's word id (a place).
    pub answer: Vec<i64>,
    /// `[batch]`: the sentences that answer the question (one for task 1, two for task 2).
    pub supporting: Vec<Vec<usize>>,
    pub batch: usize,
    pub sentences: usize,
}

/// `batch` stories of `sentences` sentences for `task`.
pub fn stories(task: BabiTask, batch: usize, sentences: usize, seed: u64) -> Result<Stories> {
    ensure!(batch >= 1, "a batch of stories needs at least one story");
    let least = if task == BabiTask::SingleFact { 1 } else { 2 };
    ensure!(sentences >= least, "{task:?} stories need at least {least} sentences, got {sentences}");
    let mut rng = seeded_rng(seed);
    let mut out = Stories {
        story: Vec::with_capacity(batch * sentences * SENTENCE),
        question: Vec::with_capacity(batch * SENTENCE),
        answer: Vec::with_capacity(batch),
        supporting: Vec::with_capacity(batch),
        batch,
        sentences,
    };
    for _ in 0..batch {
        let (story, question, answer, supporting) = loop {
            if let Some(generated) = one_story(task, sentences, &mut rng) {
                break generated;
            }
        };
        out.story.extend(story);
        out.question.extend(question);
        out.answer.push(answer);
        out.supporting.push(supporting);
    }
    Ok(out)
}

type Story = (Vec<i64>, [i64; SENTENCE], i64, Vec<usize>);

/// One story, or `None` when the random draw asks nothing answerable (the caller draws again).
fn one_story(task: BabiTask, sentences: usize, rng: &mut impl RngExt) -> Option<Story> {
    let mut words = Vec::with_capacity(sentences * SENTENCE);
    let mut last_move: [Option<(usize, i64)>; 4] = [None; 4]; // per person: (sentence, place)
    let mut holder: [Option<(usize, usize)>; 3] = [None; 3]; // per object: (sentence, person)
    for s in 0..sentences {
        let person = rng.random_range(PEOPLE) as usize;
        let free: Vec<usize> = (0..3).filter(|&o| holder[o].is_none()).collect();
        let pick = task == BabiTask::TwoFacts
            && last_move[person].is_some()
            && !free.is_empty()
            && rng.random_bool(0.35);
        if pick {
            let object = *free.choose(rng)?;
            holder[object] = Some((s, person));
            words.extend([person as i64, PICKED, UP, OBJECTS.start + object as i64]);
        } else {
            let place = rng.random_range(PLACES);
            last_move[person] = Some((s, place));
            words.extend([person as i64, rng.random_range(MOVES), TO, place]);
        }
    }
    match task {
        BabiTask::SingleFact => {
            let known: Vec<usize> = (0..4).filter(|&p| last_move[p].is_some()).collect();
            let person = *known.choose(rng)?;
            let (sentence, place) = last_move[person]?;
            Some((words, [WHERE, IS, person as i64, QUESTION_MARK], place, vec![sentence]))
        }
        BabiTask::TwoFacts => {
            let held: Vec<usize> = (0..3).filter(|&o| holder[o].is_some()).collect();
            let object = *held.choose(rng)?;
            let (picked_at, person) = holder[object]?;
            let (moved_at, place) = last_move[person]?;
            let question = [WHERE, IS, OBJECTS.start + object as i64, QUESTION_MARK];
            Some((words, question, place, vec![picked_at, moved_at]))
        }
    }
}

impl Stories {
    /// The stories as a `[batch, sentences, 4]` tensor.
    pub fn story_tensor(&self, device: &Device) -> Result<Tensor<3, Int>> {
        int_tensor(&self.story, [self.batch, self.sentences, SENTENCE], device)
    }

    /// The questions as a `[batch, 4]` tensor.
    pub fn question_tensor(&self, device: &Device) -> Result<Tensor<2, Int>> {
        int_tensor(&self.question, [self.batch, SENTENCE], device)
    }

    /// The answers as a `[batch]` tensor.
    pub fn answer_tensor(&self, device: &Device) -> Result<Tensor<1, Int>> {
        int_tensor(&self.answer, [self.batch], device)
    }

    /// Story `i` and its question as text, one sentence a line.
    pub fn text(&self, i: usize) -> String {
        let sentence = |ids: &[i64]| ids.iter().map(|&w| WORDS[w as usize]).collect::<Vec<_>>().join(" ");
        let story = &self.story[i * self.sentences * SENTENCE..(i + 1) * self.sentences * SENTENCE];
        let mut lines: Vec<String> = story.chunks(SENTENCE).map(sentence).collect();
        lines.push(format!(
            "{} -> {}",
            sentence(&self.question[i * SENTENCE..(i + 1) * SENTENCE]),
            WORDS[self.answer[i] as usize]
        ));
        lines.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers a story by reading it, the slow obvious way.
    fn answer(s: &Stories, i: usize) -> i64 {
        let story: Vec<&[i64]> =
            s.story[i * s.sentences * SENTENCE..(i + 1) * s.sentences * SENTENCE].chunks(SENTENCE).collect();
        let asked = s.question[i * SENTENCE + 2];
        let person = if PEOPLE.contains(&asked) {
            asked
        } else {
            story.iter().find(|w| w[1] == PICKED && w[3] == asked).expect("the object was picked up")[0]
        };
        story.iter().rev().find(|w| w[0] == person && MOVES.contains(&w[1])).expect("the person moved")[3]
    }

    #[test]
    fn answers_and_supporting_facts_follow_from_the_story() {
        for task in [BabiTask::SingleFact, BabiTask::TwoFacts] {
            let s = stories(task, 200, 6, 3).unwrap();
            for i in 0..s.batch {
                assert_eq!(s.answer[i], answer(&s, i), "{task:?}:\n{}", s.text(i));
                assert!(PLACES.contains(&s.answer[i]));
                let facts = &s.supporting[i];
                assert_eq!(facts.len(), if task == BabiTask::SingleFact { 1 } else { 2 });
                let last_fact = s.story[(i * s.sentences + facts[facts.len() - 1]) * SENTENCE + 3];
                assert_eq!(last_fact, s.answer[i], "the last supporting sentence names the place");
            }
        }
    }

    #[test]
    fn the_docs_vocabulary_and_shapes_hold() {
        assert_eq!(WORDS[PLACES.start as usize], "bathroom");
        assert_eq!(WORDS[QUESTION_MARK as usize], "?");
        let s = stories(BabiTask::TwoFacts, 3, 5, 1).unwrap();
        assert_eq!(s.story.len(), 3 * 5 * SENTENCE);
        assert!(s.text(0).contains("where is"));
        assert_eq!(s, stories(BabiTask::TwoFacts, 3, 5, 1).unwrap());
        assert_ne!(s, stories(BabiTask::TwoFacts, 3, 5, 2).unwrap());
    }

    #[test]
    fn too_short_stories_are_errors() {
        assert!(stories(BabiTask::TwoFacts, 2, 1, 0).is_err());
        assert!(stories(BabiTask::SingleFact, 0, 4, 0).is_err());
    }
}
