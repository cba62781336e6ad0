//! The truth behind the tracks: which object each local and system track follows, judged by the
//! measurements it was fed, and the discrimination model that turns that truth into the verdict
//! the battle manager is given.
//!
//! The log names the object behind every track (an analyst's view of the run, truth included).
//! The battle manager never sees an object: it asks [`TrackTruth::classified_as_warhead`], the
//! sensors' discrimination verdict on a track, which is right with the doctrine's discrimination
//! probability when the track's missile released decoys (one draw per object, from the stream
//! keyed [`StreamKey::Discrimination`]).

use rand::RngExt;

use super::world::World;
use crate::flight::ObjectKind;
use crate::ids::{ObjectId, RadarId, TrackId};
use crate::random::StreamKey;

/// How much an update's count towards the object behind a system track fades at each later update
/// of the track: a memory of about ten updates.
const RECENT_FADE: f64 = 0.1;

/// How many of a track's recent updates came from each object, in order of first appearance: each
/// update counts 1, fading by [`RECENT_FADE`] at every later update.
#[derive(Debug, Clone, Default)]
struct RecentObjects(Vec<(ObjectId, f64)>);

impl RecentObjects {
    /// An update with a measurement of `object`.
    fn note(&mut self, object: ObjectId) {
        for (_, n) in &mut self.0 {
            *n *= 1.0 - RECENT_FADE;
        }
        self.add(object, 1.0);
    }

    fn add(&mut self, object: ObjectId, n: f64) {
        match self.0.iter_mut().find(|(k, _)| *k == object) {
            Some(slot) => slot.1 += n,
            None => self.0.push((object, n)),
        }
    }

    /// Another track's counts, taken as they stand.
    fn absorb(&mut self, other: RecentObjects) {
        for (object, n) in other.0 {
            self.add(object, n);
        }
    }

    /// The object with the largest count (ties: the one seen first).
    fn leader(&self) -> Option<ObjectId> {
        self.0
            .iter()
            .fold(None, |best: Option<(ObjectId, f64)>, &(k, n)| match best {
                Some((_, m)) if m >= n => best,
                _ => Some((k, n)),
            })
            .map(|(k, _)| k)
    }
}

/// Which object each track follows, the objects' names for the log, and the discrimination
/// model.
pub(super) struct TrackTruth {
    /// Per radar, the object behind each local track, by track number.
    local: Vec<Vec<Option<ObjectId>>>,
    /// Per system track (by number), how many of its recent updates came from each object.
    system: Vec<RecentObjects>,
    /// Each object's name (`threat/kind`).
    names: Vec<String>,
    /// Each object's kind.
    kinds: Vec<ObjectKind>,
    /// Whether each object's missile released decoys.
    among_decoys: Vec<bool>,
    /// The discrimination draw of each object, made when first needed.
    draws: Vec<Option<bool>>,
    /// Probability that discrimination is right.
    discrimination_probability: f64,
    seed: u64,
    trial: u64,
}

impl TrackTruth {
    /// No track yet, over the objects of `world`, seen by `radars` radars.
    pub(super) fn new(world: &World, radars: usize, discrimination_probability: f64, seed: u64, trial: u64) -> Self {
        let objects = &world.objects;
        // Which threats released decoys, then each object's (linear in the objects).
        let threats = objects.iter().map(|o| o.threat.index() + 1).max().unwrap_or(0);
        let mut released_decoys = vec![false; threats];
        for o in objects.iter().filter(|o| matches!(o.kind, ObjectKind::Decoy(_))) {
            released_decoys[o.threat] = true;
        }
        let among_decoys = objects.iter().map(|o| released_decoys[o.threat]).collect();
        Self {
            local: vec![Vec::new(); radars],
            system: Vec::new(),
            names: objects.iter().map(|o| o.name.clone()).collect(),
            kinds: objects.iter().map(|o| o.kind).collect(),
            among_decoys,
            draws: vec![None; objects.len()],
            discrimination_probability,
            seed,
            trial,
        }
    }

