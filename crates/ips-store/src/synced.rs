//! Conflict copies made by file-sync services. When two people save the same file at once,
//! OneDrive/SharePoint, Dropbox, Syncthing and Nextcloud keep both by writing the second
//! under a new name beside the first. Such a copy is another version of the same review,
//! never a review of its own: the workspace lists it apart (never counted in the overview,
//! the trends or the export) so the user can compare it and choose.

use std::collections::BTreeSet;

use ips_domain::evaluation::Evaluation;
use ips_domain::scale::Scale;

/// The sync service that made a conflict copy, recognised by its naming pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncService {
    /// `name-MACHINE.json`
    OneDrive,
    /// `name (Kari's conflicted copy 2026-04-22).json`
    Dropbox,
    /// `name.sync-conflict-20260422-101010-ABCDEFG.json`
    Syncthing,
    /// `name (conflicted copy 2026-04-22 101010).json`
    Nextcloud,
    /// A copy of the file made by hand: `name - Copy.json`, `name - Kopi (2).json`,
    /// `name (1).json`, `name copy.json` (Explorer, Finder, a browser's download), `Copy of
    /// name.json`, `Kopi av name.json` (SharePoint, OneDrive on the web); or a second file
    /// that holds a review of the same date and type under another name.
    FileCopy,
}

impl SyncService {
    pub fn name(self) -> &'static str {
        match self {
            SyncService::OneDrive => "OneDrive/SharePoint",
            SyncService::Dropbox => "Dropbox",
            SyncService::Syncthing => "Syncthing",
            SyncService::Nextcloud => "Nextcloud",
            SyncService::FileCopy => "kopi",
        }
    }
}

/// If `file_name` is a sync service's conflict copy of a file whose name satisfies
/// `is_original` (e.g. a review's `2026-04-21_independent.json`), that original's name and
/// the service. Names that merely look alike but whose original would not be one of ours
/// are left alone.
pub fn conflict_copy_of(file_name: &str, is_original: impl Fn(&str) -> bool) -> Option<(String, SyncService)> {
    let stem = file_name.strip_suffix(".json")?;
    let original = |s: &str| {
        let name = format!("{s}.json");
        is_original(&name).then_some(name)
    };
    // Syncthing: `<stem>.sync-conflict-<date>-<time>-<device>`.
    if let Some((base, _)) = stem.split_once(".sync-conflict-") {
        return original(base).map(|n| (n, SyncService::Syncthing));
    }
    // Dropbox and Nextcloud: `<stem> (… conflicted copy …)`.
    if let Some(open) = stem.rfind(" (")
        && stem.ends_with(')')
    {
        let inner = &stem[open + 2..stem.len() - 1];
        if inner.to_lowercase().contains("conflicted copy") {
            let service = if inner.to_lowercase().starts_with("conflicted copy") {
                SyncService::Nextcloud
            } else {
                SyncService::Dropbox
            };
            return original(&stem[..open]).map(|n| (n, service));
        }
    }
    // Copies made by hand (Explorer, Finder, SharePoint, a download): see `copied_from`.
    if let Some(n) = copied_from(stem).and_then(original) {
        return Some((n, SyncService::FileCopy));
    }
    // OneDrive/SharePoint: `<stem>-<MACHINE>` (the machine name has no dot or space; it may
    // have further hyphens, so every split is tried, longest original first).
    if !is_original(file_name) {
        for (i, _) in stem.match_indices('-').collect::<Vec<_>>().into_iter().rev() {
            let (base, machine) = (&stem[..i], &stem[i + 1..]);
            if !machine.is_empty()
                && !machine.contains([' ', '.'])
                && let Some(n) = original(base)
            {
                return Some((n, SyncService::OneDrive));
            }
        }
    }
    None
}

/// The stem a hand-made copy's stem was copied from: `X - Copy`, `X - Kopi`, `X - Copy (2)`,
/// `X (1)`, `X copy`, `X kopi 2`, `Copy of X`, `Kopi av X` (case aside) give `X`.
fn copied_from(stem: &str) -> Option<&str> {
    let lower = stem.to_lowercase();
    for prefix in ["copy of ", "kopi av "] {
        if lower.starts_with(prefix) {
            return stem.get(prefix.len()..);
        }
    }
    // A trailing ` (N)` (a second copy, or a browser's download).
    let mut base = stem;
    if let Some(open) = base.rfind(" (")
        && base.ends_with(')')
        && base[open + 2..base.len() - 1].chars().all(|c| c.is_ascii_digit())
        && base.len() > open + 3
    {
        base = &base[..open];
        if base != stem && !ends_with_copy_word(base) {
            return Some(base);
        }
    }
    // A trailing copy word, with a number after it on macOS (`X copy 2`).
    let trimmed = base.trim_end_matches(|c: char| c.is_ascii_digit()).trim_end();
    for suffix in [" - copy", " - kopi", " copy", " kopi"] {
        if trimmed.to_lowercase().ends_with(suffix) {
            return trimmed.get(..trimmed.len() - suffix.len());
        }
    }
    None
}

fn ends_with_copy_word(s: &str) -> bool {
    let l = s.to_lowercase();
    l.ends_with(" copy") || l.ends_with(" kopi")
}

