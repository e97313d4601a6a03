//! `chipcheck schema`, `completions` and `man`: generated from the types
//! and the flags; they need neither the project file nor the rules.

use super::super::args::{Cli, SchemaKind};
use super::super::write_out;
use crate::error::Error;
use std::io::Write;

/// `chipcheck schema spec`: the JSON Schema of the spec-sheet format.
pub fn schema(what: SchemaKind, out: &mut dyn Write) -> Result<i32, Error> {
    let text = match what {
        SchemaKind::Spec => {
            serde_json::to_string_pretty(&crate::schema::spec_schema()).unwrap_or_default()
        }
    };
    write_out(out, &text)?;
    Ok(0)
}

/// `chipcheck completions SHELL`.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> Result<i32, Error> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "chipcheck", &mut buf);
    write_out(out, &String::from_utf8_lossy(&buf))?;
    Ok(0)
}

/// `chipcheck man`: the man page (roff) on standard output; with a
/// directory, `chipcheck.1` and a page per subcommand (`chipcheck-classify.1`,
/// `chipcheck-rules-show.1`, ...), the pages the main one refers to.
pub fn man(dir: Option<&std::path::Path>, out: &mut dyn Write) -> Result<i32, Error> {
    let cmd = <Cli as clap::CommandFactory>::command();
    let io = |path: String| move |source| Error::Io { path, source };
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir).map_err(io(dir.display().to_string()))?;
        clap_mangen::generate_to(cmd, dir).map_err(io(dir.display().to_string()))?;
        return Ok(0);
    }
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut buf)
        .map_err(io("<man page>".into()))?;
    write_out(out, &String::from_utf8_lossy(&buf))?;
    Ok(0)
}
