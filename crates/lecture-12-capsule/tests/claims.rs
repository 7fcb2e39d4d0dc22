//! The lecture's claims at `--quick` size: the same experiment code as `cargo run`, fixed seeds.
//!
//! One quick `digits` run (CapsNet and CNN, 150 steps each on shifted digits of the MNIST
//! subset) is shared by the claim tests below: it is the expensive part, and every claim reads
//! a different number of the same trained models.

use lecture_12_capsule::experiments::digits::{self, Measured};
use shared::experiment::Run;
use std::sync::OnceLock;

const CRATE: &str = "lecture-12-capsule";

/// The quick digits run with seed 1, run once per test process.
fn digits_run() -> &'static Measured {
    static MEASURED: OnceLock<Measured> = OnceLock::new();
    MEASURED.get_or_init(|| {
        let run = Run::for_test(CRATE, 1);
        digits::run(&run, &digits::Config::for_run(&run)).expect("the quick digits run").measured
    })
}
