//! Gaussian-process regression for model-based search (Snoek, Larochelle and Adams 2012):
//! [`cholesky`] factors the covariance, [`kernel`] is the Matern 5/2 covariance,
//! [`gaussian_process`] the posterior and the marginal-likelihood fit, [`expected_improvement`]
//! the acquisition function.

pub mod cholesky;
pub mod expected_improvement;
pub mod gaussian_process;
pub mod kernel;
