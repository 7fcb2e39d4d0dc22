//! What one experiment run needs to know: device, seed, size, where results go.
//!
//! A lecture binary builds a [`Run`] from its [`CommonArgs`] and [`Inputs`]; a claim test builds
//! one with [`Run::for_test`] (test device, `--quick` size, a scratch output directory). The
//! experiment function takes the `Run`, trains, and returns its [`ExperimentRecord`] already
//! stamped with crate, backend, seed and size, so the binary and the test run the same code.

use crate::backend::{self, BackendKind};
use crate::cli::{CommonArgs, Inputs};
use crate::data::Mnist;
use crate::report::ExperimentRecord;
use anyhow::{Context, Result, ensure};
use burn::prelude::Device;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The settings of one experiment run.
#[derive(Clone, Debug)]
pub struct Run {
    /// The lecture crate, e.g. `lecture-01-rnn`: the directory its results go to.
    pub crate_name: &'static str,
    /// The seeded autodiff device to train on.
    pub device: Device,
    /// The backend behind `device`.
    pub backend: BackendKind,
    /// The seed of weights, data and shuffling.
    pub seed: u64,
    /// `--quick`: the seconds-long size.
    pub quick: bool,
    /// `--steps` override, where the lecture offers it and it was given.
    pub steps: Option<u64>,
    /// `--epochs` override, where the lecture offers it and it was given.
    pub epochs: Option<u64>,
    /// The output root: results go to `out/<crate_name>/`.
    pub out: PathBuf,
    /// `--data-dir`: the full MNIST IDX files instead of the embedded subset (lecture 07: a
    /// sentiment treebank instead of the embedded SST).
    pub data_dir: Option<PathBuf>,
    /// `--corpus`: a text file for the language-model lectures.
    pub corpus: Option<PathBuf>,
    started: Instant,
}

impl Run {
    /// A run configured by the command line: the common flags and the lecture's own.
    ///
    /// Creates `OUT/<crate_name>/` and checks that it takes files first, so that a bad `--out`
    /// is an error before any training rather than after it.
    pub fn from_args(crate_name: &'static str, args: &CommonArgs, inputs: &Inputs) -> Result<Run> {
        ensure_writable_dir(&args.out.join(crate_name))
            .with_context(|| format!("--out {} cannot take the results", args.out.display()))?;
        let backend = args.backend_kind()?;
        let inputs = inputs.clone();
        Ok(Run {
            crate_name,
            device: backend::training_device(backend, args.seed)?,
            backend,
            seed: args.seed,
            quick: args.quick,
            steps: inputs.steps,
            epochs: inputs.epochs,
            out: args.out.clone(),
            data_dir: inputs.data_dir,
            corpus: inputs.corpus,
            started: Instant::now(),
        })
    }

    /// `experiment` run once per seed, each on [`Run::for_test`]: how a claim test gets a few
    /// training trajectories to take the median of, so that no single one (which another CPU's
    /// rounding changes) decides a claim.
    pub fn at_test_seeds<T>(
        crate_name: &'static str,
        seeds: &[u64],
        experiment: impl Fn(&Run) -> T,
    ) -> Vec<T> {
        seeds.iter().map(|&seed| experiment(&Run::for_test(crate_name, seed))).collect()
    }

    /// A `--quick` run on the test device (`LECTURE_BACKEND`) with `seed`, writing into a
    /// scratch directory unique to this process and `crate_name`.
    pub fn for_test(crate_name: &'static str, seed: u64) -> Run {
        let backend = BackendKind::from_env().unwrap_or_else(|e| panic!("{e}"));
        let device = backend::training_device(backend, seed).unwrap_or_else(|e| panic!("{e}"));
        let out = std::env::temp_dir().join(format!("{crate_name}-tests-{}", std::process::id()));
        Run {
            crate_name,
            device,
            backend,
            seed,
            quick: true,
            steps: None,
            epochs: None,
            out,
            data_dir: None,
            corpus: None,
            started: Instant::now(),
        }
    }

    /// `quick` at `--quick` size, else `full`.
    pub fn size<T>(&self, quick: T, full: T) -> T {
        if self.quick { quick } else { full }
    }

    /// Training steps: `--steps`, else the experiment's quick or full default.
    pub fn steps_or(&self, quick: u64, full: u64) -> u64 {
        self.steps.unwrap_or_else(|| self.size(quick, full))
    }

    /// Training epochs: `--epochs`, else the experiment's quick or full default.
    pub fn epochs_or(&self, quick: u64, full: u64) -> u64 {
        self.epochs.unwrap_or_else(|| self.size(quick, full))
    }

    /// MNIST: the full set from `--data-dir` when given, else the embedded 10k/10k subset.
    pub fn mnist(&self) -> Result<Mnist> {
        Ok(match &self.data_dir {
            Some(dir) => Mnist::from_dir(dir)?,
            None => Mnist::embedded()?,
        })
    }

    /// [`Run::mnist`], with at least `batch` training images: an error naming where the images
    /// came from and both sizes when one batch cannot be filled (an epoch would have no batch).
    pub fn mnist_with_batch(&self, batch: usize) -> Result<Mnist> {
        let mnist = self.mnist()?;
        let images = mnist.train.len();
        ensure!(
            images >= batch,
            "{}: {images} training images, fewer than one batch of {batch}",
            match &self.data_dir {
                Some(dir) => format!("the MNIST of --data-dir {}", dir.display()),
                None => "the embedded MNIST".to_string(),
            }
        );
        Ok(mnist)
    }

