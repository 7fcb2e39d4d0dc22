//! The flags of the lecture binaries, flattened into each one's clap parser: [`CommonArgs`] for
//! every lecture, and the flag structs of what only some lectures read.
//!
//! ```no_run
//! use clap::Parser;
//! use shared::cli::{CommonArgs, Inputs, MnistDirArg};
//! #[derive(Parser)]
//! struct Args {
//!     #[command(flatten)]
//!     common: CommonArgs,
//!     #[command(flatten)]
//!     mnist: MnistDirArg,
//! }
//! let args = Args::parse();
//! let inputs = Inputs { data_dir: args.mnist.data_dir, ..Inputs::default() };
//! let device = args.common.training_device().unwrap();
//! ```

use crate::backend::{self, BackendKind};
use anyhow::Result;
use burn::prelude::Device;
use std::path::PathBuf;

/// Flags every lecture honours: backend, seed, run size and output directory.
///
/// The flags only some lectures honour are the small structs below ([`StepsArg`],
/// [`EpochsArg`], [`MnistDirArg`], [`SstDirArg`], [`CorpusArg`]): a lecture flattens those it
/// uses, so that clap rejects the others, and hands their values to its runs as [`Inputs`].
#[derive(clap::Args, Clone, Debug)]
pub struct CommonArgs {
    /// Backend to run on. Defaults to $LECTURE_BACKEND, else flex (the faster CPU backend).
    /// wgpu needs a build with `--features shared/wgpu`.
    #[arg(long, value_enum, global = true)]
    pub backend: Option<BackendKind>,

    /// Seed for weights, data generation and shuffling: same seed + same CPU backend = same numbers.
    #[arg(long, default_value_t = 42, global = true)]
    pub seed: u64,

    /// Shrink the experiment to seconds (what the tests run); the default size reproduces the claim.
    #[arg(long, global = true)]
    pub quick: bool,

    /// Directory for results: each experiment writes OUT/<crate>/<experiment>.json and its pictures.
    #[arg(long, default_value = "out", global = true, value_name = "DIR")]
    pub out: PathBuf,
}

/// `--steps`, for a lecture whose experiments train for a number of steps.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct StepsArg {
    /// Override the number of training steps (with `bench`: the steps of each timed run).
    #[arg(long, global = true, value_parser = clap::value_parser!(u64).range(1..))]
    pub steps: Option<u64>,
}

/// `--epochs`, for a lecture whose experiments train for a number of epochs.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct EpochsArg {
    /// Override the number of training epochs.
    #[arg(long, global = true, value_parser = clap::value_parser!(u64).range(1..))]
    pub epochs: Option<u64>,
}

/// `--data-dir` for a lecture that reads MNIST.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct MnistDirArg {
    /// Directory with the full MNIST IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte,
    /// t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each raw or .gz) instead of the embedded
    /// 10k/10k subset.
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

/// `--data-dir` for a lecture that reads the Stanford Sentiment Treebank.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct SstDirArg {
    /// Directory with a sentiment treebank in SST's bracketed format, one tree per line:
    /// train.txt, dev.txt and test.txt (each raw or .txt.gz) instead of the embedded SST.
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

/// `--corpus`, for a lecture that trains language models.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct CorpusArg {
    /// A UTF-8 text file (raw or .gz, at most 64 MiB) to train the language models on instead of
    /// the embedded corpora.
    #[arg(long, global = true, value_name = "FILE")]
    pub corpus: Option<PathBuf>,
}

/// What a lecture's own flags ask of its runs: each `None` when the flag was not given or the
/// lecture does not offer it. A lecture's `main.rs` fills it from the flag structs it flattens.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// `--steps` ([`StepsArg`]).
    pub steps: Option<u64>,
    /// `--epochs` ([`EpochsArg`]).
    pub epochs: Option<u64>,
    /// `--data-dir`: MNIST ([`MnistDirArg`]) or a treebank ([`SstDirArg`]), as the lecture says.
    pub data_dir: Option<PathBuf>,
    /// `--corpus` ([`CorpusArg`]).
    pub corpus: Option<PathBuf>,
}

/// The flags a lecture may offer besides [`CommonArgs`], as typed on the command line.
pub const OPTIONAL_FLAGS: [&str; 4] = ["--steps", "--epochs", "--data-dir", "--corpus"];

impl CommonArgs {
    /// The chosen backend: `--backend`, else `LECTURE_BACKEND`, else flex.
    pub fn backend_kind(&self) -> Result<BackendKind> {
        match self.backend {
            Some(kind) => Ok(kind),
            None => BackendKind::from_env(),
        }
    }

    /// The seeded autodiff device to train on.
    pub fn training_device(&self) -> Result<Device> {
        backend::training_device(self.backend_kind()?, self.seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser, Debug)]
    struct Demo {
        #[command(flatten)]
        common: CommonArgs,
        #[command(flatten)]
        steps: StepsArg,
        #[command(flatten)]
        mnist: MnistDirArg,
    }

    fn parse(args: &[&str]) -> Result<Demo, clap::Error> {
        Demo::try_parse_from(std::iter::once("demo").chain(args.iter().copied()))
    }

    #[test]
    fn defaults_and_overrides() {
        let plain = parse(&[]).unwrap();
        assert_eq!((plain.common.seed, plain.common.quick, plain.steps.steps), (42, false, None));
        let quick = parse(&["--quick", "--seed", "3", "--backend", "ndarray"]).unwrap().common;
        assert_eq!((quick.seed, quick.quick), (3, true));
        assert_eq!(quick.backend_kind().unwrap(), BackendKind::Ndarray);
        let fixed = parse(&["--quick", "--steps", "7", "--data-dir", "/m"]).unwrap();
        assert_eq!((fixed.steps.steps, fixed.mnist.data_dir), (Some(7), Some(PathBuf::from("/m"))));
    }

    #[test]
    fn bad_flags_are_clap_errors() {
        assert!(parse(&["--backend", "cuda"]).unwrap_err().to_string().contains("cuda"));
        assert!(parse(&["--steps", "0"]).is_err());
        assert!(parse(&["--seed", "-1"]).is_err());
        assert!(parse(&["--no-such-flag"]).is_err());
    }

    #[test]
    fn flags_a_command_line_does_not_flatten_are_refused() {
        for flag in ["--epochs", "--corpus"] {
            let err = parse(&[flag, "x"]).unwrap_err().to_string();
            assert!(err.contains(&format!("unexpected argument '{flag}'")), "{err}");
        }
    }
}
