//! The catalogue audit: one verdict per CSV row, streamed.
//!
//! (Being built: see issue 3.)

use crate::cli::Error;
use crate::rules::RuleSet;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct AuditArgs {
    /// The catalogue CSV (`-` for standard input).
    #[arg(value_name = "CATALOGUE")]
    pub catalogue: PathBuf,

    #[command(flatten)]
    pub query: crate::cli::Destinations,
}

pub fn run(_rules: &RuleSet, _args: AuditArgs, _out: &mut dyn Write) -> Result<i32, Error> {
    Err(Error::Usage("audit is not built yet".into()))
}
