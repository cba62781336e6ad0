//! Names typed by people: the nearest known name to a misspelt one, for "did you mean" hints in
//! scenario errors, preset look-ups and the command line.

/// The known name nearest to `word`, if it is close enough to be a likely typo: a Levenshtein
/// distance of at most 2, or at most a third of the word's length for long words.
pub fn nearest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    // A known name that extends the word (`rcs` for `rcs_m2`) is a likely mistake too.
    let extends = |k: &str| word.chars().count() >= 3 && (k.starts_with(word) || word.starts_with(k));
    known
        .into_iter()
        .map(|k| (strsim::levenshtein(word, k), k))
        .filter(|(d, k)| *d <= limit || extends(k))
        .min_by_key(|(d, k)| (*d, *k))
        .map(|(_, k)| k)
}

/// `; did you mean 'x'?` when a near name exists, else nothing.
pub fn did_you_mean<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    nearest(word, known).map_or_else(String::new, |k| format!("; did you mean '{k}'?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_only_for_near_names() {
        assert_eq!(nearest("radr", ["radar", "name"]), Some("radar"));
        assert_eq!(nearest("launchers", ["launcher", "stock"]), Some("launcher"));
        assert_eq!(nearest("xyzzy", ["radar", "name"]), None);
        assert_eq!(nearest("rcs", ["mass_kg", "rcs_m2"]), Some("rcs_m2"));
        assert_eq!(did_you_mean("xy", ["xyz_override"]), "");
    }
}
