//! [`Vocab`]: the mapping between tokens (characters or words) and integer ids.
//!
//! Id 0 is always `<unk>`, the token every unknown token maps to. The other ids follow the
//! tokens' counts in the text the vocabulary was built from, most frequent first (ties in
//! lexicographic order), so a vocabulary depends only on that text and the size limits.

use std::collections::HashMap;

/// The unknown token: id 0 of every vocabulary.
pub const UNK: &str = "<unk>";
/// The end-of-sentence token that word-level corpora put after every line.
pub const EOS: &str = "<eos>";

/// Limits on the size of a vocabulary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VocabLimits {
    /// Keep at most this many tokens, `<unk>` included (`None`: no limit).
    pub max_size: Option<usize>,
    /// Drop tokens seen fewer times than this.
    pub min_count: usize,
}

impl Default for VocabLimits {
    /// Every token seen at least once.
    fn default() -> Self {
        VocabLimits { max_size: None, min_count: 1 }
    }
}

/// A token <-> id mapping that always holds [`UNK`] at id 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vocab {
    tokens: Vec<String>,
    ids: HashMap<String, usize>,
}

impl Vocab {
    /// Builds the vocabulary of a training text's tokens, within `limits`.
    pub fn build<'a>(tokens: impl IntoIterator<Item = &'a str>, limits: VocabLimits) -> Vocab {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for token in tokens {
            *counts.entry(token).or_default() += 1;
        }
        counts.remove(UNK);
        let mut by_count: Vec<(&str, usize)> =
            counts.into_iter().filter(|&(_, count)| count >= limits.min_count).collect();
        by_count.sort_by(|(a, count_a), (b, count_b)| count_b.cmp(count_a).then(a.cmp(b)));
        let keep = limits.max_size.map_or(by_count.len(), |max| max.saturating_sub(1));
        let kept = by_count.into_iter().take(keep).map(|(token, _)| token);
        Vocab::from_tokens(std::iter::once(UNK).chain(kept))
    }

    /// A vocabulary holding `tokens` in this order of ids (`<unk>` first unless already listed).
    pub fn from_tokens<'a>(tokens: impl IntoIterator<Item = &'a str>) -> Vocab {
        let mut vocab = Vocab { tokens: Vec::new(), ids: HashMap::new() };
        for token in std::iter::once(UNK).chain(tokens) {
            if !vocab.ids.contains_key(token) {
                vocab.ids.insert(token.to_string(), vocab.tokens.len());
                vocab.tokens.push(token.to_string());
            }
        }
        vocab
    }

    /// The number of tokens, `<unk>` included.
    pub fn size(&self) -> usize {
        self.tokens.len()
    }

    /// The id of `<unk>` (always 0).
    pub fn unk_id(&self) -> usize {
        0
    }

    /// The id of `token`, or the id of `<unk>` when the vocabulary does not hold it.
    pub fn id(&self, token: &str) -> usize {
        self.ids.get(token).copied().unwrap_or(self.unk_id())
    }

    /// Whether the vocabulary holds `token`.
    pub fn contains(&self, token: &str) -> bool {
        self.ids.contains_key(token)
    }

    /// The token with id `id`, if there is one.
    pub fn token(&self, id: usize) -> Option<&str> {
        self.tokens.get(id).map(String::as_str)
    }

    /// All tokens, in the order of their ids.
    pub fn tokens(&self) -> &[String] {
        &self.tokens
    }

    /// The ids of `tokens`, unknown ones mapped to `<unk>`.
    pub fn encode<'a>(&self, tokens: impl IntoIterator<Item = &'a str>) -> Vec<usize> {
        tokens.into_iter().map(|token| self.id(token)).collect()
    }

    /// The tokens of `ids`; an id outside the vocabulary reads as `<unk>`.
    pub fn decode(&self, ids: &[usize]) -> Vec<&str> {
        ids.iter().map(|&id| self.token(id).unwrap_or(UNK)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn words(text: &str) -> Vec<&str> {
        text.split_whitespace().collect()
    }

    #[test]
    fn ids_follow_frequency_with_unk_first() {
        let vocab = Vocab::build(words("b a c a b a"), VocabLimits::default());
        assert_eq!(vocab.tokens(), &["<unk>", "a", "b", "c"]);
        assert_eq!(vocab.id("a"), 1);
        assert_eq!(vocab.unk_id(), 0);
    }

    #[test]
    fn unknown_tokens_map_to_unk() {
        let vocab = Vocab::build(words("x y"), VocabLimits::default());
        assert_eq!(vocab.encode(words("y zebra x")), vec![vocab.id("y"), 0, vocab.id("x")]);
        assert!(!vocab.contains("zebra"));
    }

    #[test]
    fn unk_in_the_text_is_not_duplicated() {
        let vocab = Vocab::build(words("<unk> <unk> a"), VocabLimits::default());
        assert_eq!(vocab.tokens(), &["<unk>", "a"]);
    }

    #[test]
    fn max_size_counts_unk_and_keeps_the_most_frequent() {
        let limits = VocabLimits { max_size: Some(3), min_count: 1 };
        let vocab = Vocab::build(words("a a a b b c d"), limits);
        assert_eq!(vocab.tokens(), &["<unk>", "a", "b"]);
        assert_eq!(Vocab::build(words("a"), VocabLimits { max_size: Some(0), min_count: 1 }).size(), 1);
    }

    #[test]
    fn min_count_drops_rare_tokens() {
        let vocab = Vocab::build(words("a a b c c c"), VocabLimits { max_size: None, min_count: 2 });
        assert_eq!(vocab.tokens(), &["<unk>", "c", "a"]);
    }

    #[test]
    fn ties_are_broken_alphabetically() {
        let vocab = Vocab::build(words("z m a"), VocabLimits::default());
        assert_eq!(vocab.tokens(), &["<unk>", "a", "m", "z"]);
    }

    #[test]
    fn decode_reads_out_of_range_ids_as_unk() {
        let vocab = Vocab::from_tokens(["a", "b"]);
        assert_eq!(vocab.decode(&[2, 1, 99]), vec!["b", "a", "<unk>"]);
    }

    proptest! {
        #[test]
        fn encode_then_decode_round_trips_known_tokens(text in "[a-e ]{0,40}") {
            let tokens = words(&text);
            let vocab = Vocab::build(tokens.iter().copied(), VocabLimits::default());
            prop_assert_eq!(vocab.decode(&vocab.encode(tokens.iter().copied())), tokens);
        }
    }
}
