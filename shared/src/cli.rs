//! The flags every lecture binary shares, flattened into its own clap parser.
//!
//! ```no_run
//! use clap::Parser;
//! #[derive(Parser)]
//! struct Args {
//!     #[command(flatten)]
//!     common: shared::cli::CommonArgs,
//! }
//! let args = Args::parse();
//! let device = args.common.training_device().unwrap();
//! ```

use crate::backend::{self, BackendKind};
use anyhow::Result;
use burn::prelude::Device;
use std::path::PathBuf;

/// Flags shared by every lecture: backend, seed, run size, output and data locations.
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

    /// Directory with the full MNIST IDX files (train-images-idx3-ubyte[.gz], ...) instead of the
    /// embedded 10k/10k subset.
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// A text file to train language models on instead of the embedded corpora.
    #[arg(long, global = true, value_name = "FILE")]
    pub corpus: Option<PathBuf>,

    /// Override the number of training steps.
    #[arg(long, global = true, value_parser = clap::value_parser!(u64).range(1..))]
    pub steps: Option<u64>,

    /// Override the number of training epochs.
    #[arg(long, global = true, value_parser = clap::value_parser!(u64).range(1..))]
    pub epochs: Option<u64>,
}

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
    }

    fn parse(args: &[&str]) -> Result<Demo, clap::Error> {
        Demo::try_parse_from(std::iter::once("demo").chain(args.iter().copied()))
    }

    #[test]
    fn defaults_and_overrides() {
        let plain = parse(&[]).unwrap().common;
        assert_eq!((plain.seed, plain.quick, plain.steps), (42, false, None));
        let quick = parse(&["--quick", "--seed", "3", "--backend", "ndarray"]).unwrap().common;
        assert_eq!((quick.seed, quick.quick), (3, true));
        assert_eq!(quick.backend_kind().unwrap(), BackendKind::Ndarray);
        let fixed = parse(&["--quick", "--steps", "7"]).unwrap().common;
        assert_eq!(fixed.steps, Some(7));
    }

    #[test]
    fn bad_flags_are_clap_errors() {
        assert!(parse(&["--backend", "cuda"]).unwrap_err().to_string().contains("cuda"));
        assert!(parse(&["--steps", "0"]).is_err());
        assert!(parse(&["--seed", "-1"]).is_err());
        assert!(parse(&["--no-such-flag"]).is_err());
    }
}
