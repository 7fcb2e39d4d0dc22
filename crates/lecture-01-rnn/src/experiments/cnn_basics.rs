//! The parameter count of a convolution against a fully connected layer with the same input and
//! output shapes (lecture 2: sparse connectivity and parameter sharing). Nothing is trained: the
//! counts come from the formulas of [`crate::cnn_basics`] and are checked against the number of
//! parameters of burn's own `Conv2d` and `Linear` built at those sizes.

use crate::cnn_basics::ParameterComparison;
use anyhow::Result;
use burn::module::Module;
use burn::nn::LinearConfig;
use burn::nn::conv::Conv2dConfig;
use serde::Serialize;
use shared::experiment::Run;
use shared::plot::LineChart;
use shared::report::ExperimentRecord;

/// Name of the experiment and of its record.
pub const NAME: &str = "cnn-basics";

/// The layer whose parameters are counted.
#[derive(Clone, Debug, Serialize)]
pub struct Config {
    /// Input `[height, width, channels]`.
    pub input: [usize; 3],
    pub out_channels: usize,
    /// Square kernel side, stride and padding of the convolution.
    pub kernel: usize,
    pub stride: usize,
    pub padding: usize,
    /// Square input sides for the picture of parameters against input size.
    pub picture_sides: Vec<usize>,
}

impl Config {
    /// MNIST-sized: a 28x28 grey image to 32 maps of 5x5 (the same at every size: nothing trains).
    pub fn for_run(_run: &Run) -> Config {
        Config {
            input: [28, 28, 1],
            out_channels: 32,
            kernel: 5,
            stride: 1,
            padding: 0,
            picture_sides: (8..=64).step_by(8).collect(),
        }
    }
}

/// What the run produced.
pub struct Outcome {
    pub record: ExperimentRecord,
    pub comparison: ParameterComparison,
    /// Parameters of burn's `Conv2d` and `Linear` at the compared sizes.
    pub burn_conv_parameters: usize,
    pub burn_dense_parameters: usize,
}

/// Counts, checks against burn, prints the table, writes the record and its picture.
pub fn run(run: &Run, config: &Config) -> Result<Outcome> {
    let comparison = ParameterComparison::new(
        config.input,
        config.out_channels,
        config.kernel,
        config.stride,
        config.padding,
    )?;
    let device = run.device.clone().without_autodiff();
    let burn_conv_parameters = Conv2dConfig::new([config.input[2], config.out_channels], [config.kernel; 2])
        .with_stride([config.stride; 2])
        .init(&device)
        .num_params();
    let [inputs, outputs] = [comparison.input.iter().product(), comparison.output.iter().product()];
    let burn_dense_parameters = LinearConfig::new(inputs, outputs).init(&device).num_params();

    let mut record = run.record(NAME).with_config(config)?;
    for (name, layer) in [
        ("fully connected", comparison.dense),
        ("locally connected", comparison.locally_connected),
        ("convolution", comparison.convolution),
    ] {
        record.set_metric(format!("{name} parameters"), layer.total() as f64);
    }
    let ratio = comparison.dense_over_conv();
    record.set_metric("fully connected / convolution", ratio);
    record.add_claim(
        format!(
            "a {0}x{0} convolution from {1:?} to {2:?} needs {ratio:.0} times fewer parameters than a fully \
             connected layer with the same output size",
            config.kernel, comparison.input, comparison.output
        ),
        format!(
            "formula: FC {} / conv {} = {ratio:.1}",
            comparison.dense.total(),
            comparison.convolution.total()
        ),
        format!("burn's Linear {burn_dense_parameters} / Conv2d {burn_conv_parameters}"),
        burn_dense_parameters == comparison.dense.total()
            && burn_conv_parameters == comparison.convolution.total()
            && ratio > 1000.0,
    );
    let picture = "parameters-by-input-size.svg";
    parameter_chart(config)?.save_svg(run.picture_path(picture))?;
    record.add_picture(picture);
    print_table(&comparison);
    run.finish(&mut record)?;
    Ok(Outcome { record, comparison, burn_conv_parameters, burn_dense_parameters })
}

/// Parameters of both layers for square inputs of growing side: the convolution's count does
/// not depend on the input size, the fully connected one grows with its fourth power.
fn parameter_chart(config: &Config) -> Result<LineChart> {
    let mut dense = Vec::new();
    let mut conv = Vec::new();
    for &side in &config.picture_sides {
        let input = [side, side, config.input[2]];
        let c = ParameterComparison::new(
            input,
            config.out_channels,
            config.kernel,
            config.stride,
            config.padding,
        )?;
        dense.push((side as f64, c.dense.total() as f64));
        conv.push((side as f64, c.convolution.total() as f64));
    }
    Ok(LineChart::new(format!("{0}x{0} convolution vs fully connected, same output", config.kernel))
        .x_label("input side (pixels)")
        .y_label("parameters")
        .log_y(true)
        .series("fully connected", dense)
        .series("convolution", conv))
}

fn print_table(c: &ParameterComparison) {
    let [height, width, channels] = c.input;
    let [out_height, out_width, out_channels] = c.output;
    println!(
        "\nparameters of a layer from {height}x{width}x{channels} to {out_height}x{out_width}x{out_channels}"
    );
    println!(
        "{:<40} {:>12} {:>12} {:>10} {:>12} {:>10}",
        "layer", "inputs/output", "weights", "biases", "total", "vs conv"
    );
    let window = c.convolution.weights / out_channels;
    let rows = [
        ("fully connected", height * width * channels, c.dense),
        ("locally connected (sparse, not shared)", window, c.locally_connected),
        ("convolution (sparse and shared)", window, c.convolution),
    ];
    for (name, fan_in, layer) in rows {
        println!(
            "{name:<40} {fan_in:>12} {:>12} {:>10} {:>12} {:>9.1}x",
            layer.weights,
            layer.biases,
            layer.total(),
            layer.total() as f64 / c.convolution.total() as f64
        );
    }
}
