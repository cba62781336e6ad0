//! One track per object: tracks of one object are merged, and a track about to be confirmed is
//! first taken for a lost firm track's object reacquired (the rules are in the parent module's
//! documentation, "One track per object" and "Reacquisition before confirmation").

use super::{ScanOutcome, Track, TrackManager, TrackStatus};
use crate::ids::TrackId;
use crate::track::filter::{BallisticFilter, track_distance};

impl<F: BallisticFilter + Clone> TrackManager<F> {
    /// Tracks updated in the same scan by different measurements are different objects.
    pub(super) fn note_distinct(&mut self, updated: &[(TrackId, usize)]) {
        for &(a, _) in updated {
            for &(b, _) in updated {
                if a != b {
                    let list = &mut self.tracks[a.slot() - 1].distinct_from;
                    if !list.contains(&b) {
                        list.push(b);
                    }
                }
            }
        }
    }

    /// Merges each track updated in this scan with the nearest live track that was not and that
    /// the track-to-track test takes for the same object: under the merge gate, or under the
    /// reacquisition gate for a tentative track about to be confirmed and a firm track.
    pub(super) fn merge_duplicates(&mut self, live: &[usize], out: &mut ScanOutcome) {
        let cfg = self.config;
        for u in 0..out.updated.len() {
            let a = out.updated[u].0.slot() - 1;
            if self.tracks[a].status == TrackStatus::Deleted {
                continue;
            }
            let confirming =
                self.tracks[a].status == TrackStatus::Tentative && self.tracks[a].hits() >= cfg.confirm_hits;
            let partner = live
                .iter()
                .copied()
                .filter_map(|b| {
                    let (ta, tb) = (&self.tracks[a], &self.tracks[b]);
                    let reacquiring = confirming && tb.status == TrackStatus::Firm;
                    let gate = cfg.merge_gate.max(if reacquiring { cfg.reacquire_gate } else { 0.0 });
                    if b == a
                        || gate <= 0.0
                        || tb.status == TrackStatus::Deleted
                        || ta.distinct_from.contains(&tb.id)
                        || !ta.cross_section.may_be_one_object(&tb.cross_section)
                    {
                        return None;
                    }
                    let d2 = track_distance(&ta.filter, &tb.filter, self.could_have_manoeuvred(b).as_ref())?;
                    (d2 <= gate).then_some((d2, b))
                })
                .min_by(|x, y| x.0.total_cmp(&y.0));
            let Some((_, b)) = partner else {
                continue;
            };
            // The track confirmed first (else the older) keeps its identity.
            let rank = |t: &Track<F>| (t.firm_s.is_none(), t.firm_s.unwrap_or(0.0), t.id);
            let (keep, gone) = if rank(&self.tracks[b]) < rank(&self.tracks[a]) {
                (b, a)
            } else {
                (a, b)
            };
            let gone_id = self.tracks[gone].id;
            let keep_id = self.tracks[keep].id;
            if keep == b {
                // The survivor takes the estimate just updated.
                let fresh = self.tracks[a].clone();
                let survivor = &mut self.tracks[b];
                survivor.filter = fresh.filter;
                survivor.manoeuvring = fresh.manoeuvring;
                survivor.level_evidence = fresh.level_evidence;
                survivor.cross_section = fresh.cross_section;
                survivor.last_update_s = fresh.last_update_s;
                survivor.updates += fresh.updates;
                // Just updated: no misses since, and the thrust measured on the estimate it takes.
                survivor.weighted_misses = fresh.weighted_misses;
                survivor.thrust_reference = fresh.thrust_reference;
                survivor.thrust_m_s2 = fresh.thrust_m_s2;
                for z in fresh.last_by_sensor {
                    survivor.note_detection(z);
                }
                survivor.look(true, self.config.confirm_window);
                if survivor.status == TrackStatus::Tentative && fresh.status == TrackStatus::Firm {
                    survivor.status = TrackStatus::Firm;
                    survivor.firm_s = fresh.firm_s;
                }
                survivor.add_distinct(fresh.distinct_from);
                out.updated[u].0 = keep_id;
            } else {
                let absorbed = std::mem::take(&mut self.tracks[b].distinct_from);
                let absorbed_seen = std::mem::take(&mut self.tracks[b].last_by_sensor);
                let absorbed_updates = self.tracks[b].updates;
                let survivor = &mut self.tracks[a];
                survivor.updates += absorbed_updates;
                // Detections by sensors the survivor has not had: what those sensors expect of it.
                for z in absorbed_seen {
                    if !survivor.last_by_sensor.iter().any(|m| m.sensor == z.sensor) {
                        survivor.last_by_sensor.push(z);
                    }
                }
                survivor.add_distinct(absorbed);
            }
            let loser = &mut self.tracks[gone];
            loser.status = TrackStatus::Deleted;
            loser.merged_into = Some(keep_id);
            out.deleted.push(gone_id);
            out.merged.push((gone_id, keep_id));
        }
    }
}
