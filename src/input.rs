//! Reading input files: bounded in size, UTF-8 checked, and hashed for the
//! audit trail. Every spec sheet, mapping file and project file read by a
//! command goes through here, so the limits and messages are the same.

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::spec::{ChipSpec, MAX_SPEC_BYTES};
use std::path::Path;

/// Reads a spec sheet from disk, bounded in size, with the SHA-256 of the
/// bytes read (for the audit trail: the file is read once).
pub fn read_spec(path: &Path) -> Result<(ChipSpec, InputFile), Error> {
    let text = read_text(path, MAX_SPEC_BYTES as u64, "spec sheet")?;
    let shown = path.display().to_string();
    let file = InputFile {
        path: shown.clone(),
        sha256: sha256(text.as_bytes()),
    };
    Ok((spec_from_text(&shown, &text)?, file))
}

/// A spec sheet's text as a spec; one holding only a name is the library
/// chip of that name (or an error that says how to ask for one).
pub fn spec_from_text(shown: &str, text: &str) -> Result<ChipSpec, Error> {
    let spec = ChipSpec::from_toml(shown, text)?;
    if !spec.is_name_only() {
        return Ok(spec);
    }
    // A spec holding only a name says which chip, not what it is: look it
    // up in the library as a catalogue row is, or say how to ask.
    match crate::library::chip(&spec.name) {
        Ok(found) => Ok(found.clone()),
        Err(e) => Err(Diagnostic::new(
            shown,
            format!(
                "the spec holds only a name, and {e}; for a library chip pass --chip NAME, otherwise give its figures ([compute], [die], [io])"
            ),
        )
        .into()),
    }
}

/// Reads a UTF-8 text file of at most `limit` bytes; `what` names it in errors.
pub fn read_text(path: &Path, limit: u64, what: &str) -> Result<String, Error> {
    let shown = path.display().to_string();
    let io = |source| Error::Io {
        path: shown.clone(),
        source,
    };
    // One open and one `fstat` for the size and the bytes.
    let bytes = match crate::bounded::read_capped(path, limit).map_err(io)? {
        crate::bounded::Capped::Read(bytes) => bytes,
        crate::bounded::Capped::Reported(len) => {
            return Err(Diagnostic::new(
                &shown,
                format!("the {what} is {len} bytes; the limit is {limit}"),
            )
            .into())
        }
        // Bounded on the bytes read too, not only the size reported: a pipe
        // or device (`/dev/zero`) reports none and may never end.
        crate::bounded::Capped::Longer => {
            return Err(Diagnostic::new(
                &shown,
                format!("the {what} is longer than the limit of {limit} bytes"),
            )
            .into())
        }
    };
    text_from_bytes(&shown, bytes, what)
}

/// Bytes already read (a file, or standard input) as UTF-8 text; `shown`
/// names the source in errors.
pub fn text_from_bytes(shown: &str, bytes: Vec<u8>, what: &str) -> Result<String, Error> {
    String::from_utf8(bytes).map_err(|e| {
        Diagnostic::new(
            shown,
            format!(
                "the {what} is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
        .into()
    })
}

/// Whether a read of `path` may wait on another process: `-` (standard
/// input), a FIFO, a socket or a device. A regular file never does, and a
/// directory or a missing path only fails to read. A run that stops early
/// (a report it cannot write: a full disk, an output FIFO whose reader
/// left) must not be left waiting on such a read in a thread it joins, so
/// these are read on the run's own thread.
pub fn may_wait(path: &Path) -> bool {
    path.as_os_str() == "-" || std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// SHA-256 of some bytes, as reports record it (`sha256:<hex>`).
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    format!("sha256:{:x}", Sha256::digest(bytes))
}

/// SHA-256 of a file's bytes, for the audit trail (empty if unreadable).
pub fn file_sha256(path: &Path) -> String {
    match std::fs::read(path) {
        Ok(bytes) => sha256(&bytes),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only standard input (and FIFOs and devices, not made here) may keep
    /// a read waiting; a file, a directory and a missing path never do.
    #[test]
    fn only_standard_input_and_special_files_may_wait() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let file = dir.path().join("spec.toml");
        std::fs::write(&file, "name = \"x\"\n").expect("write");
        assert!(may_wait(Path::new("-")));
        assert!(!may_wait(&file));
        assert!(!may_wait(dir.path()));
        assert!(!may_wait(&dir.path().join("missing.toml")));
    }

    #[test]
    fn hashes_are_prefixed_lowercase_hex() {
        assert_eq!(
            sha256(b"abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(file_sha256(Path::new("no/such/file")), "");
    }

    #[test]
    fn invalid_utf8_names_the_offset() {
        let err = text_from_bytes("x.toml", vec![b'a', 0xff], "spec sheet").unwrap_err();
        assert!(err.to_string().contains("offset 1"), "{err}");
    }
}

/// An input file and the SHA-256 of the bytes read from it, as every
/// report's provenance records it.
#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq)]
pub struct InputFile {
    pub path: String,
    pub sha256: String,
}
