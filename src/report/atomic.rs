//! Reports are written atomically: each to a temporary file beside its
//! target, renamed into place only when the run has written everything.
//! On an error the temporary file is removed (on drop) and an earlier report
//! at the target is left as it was; on an interrupt the binary calls
//! [`remove_temporaries`] from its signal handler. A target that exists and
//! is not a regular file (a FIFO, `/dev/stdout`) is written in place.
//!
//! Also here: whether two paths name the same file (device and inode, so
//! `./cat.csv` and a symlink to it are caught), to refuse to write a report
//! over an input.

use super::Error;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;

/// Temporary files not yet renamed into place, for the signal handler.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static SERIAL: AtomicU32 = AtomicU32::new(0);

/// What to do before the first temporary file is created (see
/// [`before_first_temporary`]), and whether it was done.
static BEFORE_FIRST: std::sync::OnceLock<fn()> = std::sync::OnceLock::new();
static FIRST: std::sync::Once = std::sync::Once::new();

/// Has `hook` called once, before this process creates its first temporary
/// report file: the binary installs its signal handler there, so that a run
/// that writes no report file starts no thread for signals (part of a
/// one-shot run's start-up) and dies of an interrupt as any program does.
pub fn before_first_temporary(hook: fn()) {
    let _ = BEFORE_FIRST.set(hook);
}

/// Removes every temporary report file of this process (on SIGINT/SIGTERM).
pub fn remove_temporaries() {
    if let Ok(mut live) = LIVE.lock() {
        for path in live.drain(..) {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn register(path: &Path) {
    FIRST.call_once(|| {
        if let Some(hook) = BEFORE_FIRST.get() {
            hook();
        }
    });
    if let Ok(mut live) = LIVE.lock() {
        live.push(path.to_path_buf());
    }
}

fn unregister(path: &Path) {
    if let Ok(mut live) = LIVE.lock() {
        live.retain(|p| p != path);
    }
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.display().to_string(),
        source,
    }
}

pub struct AtomicFile {
    target: PathBuf,
    /// None: written in place (not a regular file).
    temporary: Option<PathBuf>,
    file: BufWriter<File>,
}

impl AtomicFile {
    /// Opens a temporary file beside `target` (created new, never through an
    /// existing path).
    pub fn create(target: &Path) -> Result<AtomicFile, Error> {
        if let Ok(meta) = std::fs::metadata(target) {
            if !meta.is_file() {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(target)
                    .map_err(io_error(target))?;
                return Ok(AtomicFile {
                    target: target.to_path_buf(),
                    temporary: None,
                    file: BufWriter::new(file),
                });
            }
        }
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "report".into());
        let dir = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let serial = SERIAL.fetch_add(1, Ordering::Relaxed);
        let temporary = dir.join(format!(
            ".{name}.chipcheck-{}-{serial}.tmp",
            std::process::id()
        ));
        register(&temporary);
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
            .map_err(|e| {
                unregister(&temporary);
                io_error(target)(e)
            })?;
        Ok(AtomicFile {
            target: target.to_path_buf(),
            temporary: Some(temporary),
            file: BufWriter::new(file),
        })
    }

    pub fn write_all(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.file.write_all(bytes).map_err(io_error(&self.target))
    }

    /// Everything is written: flush, and rename into place.
    pub fn commit(mut self) -> Result<(), Error> {
        self.file.flush().map_err(io_error(&self.target))?;
        if let Some(temporary) = self.temporary.take() {
            let renamed = self
                .file
                .get_ref()
                .sync_all()
                .and_then(|_| std::fs::rename(&temporary, &self.target));
            if let Err(e) = renamed {
                let _ = std::fs::remove_file(&temporary);
                unregister(&temporary);
                return Err(io_error(&self.target)(e));
            }
            unregister(&temporary);
        }
        Ok(())
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Some(temporary) = self.temporary.take() {
            let _ = std::fs::remove_file(&temporary);
            unregister(&temporary);
        }
    }
}

/// The file a path names (device and inode), when it exists.
#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(path: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(path).ok()
}

/// A path spelled canonically even when the file does not exist yet: its
/// directory resolved, then its name.
fn spelled(path: &Path) -> PathBuf {
    let name = path.file_name().map(PathBuf::from).unwrap_or_default();
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::canonicalize(dir)
        .map(|d| d.join(&name))
        .unwrap_or_else(|_| path.to_path_buf())
}

/// Do two paths name the same file (existing or to be created)?
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (identity(a), identity(b)) {
        (Some(x), Some(y)) => x == y,
        (None, None) => spelled(a) == spelled(b),
        _ => false,
    }
}

/// Refuses outputs that would overwrite an input, and two outputs to one file.
pub fn check_outputs(inputs: &[&Path], outputs: &[&Path]) -> Result<(), Error> {
    for (i, out) in outputs.iter().enumerate() {
        if let Some(input) = inputs.iter().find(|input| same_file(input, out)) {
            return Err(Error::Usage(format!(
                "--output {}: that is the input {}; chipcheck never writes over an input",
                out.display(),
                input.display()
            )));
        }
        if let Some(other) = outputs[..i].iter().find(|o| same_file(o, out)) {
            return Err(Error::Usage(format!(
                "--output {}: {} is already an output; give each report its own path",
                out.display(),
                other.display()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_uncommitted_file_leaves_the_target_alone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("r.csv");
        std::fs::write(&target, "old").unwrap();
        {
            let mut f = AtomicFile::create(&target).unwrap();
            f.write_all(b"new").unwrap();
        }
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let mut f = AtomicFile::create(&target).unwrap();
        f.write_all(b"new").unwrap();
        f.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
    }

    #[test]
    fn same_file_sees_through_spelling() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        std::fs::write(&a, "x").unwrap();
        let dotted = dir.path().join(".").join("a.csv");
        assert!(same_file(&a, &dotted));
        assert!(same_file(
            &dir.path().join("new.json"),
            &dir.path().join("./new.json")
        ));
        assert!(!same_file(&a, &dir.path().join("b.csv")));
    }
}
