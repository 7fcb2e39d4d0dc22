//! Which burn `Device` a run uses: `--backend ndarray|flex|wgpu`, or `LECTURE_BACKEND` in tests.
//!
//! burn 0.22 picks the backend at run time: a [`Device`] is a value, not a type parameter.
//! Training needs gradients, so [`training_device`] wraps the chosen device in autodiff and
//! seeds its random number generator; inference and data preparation use the plain device.
//!
//! `shared-backend` is the crate of that choice: [`BackendKind`], [`training_device`],
//! [`test_device`], the seed lock that keeps tests reproducible in parallel threads ([`seeded`],
//! [`seeded_on`]) and the `wgpu` feature. Lectures reach it as `shared::backend`.

mod determinism;
#[cfg(any(feature = "wgpu", test))]
mod driver_exit;

pub use determinism::{seeded, seeded_on};

use anyhow::{Result, bail};
use burn::prelude::Device;
use std::fmt;

/// The environment variable that picks the backend for tests and for runs without `--backend`.
pub const BACKEND_ENV: &str = "LECTURE_BACKEND";

/// A burn backend this workspace can run on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BackendKind {
    /// burn-flex: pure-Rust CPU backend. The CPU default: it measured faster than ndarray on
    /// the recurrent workloads of `cargo xtask bench` (see the README).
    Flex,
    /// burn-ndarray: the older CPU backend (deprecated upstream since burn 0.22).
    Ndarray,
    /// burn-wgpu: the GPU through Vulkan/Metal/DX12; Mesa's software Vulkan without a GPU.
    /// Needs the workspace built with `--features shared/wgpu`.
    Wgpu,
}

impl BackendKind {
    /// The CPU default.
    pub const DEFAULT: BackendKind = BackendKind::Flex;

    /// The backend named by `LECTURE_BACKEND`, or the default when it is unset.
    pub fn from_env() -> Result<BackendKind> {
        match std::env::var(BACKEND_ENV) {
            Ok(name) if !name.trim().is_empty() => BackendKind::parse(&name),
            _ => Ok(BackendKind::DEFAULT),
        }
    }

    /// Parses `ndarray`, `flex` or `wgpu` (any case).
    pub fn parse(name: &str) -> Result<BackendKind> {
        match name.trim().to_ascii_lowercase().as_str() {
            "flex" => Ok(BackendKind::Flex),
            "ndarray" => Ok(BackendKind::Ndarray),
            "wgpu" => Ok(BackendKind::Wgpu),
            other => bail!("unknown backend '{other}': expected one of ndarray, flex, wgpu"),
        }
    }

    /// The lower-case name used on the command line and in result records.
    pub fn name(self) -> &'static str {
        match self {
            BackendKind::Flex => "flex",
            BackendKind::Ndarray => "ndarray",
            BackendKind::Wgpu => "wgpu",
        }
    }

    /// The plain (no autodiff) device, checked to be usable.
    pub fn device(self) -> Result<Device> {
        match self {
            BackendKind::Flex => Ok(Device::flex()),
            #[allow(deprecated)] // burn-ndarray is deprecated upstream; we still offer it
            BackendKind::Ndarray => Ok(Device::ndarray()),
            BackendKind::Wgpu => wgpu_device(),
        }
    }
}

impl fmt::Display for BackendKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The device to train on: `kind`'s device with autodiff, its random number generator seeded.
///
/// burn's seed is process-global on the CPU backends; flex and ndarray draw the same numbers for
/// the same seed, wgpu draws different ones.
pub fn training_device(kind: BackendKind, seed: u64) -> Result<Device> {
    let device = kind.device()?.autodiff();
    device.seed(seed);
    Ok(device)
}

/// The device tests run on: `LECTURE_BACKEND` (default flex), with autodiff, seeded with 0
/// (never in the middle of another thread's [`crate::seeded`] body).
///
/// # Panics
/// When `LECTURE_BACKEND` names an unknown or unavailable backend: a test cannot go on.
pub fn test_device() -> Device {
    let kind = BackendKind::from_env().unwrap_or_else(|e| panic!("{e}"));
    let device = kind.device().unwrap_or_else(|e| panic!("{e}")).autodiff();
    crate::determinism::seed_exclusively(&device, 0);
    device
}

