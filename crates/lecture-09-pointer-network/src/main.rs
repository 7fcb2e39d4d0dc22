use anyhow::Result;
use lecture_09_pointer_network::experiments::{copying, length_generalisation};
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
    if std::env::var("ONLY").is_ok() { copying::run(&run, &copying::Config::for_run(&run))?; return Ok(()); }
    length_generalisation::run(&run, &length_generalisation::Config::for_run(&run))?;
    Ok(())
}
