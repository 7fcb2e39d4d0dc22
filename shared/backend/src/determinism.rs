//! Reproducible randomness in tests that run in parallel threads.
//!
//! burn's CPU backends keep one random generator for the whole process: `device.seed(n)` in one
//! test and a weight initialisation in another thread interleave, and the numbers change from run
//! to run. [`seeded`] holds a process-wide lock while it seeds the test device and runs the
//! closure, so everything drawn inside it depends on the seed alone.
//!
//! That guarantee is for the CPU backends (flex, ndarray). On wgpu we saw a thread's first draw
//! differ from later ones with the same seed: tests on the GPU path should not depend on exact
//! random numbers (parity tests copy weights; claim tests assert with margins).

use crate::test_device;
use burn::prelude::Device;
use std::cell::Cell;
use std::sync::{Mutex, MutexGuard};

static RANDOMNESS: Mutex<()> = Mutex::new(());

thread_local! {
    /// Whether this thread is inside a [`seeded_on`] body (and so holds [`RANDOMNESS`]).
    static IN_SEEDED_BODY: Cell<bool> = const { Cell::new(false) };
}

/// Holds [`RANDOMNESS`] and marks this thread as inside a seeded body until dropped (also when
/// the body panics).
struct SeededBody {
    _lock: MutexGuard<'static, ()>,
}

impl SeededBody {
    fn enter() -> Self {
        let lock = RANDOMNESS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        IN_SEEDED_BODY.set(true);
        Self { _lock: lock }
    }
}

impl Drop for SeededBody {
    fn drop(&mut self) {
        IN_SEEDED_BODY.set(false);
    }
}

/// Seeds `device` while no [`seeded_on`] body runs on another thread: a seed landing between
/// that body's own seed and its draws would change its numbers (seen with 16 test threads).
/// Inside a body on this thread it seeds at once.
pub(crate) fn seed_exclusively(device: &Device, seed: u64) {
    if IN_SEEDED_BODY.get() {
        device.seed(seed);
    } else {
        let _body = SeededBody::enter();
        device.seed(seed);
    }
}

/// Runs `body` on the test device seeded with `seed`, with no other `seeded` call in between.
///
/// Build every randomly initialised model and random tensor of the test inside `body`.
pub fn seeded<T>(seed: u64, body: impl FnOnce(&Device) -> T) -> T {
    seeded_on(&test_device(), seed, body)
}

/// [`seeded`] on a given device instead of the test device.
pub fn seeded_on<T>(device: &Device, seed: u64, body: impl FnOnce(&Device) -> T) -> T {
    let _body = SeededBody::enter();
    device.seed(seed);
    body(device)
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::prelude::Tensor;
    use burn::tensor::Distribution;

    /// A draw on flex: the backend whose reproducibility is promised (see the module docs).
    fn draw(seed: u64) -> Vec<f32> {
        // Not `training_device`: it seeds outside the lock, which is what this test must not do.
        let flex = crate::BackendKind::Flex.device().unwrap().autodiff();
        seeded_on(&flex, seed, |device| {
            Tensor::<1>::random([6], Distribution::Default, device).into_data().try_to_vec::<f32>().unwrap()
        })
    }

    #[test]
    fn same_seed_same_numbers_even_across_threads() {
        let handles: Vec<_> = (0..4).map(|_| std::thread::spawn(|| draw(11))).collect();
        let draws: Vec<Vec<f32>> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        assert!(draws.windows(2).all(|w| w[0] == w[1]), "{draws:?}");
        assert_ne!(draws[0], draw(12));
    }
}