    /// Local track `id` of `radar` was updated with a measurement of `object`.
    pub(super) fn local_update(&mut self, radar: RadarId, id: TrackId, object: ObjectId) {
        let labels = &mut self.local[radar];
        let i = id.slot();
        if labels.len() <= i {
            labels.resize(i + 1, None);
        }
        labels[i] = Some(object);
    }

    /// System track `id`'s counts (made on first use).
    fn system_counts(&mut self, id: TrackId) -> &mut RecentObjects {
        let i = id.slot();
        if self.system.len() <= i {
            self.system.resize(i + 1, RecentObjects::default());
        }
        &mut self.system[i]
    }

    /// System track `id` was updated with a measurement of `object`.
    pub(super) fn system_update(&mut self, id: TrackId, object: ObjectId) {
        self.system_counts(id).note(object);
    }

    /// System track `gone` was merged into `kept`: `kept` counts `gone`'s updates as its own.
    pub(super) fn system_merge(&mut self, gone: TrackId, kept: TrackId) {
        let Some(counts) = self.system.get_mut(gone.slot()).map(std::mem::take) else {
            return;
        };
        self.system_counts(kept).absorb(counts);
    }

    /// The object behind local track `id` of `radar`: the one that last updated it.
    pub(super) fn local_object(&self, radar: RadarId, id: TrackId) -> Option<ObjectId> {
        self.local[radar].get(id.slot()).copied().flatten()
    }

    /// The object that gave system track `id` most of its recent updates (ties: the one seen
    /// first): the object the track follows now. A track that held a missile through boost and
    /// kept its spent stage after separation follows the stage within a few updates, though most
    /// of its updates over its life were the missile's, labelled with its warhead: it is the stage
    /// that discrimination judges and that a round fired on the track flies at.
    pub(super) fn system_object(&self, id: TrackId) -> Option<ObjectId> {
        self.system.get(id.slot())?.leader()
    }

    /// An object's name for the log, `unknown` for none.
    pub(super) fn name(&self, object: Option<ObjectId>) -> String {
        object.map_or_else(|| "unknown".to_string(), |k| self.names[k].clone())
    }

    /// The name of the object behind system track `id`, for the log.
    pub(super) fn system_name(&self, id: TrackId) -> String {
        self.name(self.system_object(id))
    }

    /// The discrimination verdict on system track `id`: whether the object behind it is taken
    /// for a warhead. When its missile released decoys, the verdict is right with the
    /// discrimination probability (a warhead missed is not engaged; a decoy mistaken draws
    /// shots); otherwise the warhead is recognised and the spent stage is recognised as debris.
    /// A track that follows no object is not a warhead.
    pub(super) fn classified_as_warhead(&mut self, id: TrackId) -> bool {
        let Some(object) = self.system_object(id) else {
            return false;
        };
        let is_warhead = self.kinds[object].is_warhead();
        if !self.among_decoys[object] {
            return is_warhead;
        }
        let (p, seed, trial) = (self.discrimination_probability, self.seed, self.trial);
        *self.draws[object].get_or_insert_with(|| {
            let mut rng = StreamKey::Discrimination(object).stream(seed, trial);
            let correct = rng.random::<f64>() < p;
            if is_warhead { correct } else { !correct }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Thirty updates of a missile (labelled with its warhead, 0), then its spent stage's (1): the
    /// track is the stage's from the seventh stage update on (counts fading by a tenth: 10 >
    /// 19.58 × 0.9ⁿ first for n = 7), where over its whole life it would stay the warhead's.
    #[test]
    fn the_object_behind_a_track_is_the_one_of_its_recent_updates() {
        let (warhead, stage) = (ObjectId::new(0), ObjectId::new(1));
        let mut counts = RecentObjects::default();
        assert_eq!(counts.leader(), None);
        for _ in 0..30 {
            counts.note(warhead);
        }
        for _ in 0..6 {
            counts.note(stage);
        }
        assert_eq!(counts.leader(), Some(warhead));
        counts.note(stage);
        assert_eq!(counts.leader(), Some(stage));
        // A merged track's counts join as they stand; ties go to the object seen first.
        let mut other = RecentObjects::default();
        other.add(warhead, counts.0[1].1 - counts.0[0].1);
        counts.absorb(other);
        assert_eq!(counts.leader(), Some(warhead));
    }
}
