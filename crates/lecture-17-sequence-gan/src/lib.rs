//! Lecture 17: reinforcement learning and GANs for sentence generation.
//!
//! A discriminator cannot pass a gradient through a sampled word, so the generator learns from
//! it as a policy from a reward. The pieces, one per file: the language model that is both the
//! oracle and the generator ([`lstm_lm`]), sampling ([`sampling`]), the oracle setting
//! ([`oracle`]), the discriminator ([`discriminator`]), credit assignment by Monte Carlo
//! roll-outs ([`rollout`]), the policy gradient ([`policy_gradient`]), the supervised phases
//! ([`pretraining`]) and the game ([`seqgan`]). The experiments in [`experiments`] reproduce the
//! claims.

pub mod bench_workload;
pub mod discriminator;
pub mod experiments;
pub mod gradient_spread;
pub mod gumbel_softmax;
pub mod lstm_lm;
pub mod oracle;
pub mod policy_gradient;
pub mod pretraining;
pub mod rollout;
pub mod sampling;
pub mod seqgan;
pub mod sequences;
pub mod temperature;
