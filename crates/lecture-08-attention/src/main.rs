//! `cargo run -p lecture-08-attention [-- [--quick] [EXPERIMENT]]`: the lecture's experiments.
//!
//! With no experiment named it runs the headline demo (claims 1 and 2: attention against a
//! fixed-size context on long inputs, with attention heatmaps). This file only parses flags and
//! dispatches; each experiment lives in `src/experiments/`.

use anyhow::Result;
use clap::{Parser, Subcommand};
use lecture_08_attention::bench_workload::{NtmCopyStep, ScratchSeq2Seq};
use lecture_08_attention::experiments::{
    attention_penalty, caption, decoding, long_inputs, memory, ntm_copy, regimes, reinforce,
};
use lecture_08_attention::recurrence::Recurrence;
use shared::bench::suite::{Entry, ProtocolArgs, run_lecture_suite};
use shared::cli::{CommonArgs, Inputs, MnistDirArg, StepsArg};
use shared::dispatch::run_experiments;
use shared::experiment::Run;

const CRATE: &str = "lecture-08-attention";

/// Lecture 8: conditional generation, attention and memory.
///
/// With no experiment named, runs the headline demo: encoder-decoders with and without attention
/// learn to reverse digit strings; accuracy against length and attention heatmaps (about two
/// minutes on a laptop CPU, seconds with --quick).
#[derive(Parser, Debug)]
#[command(name = CRATE, version)]
struct Cli {
    #[command(flatten)]
    common: CommonArgs,
    #[command(flatten)]
    steps: StepsArg,
    #[command(flatten)]
    mnist: MnistDirArg,
    #[command(subcommand)]
    experiment: Option<Experiment>,
}

/// One experiment per claim of the lecture.
#[derive(Subcommand, Clone, Debug, PartialEq, Eq)]
enum Experiment {
    /// Claims 1 and 2: attention holds up on long inputs where a fixed-size context collapses; its weights align.
    LongInputs,
    /// Claim 2 on pictures: a CNN + attention captioner names the digits of a strip, each word looking at its digit.
    Caption,
    /// Claim 3: end-to-end memory networks answer bAbI-style questions an LSTM misses; more hops help.
    Memory,
    /// Claim 4: a Neural Turing Machine learns copy with fewer parameters than an LSTM and generalises longer.
    NtmCopy,
    /// Claim 5: teacher forcing vs feeding the model's own output vs scheduled sampling, on sorting.
    Regimes,
    /// Claim 6: beam search finds more probable outputs than greedy decoding; sampling with a temperature.
    Decoding,
    /// Claim 7: the doubly stochastic attention penalty evens out the total attention per input.
    AttentionPenalty,
    /// REINFORCE: a sequence-level reward, given only for the complete output, improves a pretrained model.
    Reinforce,
    /// Not a claim: times this lecture's attention seq2seq (step-wise and fused GRUs) and NTM copy training steps (for `cargo xtask bench`).
    Bench(ProtocolArgs),
}

/// What `cargo run -p lecture-08-attention` runs with no experiment named.
const HEADLINE: [Experiment; 1] = [Experiment::LongInputs];

impl Experiment {
    /// Runs the experiment at the size `run` asks for; it prints its own result table.
    fn run(self, run: &Run) -> Result<()> {
        match self {
            Experiment::LongInputs => drop(long_inputs::run(run, &long_inputs::Config::for_run(run))?),
            Experiment::Caption => drop(caption::run(run, &caption::Config::for_run(run))?),
            Experiment::NtmCopy => drop(ntm_copy::run(run, &ntm_copy::Config::for_run(run))?),
            Experiment::Regimes => drop(regimes::run(run, &regimes::Config::for_run(run))?),
            Experiment::Reinforce => drop(reinforce::run(run, &reinforce::Config::for_run(run))?),
            Experiment::Decoding => drop(decoding::run(run, &decoding::Config::for_run(run))?),
            Experiment::Memory => drop(memory::run(run, &memory::Config::for_run(run))?),
            Experiment::AttentionPenalty => {
                drop(attention_penalty::run(run, &attention_penalty::Config::for_run(run))?)
            }
            Experiment::Bench(protocol) => {
                let seq2seq = |recurrence| Entry {
                    build: Box::new(move |device| {
                        Box::new(ScratchSeq2Seq::new(ScratchSeq2Seq::BENCH, recurrence, device))
                    }),
                    default_steps: ScratchSeq2Seq::DEFAULT_STEPS,
                };
                // The copy batch's sizes are constants: building it cannot fail.
                let ntm = Entry {
                    build: Box::new(|device| {
                        Box::new(NtmCopyStep::new(32, 10, device).expect("valid copy sizes"))
                    }),
                    default_steps: NtmCopyStep::DEFAULT_STEPS,
                };
                let entries = [seq2seq(Recurrence::StepWise), seq2seq(Recurrence::Fused), ntm];
                drop(run_lecture_suite(run, &entries, protocol)?);
            }
        }
        Ok(())
    }
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let inputs = Inputs { steps: cli.steps.steps, data_dir: cli.mnist.data_dir, ..Inputs::default() };
    run_experiments(CRATE, &cli.common, &inputs, cli.experiment, &HEADLINE, Experiment::run)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_behaves_like_every_lectures() {
        use clap::CommandFactory;
        shared::testing::check_lecture_command_line(
            Cli::command(),
            "long-inputs",
            &["--steps", "--data-dir"],
        );
    }
}
