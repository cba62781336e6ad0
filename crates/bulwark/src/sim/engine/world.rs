//! The world of one run: the truth the sensors look at and the shooters act on — every object in
//! the sky, when it was killed and where it landed. The battle manager never reads it (it sees
//! tracks only); sensing reads positions from it, the endgame writes kills into it.

use nalgebra::Vector3;

use crate::earth::Geodetic;
use crate::flight::RcsByBand;
use crate::ids::{AreaId, ObjectId};
use crate::sim::truth::TruthObject;

/// Truth, object by object (indices as in the flown raid: each threat's warhead first).
pub(in crate::sim) struct World {
    /// The objects, with their flights.
    pub(in crate::sim) objects: Vec<TruthObject>,
    /// When each object was killed (s).
    pub(in crate::sim) killed_s: Vec<Option<f64>>,
    /// Where and when each object landed, and the defended area it landed in.
    pub(in crate::sim) impacts: Vec<Option<(f64, Geodetic, Option<AreaId>)>>,
}

impl World {
    /// The world of `objects`, nothing killed or landed yet.
    pub(in crate::sim) fn new(objects: Vec<TruthObject>) -> Self {
        let n = objects.len();
        Self {
            objects,
            killed_s: vec![None; n],
            impacts: vec![None; n],
        }
    }

    /// The objects' ids, in order.
    pub(in crate::sim) fn ids(&self) -> impl Iterator<Item = ObjectId> + use<> {
        ObjectId::all(self.objects.len())
    }

    /// Whether object `k` is in the sky at `t_s`: released, not yet landed, not killed.
    pub(in crate::sim) fn alive(&self, k: ObjectId, t_s: f64) -> bool {
        let o = &self.objects[k];
        t_s >= o.appears_s() && t_s <= o.impact_s() && !self.killed_by(k, t_s)
    }

    /// Object `k`'s ECEF position (m), earth-relative velocity (m/s) and cross-sections (m², by band) at
    /// `t_s`, when it is in the sky then: what a radar looks at. A killed object flies on as
    /// debris: a hit-to-kill intercept breaks the target up, but its fragments keep its momentum
    /// and stay on nearly its path to the ground, in the radars' view, which is what makes kill
    /// assessment uncertain (a debris track assessed alive draws another salvo).
    pub(in crate::sim) fn seen_at(&self, k: ObjectId, t_s: f64) -> Option<(Vector3<f64>, Vector3<f64>, RcsByBand)> {
        self.objects[k].object.seen_at(t_s)
    }

    /// Whether object `k` was killed at or before `t_s`.
    fn killed_by(&self, k: ObjectId, t_s: f64) -> bool {
        self.killed_s[k].is_some_and(|tk| t_s >= tk)
    }
}
