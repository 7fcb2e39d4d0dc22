//! Checkpoints: save a run's model, optimiser and metric log, and resume from them.
//!
//! A checkpoint directory holds `model-<step>.bpk` and `optimizer-<step>.bpk` (burn's burnpack
//! format) and `checkpoint.json`, which names the step and holds the metric log. Every file is
//! written atomically and `checkpoint.json` last, so it only ever points at complete files: a run
//! killed mid-save resumes from the previous checkpoint. Files of older steps are then removed.
//!
//! Resuming restores weights, optimiser moments and the log; burn's random generator is global
//! and not saved, so a resumed run that draws random numbers (dropout, sampling) reseeds it.

use super::MetricLog;
use crate::atomic::{write_atomic, write_json_atomic};
use anyhow::{Context, Result, bail};
use burn::module::Module;
use burn::optim::ModuleOptimizer;
use burn::store::ModuleRecord;
use burn::tensor::Bytes;
use serde::{Deserialize, Serialize};
use std::fs;
use std::path::{Path, PathBuf};

const INDEX_FILE: &str = "checkpoint.json";

/// What `checkpoint.json` records.
#[derive(Debug, Serialize, Deserialize)]
struct CheckpointIndex {
    step: u64,
    model_file: String,
    optimizer_file: String,
    log: MetricLog,
}

/// A run restored from disk.
pub struct Checkpoint<M> {
    /// The model with the saved weights.
    pub model: M,
    /// The optimiser with its saved state (e.g. Adam's moments).
    pub optimizer: ModuleOptimizer,
    /// The last completed step.
    pub step: u64,
    /// The metric log up to `step`.
    pub log: MetricLog,
}

/// Saves and loads the checkpoints of one run in one directory.
#[derive(Clone, Debug)]
pub struct Checkpointer {
    dir: PathBuf,
}

impl Checkpointer {
    /// Checkpoints live in `dir` (created on the first save).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The checkpoint directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Saves `model`, `optimizer` and `log` as the checkpoint of `step`.
    pub fn save<M: Module>(
        &self,
        step: u64,
        model: &M,
        optimizer: &ModuleOptimizer,
        log: &MetricLog,
    ) -> Result<()> {
        let model_file = format!("model-{step}.bpk");
        let optimizer_file = format!("optimizer-{step}.bpk");
        let model_bytes = model.clone().into_record().into_bytes().map_err(|e| anyhow::anyhow!("{e}"))?;
        write_atomic(self.dir.join(&model_file), &model_bytes)?;
        let optimizer_bytes = optimizer.into_bytes().map_err(|e| anyhow::anyhow!("{e}"))?;
        write_atomic(self.dir.join(&optimizer_file), &optimizer_bytes)?;
        let index = CheckpointIndex { step, model_file, optimizer_file, log: log.clone() };
        write_json_atomic(self.dir.join(INDEX_FILE), &index)?;
        self.remove_other_steps(&index)
    }

    /// The step of the saved checkpoint, if there is one.
    pub fn saved_step(&self) -> Result<Option<u64>> {
        Ok(self.read_index()?.map(|index| index.step))
    }

    /// Loads the checkpoint into `model` and `optimizer` (freshly built, same shapes).
    /// `Ok(None)` when the directory holds no checkpoint; an error when one exists but is damaged
    /// or does not fit the model.
    pub fn load<M: Module>(&self, model: M, optimizer: ModuleOptimizer) -> Result<Option<Checkpoint<M>>> {
        let Some(index) = self.read_index()? else { return Ok(None) };
        let model_path = self.dir.join(&index.model_file);
        let record = ModuleRecord::from_bytes(read_bytes(&model_path)?)
            .and_then(|record| model.try_load_record(record))
            .map_err(|e| {
                anyhow::anyhow!("checkpoint {} does not fit the model: {e}", model_path.display())
            })?;
        let optimizer_path = self.dir.join(&index.optimizer_file);
        let optimizer = optimizer
            .from_bytes(read_bytes(&optimizer_path)?)
            .map_err(|e| anyhow::anyhow!("cannot load optimiser state {}: {e}", optimizer_path.display()))?;
        Ok(Some(Checkpoint { model: record, optimizer, step: index.step, log: index.log }))
    }

    fn read_index(&self) -> Result<Option<CheckpointIndex>> {
        let path = self.dir.join(INDEX_FILE);
        if !path.exists() {
            return Ok(None);
        }
        let text = fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let index: CheckpointIndex = serde_json::from_slice(&text)
            .with_context(|| format!("checkpoint index {} is damaged", path.display()))?;
        Ok(Some(index))
    }

