//! `cargo run -p lecture-04-language-model [-- [--quick] [EXPERIMENT]]`: the lecture's experiments.
//!
//! With no experiment named it runs the headline demo (claims 1, 3 and 5 and the cache: the
//! `counting` and `word-lm` experiments, the latter without its tanh RNN). This file only parses
//! flags and dispatches; each experiment lives in `src/experiments/`.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lecture_04_language_model::bench_workload::WordLstm;
use lecture_04_language_model::experiments::{class_softmax, counting, factorisation, shakespeare, word_lm};
use shared::bench::suite::{Entry, ProtocolArgs, run_lecture_suite};
use shared::cli::{CommonArgs, CorpusArg, Inputs, StepsArg};
use shared::dispatch::run_experiments;
use shared::experiment::Run;

const CRATE: &str = "lecture-04-language-model";

/// Lecture 4: language models, from counting n-grams to LSTMs.
///
/// With no experiment named, runs the headline demo: smoothed n-grams on Brown (claim 1) and
/// Kneser-Ney against feed-forward and LSTM LMs, their mixture, the neural cache and the word
/// vectors (claims 3 and 5), about two minutes on a laptop CPU, seconds with --quick.
#[derive(Parser, Debug)]
#[command(name = CRATE, version)]
struct Cli {
    #[command(flatten)]
    common: CommonArgs,
    #[command(flatten)]
    steps: StepsArg,
    #[command(flatten)]
    corpus: CorpusArg,
    #[command(subcommand)]
    experiment: Option<Experiment>,
}

/// One experiment per claim of the lecture.
#[derive(Subcommand, Clone, Debug, PartialEq, Eq)]
enum Experiment {
    /// Claim 1: unseen n-grams make counting fail; add-one > add-k > Kneser-Ney in perplexity.
    Counting,
    /// Claim 2: a low-rank bigram table gives unseen bigrams sensible probability and beats add-k.
    Factorisation,
    /// Claim 4: at 10k words the class-based softmax trains several times faster per step, at a small perplexity cost.
    ClassSoftmax,
    /// Claim 6: a character LSTM beats a character Kneser-Ney n-gram on tiny-shakespeare; samples at three temperatures.
    Shakespeare,
    /// Claims 3 and 5 and the cache: KN vs feed-forward, RNN and LSTM LMs, their mixture, word vectors.
    WordLm,
    /// Not a claim: times the word LSTM LM training step at 10k words, full and class softmax (for `cargo xtask bench`).
    Bench(ProtocolArgs),
}

/// What `cargo run -p lecture-04-language-model` runs with no experiment named (word-lm
/// without the tanh RNN, which no claim reads, to stay near two minutes).
const HEADLINE: [Experiment; 2] = [Experiment::Counting, Experiment::WordLm];

impl Experiment {
    /// Runs the experiment at the size `run` asks for; it prints its own result table.
    /// `headline`: as part of the headline demo.
    fn run(self, run: &Run, headline: bool) -> Result<()> {
        match self {
            Experiment::Counting => drop(counting::run(run, &counting::Config::for_run(run))?),
            Experiment::Factorisation => drop(factorisation::run(run, &factorisation::Config::for_run(run))?),
            Experiment::ClassSoftmax => drop(class_softmax::run(run, &class_softmax::Config::for_run(run))?),
            Experiment::Shakespeare => drop(shakespeare::run(run, &shakespeare::Config::for_run(run))?),
            Experiment::WordLm => {
                let config = word_lm::Config::for_run(run);
                let config = word_lm::Config { train_rnn: config.train_rnn && !headline, ..config };
                drop(word_lm::run(run, &config)?);
            }
            Experiment::Bench(protocol) => {
                let entries = [WordLstm::FULL, WordLstm::CLASS].map(|sizes| Entry {
                    build: Box::new(move |device| {
                        Box::new(WordLstm::new(sizes, device).expect("the bench sizes are valid"))
                    }),
                    default_steps: WordLstm::DEFAULT_STEPS,
                });
                drop(run_lecture_suite(run, &entries, protocol)?);
            }
        }
        Ok(())
    }
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let headline = cli.experiment.is_none();
    let inputs = Inputs { steps: cli.steps.steps, corpus: cli.corpus.corpus, ..Inputs::default() };
    run_experiments(CRATE, &cli.common, &inputs, cli.experiment, &HEADLINE, |experiment, run| {
        experiment.run(run, headline)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_behaves_like_every_lectures() {
        use clap::CommandFactory;
        shared::testing::check_lecture_command_line(Cli::command(), "counting", &["--steps", "--corpus"]);
    }

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once(CRATE).chain(args.iter().copied()))
    }

    #[test]
    fn a_missing_corpus_file_is_an_error_naming_it() {
        let out = std::env::temp_dir().join(format!("{CRATE}-main-tests-{}", std::process::id()));
        let args =
            ["--quick", "--out", out.to_str().unwrap(), "--corpus", "/nonexistent/corpus.txt", "counting"];
        let cli = parse(&args).unwrap();
        let inputs = Inputs { corpus: cli.corpus.corpus, ..Inputs::default() };
        let run = Run::from_args(CRATE, &cli.common, &inputs).unwrap();
        let err = format!("{:#}", Experiment::Counting.run(&run, false).unwrap_err());
        assert!(err.contains("/nonexistent/corpus.txt"), "{err}");
    }
}
