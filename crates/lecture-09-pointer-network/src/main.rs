use anyhow::Result;
use lecture_09_pointer_network::experiments::length_generalisation;
use shared::cli::{CommonArgs, Inputs};
use shared::experiment::Run;
use clap::Parser;

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    common: CommonArgs,
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let run = Run::from_args("lecture-09-pointer-network", &cli.common, &Inputs::default())?;
    length_generalisation::run(&run, &length_generalisation::Config::for_run(&run))?;
    Ok(())
}