#[cfg(feature = "wgpu")]
fn wgpu_device() -> Result<Device> {
    use burn::prelude::{DeviceKind, Tensor};
    use std::sync::OnceLock;
    // burn creates the adapter lazily and panics deep inside when there is none: touch the
    // device once per process, behind catch_unwind with a silent panic hook, and turn that panic
    // into an error that says what to do. The probe runs once, so concurrent callers (tests run
    // in threads) never race on the process-wide panic hook. Once the device exists, the process
    // ends without the driver's exit handlers, which crash on software Vulkan (`driver_exit`).
    static USABLE: OnceLock<bool> = OnceLock::new();
    let device = Device::wgpu(DeviceKind::DefaultDevice);
    let usable = *USABLE.get_or_init(|| {
        let probe = device.clone();
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let touched = std::panic::catch_unwind(move || Tensor::<1>::zeros([1], &probe).into_data());
        std::panic::set_hook(previous);
        touched.is_ok()
    });
    if usable {
        crate::driver_exit::skip_driver_teardown_at_exit();
        Ok(device)
    } else {
        bail!(
            "no GPU adapter found for --backend wgpu: install a Vulkan driver (without a GPU: \
             `apt-get install -y mesa-vulkan-drivers libvulkan1` for software Vulkan) or choose \
             --backend flex"
        )
    }
}

#[cfg(not(feature = "wgpu"))]
fn wgpu_device() -> Result<Device> {
    bail!(
        "this binary was built without the GPU backend: rebuild with `--features shared/wgpu` \
         (e.g. `cargo run -p <lecture> --features shared/wgpu -- --backend wgpu`), or choose \
         --backend flex"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::prelude::Tensor;

    #[test]
    fn names_round_trip_and_unknown_names_are_errors() {
        for kind in [BackendKind::Flex, BackendKind::Ndarray, BackendKind::Wgpu] {
            assert_eq!(BackendKind::parse(kind.name()).unwrap(), kind);
        }
        assert_eq!(BackendKind::parse(" NDARRAY ").unwrap(), BackendKind::Ndarray);
        let err = BackendKind::parse("cuda").unwrap_err().to_string();
        assert!(err.contains("unknown backend 'cuda'"), "{err}");
    }

    #[test]
    fn cpu_backends_agree_for_a_seed() {
        let draw = |kind: BackendKind, seed: u64| -> Vec<f32> {
            let device = kind.device().unwrap().autodiff();
            crate::seeded_on(&device, seed, |device| {
                let t = Tensor::<1>::random([5], burn::tensor::Distribution::Default, device);
                t.into_data().try_to_vec::<f32>().unwrap()
            })
        };
        assert_eq!(draw(BackendKind::Flex, 7), draw(BackendKind::Flex, 7), "same seed, same numbers");
        assert_eq!(draw(BackendKind::Flex, 7), draw(BackendKind::Ndarray, 7));
        assert_ne!(draw(BackendKind::Flex, 7), draw(BackendKind::Flex, 8));
    }

    #[test]
    fn training_device_has_autodiff() {
        // Seeding flex inside a lock-holding body, so no other test's seeded draws change.
        let flex = BackendKind::Flex.device().unwrap();
        let device = crate::seeded_on(&flex, 0, |_| training_device(BackendKind::Flex, 0).unwrap());
        assert!(device.is_autodiff());
        assert!(!BackendKind::Flex.device().unwrap().is_autodiff());
    }

    #[cfg(not(feature = "wgpu"))]
    #[test]
    fn wgpu_without_the_feature_is_a_clear_error() {
        let err = BackendKind::Wgpu.device().unwrap_err().to_string();
        assert!(err.contains("--features shared/wgpu"), "{err}");
    }
}
