//! Bad settings are errors with a message, never a panic or a hang.

use lecture_09_pointer_network::encoder_decoder::EncoderDecoderConfig;
use lecture_09_pointer_network::experiments::pointer_training::{Training, train};
use lecture_09_pointer_network::pointer_net::{OutputKind, PointerNetConfig};
use lecture_09_pointer_network::tasks::names::{NamePool, NamesTask};
use lecture_09_pointer_network::tasks::{PointerBatch, PointerTask};
use shared::experiment::Run;

const CRATE: &str = "lecture-09-pointer-network";

#[test]
fn a_tour_of_fewer_than_three_cities_or_an_empty_instance_is_an_error() {
    let error = PointerBatch::draw(PointerTask::Tsp, 2, 2, 1).unwrap_err().to_string();
    assert_eq!(error, "a TSP instance needs at least 3 cities, got 2");
    let error = PointerBatch::draw(PointerTask::Sort, 2, 0, 1).unwrap_err().to_string();
    assert_eq!(error, "a sorting instance needs at least one input");
}

#[test]
fn a_name_pool_without_test_names_is_an_error() {
    let error = NamesTask::new(NamePool { known: 5, rare: 5, test: 0 }).unwrap_err().to_string();
    assert_eq!(error, "the names task needs training and test names");
}

#[test]
fn training_lengths_that_are_no_range_are_an_error_before_training() {
    let run = Run::for_test(CRATE, 1);
    let config = PointerNetConfig {
        core: EncoderDecoderConfig { features: 1, embedding: 4, hidden: 4 },
        output: OutputKind::Pointer,
    };
    let training = Training { steps: 5, batch: 4, learning_rate: 1e-3, shortest: 9, longest: 5 };
    let mut record = run.record("errors");
    let error = train("backwards", &config, PointerTask::Sort, &training, 1, &run.device, &mut record)
        .expect_err("9..=5 is empty")
        .to_string();
    assert_eq!(error, "training lengths 9..=5 are not a range of input counts");
}

#[test]
fn a_diverging_run_stops_with_a_message_naming_it() {
    let run = Run::for_test(CRATE, 1);
    let config = PointerNetConfig {
        core: EncoderDecoderConfig { features: 1, embedding: 4, hidden: 4 },
        output: OutputKind::Pointer,
    };
    let training = Training { steps: 30, batch: 4, learning_rate: f64::NAN, shortest: 3, longest: 4 };
    let mut record = run.record("errors");
    let error = train("wild", &config, PointerTask::Sort, &training, 1, &run.device, &mut record)
        .expect_err("a NaN step poisons the weights");
    let message = format!("{error:#}");
    assert!(message.contains("wild diverged") && message.contains("training loss"), "{message}");
}
