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
}
