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

#[cfg(test)]
mod tests {
    use super::INIT_TEMPLATE;

    /// The template as written parses, and so does every example in it
    /// once uncommented: what `init` offers must be valid.
    #[test]
    fn the_template_and_its_examples_parse() {
        crate::config::Config::parse("chipcheck.toml", INIT_TEMPLATE).expect("as written");
        let uncommented: String = INIT_TEMPLATE
            .lines()
            .map(|line| {
                let body = line.strip_prefix("# ").unwrap_or(line);
                let key = body.split(" = ").next().unwrap_or("");
                let is_toml = body.starts_with("[[")
                    || (body.contains(" = ")
                        && !key.is_empty()
                        && key.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
                if line.starts_with("# ") && is_toml {
                    body.to_string()
                } else {
                    line.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        assert!(uncommented.contains("[[screening_decision]]\nquery"));
        assert!(uncommented.contains("\nparty_lists = "));
        let config = crate::config::Config::parse("chipcheck.toml", &uncommented)
            .unwrap_or_else(|d| panic!("{d}\n{uncommented}"));
        assert_eq!(config.licenses.len(), 1);
        assert_eq!(config.party_lists.len(), 1);
        assert_eq!(config.screening_decisions.len(), 1);
        assert_eq!(config.ownership_checks.len(), 1);
    }
}
