//! Shared by the integration tests and the fitting bench.

pub mod learner;
