//! Test helpers every lecture uses to prove its from-scratch code right.
//!
//! Everything of `shared-testing` (gradient checks, `assert_close`, weights for parity tests, the
//! seed lock [`seeded`]), plus [`check_lecture_command_line`]: the behaviour every lecture's
//! command line shares, which needs `shared`'s own flags.

mod command_line;

pub use command_line::check_lecture_command_line;
pub use shared_testing::*;