/// The items whose score or notes differ between a review and its conflict copy, in the
/// scale's order (items the scale does not know, last).
pub fn differing_items(scale: &Scale, ours: &Evaluation, theirs: &Evaluation) -> Vec<String> {
    let differs =
        |id: &String| ours.scores.get(id) != theirs.scores.get(id) || ours.items.get(id) != theirs.items.get(id);
    let mut ids: Vec<String> = scale.items.iter().map(|i| i.id.clone()).filter(|id| differs(id)).collect();
    let extra = ours.scores.keys().chain(theirs.scores.keys()).chain(ours.items.keys()).chain(theirs.items.keys());
    for id in extra {
        if !ids.contains(id) && scale.item(id).is_none() && differs(id) {
            ids.push(id.clone());
        }
    }
    ids
}

/// Whether anything but the items differs (reviewers, plan, notes): then only a whole
/// version can be kept for those parts.
pub fn other_parts_differ(ours: &Evaluation, theirs: &Evaluation) -> bool {
    ours.reviewers != theirs.reviewers || ours.actions != theirs.actions || ours.notes != theirs.notes
}

/// `ours` with the score and notes of each item in `from_copy` taken from `theirs`.
pub fn take_items(ours: &Evaluation, theirs: &Evaluation, from_copy: &BTreeSet<String>) -> Evaluation {
    let mut out = ours.clone();
    for id in from_copy {
        match theirs.scores.get(id) {
            Some(s) => out.scores.insert(id.clone(), *s),
            None => out.scores.remove(id),
        };
        match theirs.items.get(id) {
            Some(n) => out.items.insert(id.clone(), n.clone()),
            None => out.items.remove(id),
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_taken_one_by_one() {
        let set = ips_domain::service::ScaleSet::builtin().0;
        let scale = set.get("ips-25").cloned().unwrap_or_else(|| panic!("ips-25"));
        let d = chrono::NaiveDate::from_ymd_opt(2026, 4, 21).unwrap_or_default();
        let mut ours = Evaluation::new(&scale, "S", d, ips_domain::evaluation::EvaluationType::Independent);
        ours.scores.insert("B1".into(), 5);
        ours.scores.insert("B2".into(), 4);
        let mut theirs = ours.clone();
        theirs.scores.insert("B1".into(), 2);
        theirs.scores.remove("B2");
        theirs.items.entry("T3".into()).or_default().rationale = "their words".into();
        assert_eq!(differing_items(&scale, &ours, &theirs), ["B1", "B2", "T3"]);
        assert!(!other_parts_differ(&ours, &theirs));
        let picked = take_items(&ours, &theirs, &["B2".to_string(), "T3".to_string()].into_iter().collect());
        assert_eq!(picked.scores.get("B1"), Some(&5), "kept");
        assert_eq!(picked.scores.get("B2"), None, "taken: unscored in the copy");
        assert_eq!(picked.items.get("T3").map(|n| n.rationale.as_str()), Some("their words"));
        assert_eq!(
            differing_items(
                &scale,
                &take_items(&ours, &theirs, &differing_items(&scale, &ours, &theirs).into_iter().collect()),
                &theirs
            ),
            Vec::<String>::new()
        );
    }

    fn review(name: &str) -> bool {
        crate::workspace::parse_evaluation_file_name(name).is_some()
    }

    #[test]
    fn the_four_patterns_are_recognised() {
        let original = "2026-04-21_independent.json".to_string();
        for (copy, service) in [
            ("2026-04-21_independent-LAPTOP-KARI.json", SyncService::OneDrive),
            ("2026-04-21_independent-PC17.json", SyncService::OneDrive),
            ("2026-04-21_independent (Kari Lunde's conflicted copy 2026-04-22).json", SyncService::Dropbox),
            ("2026-04-21_independent.sync-conflict-20260422-101010-ABCDEFG.json", SyncService::Syncthing),
            ("2026-04-21_independent (conflicted copy 2026-04-22 101010).json", SyncService::Nextcloud),
            ("2026-04-21_independent (1).json", SyncService::FileCopy),
            ("2026-04-21_independent (2).json", SyncService::FileCopy),
            ("2026-04-21_independent - Copy.json", SyncService::FileCopy),
            ("2026-04-21_independent - Kopi.json", SyncService::FileCopy),
            ("2026-04-21_independent - Copy (2).json", SyncService::FileCopy),
            ("2026-04-21_independent - kopi (3).json", SyncService::FileCopy),
            ("2026-04-21_independent copy.json", SyncService::FileCopy),
            ("2026-04-21_independent copy 2.json", SyncService::FileCopy),
            ("Copy of 2026-04-21_independent.json", SyncService::FileCopy),
            ("Kopi av 2026-04-21_independent.json", SyncService::FileCopy),
        ] {
            assert_eq!(conflict_copy_of(copy, review), Some((original.clone(), service)), "{copy}");
        }
    }

    #[test]
    fn ordinary_names_are_not_copies() {
        for name in [
            "2026-04-21_independent.json",
            "2026-04-21_self_assessment.json",
            "my review.json",
            "notes-2026.json",
            "2026-04-21_independent (Kari).json",
            "2026-04-21_independent (12a).json",
            "Copy of.json",
            "2026-04-21_independent.sync-conflict.txt",
        ] {
            assert_eq!(conflict_copy_of(name, review), None, "{name}");
        }
    }
}
