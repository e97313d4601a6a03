//! [`Keep`]: the most severe results up to a limit, in input order, with a
//! count of the rest. Collecting formats keep their rendered entries here,
//! so their memory is bounded by the limit however long the catalogue.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Severity, then input order reversed: the least severe, latest entry is
/// the heap's top once wrapped in `Reverse`, so it is the one to drop.
type Rank<T> = Reverse<(u8, Reverse<u64>, Entry<T>)>;

pub struct Keep<T> {
    limit: usize,
    seen: u64,
    heap: BinaryHeap<Rank<T>>,
    dropped: u64,
}

/// Results that fail the gate first, then by verdict severity.
pub fn gate_severity(item: &super::Item<'_>) -> u8 {
    let base: u8 = if item.fails { 10 } else { 0 };
    base.saturating_add(item.outcome.verdict.severity())
}

/// An entry, compared by position only (severity and order decide).
struct Entry<T>(T);

impl<T> PartialEq for Entry<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl<T> Eq for Entry<T> {}
impl<T> PartialOrd for Entry<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Entry<T> {
    fn cmp(&self, _: &Self) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
    }
}

impl<T> Keep<T> {
    pub fn new(limit: usize) -> Self {
        Keep {
            limit,
            seen: 0,
            heap: BinaryHeap::new(),
            dropped: 0,
        }
    }

    /// Would an entry of this severity be kept? (Saves rendering one that
    /// would be dropped at once.)
    pub fn wants(&self, severity: u8) -> bool {
        if self.heap.len() < self.limit {
            return true;
        }
        match self.heap.peek() {
            Some(Reverse((least, _, _))) => severity > *least,
            None => false,
        }
    }

    /// Offers an entry; counts it as dropped when it is not kept.
    pub fn offer(&mut self, severity: u8, make: impl FnOnce() -> T) {
        let order = self.seen;
        self.seen = self.seen.saturating_add(1);
        if !self.wants(severity) {
            self.dropped = self.dropped.saturating_add(1);
            return;
        }
        self.heap
            .push(Reverse((severity, Reverse(order), Entry(make()))));
        if self.heap.len() > self.limit {
            self.heap.pop();
            self.dropped = self.dropped.saturating_add(1);
        }
    }

    /// Entries offered but not kept.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// The kept entries, in the order they were offered.
    pub fn take(&mut self) -> Vec<T> {
        let mut all: Vec<_> = std::mem::take(&mut self.heap)
            .into_iter()
            .map(|Reverse((_, Reverse(order), Entry(t)))| (order, t))
            .collect();
        all.sort_by_key(|(order, _)| *order);
        all.into_iter().map(|(_, t)| t).collect()
    }
}

/// Where a kept entry's bytes are.
enum Slot {
    Memory(Box<[u8]>),
    Spilled { offset: u64, len: usize },
}

/// [`Keep`] for rendered entries whose bytes go to a spill file (an unnamed
/// temporary file, gone when dropped) when one is given: memory then holds
/// only their places, however large the entries. Without a spill file, or
/// if writing to it fails, entries stay in memory.
pub struct KeepBytes {
    keep: Keep<Slot>,
    spill: Option<std::io::BufWriter<std::fs::File>>,
    end: u64,
}

impl KeepBytes {
    pub fn new(limit: usize, spill_dir: Option<&std::path::Path>) -> Self {
        let spill = spill_dir
            .and_then(|dir| tempfile::tempfile_in(dir).ok())
            .map(|f| std::io::BufWriter::with_capacity(64 << 10, f));
        KeepBytes {
            keep: Keep::new(limit),
            spill,
            end: 0,
        }
    }

    pub fn offer(&mut self, severity: u8, make: impl FnOnce() -> Vec<u8>) {
        let (spill, end) = (&mut self.spill, &mut self.end);
        self.keep.offer(severity, || {
            let bytes = make();
            if let Some(w) = spill {
                use std::io::Write;
                if w.write_all(&bytes).is_ok() {
                    let slot = Slot::Spilled {
                        offset: *end,
                        len: bytes.len(),
                    };
                    *end = end.saturating_add(bytes.len() as u64);
                    return slot;
                }
            }
            Slot::Memory(bytes.into_boxed_slice())
        });
    }

    pub fn dropped(&self) -> u64 {
        self.keep.dropped()
    }

    /// Each kept entry, in the order offered.
    pub fn each(&mut self, mut f: impl FnMut(&[u8]) -> std::io::Result<()>) -> std::io::Result<()> {
        use std::io::{Read, Seek, SeekFrom};
        let mut file = match self.spill.take() {
            Some(w) => Some(w.into_inner().map_err(|e| e.into_error())?),
            None => None,
        };
        let mut scratch = Vec::new();
        for slot in self.keep.take() {
            match (slot, file.as_mut()) {
                (Slot::Memory(bytes), _) => f(&bytes)?,
                (Slot::Spilled { offset, len }, Some(file)) => {
                    scratch.resize(len, 0);
                    file.seek(SeekFrom::Start(offset))?;
                    file.read_exact(&mut scratch)?;
                    f(&scratch)?;
                }
                (Slot::Spilled { .. }, None) => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_most_severe_in_order() {
        let mut k = Keep::new(3);
        for (sev, name) in [(0, "a"), (3, "b"), (1, "c"), (3, "d"), (0, "e"), (2, "f")] {
            k.offer(sev, || name);
        }
        assert_eq!(k.take(), vec!["b", "d", "f"]);
        assert_eq!(k.dropped(), 3);
    }

    #[test]
    fn spilled_entries_read_back_in_order() {
        let dir = tempfile::tempdir().unwrap();
        for spill in [None, Some(dir.path())] {
            let mut k = KeepBytes::new(2, spill);
            for (sev, text) in [(1, "one"), (0, "zero"), (2, "two"), (1, "uno")] {
                k.offer(sev, || text.as_bytes().to_vec());
            }
            let mut seen = Vec::new();
            k.each(|b| {
                seen.push(String::from_utf8(b.to_vec()).unwrap());
                Ok(())
            })
            .unwrap();
            assert_eq!(seen, ["one", "two"]);
            assert_eq!(k.dropped(), 2);
        }
    }
}
