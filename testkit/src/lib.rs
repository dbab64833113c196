//! Test tooling for clientgen, kept out of the generator's core: spec-valid sample values and
//! a loose JSON Schema check ([`synth`]), and the conformance test a generated crate gets when
//! its maintainer asks for one ([`conformance`]). clientgen depends on this crate, never the
//! other way round: the emitter reads a [`conformance::ConformancePlan`] that clientgen builds
//! from its IR.
#![deny(missing_docs)]

pub mod conformance;
pub mod synth;
