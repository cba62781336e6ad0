//! The presets a scenario names, and the texts this build embeds for them: what a replication
//! bundle records beside the scenario (the CLI's `bulwark bundle`), so that a later re-run can tell
//! whether it loads the same presets.

use super::overrides::{INTERCEPTORS, MISSILES, RADARS};
use crate::preset_file::Embedded;

/// The three kinds of preset a scenario names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PresetKind {
    /// A missile (`[[threat]] missile`), `data/presets`.
    Missile,
    /// A radar (`[[radar]] preset`), `data/radars`.
    Radar,
    /// An interceptor (`[[battery]] interceptor`), `data/interceptors`.
    Interceptor,
}

impl PresetKind {
    /// Every kind.
    pub const ALL: [PresetKind; 3] = [PresetKind::Missile, PresetKind::Radar, PresetKind::Interceptor];

    /// The kind's name: `missile`, `radar` or `interceptor`.
    pub fn name(self) -> &'static str {
        match self {
            PresetKind::Missile => "missile",
            PresetKind::Radar => "radar",
            PresetKind::Interceptor => "interceptor",
        }
    }

    /// The kind called `name` ([`PresetKind::name`]).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The folder of `data/` that holds these presets: `presets` (missiles), `radars` or
    /// `interceptors`.
    pub fn data_folder(self) -> &'static str {
        self.embedded().folder.trim_start_matches("data/")
    }

    /// The names of the bundled presets of this kind, sorted.
    pub fn preset_names(self) -> Vec<&'static str> {
        self.embedded().names()
    }

    fn embedded(self) -> Embedded {
        match self {
            PresetKind::Missile => MISSILES,
            PresetKind::Radar => RADARS,
            PresetKind::Interceptor => INTERCEPTORS,
        }
    }

    /// The scenario key that names a preset of this kind, and its table: (`threat`, `missile`),
    /// (`radar`, `preset`) or (`battery`, `interceptor`).
    fn key(self) -> (&'static str, &'static str) {
        match self {
            PresetKind::Missile => ("threat", "missile"),
            PresetKind::Radar => ("radar", "preset"),
            PresetKind::Interceptor => ("battery", "interceptor"),
        }
    }
}

/// The presets scenario `text` names, each once, sorted by kind and then name (lower case, as the
/// loader matches them). The text should have loaded ([`super::parse_scenario`]); one that is not
/// TOML names none.
pub fn presets_named(text: &str) -> Vec<(PresetKind, String)> {
    let Ok(doc) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let mut out: Vec<(PresetKind, String)> = PresetKind::ALL
        .iter()
        .flat_map(|&kind| {
            let (table, key) = kind.key();
            doc.get(table)
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
                .filter_map(move |entry| entry.get(key)?.as_str().map(|n| (kind, n.trim().to_ascii_lowercase())))
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The text this build embeds for preset `name` of `kind`, with its file path in the repository
/// (`data/presets/nodong.toml`); None for a name it does not know.
pub fn embedded_preset(kind: PresetKind, name: &str) -> Option<(String, &'static str)> {
    kind.embedded().find(name).ok().map(|(text, path)| (path, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_korean_scenario_names_its_presets_once_each() {
        let text = include_str!("../../../../scenarios/korea-2017.toml");
        let named = presets_named(text);
        assert!(named.contains(&(PresetKind::Missile, "nodong".into())), "{named:?}");
        assert!(named.contains(&(PresetKind::Radar, "an-tpy-2-tbr".into())), "{named:?}");
        assert!(named.contains(&(PresetKind::Interceptor, "thaad".into())), "{named:?}");
        let mut sorted = named.clone();
        sorted.dedup();
        assert_eq!(sorted, named, "each once");
        for (kind, name) in &named {
            let (path, text) = embedded_preset(*kind, name).unwrap();
            assert!(path.ends_with(&format!("{name}.toml")) && !text.is_empty(), "{path}");
        }
        assert!(embedded_preset(PresetKind::Missile, "no-such-missile").is_none());
        assert!(presets_named("not [ toml").is_empty());
    }
}
