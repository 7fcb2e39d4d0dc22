//! Text corpora for language models: tokenisation into characters or words, and [`Corpus`],
//! a vocabulary with training, validation and test token-id sequences.
//!
//! Word level follows Mikolov's PTB setup: each non-blank line is a sentence, split at
//! whitespace, followed by the end-of-sentence token [`EOS`].

use super::error::{DataError, Origin, Place};
use super::gzip::{decompress_if_gzip, read_maybe_gzip};
use super::vocab::{EOS, Vocab, VocabLimits};
use std::path::Path;

/// What one token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Level {
    /// One Unicode character.
    Char,
    /// One whitespace-separated word, plus `<eos>` at the end of each line.
    Word,
}

/// The characters of `text`, each as a one-character string slice.
pub fn char_tokens(text: &str) -> impl Iterator<Item = &str> {
    text.char_indices().map(|(start, c)| &text[start..start + c.len_utf8()])
}

/// The words of each non-blank line of `text`, each line followed by `<eos>`.
pub fn word_tokens(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .flat_map(|line| line.split_whitespace().chain(std::iter::once(EOS)))
}

/// The tokens of `text` at `level`.
pub fn tokenize(text: &str, level: Level) -> Vec<&str> {
    match level {
        Level::Char => char_tokens(text).collect(),
        Level::Word => word_tokens(text).collect(),
    }
}

/// The most bytes a `--corpus` file may hold, on disk or decompressed: 64 MiB, far more than a
/// CPU-sized language model reads, and what keeps `--corpus /dev/zero` from exhausting memory.
pub const MAX_CORPUS_BYTES: u64 = 64 << 20;

/// The fractions of a text (by position) that [`Corpus::from_text`] gives to training and
/// validation; the test split gets the rest.
pub const TRAIN_FRACTION: f64 = 0.90;
/// See [`TRAIN_FRACTION`].
pub const VALID_FRACTION: f64 = 0.05;

/// A tokenised text: its vocabulary and the token ids of its three splits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Corpus {
    pub train: Vec<usize>,
    pub valid: Vec<usize>,
    pub test: Vec<usize>,
    pub vocab: Vocab,
    pub level: Level,
}

const TINY_SHAKESPEARE: (&str, &[u8]) =
    ("tinyshakespeare/input.txt.gz", include_bytes!("../tinyshakespeare/input.txt.gz"));

const BROWN: [(&str, &[u8]); 3] = [
    ("brown-ptb-style/brown.train.txt.gz", include_bytes!("../brown-ptb-style/brown.train.txt.gz")),
    ("brown-ptb-style/brown.valid.txt.gz", include_bytes!("../brown-ptb-style/brown.valid.txt.gz")),
    ("brown-ptb-style/brown.test.txt.gz", include_bytes!("../brown-ptb-style/brown.test.txt.gz")),
];

impl Corpus {
    /// tiny-shakespeare (1,115,394 characters, 65 distinct) at character level, split 90/5/5.
    pub fn tiny_shakespeare_chars() -> Result<Corpus, DataError> {
        let (name, bytes) = TINY_SHAKESPEARE;
        let origin = Origin::Embedded(name);
        let raw = decompress_if_gzip(bytes, &origin)?;
        Corpus::from_text(utf8(&raw, &origin)?, Level::Char, &origin)
    }

    /// The Brown corpus in PTB style at word level: its own train/valid/test files, the
    /// vocabulary (about 10,000 words with `<unk>` and `<eos>`) built from the training file.
    pub fn brown_words() -> Result<Corpus, DataError> {
        let [train, valid, test] = BROWN.map(|(name, bytes)| {
            let origin = Origin::Embedded(name);
            decompress_if_gzip(bytes, &origin).and_then(|raw| Ok(utf8(&raw, &origin)?.to_string()))
        });
        let (train, valid, test) = (train?, valid?, test?);
        let vocab = Vocab::build(word_tokens(&train), VocabLimits::default());
        Ok(Corpus {
            train: vocab.encode(word_tokens(&train)),
            valid: vocab.encode(word_tokens(&valid)),
            test: vocab.encode(word_tokens(&test)),
            vocab,
            level: Level::Word,
        })
    }

