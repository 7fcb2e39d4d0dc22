//! The word-level text the experiments read: the Brown corpus (PTB style, shipped with
//! `shared`) or the user's `--corpus` file, cut to a training prefix and a vocabulary of the
//! most frequent words so that a small run stays small.

use anyhow::{Context, Result, ensure};
use shared::data::{Corpus, Level, Vocab, VocabLimits};
use shared::experiment::Run;

/// Brown (or `--corpus`) at word level with at most `train_tokens` training tokens,
/// `eval_tokens` validation and test tokens, and the `vocab_size` most frequent training words
/// (`<unk>` included; the rest read as `<unk>`).
pub fn word_corpus(run: &Run, train_tokens: usize, eval_tokens: usize, vocab_size: usize) -> Result<Corpus> {
    let corpus = match &run.corpus {
        Some(path) => Corpus::from_text_file(path, Level::Word)
            .with_context(|| format!("reading the --corpus file {}", path.display()))?,
        None => Corpus::brown_words().context("reading the embedded Brown corpus")?,
    };
    shrink(&corpus, train_tokens, eval_tokens, vocab_size)
}

/// `corpus` with its splits cut to the given lengths and its vocabulary rebuilt from the kept
/// training tokens, limited to `vocab_size` words.
pub fn shrink(corpus: &Corpus, train_tokens: usize, eval_tokens: usize, vocab_size: usize) -> Result<Corpus> {
    ensure!(vocab_size >= 2, "a vocabulary needs at least <unk> and one word, got size {vocab_size}");
    let cut = |ids: &[usize], n: usize| -> Vec<String> {
        corpus.vocab.decode(&ids[..n.min(ids.len())]).into_iter().map(str::to_string).collect()
    };
    let (train, valid, test) =
        (cut(&corpus.train, train_tokens), cut(&corpus.valid, eval_tokens), cut(&corpus.test, eval_tokens));
    let vocab = Vocab::build(
        train.iter().map(String::as_str),
        VocabLimits { max_size: Some(vocab_size), min_count: 1 },
    );
    let encode = |tokens: &[String]| vocab.encode(tokens.iter().map(String::as_str));
    let shrunk = Corpus {
        train: encode(&train),
        valid: encode(&valid),
        test: encode(&test),
        vocab: vocab.clone(),
        level: corpus.level,
    };
    ensure!(
        shrunk.train.len() > 1 && shrunk.valid.len() > 1 && shrunk.test.len() > 1,
        "the corpus is too small: {} training, {} validation, {} test tokens (need at least two each)",
        shrunk.train.len(),
        shrunk.valid.len(),
        shrunk.test.len()
    );
    Ok(shrunk)
}
