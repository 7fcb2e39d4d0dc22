//! What the workspace holds: its root and its lecture crates, read from `cargo metadata`.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One package of the workspace.
#[derive(Clone, Debug, Deserialize)]
pub struct Package {
    /// The package name, e.g. `lecture-08-attention`.
    pub name: String,
    /// The one-line description from its Cargo.toml.
    #[serde(default)]
    pub description: Option<String>,
    /// Path of its Cargo.toml.
    pub manifest_path: PathBuf,
    /// Its features, by name.
    #[serde(default)]
    pub features: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
struct Metadata {
    packages: Vec<Package>,
    workspace_root: PathBuf,
    target_directory: PathBuf,
}

/// The workspace: its root directory and packages.
pub struct Workspace {
    /// The directory of the root Cargo.toml.
    pub root: PathBuf,
    /// Cargo's target directory (`CARGO_TARGET_DIR` or `<root>/target`).
    pub target_dir: PathBuf,
    packages: Vec<Package>,
}

impl Workspace {
    /// Reads the workspace with `cargo metadata --no-deps`.
    pub fn load() -> Result<Workspace> {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let output = Command::new(cargo)
            .args(["metadata", "--no-deps", "--format-version", "1"])
            .output()
            .context("cannot run cargo metadata")?;
        if !output.status.success() {
            bail!("cargo metadata failed: {}", String::from_utf8_lossy(&output.stderr));
        }
        let metadata: Metadata =
            serde_json::from_slice(&output.stdout).context("cannot read cargo metadata")?;
        let mut packages = metadata.packages;
        packages.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Workspace { root: metadata.workspace_root, target_dir: metadata.target_directory, packages })
    }

    /// The target directory of GPU builds: `<target>/gpu`. The wgpu feature changes burn's
    /// whole build; keeping it apart means a GPU build never locks or evicts the CPU one.
    pub fn gpu_target_dir(&self) -> PathBuf {
        self.target_dir.join("gpu")
    }

    /// The lecture crates (`crates/lecture-*`), sorted by name, hence by lecture number.
    pub fn lectures(&self) -> Vec<&Package> {
        self.packages.iter().filter(|p| is_lecture(&self.root, p)).collect()
    }

    /// The layers of the shared crate: the packages in folders under `shared/` (`shared-report`,
    /// `shared-kernels`, ...), sorted by name.
    pub fn shared_layers(&self) -> Vec<&Package> {
        let shared = self.root.join("shared");
        let in_a_layer_folder = |p: &Package| {
            p.manifest_path.parent().is_some_and(|dir| dir != shared && dir.starts_with(&shared))
        };
        self.packages.iter().filter(|p| in_a_layer_folder(p)).collect()
    }

    /// Every crate whose tests `test-all` runs: `shared` (with its layers, in the same cargo
    /// invocation: see `test_all`), the lectures, then `xtask`.
    pub fn tested_crates(&self) -> Vec<&Package> {
        let named = |name: &str| self.packages.iter().find(|p| p.name == name);
        named("shared").into_iter().chain(self.lectures()).chain(named("xtask")).collect()
    }

    /// The `--features` value that builds `package` for the GPU: `shared/wgpu` for `shared` and
    /// the lectures (which depend on it), the layer's own `wgpu` feature for a layer below
    /// `shared` (`shared-bench`'s binary).
    pub fn gpu_feature(&self, package: &str) -> &'static str {
        let layer = self.shared_layers().iter().any(|p| p.name == package && p.features.contains_key("wgpu"));
        if layer { "wgpu" } else { "shared/wgpu" }
    }
}

fn is_lecture(root: &Path, package: &Package) -> bool {
    package.name.starts_with("lecture-") && package.manifest_path.starts_with(root.join("crates"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_shared_and_xtask_and_only_lecture_crates_as_lectures() {
        let workspace = Workspace::load().unwrap();
        let tested: Vec<&str> = workspace.tested_crates().iter().map(|p| p.name.as_str()).collect();
        assert_eq!(tested.first(), Some(&"shared"));
        assert_eq!(tested.last(), Some(&"xtask"));
        assert!(workspace.lectures().iter().all(|p| p.name.starts_with("lecture-")));
        let layers: Vec<&str> = workspace.shared_layers().iter().map(|p| p.name.as_str()).collect();
        for layer in ["shared-backend", "shared-bench", "shared-data", "shared-kernels", "shared-report"] {
            assert!(layers.contains(&layer) && !tested.contains(&layer), "{layer} in {layers:?}");
        }
        assert!(!layers.contains(&"shared"));
    }

    #[test]
    fn each_crate_gets_the_gpu_feature_it_has() {
        let workspace = Workspace::load().unwrap();
        assert_eq!(workspace.gpu_feature("shared-bench"), "wgpu");
        assert_eq!(workspace.gpu_feature("shared"), "shared/wgpu");
        let lecture = &workspace.lectures()[0];
        assert_eq!(workspace.gpu_feature(&lecture.name), "shared/wgpu");
    }
}
