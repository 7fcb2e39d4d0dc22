//! What every lecture binary does once its command line is parsed: run the experiment it names,
//! or the headline demo when it names none, each with a fresh [`Run`], then say where the results
//! went. A lecture's `main.rs` keeps only its clap types and the match from subcommand to code.

use crate::cli::{CommonArgs, Inputs};
use crate::experiment::Run;
use crate::threads::join_rayon_pool;
use anyhow::Result;
use shared_kernels::allocator::keep_freed_memory;

/// Runs `chosen`, or every experiment of `headline` when none was named, then prints where
/// `out/<crate_name>/` is. Each experiment gets its own [`Run`] (seeded afresh from the flags
/// and the lecture's `inputs`), so the headline's second experiment gives the numbers it gives
/// when run alone; a `--out` that cannot take files fails before the first one. Freed memory
/// stays in the process ([`keep_freed_memory`]): training frees and allocates the same large
/// buffers every step, and giving them back to the kernel costs a page fault per 4 KiB. The
/// calling thread joins rayon's pool ([`join_rayon_pool`]), so that the CPU kernels' parallel
/// sections do not put it to sleep and wake it again.
pub fn run_experiments<E: Clone>(
    crate_name: &'static str,
    common: &CommonArgs,
    inputs: &Inputs,
    chosen: Option<E>,
    headline: &[E],
    run: impl Fn(E, &Run) -> Result<()>,
) -> Result<()> {
    join_rayon_pool();
    keep_freed_memory();
    let experiments = chosen.map_or_else(|| headline.to_vec(), |experiment| vec![experiment]);
    for experiment in experiments {
        println!();
        run(experiment, &Run::from_args(crate_name, common, inputs)?)?;
    }
    let results = common.out.join(crate_name);
    println!("\nresults (JSON records and pictures) are in {}", results.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use std::cell::RefCell;

    #[derive(Parser)]
    struct Flags {
        #[command(flatten)]
        common: CommonArgs,
    }

    fn common() -> CommonArgs {
        Flags::parse_from(["demo", "--quick", "--out", std::env::temp_dir().to_str().unwrap()]).common
    }

    #[test]
    fn the_named_experiment_runs_alone_and_none_named_runs_the_headline() {
        let ran = RefCell::new(Vec::new());
        let record = |name: &str, run: &Run| {
            assert!(run.quick);
            ran.borrow_mut().push(name.to_string());
            Ok(())
        };
        let inputs = Inputs::default();
        run_experiments("demo", &common(), &inputs, Some("b"), &["a", "c"], record).unwrap();
        assert_eq!(*ran.borrow(), ["b"]);
        ran.borrow_mut().clear();
        run_experiments("demo", &common(), &inputs, None, &["a", "c"], record).unwrap();
        assert_eq!(*ran.borrow(), ["a", "c"]);
    }

    #[test]
    fn an_experiments_error_stops_the_run() {
        let ran = RefCell::new(0);
        let failing = |_: &str, _: &Run| -> Result<()> {
            *ran.borrow_mut() += 1;
            anyhow::bail!("diverged")
        };
        let err =
            run_experiments("demo", &common(), &Inputs::default(), None, &["a", "b"], failing).unwrap_err();
        assert_eq!((err.to_string().as_str(), *ran.borrow()), ("diverged", 1));
    }

    #[test]
    fn an_out_that_is_a_file_stops_the_run_before_any_experiment() {
        let file = std::env::temp_dir().join(format!("shared-dispatch-out-{}", std::process::id()));
        std::fs::write(&file, b"").unwrap();
        let common = Flags::parse_from(["demo", "--out", file.to_str().unwrap()]).common;
        let ran = RefCell::new(0);
        let count = |_: &str, _: &Run| -> Result<()> {
            *ran.borrow_mut() += 1;
            Ok(())
        };
        let err = run_experiments("demo", &common, &Inputs::default(), None, &["a"], count).unwrap_err();
        std::fs::remove_file(&file).unwrap();
        assert_eq!(*ran.borrow(), 0, "no experiment ran");
        assert!(err.to_string().contains(&format!("--out {}", file.display())), "{err}");
    }
}
