//! Reading a catalogue: how its cells are read (figures, placeholders,
//! booleans) and the options that say how the file is written.
//!
//! The audit (`audit.rs`) asks this module for cells; the rules here are the
//! only place a catalogue's text becomes a figure.

pub mod cells;

use crate::number::DecimalMark;
use clap::Args;

/// How the catalogue is written, when it differs from plain CSV with a
/// decimal point.
#[derive(Args, Debug, Clone, Default)]
pub struct InputArgs {
    /// Figures use a decimal comma (`1.979,5`): `,` marks the decimals and
    /// `.` may only group thousands. Without it, `,` may only group
    /// thousands (`1,979.5`) and anything else is a row error.
    #[arg(long)]
    pub decimal_comma: bool,
}

impl InputArgs {
    /// The decimal mark figures are read with.
    pub fn decimal_mark(&self) -> DecimalMark {
        if self.decimal_comma {
            DecimalMark::Comma
        } else {
            DecimalMark::Point
        }
    }
}
