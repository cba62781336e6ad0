//! Typed identities: which radar, battery, threat, raid line, defended area, object or track a
//! number means.
//!
//! Every identity is an index (into the scenario's lists for radars, batteries, threats, raid
//! lines and areas; into the run's flown raid for objects; into a tracker's own numbering for
//! tracks), wrapped in its own type so that a battery index cannot be passed where a radar's is
//! expected and results never travel as names parsed back later. An id indexes a slice or `Vec`
//! of its things directly (`scenario.radars[radar_id]`). Ids serialise as the bare number, so
//! output files hold the same bytes as before they were typed.

use std::fmt;
use std::ops::{Index, IndexMut};

use serde::Serialize;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(u32);

        impl $name {
            /// The id of the thing at `index` of its list.
            ///
            /// # Panics
            /// When `index` exceeds `u32::MAX`, far beyond every count the loaders allow
            /// ([`crate::limits`]).
            #[inline]
            pub const fn new(index: usize) -> Self {
                assert!(index <= u32::MAX as usize, "an id beyond u32::MAX: a count the loader should have refused");
                Self(index as u32)
            }

            /// The index of the thing in its list.
            #[inline]
            pub const fn index(self) -> usize {
                self.0 as usize
            }

            /// The ids of a list of `count` things, in order.
            pub fn all(count: usize) -> impl DoubleEndedIterator<Item = Self> + ExactSizeIterator + Clone {
                (0..count).map(Self::new)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl<T> Index<$name> for [T] {
            type Output = T;
            #[inline]
            fn index(&self, id: $name) -> &T {
                &self[id.index()]
            }
        }

        impl<T> IndexMut<$name> for [T] {
            #[inline]
            fn index_mut(&mut self, id: $name) -> &mut T {
                &mut self[id.index()]
            }
        }

        impl<T> Index<$name> for Vec<T> {
            type Output = T;
            #[inline]
            fn index(&self, id: $name) -> &T {
                &self[id.index()]
            }
        }

        impl<T> IndexMut<$name> for Vec<T> {
            #[inline]
            fn index_mut(&mut self, id: $name) -> &mut T {
                &mut self[id.index()]
            }
        }
    };
}

typed_id!(
    /// A radar of the scenario (its index in `Scenario::radars`, the sensor network's nodes and
    /// the prepared radars).
    RadarId
);
typed_id!(
    /// A battery of the scenario (its index in `Scenario::batteries`).
    BatteryId
);
typed_id!(
    /// One missile of the raid (its index in `Scenario::threats`, after raid lines are expanded).
    ThreatId
);
typed_id!(
    /// A raid line: one `[[threat]]` entry of the scenario file, `count` missiles of one type
    /// (its index in `Scenario::raid_lines`).
    RaidLineId
);
typed_id!(
    /// A defended area of the scenario (its index in `Scenario::defended_areas`).
    AreaId
);
typed_id!(
    /// An object in the sky in one run: a warhead, a spent stage or a decoy (its index in the
    /// flown raid, each threat's objects together, the warhead first).
    ObjectId
);
typed_id!(
    /// An engagement of one run (a battery's decision to fire at a track), in the order made.
    EngagementId
);
typed_id!(
    /// One interceptor round of one run, in the order fired.
    RoundId
);

/// A track, numbered from 1 by the tracker that holds it (a radar's local tracker or the system
/// tracker), in the order started: unique within that tracker only, never reused. Written in the
/// event log as its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct TrackId(u32);

impl TrackId {
    /// The first track a tracker starts.
    pub const FIRST: Self = Self(1);

    /// The track numbered `number`.
    #[inline]
    pub const fn from_number(number: u32) -> Self {
        Self(number)
    }

    /// Its number (from 1).
    #[inline]
    pub const fn number(self) -> u32 {
        self.0
    }

    /// Its number as a position in a table with a slot for every number (slot 0 unused).
    #[inline]
    pub const fn slot(self) -> usize {
        self.0 as usize
    }

    /// The track started after this one.
    #[inline]
    pub const fn next(self) -> Self {
        Self(self.0 + 1)
    }
}

impl fmt::Display for TrackId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::useless_vec)] // indexing a Vec by an id is what is tested
    fn an_id_indexes_its_list_and_writes_as_its_number() {
        let names = vec!["a", "b", "c"];
        let id = RadarId::new(2);
        assert_eq!(names[id], "c");
        assert_eq!(names.as_slice()[id], "c");
        assert_eq!(id.index(), 2);
        assert_eq!(id.to_string(), "2");
        assert_eq!(
            toml::Value::try_from(TrackId::from_number(17)).unwrap(),
            toml::Value::Integer(17)
        );
        assert_eq!(
            BatteryId::all(3).map(BatteryId::index).collect::<Vec<_>>(),
            vec![0, 1, 2]
        );
    }

    #[test]
    fn ids_order_as_their_indices() {
        assert!(ObjectId::new(1) < ObjectId::new(2));
        let mut v = vec![EngagementId::new(5), EngagementId::new(1), EngagementId::new(3)];
        v.sort();
        assert_eq!(
            v,
            vec![EngagementId::new(1), EngagementId::new(3), EngagementId::new(5)]
        );
        assert_eq!(TrackId::FIRST.next().number(), 2);
    }
}
