//! Reading a whole file with a cap on its size.
//!
//! The size a file system reports cannot be trusted for pipes and devices
//! (`/dev/zero` reports 0 bytes and never ends), so the cap is enforced on
//! the bytes actually read: at most `limit + 1` are ever held.

use std::io::Read;
use std::path::Path;

/// The file's bytes, or `None` when it holds more than `limit` bytes.
pub fn read_bounded(path: &Path, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Ok(None);
    }
    Ok(Some(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_is_cut_off_at_the_limit() {
        if Path::new("/dev/zero").exists() {
            assert_eq!(read_bounded(Path::new("/dev/zero"), 1024).unwrap(), None);
        }
    }
}