    /// An empty record of `experiment`, stamped with crate, backend, seed and size.
    pub fn record(&self, experiment: &str) -> ExperimentRecord {
        ExperimentRecord::new(self.crate_name, experiment).with_run(
            self.backend.name(),
            self.seed,
            self.quick,
        )
    }

    /// The directory this crate's results go to: `out/<crate_name>/`.
    pub fn results_dir(&self) -> PathBuf {
        self.out.join(self.crate_name)
    }

    /// `out/<crate_name>/<file_name>`: where a picture goes (add its name to the record too).
    pub fn picture_path(&self, file_name: &str) -> PathBuf {
        self.results_dir().join(file_name)
    }

    /// Seconds since the run started.
    pub fn elapsed_s(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    /// Stamps the wall time on `record`, writes it atomically, prints its summary, and returns
    /// the JSON path.
    pub fn finish(&self, record: &mut ExperimentRecord) -> Result<PathBuf> {
        record.set_wall_time_s(self.elapsed_s());
        let path = record.write(&self.out)?;
        record.print_summary(&path);
        Ok(path)
    }

    /// The output root.
    pub fn out(&self) -> &Path {
        &self.out
    }
}

/// Creates `dir` (and its parents) and writes and removes a file in it.
fn ensure_writable_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create the directory {}", dir.display()))?;
    let probe = dir.join(format!(".write-check-{}", std::process::id()));
    std::fs::write(&probe, b"").with_context(|| format!("cannot write a file in {}", dir.display()))?;
    std::fs::remove_file(&probe).with_context(|| format!("cannot remove {}", probe.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Demo {
        #[command(flatten)]
        common: CommonArgs,
    }

    fn common(args: &[&str]) -> CommonArgs {
        Demo::parse_from(std::iter::once("demo").chain(args.iter().copied())).common
    }

    #[test]
    fn a_run_from_flags_stamps_its_records() {
        let args = common(&["--quick", "--seed", "5", "--out", "/tmp/x"]);
        let run = Run::from_args("lecture-99-demo", &args, &Inputs { steps: Some(9), ..Inputs::default() })
            .unwrap();
        assert!(run.device.is_autodiff());
        assert_eq!(run.steps_or(10, 1000), 9);
        assert_eq!(run.results_dir(), PathBuf::from("/tmp/x/lecture-99-demo"));
        let record = run.record("adding");
        assert_eq!((record.crate_name.as_str(), record.seed, record.quick), ("lecture-99-demo", 5, true));
    }

    #[test]
    fn a_missing_data_dir_is_an_error_naming_the_file() {
        let inputs = Inputs { data_dir: Some(PathBuf::from("/nonexistent-mnist")), ..Inputs::default() };
        let run = Run::from_args("lecture-99-demo", &common(&["--out", "/tmp/x"]), &inputs).unwrap();
        let err = run.mnist().unwrap_err().to_string();
        assert!(err.contains("/nonexistent-mnist"), "{err}");
    }

    #[test]
    fn an_out_that_cannot_take_files_is_an_error_before_the_run() {
        let file = std::env::temp_dir().join(format!("shared-out-is-a-file-{}", std::process::id()));
        std::fs::write(&file, b"not a directory").unwrap();
        let args = common(&["--out", file.to_str().unwrap()]);
        let err = format!("{:#}", Run::from_args("lecture-99-demo", &args, &Inputs::default()).unwrap_err());
        std::fs::remove_file(&file).unwrap();
        assert!(
            err.starts_with(&format!("--out {} cannot take the results: cannot create", file.display())),
            "{err}"
        );
        assert!(err.contains("lecture-99-demo"), "{err}");
    }

    #[test]
    fn too_small_an_mnist_is_an_error_naming_its_directory_and_sizes() {
        let dir = std::env::temp_dir().join(format!("shared-tiny-mnist-{}", std::process::id()));
        let mut run = Run::for_test("lecture-99-demo", 1);
        run.data_dir = Some(crate::testing::write_mnist_dir(&dir, 5, 1).unwrap());
        assert_eq!(run.mnist_with_batch(5).unwrap().train.len(), 5);
        let err = run.mnist_with_batch(6).unwrap_err().to_string();
        std::fs::remove_dir_all(&dir).unwrap();
        let expected = format!(
            "the MNIST of --data-dir {}: 5 training images, fewer than one batch of 6",
            dir.display()
        );
        assert_eq!(err, expected);
    }

    #[test]
    fn a_test_run_is_quick_and_writes_to_a_scratch_directory() {
        let run = Run::for_test("lecture-99-demo", 3);
        assert!(run.quick);
        assert_eq!(run.size(1, 2), 1);
        let mut record = run.record("smoke");
        record.set_metric("loss", 0.5);
        let path = run.finish(&mut record).unwrap();
        assert!(path.starts_with(std::env::temp_dir()) && path.exists());
        assert!(ExperimentRecord::load(&path).unwrap().wall_time_s >= 0.0);
    }
}
