//! Claim 4 (Neural Turing Machine on copy) at `--quick` size with a fixed seed.

use lecture_08_attention::experiments::ntm_copy;
use shared::experiment::Run;

#[test]
fn claim_the_ntm_copies_with_fewer_parameters_and_generalises_longer() {
    let run = Run::for_test("lecture-08-attention", 7);
    let config = ntm_copy::Config::for_run(&run);
    let outcome = ntm_copy::run(&run, &config).unwrap();
    let (ntm, lstm) = (&outcome.ntm, &outcome.lstm);
    let (trained, twice) = (config.longest, 2 * config.longest);
    // Quick size: 4-bit vectors, lengths 1-5, 1000 steps. Measured bit errors per sequence
    // (seed 7, flex): NTM (6,128 parameters) 0.17 at length 5 and 2.83 at length 10; LSTM
    // (39,940 parameters) 2.38 and 16.95. With 600 steps this seed's NTM had not converged
    // yet (1.67 at length 5): NTM training is seed-sensitive.
    assert!(ntm.at(trained) < 0.5, "{ntm:?}");
    assert!(4 * ntm.parameters < lstm.parameters, "{} vs {}", ntm.parameters, lstm.parameters);
    assert!(ntm.at(twice) < 0.5 * lstm.at(twice), "{ntm:?} {lstm:?}");
}
