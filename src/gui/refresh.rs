//! Colleagues' changes appear by themselves: every few seconds, when the window is not at
//! work, the job runner looks at the workspace's folder ([`ips_store::workspace::look_for_changes`]:
//! a listing and each file's metadata, reading only services where something differs,
//! through the local index), and the app takes what changed: new, changed and removed
//! reviews and services show in the overview, the service page and the trends, and the
//! message area says what happened. A service whose review is open in the editor is left as
//! it is: a save of the review then meets the colleague's change through the conflict path
//! that every save has, never a silent reload.

use ips_store::workspace::{DiskChanges, ServiceRecord};

use super::jobs::{JobKind, Lane};
use super::{App, Message, Route};

/// How often the folder is looked at, in seconds.
pub const REFRESH_EVERY_SECS: f64 = 5.0;

impl App {
    /// Starts a look at the folder when one is due and nothing else is under way.
    pub(super) fn look_for_changes(&mut self) {
        let now = self.clock.now();
        let due = self.refresh_checked.is_none_or(|t| now.duration_since(t).as_secs_f64() >= REFRESH_EVERY_SECS);
        if self.refresh_checked.is_none() {
            // The first look comes a while after the workspace was read, not at once.
            self.refresh_checked = Some(now);
            return;
        }
        if !due || self.jobs.running(JobKind::Refresh) || self.busy() || matches!(self.route, Route::Unreachable(_)) {
            return;
        }
        self.refresh_checked = Some(now);
        let (root, scales, known, today) =
            (self.ws.root.clone(), self.ws.scales.clone(), self.ws.disk_state(), self.today);
        let (epoch, writes) = (self.epoch, self.jobs.writes());
        self.jobs.run(JobKind::Refresh, Lane::Watch, move || {
            let index = ips_store::index::WorkspaceIndex::default_for(&root);
            let changes = ips_store::workspace::look_for_changes(&root, &scales, &known, today, index.as_ref());
            Box::new(move |app: &mut App| app.changes_found(epoch, writes, changes))
        });
    }

    /// Takes what a look at the folder found, unless the app wrote meanwhile (the look may
    /// have seen its own write half-done: the next look sees it whole).
    pub(super) fn changes_found(&mut self, epoch: u64, writes: u64, changes: DiskChanges) {
        if epoch != self.epoch || writes != self.jobs.writes() || self.busy() {
            return;
        }
        let lang = self.settings.lang;
        let editing = self.editor.as_ref().map(|e| e.service.clone());
        let mut said: Vec<Message> = Vec::new();
        let mut changed = false;
        for fresh in changes.read {
            let Some(i) = self.ws.service_index(&fresh.folder) else {
                let name = fresh.info.name.clone();
                said.push(Message::info(move |s, _| {
                    ips_text::i18n::fill(s.refresh_service_added, &[("service", name.clone())])
                }));
                self.ws.services.push(fresh);
                changed = true;
                continue;
            };
            let current = &self.ws.services[i];
            if !current.differs_from(&fresh) {
                // The same content (our own save, say): only what the look compares next time.
                self.ws.services[i].disk = fresh.disk;
                continue;
            }
            for m in what_changed(current, &fresh, lang) {
                if self.announced.insert(m.0.clone()) {
                    said.push(m.1);
                }
            }
            if editing.as_deref() == Some(fresh.folder.as_str()) {
                continue;
            }
            self.ws.services[i] = fresh;
            changed = true;
        }
        for folder in changes.gone {
            let open = matches!(&self.route, Route::Service(f, _) | Route::Evaluation(f, _) if *f == folder);
            if open {
                continue;
            }
            if let Some(i) = self.ws.service_index(&folder) {
                let name = self.ws.services.remove(i).info.name.clone();
                said.push(Message::info(move |s, _| {
                    ips_text::i18n::fill(s.refresh_service_gone, &[("service", name.clone())])
                }));
                changed = true;
            }
        }
        for p in changes.problems {
            if self.announced.insert(p.text(ips_text::text::Lang::En)) {
                said.push(Message::error(move |_, lang| p.text(lang)));
            }
        }
        if changed {
            self.ws.services.sort_by_key(|a| ips_text::text::sort_key(&a.info.name));
            self.changed();
        }
        self.messages.extend(said);
    }
}

/// What differs between a service as the app holds it and as read again, in words, each
/// with a key that says it once.
fn what_changed(current: &ServiceRecord, fresh: &ServiceRecord, lang: ips_text::text::Lang) -> Vec<(String, Message)> {
    let before = current.review_stamps();
    let service = fresh.info.name.clone();
    let mut out = Vec::new();
    for f in &fresh.review_files {
        let key = format!("{}/{}/{:?}", fresh.folder, f.file_name, f.stamp);
        let date = ips_text::text::format_date(f.date, lang);
        let (by, service, added) = (f.by.clone(), service.clone(), !before.contains_key(f.file_name.as_str()));
        let changed = before.get(f.file_name.as_str()).is_some_and(|s| *s != f.stamp);
        if !added && !changed {
            continue;
        }
        out.push((
            key,
            Message::info(move |s, _| {
                let template = match (added, by.trim().is_empty()) {
                    (true, false) => s.refresh_review_added_by,
                    (true, true) => s.refresh_review_added,
                    (false, false) => s.refresh_review_changed_by,
                    (false, true) => s.refresh_review_changed,
                };
                let args = [("by", by.clone()), ("service", service.clone()), ("date", date.clone())];
                ips_text::i18n::fill(template, &args)
            }),
        ));
    }
    for (name, _) in before.iter().filter(|(n, _)| !fresh.review_files.iter().any(|f| f.file_name == **n)) {
        let key = format!("{}/{name}/gone", fresh.folder);
        let (service, file) = (service.clone(), name.to_string());
        out.push((
            key,
            Message::info(move |s, _| {
                ips_text::i18n::fill(s.refresh_review_gone, &[("service", service.clone()), ("file", file.clone())])
            }),
        ));
    }
    out
}
