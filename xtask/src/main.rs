//! `cargo xtask <task>`: the workspace's own commands (the alias lives in `.cargo/config.toml`).
//!
//! - `test-all [--backend flex|ndarray|wgpu|all]`: every crate's tests on that device, with a
//!   crate x backend summary;
//! - `run-all [--quick]`: every lecture's headline demo;
//! - `list`: the lectures and their experiments;
//! - `check-claims`: every claim test has its negative control, named in its README;
//! - `bench [--compare-pytorch]`: training steps per second of the fixed workloads;
//! - `report`: gathers every result record and picture into the book's results gallery;
//! - `figures`: copies each lecture's key pictures beside its README (`crates/<crate>/figures/`);
//! - `book [--browser-check]`: builds the course book with mdBook, checks its links and images
//!   (and, with the flag, renders pages in headless Chromium).
//!
//! xtask depends on no part of burn, so it builds in seconds; it drives `cargo` for the rest.

mod bench;
mod book;
mod browser;
mod chapters;
mod check_claims;
mod command;
mod figures;
mod links;
mod list;
mod report;
mod run_all;
mod table;
mod test_all;
mod workspace;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Workspace tasks for the deep-learning lectures")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Run every crate's tests on one backend or all of them, then print a summary.
    TestAll(test_all::Args),
    /// Run every lecture's headline demo (add --quick for the seconds-long version).
    RunAll(run_all::Args),
    /// List the lectures and their experiments.
    List,
    /// Check that every claim test has a negative control, named in the README's claims table,
    /// and that no claim test reads the clock.
    CheckClaims,
    /// Measure training steps per second on the benchmark workloads.
    Bench(bench::Args),
    /// Gather the result records and pictures under out/ into docs/src/results.md.
    Report(report::Args),
    /// Copy each lecture's key pictures (its figures.txt) from out/ into crates/<crate>/figures/.
    Figures,
    /// Build the course book (docs/) with mdBook and check every local link and image.
    Book(book::Args),
}

fn main() -> Result<()> {
    match Cli::parse().task {
        Task::TestAll(args) => test_all::run(&args),
        Task::RunAll(args) => run_all::run(&args),
        Task::List => list::run(),
        Task::CheckClaims => check_claims::run(),
        Task::Bench(args) => bench::run(&args),
        Task::Report(args) => report::run(&args),
        Task::Figures => figures::run(),
        Task::Book(args) => book::run(&args),
    }
}