    /// A user's text file (UTF-8, optionally gzipped) at `level`, split 90/5/5 by position.
    ///
    /// An error naming the file when it is not a regular file, holds more than
    /// [`MAX_CORPUS_BYTES`], is not UTF-8, or has too few tokens (an empty file has none).
    pub fn from_text_file(path: &Path, level: Level) -> Result<Corpus, DataError> {
        let origin = Origin::file(path);
        let bytes = read_maybe_gzip(path, MAX_CORPUS_BYTES)?;
        Corpus::from_text(utf8(&bytes, &origin)?, level, &origin)
    }

    /// Tokenises `text` at `level` and splits the token sequence by position: the first 90%
    /// for training, the next 5% for validation, the last 5% for testing. The vocabulary
    /// holds every token of the whole text (as char-rnn does).
    pub fn from_text(text: &str, level: Level, origin: &Origin) -> Result<Corpus, DataError> {
        let tokens = tokenize(text, level);
        if tokens.is_empty() {
            return Err(DataError::new(origin, Place::Whole, "the text is empty (no tokens)"));
        }
        let train_end = (tokens.len() as f64 * TRAIN_FRACTION) as usize;
        let valid_end = (tokens.len() as f64 * (TRAIN_FRACTION + VALID_FRACTION)) as usize;
        if train_end == 0 || valid_end == train_end || valid_end == tokens.len() {
            let message = format!(
                "the text has only {} tokens: too few to give each of the 90/5/5 splits one",
                tokens.len()
            );
            return Err(DataError::new(origin, Place::Whole, message));
        }
        let vocab = Vocab::build(tokens.iter().copied(), VocabLimits::default());
        let ids = vocab.encode(tokens);
        Ok(Corpus {
            train: ids[..train_end].to_vec(),
            valid: ids[train_end..valid_end].to_vec(),
            test: ids[valid_end..].to_vec(),
            vocab,
            level,
        })
    }

    /// The text of `ids`: characters concatenated, or words joined by spaces.
    pub fn decode(&self, ids: &[usize]) -> String {
        let tokens = self.vocab.decode(ids);
        match self.level {
            Level::Char => tokens.concat(),
            Level::Word => tokens.join(" "),
        }
    }
}

