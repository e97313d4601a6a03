//! The crate-wide error: what can go wrong in a run. The binary reports it on
//! stderr with exit status 2; the library only returns it.

use crate::diagnostic::Diagnostic;
use crate::rules::RulesError;

/// What can go wrong, reported by `main` on stderr with exit status 2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Input(Box<Diagnostic>),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Rules(#[from] RulesError),
    #[error(transparent)]
    Lookup(#[from] crate::library::LookupError),
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::Input(Box::new(d))
    }
}
