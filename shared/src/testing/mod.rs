//! Test helpers every lecture uses to prove its from-scratch code right.
//!
//! Everything of `shared-testing` (gradient checks, `assert_close`, weights for parity tests,
//! Gaussian test inputs [`normal`], the seed lock [`seeded`]), plus what needs `shared`'s own
//! flags and data: [`check_lecture_command_line`], the behaviour every lecture's command line
//! shares, [`write_mnist_dir`], a `--data-dir` MNIST of chosen sizes, and [`scratch_out`], an empty
//! `--out` directory for a test that runs a lecture binary.

mod command_line;
mod mnist_dir;
mod scratch_dir;

pub use command_line::check_lecture_command_line;
pub use mnist_dir::write_mnist_dir;
pub use scratch_dir::scratch_out;
pub use shared_testing::*;
