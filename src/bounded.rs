//! Reading a whole file with a cap on its size.
//!
//! The size a file system reports cannot be trusted for pipes and devices
//! (`/dev/zero` reports 0 bytes and never ends), so the cap is enforced on
//! the bytes actually read: at most `limit + 1` are ever held.

use std::io::Read;
use std::path::Path;

/// What reading a file with a cap gave.
#[derive(Debug, PartialEq, Eq)]
pub enum Capped {
    /// All of it.
    Read(Vec<u8>),
    /// The file system reports this many bytes, more than the cap: nothing
    /// was read.
    Reported(u64),
    /// More than the cap was read (a pipe or device reports no size).
    Longer,
}

/// The file's bytes, or `None` when it holds more than `limit` bytes.
pub fn read_bounded(path: &Path, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    Ok(match read_capped(path, limit)? {
        Capped::Read(bytes) => Some(bytes),
        Capped::Reported(_) | Capped::Longer => None,
    })
}

/// The file's bytes, or how it is longer than `limit`. One open and one
/// `fstat`: the size it reports sizes the buffer, so a small file takes one
/// read of its data and one that sees the end (a `Take` gives `read_to_end`
/// no size, which then reads in growing steps from 32 bytes).
pub fn read_capped(path: &Path, limit: u64) -> std::io::Result<Capped> {
    let file = std::fs::File::open(path)?;
    let reported = file.metadata()?.len();
    if reported > limit {
        return Ok(Capped::Reported(reported));
    }
    // One byte more than reported, so the end is seen without growing.
    let expected = usize::try_from(reported.saturating_add(1)).unwrap_or(usize::MAX);
    let mut bytes = Vec::with_capacity(expected);
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Ok(Capped::Longer);
    }
    Ok(Capped::Read(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_is_cut_off_at_the_limit() {
        if Path::new("/dev/zero").exists() {
            assert_eq!(read_bounded(Path::new("/dev/zero"), 1024).unwrap(), None);
            assert_eq!(
                read_capped(Path::new("/dev/zero"), 1024).unwrap(),
                Capped::Longer
            );
        }
    }

    #[test]
    fn a_file_is_read_whole_up_to_the_limit_and_refused_beyond_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ten.txt");
        std::fs::write(&path, b"0123456789").unwrap();
        assert_eq!(
            read_capped(&path, 10).unwrap(),
            Capped::Read(b"0123456789".to_vec())
        );
        assert_eq!(read_capped(&path, 9).unwrap(), Capped::Reported(10));
        assert_eq!(read_bounded(&path, 9).unwrap(), None);
        std::fs::write(&path, b"").unwrap();
        assert_eq!(read_capped(&path, 0).unwrap(), Capped::Read(Vec::new()));
    }
}
