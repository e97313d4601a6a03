//! `chipcheck init`: a commented chipcheck.toml in this directory.

use super::super::write_out;
use crate::error::Error;
use std::io::Write;
use std::path::Path;

const INIT_TEMPLATE: &str = include_str!("../../init-template.toml");

pub fn run(force: bool, out: &mut dyn Write) -> Result<i32, Error> {
    let path = Path::new(crate::config::CONFIG_FILE);
    if path.exists() && !force {
        return Err(Error::Usage(format!(
            "{} already exists; pass --force to overwrite it",
            path.display()
        )));
    }
    std::fs::write(path, INIT_TEMPLATE).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    write_out(out, &format!("wrote {}\n", path.display()))?;
    Ok(0)
}