    fn remove_other_steps(&self, keep: &CheckpointIndex) -> Result<()> {
        for entry in fs::read_dir(&self.dir).with_context(|| format!("cannot list {}", self.dir.display()))? {
            let name = entry?.file_name().to_string_lossy().into_owned();
            let is_snapshot =
                name.ends_with(".bpk") && (name.starts_with("model-") || name.starts_with("optimizer-"));
            if is_snapshot && name != keep.model_file && name != keep.optimizer_file {
                fs::remove_file(self.dir.join(&name))
                    .with_context(|| format!("cannot remove old checkpoint {name}"))?;
            }
        }
        Ok(())
    }
}

fn read_bytes(path: &Path) -> Result<Bytes> {
    if !path.exists() {
        bail!("checkpoint file {} is missing", path.display());
    }
    let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(Bytes::from_bytes_vec(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::BackendKind;
    use burn::nn::{Linear, LinearConfig};
    use burn::optim::{AdamConfig, GradientsParams};
    use burn::prelude::*;

    /// Runs `body` on flex seeded with 0, holding the randomness lock: these tests draw on flex
    /// whatever `LECTURE_BACKEND` says, and must not reseed another test's draws.
    fn on_flex(body: impl FnOnce(&Device)) {
        let flex = BackendKind::Flex.device().unwrap().autodiff();
        crate::testing::seeded_on(&flex, 0, body);
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("checkpoint-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    /// One Adam step of least squares on a fixed batch.
    fn step(model: Linear, optimizer: &mut ModuleOptimizer, device: &Device) -> Linear {
        let x = Tensor::<2>::from_floats([[1.0, 2.0], [0.5, -1.0], [-2.0, 0.3]], device);
        let y = Tensor::<2>::from_floats([[1.0], [0.0], [-1.0]], device);
        let loss = (model.forward(x) - y).powi_scalar(2).mean();
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        optimizer.step(0.05, model, grads)
    }

    fn weights(model: &Linear) -> Vec<f32> {
        model.weight.val().into_data().try_to_vec::<f32>().unwrap()
    }

    #[test]
    fn resuming_continues_exactly_where_the_run_stopped() {
        on_flex(|device| {
            let fresh = || (LinearConfig::new(2, 1).init(device), AdamConfig::new().init());
            let (mut model, mut optimizer) = fresh();
            let checkpointer = Checkpointer::new(scratch("resume"));
            let mut log = MetricLog::new();
            for i in 1..=6 {
                model = step(model, &mut optimizer, device);
                log.log(i, "step", i as f64);
                if i == 3 {
                    checkpointer.save(i, &model, &optimizer, &log).unwrap();
                }
            }
            let (blank, blank_optimizer) = fresh();
            let restored = checkpointer.load(blank, blank_optimizer).unwrap().expect("a checkpoint");
            assert_eq!(restored.step, 3);
            assert_eq!(restored.log.last("step"), Some(3.0));
            let (mut resumed, mut optimizer) = (restored.model, restored.optimizer);
            for _ in 4..=6 {
                resumed = step(resumed, &mut optimizer, device);
            }
            assert_eq!(weights(&resumed), weights(&model), "weights and Adam moments were restored");
        });
    }

    #[test]
    fn only_the_latest_checkpoint_is_kept_and_an_empty_dir_has_none() {
        on_flex(|device| {
            let model = LinearConfig::new(2, 1).init(device);
            let optimizer = AdamConfig::new().init();
            let checkpointer = Checkpointer::new(scratch("latest"));
            assert!(checkpointer.load(model.clone(), optimizer.clone()).unwrap().is_none());
            for s in [10, 20] {
                checkpointer.save(s, &model, &optimizer, &MetricLog::new()).unwrap();
            }
            assert_eq!(checkpointer.saved_step().unwrap(), Some(20));
            let mut files: Vec<String> = fs::read_dir(checkpointer.dir())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            files.sort();
            assert_eq!(files, ["checkpoint.json", "model-20.bpk", "optimizer-20.bpk"]);
        });
    }

    #[test]
    fn damaged_or_mismatched_checkpoints_are_clear_errors() {
        on_flex(|device| {
            let model = LinearConfig::new(2, 1).init(device);
            let checkpointer = Checkpointer::new(scratch("damaged"));
            checkpointer.save(1, &model, &AdamConfig::new().init(), &MetricLog::new()).unwrap();
            let wider = LinearConfig::new(3, 1).init(device);
            let err = checkpointer.load(wider, AdamConfig::new().init()).err().unwrap().to_string();
            assert!(err.contains("does not fit the model"), "{err}");
            fs::write(checkpointer.dir().join("model-1.bpk"), b"garbage").unwrap();
            let err = checkpointer.load(model.clone(), AdamConfig::new().init()).err().unwrap().to_string();
            assert!(err.contains("model-1.bpk"), "{err}");
            fs::write(checkpointer.dir().join(INDEX_FILE), b"{ not json").unwrap();
            let err = format!("{:#}", checkpointer.load(model, AdamConfig::new().init()).err().unwrap());
            assert!(err.contains("checkpoint.json") && err.contains("damaged"), "{err}");
        });
    }
}
