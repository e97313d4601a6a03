//! chipcheck: tells whether an AI chip needs a US export licence under ECCN
//! 3A090/4A090, and explains why.
//!
//! The library does the work; `main.rs` only parses flags and reports errors.
//! Rules are data (`rules/*.toml`, compiled in); the engine evaluates them in
//! three-valued logic so that a missing figure is never read as zero.

// Input must never panic the library: no unwrap/expect/panic outside tests,
// and arithmetic that could overflow is checked.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::arithmetic_side_effects
    )
)]

pub mod bounded;
pub mod catalogue;
pub mod cli;
pub mod compiled;
pub mod condition;
pub mod config;
pub mod country;
pub mod diagnostic;
pub mod engine;
pub mod error;
pub mod guard;
pub mod input;
pub mod library;
pub mod metrics;
pub mod number;
pub mod parties;
pub mod precision;
pub mod report;
pub mod rules;
pub mod schema;
pub mod screening;
pub mod spec;
pub mod truth;
pub mod verdict;
pub mod views;

pub use engine::{evaluate, evaluate_all, Outcome, Query, Subject};
pub use rules::RuleSet;
pub use spec::ChipSpec;
pub use verdict::Verdict;

/// chipcheck's version, recorded in every report.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
