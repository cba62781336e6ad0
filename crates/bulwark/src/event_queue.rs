//! A discrete-event queue: items ordered by time, ties broken by the order in which they were
//! scheduled, so that a run that schedules the same items in the same order pops them in the same
//! order whatever else happens (the determinism every run and every sensor network relies on).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// One scheduled item.
#[derive(Debug, Clone, Copy)]
struct Entry<T> {
    t_s: f64,
    seq: u64,
    item: T,
}

impl<T> PartialEq for Entry<T> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl<T> Eq for Entry<T> {}
impl<T> PartialOrd for Entry<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Entry<T> {
    /// Reversed: the heap pops the earliest time, then the earliest scheduled.
    fn cmp(&self, other: &Self) -> Ordering {
        other.t_s.total_cmp(&self.t_s).then(other.seq.cmp(&self.seq))
    }
}

/// Items popped in time order (s), first scheduled first among equal times.
#[derive(Debug, Clone)]
pub struct EventQueue<T> {
    heap: BinaryHeap<Entry<T>>,
    seq: u64,
}

impl<T> Default for EventQueue<T> {
    fn default() -> Self {
        Self {
            heap: BinaryHeap::new(),
            seq: 0,
        }
    }
}

impl<T> EventQueue<T> {
    /// An empty queue.
    pub fn new() -> Self {
        Self::default()
    }

    /// Schedules `item` at `t_s`.
    pub fn push(&mut self, t_s: f64, item: T) {
        self.seq += 1;
        self.heap.push(Entry {
            t_s,
            seq: self.seq,
            item,
        });
    }

    /// The earliest item and its time, or `None` when the queue is empty.
    pub fn pop(&mut self) -> Option<(f64, T)> {
        self.heap.pop().map(|e| (e.t_s, e.item))
    }

    /// Number of items scheduled and not yet popped.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether nothing is scheduled.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_by_time_then_by_scheduling_order() {
        let mut q = EventQueue::new();
        q.push(2.0, "c");
        q.push(1.0, "a");
        q.push(2.0, "d");
        q.push(1.0, "b");
        q.push(-0.0, "z");
        q.push(0.0, "zz");
        let order: Vec<&str> = std::iter::from_fn(|| q.pop().map(|p| p.1)).collect();
        // total_cmp: −0 before +0.
        assert_eq!(order, ["z", "zz", "a", "b", "c", "d"]);
        assert!(q.is_empty());
    }
}