/// `bytes` as UTF-8 text, or an error at the first byte that is not valid UTF-8.
pub fn utf8<'a>(bytes: &'a [u8], origin: &Origin) -> Result<&'a str, DataError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        DataError::new(origin, Place::Byte(offset), format!("not UTF-8 text (byte 0x{:02x})", bytes[offset]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    #[test]
    fn char_tokens_are_unicode_characters() {
        assert_eq!(char_tokens("aé b").collect::<Vec<_>>(), vec!["a", "é", " ", "b"]);
    }

    #[test]
    fn word_tokens_end_each_non_blank_line_with_eos() {
        let tokens: Vec<&str> = word_tokens(" the cat \n\n  sat  down\n").collect();
        assert_eq!(tokens, vec!["the", "cat", "<eos>", "sat", "down", "<eos>"]);
    }

    #[test]
    fn from_text_splits_by_position_90_5_5() {
        let text = "abcdefghijklmnopqrst"; // 20 characters
        let corpus = Corpus::from_text(text, Level::Char, &Origin::Inline).unwrap();
        assert_eq!(corpus.decode(&corpus.train), "abcdefghijklmnopqr");
        assert_eq!(corpus.decode(&corpus.valid), "s");
        assert_eq!(corpus.decode(&corpus.test), "t");
    }

    #[test]
    fn word_corpus_decodes_back_to_words() {
        let text = "a b c d e f g h i\nj k l m n o p q r s\n"; // 19 words + 2 <eos>
        let corpus = Corpus::from_text(text, Level::Word, &Origin::Inline).unwrap();
        assert_eq!(corpus.train.len() + corpus.valid.len() + corpus.test.len(), 21);
        assert_eq!(corpus.decode(&corpus.valid), "r");
        assert_eq!(corpus.decode(&corpus.test), "s <eos>");
    }

    #[test]
    fn tiny_shakespeare_has_its_known_size_and_alphabet() {
        let corpus = Corpus::tiny_shakespeare_chars().unwrap();
        let total = corpus.train.len() + corpus.valid.len() + corpus.test.len();
        assert_eq!(total, 1_115_394);
        assert_eq!(corpus.vocab.size(), 65 + 1, "65 symbols plus <unk>");
        assert_eq!(corpus.train.len(), 1_003_854);
        assert!(corpus.decode(&corpus.train[..14]).starts_with("First Citizen:"));
        assert!(!corpus.train.contains(&corpus.vocab.unk_id()));
    }

    #[test]
    fn brown_has_a_ten_thousand_word_vocabulary_from_train() {
        let corpus = Corpus::brown_words().unwrap();
        // 9,926 distinct tokens in the training file (`<unk>` among them), plus `<eos>`.
        assert_eq!(corpus.vocab.size(), 9_927);
        assert!(corpus.vocab.contains("<eos>") && corpus.vocab.contains("the"));
        // 860,972 words in 45,727 sentences, each followed by <eos>.
        assert_eq!(corpus.train.len(), 860_972 + 45_727);
        assert!((70_000..100_000).contains(&corpus.valid.len()));
        assert!((78_000..100_000).contains(&corpus.test.len()));
        let eos = corpus.vocab.id("<eos>");
        assert_eq!(*corpus.train.last().unwrap(), eos);
    }

    #[test]
    fn missing_file_is_an_error_naming_it() {
        let error = Corpus::from_text_file(Path::new("/no/such/corpus.txt"), Level::Char).unwrap_err();
        assert!(error.to_string().starts_with("/no/such/corpus.txt: cannot read file"), "{error}");
    }

    #[test]
    fn a_corpus_that_is_no_regular_file_empty_or_too_large_is_an_error_naming_it() {
        let error = Corpus::from_text_file(Path::new("/dev/zero"), Level::Char).unwrap_err();
        assert_eq!(error.to_string(), "/dev/zero: not a regular file");
        let dir = std::env::temp_dir().join(format!("shared-text-corpus-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let empty = dir.join("empty.txt");
        std::fs::write(&empty, b"").unwrap();
        let error = Corpus::from_text_file(&empty, Level::Word).unwrap_err().to_string();
        assert_eq!(error, format!("{}: the text is empty (no tokens)", empty.display()));
        // A sparse file: one byte over the limit, none of it read.
        let huge = dir.join("huge.txt");
        std::fs::File::create(&huge).unwrap().set_len(MAX_CORPUS_BYTES + 1).unwrap();
        let error = Corpus::from_text_file(&huge, Level::Char).unwrap_err().to_string();
        assert!(
            error.starts_with(&format!("{}: the file has 67108865 bytes, more than", huge.display())),
            "{error}"
        );
        assert!(error.contains("(64 MiB)"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn invalid_utf8_names_the_byte_offset() {
        let path = std::env::temp_dir().join(format!("shared-text-test-{}.txt", std::process::id()));
        std::fs::write(&path, b"hello \xff world").unwrap();
        let error = Corpus::from_text_file(&path, Level::Word).unwrap_err().to_string();
        std::fs::remove_file(&path).unwrap();
        assert!(error.contains(&format!("{}: byte offset 6: not UTF-8", path.display())), "{error}");
    }

    #[test]
    fn empty_and_blank_texts_are_errors() {
        let error = Corpus::from_text("", Level::Char, &Origin::Embedded("e.txt")).unwrap_err();
        assert_eq!(error.to_string(), "embedded e.txt: the text is empty (no tokens)");
        assert!(Corpus::from_text(" \n \n", Level::Word, &Origin::Inline).is_err());
    }

    #[test]
    fn texts_too_short_to_split_are_errors() {
        let error = Corpus::from_text("abcdefghi", Level::Char, &Origin::Inline).unwrap_err();
        assert!(error.to_string().contains("only 9 tokens"), "{error}");
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_give_ok_or_err(bytes in proptest::collection::vec(any::<u8>(), 0..100)) {
            if let Ok(text) = utf8(&bytes, &Origin::Inline) {
                let _ = Corpus::from_text(text, Level::Char, &Origin::Inline);
                let _ = Corpus::from_text(text, Level::Word, &Origin::Inline);
            }
        }

        #[test]
        fn char_corpus_round_trips_and_loses_nothing(text in "\\PC{20,60}") {
            let corpus = Corpus::from_text(&text, Level::Char, &Origin::Inline).unwrap();
            let whole = [corpus.train.clone(), corpus.valid.clone(), corpus.test.clone()].concat();
            prop_assert_eq!(corpus.decode(&whole), text.clone());
            let symbols: HashSet<char> = text.chars().collect();
            prop_assert_eq!(corpus.vocab.size(), symbols.len() + 1);
        }
    }
}
