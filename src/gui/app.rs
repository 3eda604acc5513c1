//! The application: [`App`] owns the workspace in memory, the open editor and what the
//! window shows, applies the [`Command`]s views emit once per frame, and sends all slow
//! work to the job runner ([`super::jobs`]); the saves' side is in [`super::saving`].

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::NaiveDate;

use ips_domain::evaluation::{Evaluation, ReviewStatus};
use ips_domain::history::{ReviewFacts, previous_review, review_facts};
use ips_domain::trends::{ServiceOverview, overview_of};
use ips_store::presence::{self, Presence};
use ips_store::store::StoreError;
use ips_store::workspace::{SideFile, Workspace, folder_name};
use ips_text::i18n::fill;
use ips_text::text::{Lang, format_date};

use super::jobs::{JobKind, Lane};
use super::strings::Strings;
use super::*;

/// Aggregates computed when the workspace changes, never per frame.
#[derive(Debug, Default)]
pub struct Derived {
    /// One overview row per service.
    pub rows: Vec<ServiceOverview>,
    /// Per service, every review's total, band and change (the core's one definition).
    pub facts: Vec<Vec<ReviewFacts>>,
    /// The regions the services name, in Norwegian order.
    pub regions: Vec<String>,
}

impl Derived {
    pub(super) fn compute(ws: &Workspace, today: NaiveDate) -> Derived {
        // A service in brief brings its row; its facts are computed once it is opened.
        let facts: Vec<Vec<ReviewFacts>> = ws.services.iter().map(|s| review_facts(s, &ws.scales)).collect();
        let rows = ws
            .services
            .iter()
            .zip(&facts)
            .map(|(s, f)| match &s.brief {
                Some(b) => b.overview.clone(),
                None => overview_of(s, f, &ws.scales, today),
            })
            .collect();
        Derived { rows, facts, regions: ws.regions() }
    }
}

/// What every view draws from, read-only, for one frame: the texts in the user's language,
/// the app's today, the workspace and its aggregates, and whether a PDF is being made.
/// Views get this one context and emit [`Command`]s; they never reach into the app.
#[derive(Clone, Copy)]
pub struct ViewCx<'a> {
    pub s: &'a Strings,
    pub lang: Lang,
    pub today: NaiveDate,
    pub ws: &'a Workspace,
    pub derived: &'a Derived,
    /// Bumped on every change of the workspace; views cache on it.
    pub data_version: u64,
    pub report: &'a report::ReportStatus,
}

/// How long after a failed write the editor tries again.
pub(super) const RETRY_AFTER: Duration = Duration::from_secs(3);

/// The application.
pub struct App {
    pub ws: Workspace,
    pub settings: Settings,
    pub today: NaiveDate,
    pub route: Route,
    pub derived: Derived,
    pub messages: Vec<Message>,
    pub overview: overview::OverviewView,
    pub service_view: service::ServiceView,
    pub editor: Option<EvaluationEditor>,
    pub welcome: welcome::WelcomeView,
    pub region: region::RegionView,
    /// Bumped on every change to the workspace; views cache on it.
    pub data_version: u64,
    pub report: report::ReportStatus,
    /// Everything slow, off the window's thread.
    pub(super) jobs: jobs::Jobs,
    /// For retries and version intervals (a test moves it on instead of sleeping).
    pub clock: Clock,
    /// This process's presence in the open service, and who else has it open.
    pub(super) presence: Option<(String, Presence)>,
    /// The service whose presence is wanted (announced, or being announced).
    pub(super) presence_for: Option<String>,
    pub others_here: Vec<String>,
    pub(super) presence_checked: f64,
    /// When the workspace's folder was last looked at for colleagues' changes.
    pub(super) refresh_checked: Option<std::time::Instant>,
    /// Changes from disk already said, so one kept back (the review is open) is said once.
    pub(super) announced: std::collections::HashSet<String>,
    /// Shows the file dialogs; the system's in the app, a stand-in in the UI tests.
    pub picker: FilePicker,
    /// The open file dialog's purpose.
    pub(super) picking: Option<FilePurpose>,
    /// Services held in brief whose reviews are being read.
    pub(super) reading: Vec<String>,
    /// A reviewer conflict is being settled (its service is being read): its buttons wait.
    pub settling_reviewer: bool,
    /// Commands that wait for their service's reviews to be read.
    pub(super) deferred: Vec<(String, Command)>,
    /// Bumped whenever the workspace in memory is replaced (a load, an import): a job's
    /// result for the one before changes nothing.
    pub(super) epoch: u64,
    pub show_shortcuts: bool,
    /// The window title last sent to the window.
    pub title: String,
    /// Typed into the welcome screen's path field.
    pub typed_path: String,
    /// For waking the window when a dialog answers.
    pub(super) ctx: Option<egui::Context>,
    /// Reviewers' scores a package brought that differ from those here: shown side by side
    /// until the user keeps one.
    pub reviewer_conflicts: Vec<ReviewerConflict>,
    /// An import with workbooks, shown before anything is written.
    pub import_preview: Option<import_preview::ImportPreview>,
    /// Saves run here, off the window's thread.
    pub(super) writer: writer::Writer,
    /// Reviews the user has left whose last edits are still being written.
    pub(super) leaving: Vec<EvaluationEditor>,
    /// Services' own files changed in memory and not yet sent to the writer.
    pub(super) side_saves: Vec<saving::SideSave>,
    /// Services' own files whose last write failed and that are being written again.
    pub(super) side_failing: Vec<(String, ips_store::workspace::SideFile)>,
    /// Commands that wait until every save is written (see [`Command::waits_for_saves`]).
    pub(super) waiting: std::collections::VecDeque<Command>,
    /// The workspace's folder cannot be written (a read-only share or mount): shown in a
    /// banner, and every change is refused.
    pub read_only: bool,
    /// The window was asked to close and waits for saves to finish.
    pub closing: bool,
    /// The workspace being read off the window's thread; the window shows how far.
    pub loading: Option<Loading>,
}

/// A failed write in the user's language, with what to do about it.
pub(super) fn store_error_text(e: &StoreError, lang: Lang) -> String {
    let s = strings::get(lang);
    let hint = match e {
        StoreError::Conflict { .. } => s.hint_conflict,
        StoreError::Locked { .. } => s.hint_locked,
        // The message says what to do (reopen with a reason).
        StoreError::Refused { .. } => "",
        // The message says it: free some space.
        e if e.is_disk_full() => "",
        _ => s.hint_io,
    };
    let text = e.text(lang);
    if hint.is_empty() { text } else { format!("{text}. {hint}") }
}

/// A workspace being read on the job runner, every service in brief, or an import running
/// there (which reads the workspace again when it is done).
pub struct Loading {
    pub(super) root: PathBuf,
    pub(super) total: Arc<AtomicUsize>,
    pub(super) done: Arc<AtomicUsize>,
    pub started: std::time::Instant,
    /// The overview rows of the services read so far: the overview fills in as they come.
    pub(super) rows: Arc<std::sync::Mutex<Vec<ips_domain::trends::ServiceOverview>>>,
    /// An import: its messages are added to those shown, and the views stay where they are.
    pub(super) import: bool,
    /// Say that the workspace was opened, and remember it (the user chose it).
    pub(super) announce: bool,
    /// Messages from before the load (copies of edits that could not be saved), shown after.
    pub(super) messages: Vec<Message>,
}

/// A workspace read off the window's thread, with what the window needs to know of its
/// folder (asking costs a round trip on a share).
pub struct Opened {
    pub(super) ws: Workspace,
    pub(super) read_only: bool,
    pub(super) exists: bool,
}

impl Opened {
    pub(super) fn read(root: &Path, today: NaiveDate, progress: Option<&AtomicUsize>) -> Opened {
        Self::read_filling(root, today, progress, None)
    }

    /// [`Opened::read`], with each service's overview row put into `rows` as it is read.
    pub(super) fn read_filling(
        root: &Path,
        today: NaiveDate,
        progress: Option<&AtomicUsize>,
        rows: Option<&std::sync::Mutex<Vec<ips_domain::trends::ServiceOverview>>>,
    ) -> Opened {
        let ws = Workspace::open_brief_filling(root, today, progress, rows);
        Opened { read_only: ips_store::store::is_read_only(root), exists: root.exists(), ws }
    }
}

impl Loading {
    pub(super) fn ui(&self, ui: &mut egui::Ui, s: &Strings, lang: Lang) {
        let total = self.total.load(Ordering::Relaxed);
        let done = self.done.load(Ordering::Relaxed).min(total);
        let count = |n| ips_text::text::format_count(n, lang);
        egui::CentralPanel::default().show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(ui.available_height() / 3.0);
                ui.heading(if self.import { s.importing } else { s.loading_workspace });
                ui.weak(self.root.display().to_string());
                if (self.import && done == 0) || total == 0 {
                    // Writing, or still listing: how far is not known yet.
                    ui.spinner();
                    return;
                }
                let fraction = done as f32 / total as f32;
                let text = ips_text::i18n::fill(s.loading_progress, &[("done", count(done)), ("total", count(total))]);
                ui.add(egui::ProgressBar::new(fraction).desired_width(360.0).text(text));
            });
            self.rows_so_far(ui, s);
        });
    }

    /// The services read so far, by name, with their latest total and quality level: on a
    /// slow share the overview fills in while the rest is read.
    fn rows_so_far(&self, ui: &mut egui::Ui, s: &Strings) {
        // (sort key, name, region, latest total)
        let mut rows: Vec<(String, String, String, String)> = match self.rows.lock() {
            Ok(rows) => rows
                .iter()
                .map(|r| {
                    let total = r.latest.as_ref().map_or(String::new(), |l| format!("{} / {}", l.total, l.max));
                    (ips_text::text::sort_key(&r.name), r.name.clone(), r.region.clone(), total)
                })
                .collect(),
            Err(_) => return,
        };
        if rows.is_empty() {
            return;
        }
        rows.sort();
        ui.add_space(12.0);
        ui.separator();
        ui.strong(format!("{} ({})", s.services_heading, rows.len()));
        egui::ScrollArea::vertical().auto_shrink([false, false]).show_rows(ui, 18.0, rows.len(), |ui, range| {
            egui::Grid::new("rows_so_far").striped(true).num_columns(3).min_col_width(120.0).show(ui, |ui| {
                for (_, name, region, total) in &rows[range] {
                    ui.label(name);
                    ui.label(region);
                    ui.label(total);
                    ui.end_row();
                }
            });
        });
    }
}

/// A reviewer's entry here and the different one a package brought for the same review.
#[derive(Debug, Clone)]
pub struct ReviewerConflict {
    /// The review's file.
    pub path: PathBuf,
    pub here: ips_domain::evaluation::Reviewer,
    pub incoming: ips_domain::evaluation::Reviewer,
}

impl App {
    /// Loads the workspace at `root` (created on first save if missing).
    pub fn new(root: &Path, settings: Settings, today: NaiveDate) -> App {
        let opened = Opened::read(root, today, None);
        let mut app = Self::with_workspace(opened.ws, settings, today);
        app.after_load(opened.read_only, opened.exists);
        app
    }

    pub(super) fn with_workspace(ws: Workspace, settings: Settings, today: NaiveDate) -> App {
        App {
            derived: Derived::default(),
            messages: Vec::new(),
            route: Route::Overview,
            overview: overview::OverviewView::default(),
            service_view: service::ServiceView::default(),
            editor: None,
            welcome: welcome::WelcomeView::default(),
            region: region::RegionView::default(),
            data_version: 0,
            report: report::ReportStatus::default(),
            jobs: jobs::Jobs::new(),
            clock: Clock::default(),
            presence: None,
            presence_for: None,
            others_here: Vec::new(),
            presence_checked: f64::NEG_INFINITY,
            refresh_checked: None,
            announced: std::collections::HashSet::new(),
            picker: files::system_picker(),
            picking: None,
            reading: Vec::new(),
            deferred: Vec::new(),
            settling_reviewer: false,
            epoch: 0,
            show_shortcuts: false,
            title: String::new(),
            typed_path: String::new(),
            ctx: None,
            reviewer_conflicts: Vec::new(),
            import_preview: None,
            writer: writer::Writer::default(),
            leaving: Vec::new(),
            side_saves: Vec::new(),
            side_failing: Vec::new(),
            waiting: std::collections::VecDeque::new(),
            read_only: false,
            closing: false,
            loading: None,
            ws,
            settings,
            today,
        }
    }

    /// The app on the workspace at `root`, read on a thread of its own: the window shows
    /// how far it has come and is ready for use at once.
    pub fn new_in_background(root: &Path, settings: Settings, today: NaiveDate) -> App {
        let mut app = Self::with_workspace(Workspace::empty(root), settings, today);
        app.start_load(root, false, Vec::new());
        app
    }

    /// Reads the workspace in `root` on the job runner; the window shows how far.
    pub(super) fn start_load(&mut self, root: &Path, announce: bool, messages: Vec<Message>) {
        let (total, done) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let rows = Arc::new(std::sync::Mutex::new(Vec::new()));
        let (r, t, d, today, rs) = (root.to_path_buf(), total.clone(), done.clone(), self.today, rows.clone());
        self.jobs.run(JobKind::Load, Lane::Read, move || {
            t.store(Workspace::count_services(&r), Ordering::Relaxed);
            let opened = Opened::read_filling(&r, today, Some(&d), Some(&rs));
            Box::new(move |app: &mut App| app.loaded(&d, opened))
        });
        let started = std::time::Instant::now();
        let root = root.to_path_buf();
        self.loading = Some(Loading { root, total, done, started, rows, import: false, announce, messages });
    }

    /// Whether the workspace is still being read.
    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    /// Takes the workspace the job runner has read (the load whose progress is `done`; a
    /// later load replaced an earlier one).
    pub(super) fn loaded(&mut self, done: &Arc<AtomicUsize>, opened: Opened) {
        let Some(loading) = self.loading.take_if(|l| Arc::ptr_eq(&l.done, done)) else {
            return;
        };
        self.ws = opened.ws;
        self.epoch += 1;
        self.messages = loading.messages;
        self.route = Route::Overview;
        self.after_load(opened.read_only, opened.exists);
        if loading.announce {
            files::remember(&mut self.settings.recent, &loading.root);
            let root = loading.root.display();
            self.messages.push(Message::info(|s, _| format!("{}: {root}", s.workspace_opened)));
        }
    }

    /// Takes what an import did: its messages, and the workspace as it is on disk now.
    pub(super) fn after_import(&mut self, imported: importing::Imported) {
        self.loading = None;
        self.messages.extend(imported.messages);
        self.reviewer_conflicts.extend(imported.reviewer_conflicts);
        let Some(ws) = imported.ws else {
            return;
        };
        self.ws = ws;
        self.epoch += 1;
        self.editor = None;
        self.service_view.reset();
        // The services were read again from disk: views start from the overview.
        if matches!(self.route, Route::Welcome | Route::Evaluation(..)) {
            self.route = Route::Overview;
        }
        self.changed();
        self.settle_route(true);
    }

    pub(super) fn after_load(&mut self, read_only: bool, exists: bool) {
        self.read_only = read_only;
        self.service_view.read_only = self.read_only;
        for p in &self.ws.problems {
            self.messages.push(Message::error(|s, lang| format!("{}{}", p.text(lang), s.file_left_untouched)));
        }
        for w in &self.ws.warnings {
            self.messages.push(Message::error(|_, lang| w.text(lang)));
        }
        self.changed();
        self.settle_route(exists);
    }

    /// Where a freshly loaded workspace opens: why it cannot be read, the welcome screen
    /// when it has no service, else where the user was (and it joins the recent list).
    pub(super) fn settle_route(&mut self, exists: bool) {
        let lang = self.settings.lang;
        // A folder used before that is gone now is a share that is not connected, not a
        // new, empty workspace.
        let gone = !exists && self.settings.recent.contains(&self.ws.root);
        if let Some(p) = &self.ws.unreachable {
            self.route = Route::Unreachable(p.text(lang));
        } else if gone {
            self.route = Route::Unreachable(format!("{}: {}", self.ws.root.display(), strings::get(lang).folder_gone));
        } else if self.ws.services.is_empty() {
            self.route = Route::Welcome;
        } else {
            files::remember(&mut self.settings.recent, &self.ws.root);
        }
    }

    /// The window title: the open review, else the open service, else the workspace.
    pub fn window_title(&self) -> String {
        let s = self.s();
        let app = "ips-fidelity";
        let Some(i) = self.open_service() else {
            let folder = self.ws.root.file_name().map_or(String::new(), |n| n.to_string_lossy().into_owned());
            return if folder.is_empty() { app.to_string() } else { format!("{folder} – {app}") };
        };
        let svc = &self.ws.services[i];
        if let Route::Evaluation(_, file) = &self.route
            && let Some(rec) = svc.evaluation_index(file).and_then(|e| svc.evaluations.get(e))
        {
            let e = &rec.evaluation;
            let date = format_date(e.date, self.settings.lang);
            return format!(
                "{} – {} {date} ({}) – {app}",
                svc.info.name,
                s.evaluation,
                e.kind.label(self.settings.lang)
            );
        }
        format!("{} – {app}", svc.info.name)
    }

    pub fn s(&self) -> &'static Strings {
        strings::get(self.settings.lang)
    }

    /// Marks the workspace changed: recompute aggregates once.
    pub(super) fn changed(&mut self) {
        self.derived = Derived::compute(&self.ws, self.today);
        self.data_version += 1;
    }

    pub(super) fn store_error(&mut self, e: &StoreError) {
        self.messages.push(Message::error(|_, lang| store_error_text(e, lang)));
    }

    /// Draws one frame: the top bar, the current view and the status area; then applies
    /// the commands the views sent.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        if self.ctx.is_none() {
            self.ctx = Some(ui.ctx().clone());
            self.jobs.set_context(ui.ctx());
        }
        self.take_finished_jobs();
        // The open service's reviews are read before it is drawn whole (after a reload,
        // the workspace comes back in brief); the view says so meanwhile.
        if let Route::Service(folder, _) | Route::Evaluation(folder, _) = &self.route {
            let folder = folder.clone();
            self.read_service(&folder);
        }
        let mut commands = Vec::new();
        self.keyboard(ui, &mut commands);
        self.top_bar(ui, &mut commands);
        self.banners(ui);
        self.status_area(ui);
        if !self.others_here.is_empty() {
            let text = format!("{} {}", self.s().also_open_by, self.others_here.join(", "));
            egui::Panel::top("presence").show(ui, |ui| {
                ui.colored_label(ui.visuals().warn_fg_color, text);
            });
        }
        let s = self.s();
        let service = self.open_service();
        if let Some(loading) = &self.loading {
            loading.ui(ui, s, self.settings.lang);
            // Until the workspace is read, only the language and the theme change.
            commands.retain(|c| matches!(c, Command::SetLang(_) | Command::SetDark(_) | Command::ToggleShortcuts));
            ui.request_repaint_after(Duration::from_millis(50));
        } else {
            self.views(ui, service, &mut commands);
        }
        self.shortcuts_window(ui, &mut commands);
        self.reviewer_conflict_window(ui, &mut commands);
        if let Some(mut preview) = self.import_preview.take() {
            preview.window(ui.ctx(), self.s(), self.settings.lang, &mut commands);
            self.import_preview = Some(preview);
        }
        self.drop_zone(ui, &mut commands);
        for c in commands {
            self.apply(c);
        }
        let title = self.window_title();
        if title != self.title {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        self.autosave(ui);
        self.sync_presence(ui.input(|i| i.time));
        self.look_for_changes();
        // The lanes wake the window when a job is done; this is for the spinners.
        if self.jobs.any(|k| k != JobKind::Dialog && k != JobKind::Presence && k != JobKind::Refresh) {
            ui.request_repaint_after(Duration::from_millis(50));
        }
        // Colleagues' changes show without a click: the window wakes to look for them.
        ui.request_repaint_after(Duration::from_secs_f64(super::refresh::REFRESH_EVERY_SECS));
    }

    /// A job panicked (a bug): said, and the window goes on.
    pub(super) fn job_failed(&mut self) {
        self.messages.push(Message::error(|s, _| s.job_failed.to_string()));
    }

    /// Applies what the job runner has finished, in the order it finished.
    pub(super) fn take_finished_jobs(&mut self) {
        for finish in self.jobs.take_finished() {
            finish(self);
        }
    }

    /// Waits until the work a click starts (reading a service, a new or deleted service or
    /// review, the version list, presence, a file dialog) is done, and applies it: for the
    /// tests, which then look at the result. The window itself never waits.
    pub fn settle(&mut self) {
        self.take_finished_jobs();
        while self.jobs.any(JobKind::settles) {
            match self.jobs.wait_next() {
                Some(finish) => finish(self),
                None => break,
            }
        }
    }

    /// This window's presence file in the open service, once it is there.
    pub fn presence_file(&self) -> Option<&Path> {
        self.presence.as_ref().map(|(_, p)| p.path())
    }

    /// Whether work a click started is still under way (see [`App::settle`]).
    pub fn settling(&self) -> bool {
        self.jobs.any(JobKind::settles) || !self.deferred.is_empty()
    }

    /// The current view in the central panel.
    pub(super) fn views(&mut self, ui: &mut egui::Ui, service: Option<usize>, commands: &mut Vec<Command>) {
        let s = self.s();
        let service = service.filter(|&i| self.ws.services[i].is_loaded());
        let reading = !self.reading.is_empty();
        let cx = ViewCx {
            s,
            lang: self.settings.lang,
            today: self.today,
            ws: &self.ws,
            derived: &self.derived,
            data_version: self.data_version,
            report: &self.report,
        };
        egui::CentralPanel::default().show(ui, |ui| match (&self.route, service) {
            (Route::Welcome, _) => {
                self.welcome.ui(ui, s, &self.settings.recent, &self.ws.root, &mut self.typed_path, commands)
            }
            (Route::Region, _) => self.region.ui(ui, &cx, commands),
            (Route::Unreachable(why), _) => {
                welcome::unreachable_ui(ui, s, why, &self.settings.recent, &self.ws.root, commands)
            }
            (Route::Overview, _) => self.overview.ui(ui, &cx, commands),
            (Route::Service(_, tab), Some(i)) => self.service_view.ui(ui, &cx, i, *tab, commands),
            (Route::Evaluation(..), Some(_)) => match &mut self.editor {
                Some(ed) => ed.ui(ui, &cx, commands),
                None => commands.push(Command::Navigate(Route::Overview)),
            },
            // Its reviews are being read (a service held in brief, on a slow share).
            (Route::Service(..) | Route::Evaluation(..), None) if reading => {
                ui.vertical_centered(|ui| {
                    ui.add_space(ui.available_height() / 3.0);
                    ui.spinner();
                    ui.label(s.reading_service);
                });
            }
            // The service is gone (deleted by a colleague, say).
            (Route::Service(..) | Route::Evaluation(..), None) => commands.push(Command::Navigate(Route::Overview)),
        });
    }

    pub(super) fn keyboard(&mut self, ui: &egui::Ui, commands: &mut Vec<Command>) {
        use egui::{Key, KeyboardShortcut, Modifiers};
        if ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::F1)) {
            commands.push(Command::ToggleShortcuts);
        }
        if ui.input_mut(|i| i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::O))) {
            commands.push(Command::PickFile(FilePurpose::OpenWorkspace));
        }
        if ui.input_mut(|i| i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::I))) {
            commands.push(Command::PickFile(FilePurpose::Import));
        }
        if self.show_shortcuts && ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
            commands.push(Command::ToggleShortcuts);
            return;
        }
        // Escape goes back one level when no text field holds the keyboard and no popup (a
        // menu, the calendar) is open: Escape closes that instead.
        if !ui.text_edit_focused()
            && !egui::Popup::is_any_open(ui.ctx())
            && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
        {
            match &self.route {
                Route::Evaluation(s, _) => {
                    commands.push(Command::Navigate(Route::Service(s.clone(), ServiceTab::Evaluations)))
                }
                Route::Service(..) => commands.push(Command::Navigate(Route::Overview)),
                _ => {}
            }
        }
    }

    pub(super) fn top_bar(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let s = self.s();
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                ui.heading(egui::RichText::new(s.app_title).strong());
                ui.separator();
                ui.menu_button(s.menu_workspace, |ui| {
                    if ui.button(s.open_workspace).on_hover_text(s.open_folder_hint).clicked() {
                        commands.push(Command::PickFile(FilePurpose::OpenWorkspace));
                    }
                    if ui.button(s.import_files).on_hover_text(s.import_files_hint).clicked() {
                        commands.push(Command::PickFile(FilePurpose::Import));
                    }
                    if ui.add_enabled(!self.ws.services.is_empty(), egui::Button::new(s.export_excel)).clicked() {
                        commands.push(Command::PickFile(FilePurpose::ExportExcel));
                    }
                    if ui.add_enabled(!self.ws.services.is_empty(), egui::Button::new(s.export_csv)).clicked() {
                        commands.push(Command::PickFile(FilePurpose::ExportCsv));
                    }
                    ui.separator();
                    ui.label(egui::RichText::new(s.recent_workspaces).strong());
                    recent_list(ui, s, &self.settings.recent, &self.ws.root, commands);
                    ui.separator();
                    if ui.button(s.shortcuts_button).clicked() {
                        commands.push(Command::ToggleShortcuts);
                    }
                });
                ui.separator();
                // Breadcrumbs: where am I, and a way back.
                if ui.selectable_label(self.route == Route::Overview, s.nav_services).clicked() {
                    commands.push(Command::Navigate(Route::Overview));
                }
                if !self.ws.services.is_empty()
                    && ui.selectable_label(self.route == Route::Region, s.region_view).clicked()
                {
                    commands.push(Command::Navigate(Route::Region));
                }
                if let Some(i) = self.open_service() {
                    ui.label("›");
                    let svc = &self.ws.services[i];
                    if ui.selectable_label(matches!(self.route, Route::Service(..)), &svc.info.name).clicked() {
                        commands.push(Command::Navigate(Route::Service(svc.folder.clone(), ServiceTab::Evaluations)));
                    }
                    if let Route::Evaluation(_, file) = &self.route
                        && let Some(rec) = svc.evaluation_index(file).and_then(|e| svc.evaluations.get(e))
                    {
                        ui.label("›");
                        ui.strong(format!("{} {}", s.evaluation, format_date(rec.evaluation.date, self.settings.lang)));
                    }
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let dark = self.settings.dark;
                    if ui.button(if dark { s.theme_light } else { s.theme_dark }).on_hover_text(s.theme_hint).clicked()
                    {
                        commands.push(Command::SetDark(!dark));
                    }
                    // Each language under its own name, so a user who cannot read the current one
                    // still finds theirs.
                    let current = self.settings.lang;
                    ui.menu_button(format!("{}: {}", s.switch_language, current.native_name()), |ui| {
                        for lang in Lang::ALL {
                            if ui.selectable_label(lang == current, lang.native_name()).clicked() {
                                commands.push(Command::SetLang(lang));
                                ui.close();
                            }
                        }
                    })
                    .response
                    .on_hover_text(s.switch_language_hint);
                    ui.weak(self.ws.root.display().to_string()).on_hover_text(s.workspace_hint);
                    // A slow share: the save is under way, and the window goes on.
                    if self.saving_shown() {
                        ui.spinner();
                        ui.weak(s.saving_now).on_hover_text(s.saving_now_hint);
                    }
                    let working = self.jobs.working();
                    if !working.is_empty() {
                        let what: Vec<&str> = working.iter().map(|k| working_text(s, *k)).collect();
                        ui.spinner();
                        ui.weak(s.working_now).on_hover_text(what.join("\n"));
                    }
                });
            });
            ui.add_space(4.0);
        });
    }

    /// What holds for the whole window: a read-only workspace, a close waiting for saves.
    pub(super) fn banners(&self, ui: &mut egui::Ui) {
        let s = self.s();
        let closing = if self.save_failing() { s.closing_failed } else { s.closing_saving };
        let waiting = !self.waiting.is_empty() && !self.closing;
        let texts: Vec<&str> =
            [(self.read_only, s.read_only_banner), (self.closing, closing), (waiting, s.waiting_for_saves)]
                .into_iter()
                .filter_map(|(on, text)| on.then_some(text))
                .collect();
        if texts.is_empty() {
            return;
        }
        egui::Panel::top("banners").show(ui, |ui| {
            for text in texts {
                ui.colored_label(ui.visuals().warn_fg_color, egui::RichText::new(text).strong());
            }
        });
    }

    pub(super) fn status_area(&mut self, ui: &mut egui::Ui) {
        if self.messages.is_empty() {
            return;
        }
        let s = self.s();
        let lang = self.settings.lang;
        let mut dismiss = None;
        egui::Panel::bottom("messages").show(ui, |ui| {
            ui.add_space(4.0);
            for (i, m) in self.messages.iter().enumerate().rev().take(4) {
                ui.horizontal(|ui| {
                    let (color, tag) = if m.error {
                        (ui.visuals().error_fg_color, s.error_tag)
                    } else {
                        (ui.visuals().hyperlink_color, s.info_tag)
                    };
                    ui.colored_label(color, egui::RichText::new(tag).strong());
                    ui.label(m.text(lang));
                    if ui.small_button(s.dismiss).clicked() {
                        dismiss = Some(i);
                    }
                });
            }
            if self.messages.len() > 4 {
                ui.weak(fill(s.more_messages, &[("count", (self.messages.len() - 4).to_string())]));
            }
            ui.add_space(4.0);
        });
        if let Some(i) = dismiss {
            self.messages.remove(i);
        }
    }

    /// Applies one command.
    pub fn apply(&mut self, command: Command) {
        if self.read_only && command.writes_workspace() {
            self.messages.push(Message::error(|s, _| s.read_only_refused.to_string()));
            return;
        }
        if self.wait_for_saves(&command) {
            return;
        }
        // A command on a service held in brief waits until its reviews are read.
        if let Some(folder) = command.service_folder()
            && !matches!(command, Command::Navigate(_))
        {
            let folder = folder.to_string();
            if !self.read_service(&folder) {
                self.deferred.push((folder, command));
                return;
            }
        }
        match command {
            Command::Navigate(route) => {
                let same_review = matches!((&route, &self.editor),
                    (Route::Evaluation(f, n), Some(ed)) if *f == ed.service && *n == ed.file);
                if !same_review {
                    self.leave_editor();
                }
                if !matches!(route, Route::Evaluation(..)) {
                    self.service_view.reset();
                }
                self.route = route;
            }
            Command::OpenEvaluation(folder, file) => {
                if self.editor.as_ref().is_some_and(|ed| ed.service == folder && ed.file == file) {
                    self.route = Route::Evaluation(folder, file);
                    return;
                }
                self.leave_editor();
                self.report = report::ReportStatus::default();
                // Left a moment ago with a save still under way: taken back as it was.
                if let Some(ed) = self.take_back(&folder, &file) {
                    self.editor = Some(ed);
                    self.route = Route::Evaluation(folder, file);
                    return;
                }
                let Some((s, e)) = self.ws.locate(&folder, &file) else {
                    return;
                };
                let service = &self.ws.services[s];
                let rec = &service.evaluations[e];
                match self.ws.scales.resolve(&rec.evaluation) {
                    Some(resolved) => {
                        let previous = previous_review(
                            &self.ws.scales,
                            &rec.evaluation,
                            service.evaluations.iter().map(|r| &r.evaluation),
                        )
                        .and_then(|p| Some((p.clone(), self.ws.scales.for_evaluation(p)?.clone())));
                        // Ids are completed in memory only: opening a review writes nothing.
                        let mut draft = rec.evaluation.clone();
                        ips_domain::plan::ensure_action_ids(&mut draft);
                        let mut ed =
                            EvaluationEditor::new(&folder, &file, draft, resolved.scale.clone(), previous, self.today);
                        ed.read_only = self.read_only;
                        ed.missing_version = resolved.missing_version.map(str::to_string);
                        ed.newer_scale = self.ws.scales.newer_than(&rec.evaluation).cloned();
                        ed.meetings_before =
                            ips_domain::trends::meetings_before(service, &self.ws.scales, &rec.evaluation);
                        self.editor = Some(ed);
                        self.route = Route::Evaluation(folder, file);
                    }
                    None => self.messages.push(Message::error(|s, _| {
                        format!("{}: {} '{}'", rec.file_name, s.unknown_scale, rec.evaluation.scale)
                    })),
                }
            }
            Command::SetStatus { to, reason } => self.set_status(to, &reason),
            Command::SaveQuarter { service, figures, replaces } => {
                self.change_service_file(&service, |rec| {
                    rec.outcomes.retain(|q| Some(q.period) != replaces && q.period != figures.period);
                    rec.outcomes.push(figures);
                    true
                });
            }
            Command::DeleteQuarter { service, period } => {
                self.change_service_file(&service, |rec| {
                    rec.outcomes.retain(|q| q.period != period);
                    true
                });
            }
            Command::SaveMeeting { service, meeting, replaces } => {
                self.change_service_file(&service, |rec| {
                    rec.meetings.retain(|m| Some(m.date) != replaces && m.date != meeting.date);
                    rec.meetings.push(meeting);
                    false
                });
            }
            Command::DeleteMeeting { service, date } => {
                self.change_service_file(&service, |rec| {
                    rec.meetings.retain(|m| m.date != date);
                    false
                });
            }
            Command::MakeMeetingPack { service, date } => self.make_meeting_pack(&service, date),
            Command::MakePrepPack => self.make_prep_pack(),
            Command::OpenExample => {
                let (root, today, epoch) = (self.ws.root.clone(), self.today, self.epoch);
                self.jobs.run(JobKind::Change, Lane::Write, move || {
                    let installed = welcome::install_example(&root).map(|n| (n, Opened::read(&root, today, None)));
                    Box::new(move |app: &mut App| app.example_installed(epoch, installed))
                });
            }
            Command::CreateService(info) => {
                let (mut ws, epoch) = (self.ws.clone(), self.epoch);
                self.jobs.run(JobKind::Change, Lane::Write, move || {
                    let created = ws.create_service(info).map(|i| ws.services.swap_remove(i));
                    Box::new(move |app: &mut App| app.service_created(epoch, created))
                });
            }
            Command::AdoptScale { id, version } => {
                let (mut ws, epoch, lang) = (self.ws.clone(), self.epoch, self.settings.lang);
                self.jobs.run(JobKind::Change, Lane::Write, move || {
                    let adopted = ws.adopt_scale(&id, &version, lang);
                    Box::new(move |app: &mut App| app.scale_adopted(epoch, &id, &version, adopted))
                });
            }
            Command::UpdateService(folder, info) => {
                if let Some(i) = self.ws.service_index(&folder) {
                    self.ws.services[i].info = info;
                    self.save_side(&folder, SideFile::Service);
                    self.changed();
                }
            }
            Command::DeleteService(folder) => {
                if let Some(i) = self.ws.service_index(&folder) {
                    self.settle_editor();
                    self.editor = None;
                    // Its files are going: nothing more to write there.
                    self.side_saves.retain(|s| s.folder != folder);
                    // Our own presence file is inside the folder; Windows cannot move a
                    // folder with an open file in it (let go of first, on the same lane).
                    self.release_presence();
                    self.service_view.reset();
                    // The page goes at once, so nothing announces presence there again (it
                    // would make the folder anew after the move).
                    self.route = Route::Overview;
                    let (mut ws, epoch) = (self.ws.clone(), self.epoch);
                    self.jobs.run(JobKind::Change, Lane::Write, move || {
                        let name = ws.services[i].info.name.clone();
                        let deleted = ws.delete_service(i).map(|()| name);
                        Box::new(move |app: &mut App| app.service_deleted(epoch, &folder, deleted))
                    });
                }
            }
            Command::NewEvaluation { service: folder, date, kind } => {
                let Some(service) = self.ws.service_index(&folder) else {
                    return;
                };
                let Some(write) = self.ws.new_review(service, date, kind, self.today) else {
                    if self.ws.services[service].find(date, kind).is_some() {
                        self.messages.push(Message::error(|s, _| s.evaluation_exists.to_string()));
                    }
                    return;
                };
                let epoch = self.epoch;
                self.jobs.run(JobKind::Change, Lane::Write, move || {
                    let written = write.run();
                    Box::new(move |app: &mut App| app.evaluation_added(epoch, &folder, written))
                });
            }
            Command::SetLang(l) => self.settings.lang = l,
            Command::SetDark(d) => self.settings.dark = d,
            Command::Reload => {
                let root = self.ws.root.clone();
                self.load_in_background(&root, false);
            }
            Command::Notify(m) => self.messages.push(m),
            Command::MakeReport => self.make_report(),
            Command::ShowVersions => self.list_versions(),
            Command::RestoreVersion(path) => self.restore_version(&path),
            Command::RescoreOnNewerScale => self.rescore_on_newer_scale(),
            Command::PickFile(purpose) => self.pick_file(purpose),
            Command::OpenWorkspace(root) => self.open_workspace(&root),
            Command::ImportFiles(paths) => self.import_files(&paths),
            Command::ImportPreviewed(defaults) => {
                if let Some(preview) = self.import_preview.take() {
                    let (paths, workbooks) = preview.into_read();
                    self.import_files_with(&paths, workbooks, defaults);
                }
            }
            Command::CloseImportPreview => self.import_preview = None,
            Command::ExportExcel(path) => self.export_excel(&path),
            Command::ExportCsv(path) => self.export_csv(&path),
            Command::SaveReportAs(path) => self.make_report_to(Some(path)),
            Command::ToggleShortcuts => self.show_shortcuts = !self.show_shortcuts,
            Command::SettleReviewerConflict { take_incoming } => self.settle_reviewer_conflict(take_incoming),
            Command::ExportPackage(folder, path) => self.export_package(&folder, &path),
            Command::SaveSummary(path) => self.save_summary(&path),
            Command::ExportReviewerPackage { service, file, reviewer, path } => {
                self.export_reviewer_package(&service, &file, reviewer, &path)
            }
            Command::ResolveConflictCopy { service, copy, result } => {
                let Some(si) = self.ws.service_index(&service) else {
                    return;
                };
                self.settle_editor();
                self.editor = None;
                let (mut ws, epoch) = (self.ws.clone(), self.epoch);
                self.jobs.run(JobKind::Change, Lane::Write, move || {
                    let resolved =
                        ws.resolve_conflict_copy(si, &copy, *result).map(|moved| (ws.services.swap_remove(si), moved));
                    Box::new(move |app: &mut App| app.conflict_copy_resolved(epoch, &copy, resolved))
                });
            }
            Command::OpenPath(p) => {
                self.jobs.run(JobKind::OpenPath, Lane::Output, move || {
                    let opened = report::open_path(&p);
                    Box::new(move |app: &mut App| {
                        if let Err(e) = opened {
                            let text = |s: &Strings, _| format!("{}: {e}. {}", p.display(), s.open_yourself);
                            app.messages.push(Message::error(text));
                        }
                    })
                });
            }
        }
    }
}

impl App {
    /// Whether the service in `folder` has its reviews in memory; when it is held in brief,
    /// starts reading them on the job runner (once) and returns false. A folder not in the
    /// workspace has nothing to read (true: the command says it is gone).
    pub(super) fn read_service(&mut self, folder: &str) -> bool {
        let Some(i) = self.ws.service_index(folder) else {
            return true;
        };
        if self.ws.services[i].is_loaded() {
            return true;
        }
        if !self.reading.iter().any(|f| f == folder) {
            self.reading.push(folder.to_string());
            let (dir, scales, epoch) = (self.ws.service_dir(i), self.ws.scales.clone(), self.epoch);
            let folder = folder.to_string();
            self.jobs.run(JobKind::ReadService, Lane::Read, move || {
                let read = ips_store::workspace::read_service(&dir, &scales);
                Box::new(move |app: &mut App| app.service_read(epoch, &folder, read))
            });
        }
        false
    }

    /// A service's reviews are read: in memory now (files it cannot use are said, as at a
    /// full load), and the commands that waited for them run.
    pub(super) fn service_read(
        &mut self,
        epoch: u64,
        folder: &str,
        (read, problems): (Option<ips_store::workspace::ServiceRecord>, Vec<ips_store::workspace::FileProblem>),
    ) {
        self.reading.retain(|f| f != folder);
        let waiting: Vec<Command> = self.deferred.extract_if(.., |(f, _)| f == folder).map(|(_, c)| c).collect();
        if epoch != self.epoch {
            // Another workspace, or this one read again: start over from what is there now.
            for c in waiting {
                self.apply(c);
            }
            return;
        }
        for p in problems {
            let said = Message::error(|s, lang| format!("{}{}", p.text(lang), s.file_left_untouched));
            if !self.messages.contains(&said) {
                self.messages.push(said);
            }
        }
        let Some(i) = self.ws.service_index(folder) else {
            return;
        };
        let found = read.is_some();
        self.ws.take_read(i, read);
        self.changed();
        if !found {
            // It cannot be read (gone, or its folder unusable): back to the list.
            if matches!(&self.route, Route::Service(f, _) | Route::Evaluation(f, _) if f == folder) {
                self.route = Route::Overview;
            }
            return;
        }
        for c in waiting {
            self.apply(c);
        }
    }

    pub(super) fn open_service(&self) -> Option<usize> {
        match &self.route {
            Route::Service(folder, _) | Route::Evaluation(folder, _) => self.ws.service_index(folder),
            _ => None,
        }
    }

    /// Lets go of this window's presence file, on the write lane (before whatever is sent
    /// after it, such as moving the service's folder away).
    pub(super) fn release_presence(&mut self) {
        self.presence_for = None;
        self.others_here.clear();
        if let Some((_, p)) = self.presence.take() {
            self.jobs.run(JobKind::Presence, Lane::Write, move || {
                drop(p);
                Box::new(|_: &mut App| {})
            });
        }
    }

    /// Keeps this process's presence file on the open service, and every few seconds looks
    /// who else has it open (a directory listing, never every frame), on the job runner.
    pub(super) fn sync_presence(&mut self, now: f64) {
        let want = self.open_service().filter(|_| self.loading.is_none());
        let want_folder = want.map(|i| self.ws.services[i].folder.clone());
        if self.presence_for != want_folder {
            self.release_presence();
            self.presence_checked = f64::NEG_INFINITY;
            if let (Some(i), Some(folder)) = (want, want_folder.clone()) {
                // Presence only warns others; a folder where it cannot be written still works.
                let dir = self.ws.service_dir(i);
                self.presence_for = Some(folder.clone());
                self.jobs.run(JobKind::Presence, Lane::Write, move || {
                    let announced = Presence::announce(&dir).ok();
                    Box::new(move |app: &mut App| app.presence_announced(folder, announced))
                });
            }
        }
        if let (Some(i), Some(folder)) = (want, want_folder)
            && now - self.presence_checked >= 5.0
            && !self.jobs.running(JobKind::Presence)
        {
            self.presence_checked = now;
            let dir = self.ws.service_dir(i);
            let mine = self.presence.as_ref().map(|(_, p)| p.path().to_path_buf());
            self.jobs.run(JobKind::Presence, Lane::Write, move || {
                let others = presence::others(&dir, mine.as_deref());
                Box::new(move |app: &mut App| {
                    if app.presence_for.as_deref() == Some(folder.as_str()) {
                        app.others_here = others;
                    }
                })
            });
        }
    }

    /// This window's presence file is there (or could not be made).
    pub(super) fn presence_announced(&mut self, folder: String, announced: Option<Presence>) {
        let Some(p) = announced else {
            return;
        };
        if self.presence_for.as_deref() == Some(folder.as_str()) {
            self.presence = Some((folder, p));
        } else {
            // The user has left the service meanwhile.
            self.jobs.run(JobKind::Presence, Lane::Write, move || {
                drop(p);
                Box::new(|_: &mut App| {})
            });
        }
    }

    /// Lists the open review's earlier versions with their totals, on the job runner.
    pub(super) fn list_versions(&mut self) {
        let lang = self.settings.lang;
        let Some(ed) = &self.editor else {
            return;
        };
        let Some((si, ei)) = self.ws.locate(&ed.service, &ed.file) else {
            return;
        };
        let (path, scale) = (self.ws.evaluation_path(si, ei), ed.scale.clone());
        let (folder, file) = (ed.service.clone(), ed.file.clone());
        self.jobs.run(JobKind::History, Lane::Read, move || {
            let versions: Vec<editor::Version> = ips_store::store::saved_versions(&path)
                .into_iter()
                .map(|path| {
                    let total = ips_store::store::read_text(&path)
                        .ok()
                        .and_then(|(text, _)| Evaluation::from_json("", &text).ok())
                        .map(|e| ips_domain::scoring::score(&scale, &e.scores).total);
                    let when = editor::version_time(&path, lang);
                    editor::Version { path, when, total }
                })
                .collect();
            Box::new(move |app: &mut App| {
                if let Some(ed) = app.editor.as_mut().filter(|ed| ed.service == folder && ed.file == file) {
                    ed.versions = Some(versions);
                }
            })
        });
    }

    /// Reads an earlier version of the open review on the job runner, then makes it the
    /// draft ([`App::restore_version_read`]).
    pub(super) fn restore_version(&mut self, path: &Path) {
        let Some(ed) = &self.editor else {
            return;
        };
        let (folder, file, scales, path) =
            (ed.service.clone(), ed.file.clone(), self.ws.scales.clone(), path.to_path_buf());
        self.jobs.run(JobKind::History, Lane::Read, move || {
            let read = ips_store::workspace::load_evaluation_file(&path, &scales).map(|(e, _)| e);
            Box::new(move |app: &mut App| {
                if app.editor.as_ref().is_some_and(|ed| ed.service == folder && ed.file == file) {
                    app.restore_version_read(&path, read);
                }
            })
        });
    }

    /// Makes an earlier version the open review's draft, saved like an edit (so it can be
    /// undone); the file as it is now goes into the history first.
    pub(super) fn restore_version_read(
        &mut self,
        path: &Path,
        read: Result<Evaluation, Vec<ips_store::workspace::FileProblem>>,
    ) {
        let lang = self.settings.lang;
        let Some(ed) = &mut self.editor else {
            return;
        };
        match read {
            Ok(restored) => {
                let scale = self.ws.scales.resolve(&restored).map_or_else(|| ed.scale.clone(), |r| r.scale.clone());
                ed.newer_scale = self.ws.scales.newer_than(&restored).cloned();
                ed.replace_draft(restored, scale);
                ed.version_kept = None;
                ed.versions = None;
                let when = editor::version_time(path, lang);
                let said =
                    Message::info(|s, lang| fill(s.version_restored, &[("time", editor::version_time(path, lang))]));
                let _ = when;
                ed.notice_at_save = Some((ed.generation(), said));
                self.queue_save();
            }
            Err(problems) => {
                let e = ips_store::workspace::RestoreError::Invalid(problems);
                self.messages.push(Message::error(|_, lang| e.text(lang)));
            }
        }
    }

    /// Re-scores the open evaluation on the newer scale version, as the user asked; the
    /// change is recorded in the file and saved like any edit (and can be undone).
    pub(super) fn rescore_on_newer_scale(&mut self) {
        let today = self.today;
        let Some(ed) = &mut self.editor else {
            return;
        };
        let Some(newer) = ed.newer_scale.take() else {
            return;
        };
        let (user, _) = ips_store::store::user_and_host();
        let mut draft = ed.draft().clone();
        match draft.rescore_on(&newer, today, &user) {
            Ok(()) => {
                let said = Message::info(|s, _| format!("{} {}", s.rescored_on_version, newer.version));
                ed.replace_draft(draft, newer);
                self.messages.push(said);
            }
            Err(problems) => {
                let said = Message::error(|s, lang| {
                    let detail: Vec<String> =
                        problems.iter().map(|p| format!("{}: {}", p.location, p.message.text(lang))).collect();
                    format!("{} {}: {}", s.rescore_failed, newer.version, detail.join("; "))
                });
                ed.newer_scale = Some(newer);
                self.messages.push(said);
            }
        }
    }

    /// Starts the PDF report of the open evaluation on its own thread.
    pub(super) fn make_report(&mut self) {
        self.make_report_to(None);
    }

    /// The same, into `target` instead of the workspace's `reports/` folder.
    pub(super) fn make_report_to(&mut self, target: Option<PathBuf>) {
        if self.report.is_running() {
            return;
        }
        let Some(ed) = &self.editor else {
            return;
        };
        let Some(svc) = self.ws.service_index(&ed.service).map(|i| &self.ws.services[i]) else {
            return;
        };
        let output = target.unwrap_or_else(|| report::output_path(&self.ws.root, &svc.folder, ed.draft()));
        let request = report::ReportRequest {
            scales: self.ws.scales.clone(),
            service: svc.info.clone(),
            evaluation: ed.draft().clone(),
            reviews: svc.evaluations.iter().map(|r| r.evaluation.clone()).collect(),
            lang: svc.info.report_language(None, self.settings.lang),
            today: self.today,
            output,
        };
        self.make_pdf(move || report::make(&request));
    }

    /// Makes a PDF with `make` on the job runner's output lane; the report button and the
    /// messages say when it is there.
    pub(super) fn make_pdf(&mut self, make: impl FnOnce() -> Result<PathBuf, String> + Send + 'static) {
        self.report = report::ReportStatus::Running { started: std::time::Instant::now() };
        self.jobs.run(JobKind::Pdf, Lane::Output, move || {
            let made = make();
            Box::new(move |app: &mut App| {
                match &made {
                    Ok(p) => app.messages.push(Message::info(|s, _| format!("{}: {}", s.report_saved, p.display()))),
                    Err(e) => app.messages.push(Message::error(|s, _| format!("{}: {e}", s.report_failed))),
                }
                app.report = match made {
                    Ok(p) => report::ReportStatus::Done(p),
                    Err(e) => report::ReportStatus::Failed(e),
                };
            })
        });
    }
}

impl App {
    /// Moves the open review to `to` through the core's rule, saves it, and shows why not
    /// when the rule refuses.
    pub(super) fn set_status(&mut self, to: ReviewStatus, reason: &str) {
        let Some(ed) = &mut self.editor else {
            return;
        };
        // On the draft, which holds every edit: the change is saved with them, in order.
        let mut e = ed.draft().clone();
        match ips_domain::lifecycle::set_status(&mut e, &ed.scale, to, reason, &ips_store::store::signature_now()) {
            Ok(false) => {}
            Ok(true) => {
                ed.change_status(&e);
                // Said once the file holds it; a failed save says why instead.
                let said = Message::info(|s, lang| format!("{}: {}", s.status_changed, to.label(lang)));
                ed.notice_at_save = Some((ed.generation(), said));
                self.queue_save();
            }
            Err(refusal) => self.messages.push(Message::error(|_, lang| refusal.msg().text(lang))),
        }
    }

    /// Changes a service's outcomes (`change` returns true) or meetings (false) in memory;
    /// the writer thread saves that file.
    pub(super) fn change_service_file(
        &mut self,
        folder: &str,
        change: impl FnOnce(&mut ips_store::workspace::ServiceRecord) -> bool,
    ) {
        let Some(si) = self.ws.service_index(folder) else {
            return;
        };
        let outcomes = change(&mut self.ws.services[si]);
        self.save_side(folder, if outcomes { SideFile::Outcomes } else { SideFile::Meetings });
        self.changed();
    }

    /// Makes the meeting pack PDF into `WORKSPACE/reports/`, off the UI thread.
    pub(super) fn make_meeting_pack(&mut self, folder: &str, date: NaiveDate) {
        if self.report.is_running() {
            return;
        }
        let Some(si) = self.ws.service_index(folder) else {
            return;
        };
        let lang = self.settings.lang;
        let pack = ips_domain::meeting_pack::pack(&self.ws.services[si], &self.ws.scales, date, lang);
        let output = self.ws.root.join("reports").join(format!("{folder}_styringsgruppe_{date}.pdf"));
        self.make_pdf(move || {
            report::render_to(output, || ips_pdf::meeting_pack(&pack, lang).map_err(|e| e.to_string()))
        });
    }

    /// Makes the preparation pack PDF of the default scale into `WORKSPACE/reports/`.
    pub(super) fn make_prep_pack(&mut self) {
        if self.report.is_running() {
            return;
        }
        let Some(scale) = self.ws.scales.default_scale() else {
            return;
        };
        let lang = self.settings.lang;
        let pack = ips_domain::prepare::pack(scale, lang);
        let name = format!("forberedelse_{}_{}_{}.pdf", scale.id, scale.version, lang.code());
        let output = self.ws.root.join("reports").join(name);
        self.make_pdf(move || report::render_to(output, || ips_pdf::prepare(&pack).map_err(|e| e.to_string())));
    }

    /// Shows the file dialog for `purpose`; its answer is picked up by [`App::poll_pick`].
    pub(super) fn pick_file(&mut self, purpose: FilePurpose) {
        if self.picking.is_some() {
            return;
        }
        let s = self.s();
        let home = self.ws.root.parent().map_or_else(|| self.ws.root.clone(), Path::to_path_buf);
        let (title, start, file_name) = match purpose {
            FilePurpose::OpenWorkspace => (s.open_workspace, home, String::new()),
            FilePurpose::Import => (s.import_files, home, String::new()),
            FilePurpose::ExportExcel => {
                (s.export_excel, home, format!("ips-fidelity_{}.xlsx", self.today.format("%Y-%m-%d")))
            }
            FilePurpose::ExportCsv => {
                (s.export_csv, home, format!("ips-fidelity_{}.csv", self.today.format("%Y-%m-%d")))
            }
            FilePurpose::ExportPackage => {
                let Some(i) = self.open_service() else {
                    return;
                };
                let folder = &self.ws.services[i].folder;
                (s.export_package, home, format!("{folder}_{}.ipspakke.json", self.today.format("%Y-%m-%d")))
            }
            FilePurpose::SaveSummary | FilePurpose::SaveSummaryExcel => {
                let region = self.region.region.as_deref().map_or(String::new(), |r| format!("_{}", folder_name(r)));
                let (title, ext) = if purpose == FilePurpose::SaveSummary {
                    (s.summary_pdf, "pdf")
                } else {
                    (s.summary_excel, "xlsx")
                };
                (title, home, format!("regionoversikt{region}_{}.{ext}", self.today.format("%Y-%m-%d")))
            }
            FilePurpose::ExportReviewerPackage(i) => {
                let Some(ed) = &self.editor else {
                    return;
                };
                let who = ed.draft().reviewers.get(i).map_or(String::new(), |r| folder_name(&r.name));
                let e = ed.draft();
                (s.send_my_scores, home, format!("{}_{}_{who}.ipspakke.json", ed.service, e.date))
            }
            FilePurpose::SaveReport => {
                let Some(ed) = &self.editor else {
                    return;
                };
                let path = report::output_path(&self.ws.root, &ed.service, ed.draft());
                let name = path.file_name().map_or(String::new(), |n| n.to_string_lossy().into_owned());
                (s.report_save_as, home, name)
            }
        };
        let title = title.trim_end_matches([' ', '…']).to_string();
        let request = FileRequest { purpose, title, start, file_name };
        self.picking = Some(purpose);
        let picker = self.picker.clone();
        self.jobs.run(JobKind::Dialog, Lane::Dialog, move || {
            let answer = picker(request);
            Box::new(move |app: &mut App| {
                app.picking = None;
                if let Some(c) = app.picked(purpose, answer) {
                    app.apply(c);
                }
            })
        });
    }

    /// The command a file dialog's answer asks for.
    pub(super) fn picked(&mut self, purpose: FilePurpose, answer: FileAnswer) -> Option<Command> {
        let mut paths = answer?;
        let first = paths.first().cloned()?;
        Some(match purpose {
            FilePurpose::OpenWorkspace => Command::OpenWorkspace(first),
            FilePurpose::Import => Command::ImportFiles(std::mem::take(&mut paths)),
            FilePurpose::ExportExcel => Command::ExportExcel(first),
            FilePurpose::ExportCsv => Command::ExportCsv(first),
            FilePurpose::SaveReport => Command::SaveReportAs(first),
            FilePurpose::SaveSummary | FilePurpose::SaveSummaryExcel => Command::SaveSummary(first),
            FilePurpose::ExportReviewerPackage(reviewer) => match &self.route {
                Route::Evaluation(folder, file) => Command::ExportReviewerPackage {
                    service: folder.clone(),
                    file: file.clone(),
                    reviewer,
                    path: first,
                },
                _ => return None,
            },
            FilePurpose::ExportPackage => match &self.route {
                Route::Service(folder, _) | Route::Evaluation(folder, _) => {
                    Command::ExportPackage(folder.clone(), first)
                }
                _ => return None,
            },
        })
    }

    /// Switches to the workspace in `root`, saving the open review first.
    pub(super) fn open_workspace(&mut self, root: &Path) {
        self.load_in_background(root, true);
    }

    /// Reads the workspace in `root` on a thread of its own (the window shows how far),
    /// after what could not be saved in the one open now went to copies. `announce`: say
    /// that it was opened, and remember it.
    pub(super) fn load_in_background(&mut self, root: &Path, announce: bool) {
        self.messages.clear();
        self.rescue_everything();
        self.editor = None;
        self.leaving.clear();
        self.service_view.reset();
        self.release_presence();
        self.ws = Workspace::empty(root);
        self.epoch += 1;
        self.changed();
        self.route = Route::Overview;
        let messages = std::mem::take(&mut self.messages);
        self.start_load(root, announce, messages);
    }

    /// Imports CSV files, workbooks and review files into the workspace; each file is all
    /// or nothing, and a review that differs from one already here is a conflict, never
    /// overwritten. With a workbook among them, a preview comes first
    /// ([`import_preview`]): the workbooks are read off the window's thread and shown.
    pub(super) fn import_files(&mut self, paths: &[PathBuf]) {
        if let Route::Unreachable(why) = &self.route {
            self.messages.push(Message::error(|s, _| format!("{}: {why}", s.unreachable_title)));
            return;
        }
        if import_preview::wanted(paths) {
            let (scales, lang, paths) = (self.ws.scales.clone(), self.settings.lang, paths.to_vec());
            self.jobs.run(JobKind::Preview, Lane::Read, move || {
                let preview = import_preview::read(paths, &scales, lang);
                Box::new(move |app: &mut App| app.import_preview = Some(preview))
            });
            return;
        }
        self.import_files_with(paths, Vec::new(), ips_store::xlsx_in::SheetDefaults::default());
    }

    /// Imports `paths` (see [`App::import_files`]), `defaults` giving a scoring sheet's
    /// service and date where it has none; `workbooks` were read for the preview already.
    pub(super) fn import_files_with(
        &mut self,
        paths: &[PathBuf],
        workbooks: Vec<(PathBuf, ips_store::xlsx_in::WorkbookRead)>,
        defaults: ips_store::xlsx_in::SheetDefaults,
    ) {
        if let Route::Unreachable(why) = &self.route {
            self.messages.push(Message::error(|s, _| format!("{}: {why}", s.unreachable_title)));
            return;
        }
        // The queue is quiet (an import waits for it): what could not be saved goes to a copy.
        self.settle_editor();
        let (lang, today, ws, paths) = (self.settings.lang, self.today, self.ws.clone(), paths.to_vec());
        let (root, total) = (ws.root.clone(), Arc::new(AtomicUsize::new(ws.services.len())));
        let done = Arc::new(AtomicUsize::new(0));
        let d = done.clone();
        self.jobs.run(JobKind::Import, Lane::Write, move || {
            let imported = importing::import(ws, &paths, &workbooks, &defaults, lang, today, Some(&d));
            Box::new(move |app: &mut App| app.after_import(imported))
        });
        let started = std::time::Instant::now();
        self.loading = Some(Loading {
            root,
            total,
            done,
            started,
            rows: Arc::default(),
            import: true,
            announce: false,
            messages: Vec::new(),
        });
    }

    /// Makes a file for the user with `make` and writes it to `path`, off the window's
    /// thread; the message comes when it is written.
    pub(super) fn export_for_user(
        &mut self,
        path: &Path,
        failed: fn(&Strings) -> &str,
        make: impl FnOnce() -> exports::Made + Send + 'static,
    ) {
        let path = path.to_path_buf();
        self.jobs.run(JobKind::Export, Lane::Output, move || {
            let said = exports::make_and_write(&path, failed, make);
            Box::new(move |app: &mut App| app.messages.push(said))
        });
    }

    /// Writes one reviewer's own scores for a review to `path` (saving any edits first, so
    /// the package holds what the window shows).
    pub(super) fn export_reviewer_package(&mut self, folder: &str, file: &str, reviewer: usize, path: &Path) {
        let Some((si, ei)) = self.ws.locate(folder, file) else {
            return;
        };
        let e = &self.ws.services[si].evaluations[ei].evaluation;
        let Some(name) = e.reviewers.get(reviewer).map(|r| r.name.clone()) else {
            return;
        };
        let package = ips_store::package::Package::of_reviewer(&self.ws, si, e.date, e.kind, &name)
            .map_err(|_| Message::error(|s, _| s.send_my_scores_hint.to_string()));
        let done = Message::info(|s, _| format!("{} {}", s.my_scores_written, path.display()));
        self.export_for_user(path, |s| s.export_failed, move || package.map(|p| (p.to_json().into_bytes(), done)));
    }

    /// Writes the regional overview of the selected region as a PDF, or as an Excel workbook
    /// when the name ends in .xlsx.
    pub(super) fn save_summary(&mut self, path: &Path) {
        let lang = self.settings.lang;
        let today = self.today;
        let selection = ips_domain::summary::Selection { region: self.region.region.clone() };
        let scale_id = ips_domain::service::DEFAULT_SCALE;
        let Some(sum) = self.ws.summary_with(&self.derived.facts, scale_id, &selection, lang, self.today) else {
            return;
        };
        let scale_name = self.ws.scales.layout(scale_id).map_or(scale_id.to_string(), |x| x.name.get(lang).to_string());
        let done = Message::info(|s, _| format!("{}: {}", s.report_saved, path.display()));
        let workbook = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
        self.export_for_user(
            path,
            |s| s.report_failed,
            move || {
                let bytes = if workbook {
                    ips_store::xlsx_out::summary_workbook(&sum, lang).map_err(|e| e.to_string())
                } else {
                    ips_pdf::summary(&sum, &scale_name, lang, today).map_err(|e| e.to_string())
                };
                bytes
                    .map(|bytes| (bytes, done))
                    .map_err(|e| Message::error(move |s, _| format!("{}: {e}", s.report_failed)))
            },
        );
    }

    /// Writes the open service's package (details, reviews, scale versions) to `path`.
    pub(super) fn export_package(&mut self, folder: &str, path: &Path) {
        let Some(si) = self.ws.service_index(folder) else {
            return;
        };
        let package = ips_store::package::Package::of_service(&self.ws, si);
        let reviews = package.reviews.len().to_string();
        let done = Message::info(|s, _| {
            ips_text::i18n::fill(s.package_done, &[("reviews", reviews.clone()), ("path", path.display().to_string())])
        });
        self.export_for_user(path, |s| s.export_failed, move || Ok((package.to_json().into_bytes(), done)));
    }

    /// Exports every review, the summary and the outcome figures to `path` as an Excel
    /// workbook, replacing the file whole.
    pub(super) fn export_excel(&mut self, path: &Path) {
        // From the files (a batch of services at a time, on the export's thread): edits
        // went there first.
        let (root, lang, today, shown) =
            (self.ws.root.clone(), self.settings.lang, self.today, path.display().to_string());
        self.export_for_user(
            path,
            |s| s.export_failed,
            move || {
                let index = ips_store::index::WorkspaceIndex::default_for(&root);
                let (made, found) = ips_store::xlsx_out::export_from_disk(&root, index.as_ref(), lang, today);
                if let Some(p) = found.unreachable {
                    return Err(Message::error(move |s, lang| format!("{}: {}", s.export_failed, p.text(lang))));
                }
                let (bytes, rows) =
                    made.map_err(|e| Message::error(move |s, _| format!("{}: {e}", s.export_failed)))?;
                let done = Message::info(move |s, _| {
                    ips_text::i18n::fill(s.export_done, &[("rows", rows.to_string()), ("path", shown.clone())])
                });
                Ok((bytes, done))
            },
        );
    }

    /// Exports every review to `path` as CSV for Norwegian Excel, replacing the file whole.
    pub(super) fn export_csv(&mut self, path: &Path) {
        // From the files (a batch of services at a time, on the export's thread): edits
        // went there first.
        let (root, lang, shown) = (self.ws.root.clone(), self.settings.lang, path.display().to_string());
        self.export_for_user(
            path,
            |s| s.export_failed,
            move || {
                let mut bytes = Vec::new();
                let dialect = ips_store::csv_io::Dialect::Excel;
                let (rows, _) = ips_store::csv_io::export_from_disk(&root, lang, dialect, &mut bytes)
                    .map_err(|e| Message::error(|s, _| format!("{}: {e}", s.export_failed)))?;
                let done = Message::info(|s, _| {
                    ips_text::i18n::fill(s.export_done, &[("rows", rows.to_string()), ("path", shown.clone())])
                });
                Ok((bytes, done))
            },
        );
    }

    /// The first reviewer conflict side by side: this workspace's scores and the package's,
    /// item by item, with a choice of which to keep.
    pub(super) fn reviewer_conflict_window(&self, ui: &egui::Ui, commands: &mut Vec<Command>) {
        let Some(c) = self.reviewer_conflicts.first() else {
            return;
        };
        let s = self.s();
        let lang = self.settings.lang;
        let scale = self.ws.scales.default_scale();
        let title = format!("{} – {}", s.reviewer_conflict_title, c.here.name);
        egui::Window::new(title).collapsible(false).anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO).show(
            ui.ctx(),
            |ui| {
                ui.label(c.path.display().to_string());
                ui.label(s.reviewer_conflict_text);
                egui::ScrollArea::vertical().max_height(420.0).show(ui, |ui| {
                    egui::Grid::new("reviewer_conflict").num_columns(3).striped(true).spacing([16.0, 4.0]).show(
                        ui,
                        |ui| {
                            for h in [s.item, s.here, s.incoming] {
                                ui.strong(h);
                            }
                            ui.end_row();
                            let ids: Vec<String> = match scale {
                                Some(sc) => sc.items.iter().map(|i| i.id.clone()).collect(),
                                None => c.here.scores.keys().chain(c.incoming.scores.keys()).cloned().collect(),
                            };
                            for id in ids {
                                let (a, b) = (c.here.scores.get(&id), c.incoming.scores.get(&id));
                                let (na, nb) = (c.here.items.get(&id), c.incoming.items.get(&id));
                                if a == b && na == nb {
                                    continue;
                                }
                                let name = scale
                                    .and_then(|sc| sc.item(&id))
                                    .map_or(id.clone(), |i| format!("{} {}", i.id, i.name.get(lang)));
                                ui.label(name);
                                // The score, and the reviewer's own rationale where the notes differ.
                                for (score, notes) in [(a, na), (b, nb)] {
                                    let mut text = score.map_or("–".to_string(), u8::to_string);
                                    if na != nb {
                                        let why = notes.map_or("", |n| n.rationale.trim());
                                        text = format!("{text} ✎ {}", if why.is_empty() { "–" } else { why });
                                    }
                                    // A wrapped text in a grid needs a width of its own.
                                    ui.scope(|ui| {
                                        ui.set_width(if na != nb { 240.0 } else { 30.0 });
                                        ui.add(egui::Label::new(text).wrap());
                                    });
                                }
                                ui.end_row();
                            }
                        },
                    );
                });
                // While the choice is being carried out, the buttons wait.
                ui.add_enabled_ui(!self.settling_reviewer, |ui| {
                    ui.horizontal(|ui| {
                        if ui.button(s.keep_here).clicked() {
                            commands.push(Command::SettleReviewerConflict { take_incoming: false });
                        }
                        if ui.button(s.take_incoming).clicked() {
                            commands.push(Command::SettleReviewerConflict { take_incoming: true });
                        }
                    });
                });
            },
        );
    }

    pub(super) fn settle_reviewer_conflict(&mut self, take_incoming: bool) {
        let Some(c) = self.reviewer_conflicts.first() else {
            return;
        };
        // `<services>/<folder>/evaluations/<file>`; the service may be in brief still.
        let name = |p: Option<&Path>| p.and_then(Path::file_name).map(|n| n.to_string_lossy().into_owned());
        let (Some(folder), Some(file)) = (name(c.path.parent().and_then(Path::parent)), name(Some(&c.path))) else {
            self.reviewer_conflicts.remove(0);
            return;
        };
        let c = self.reviewer_conflicts.remove(0);
        if take_incoming && !self.read_service(&folder) {
            // Settled once the service is read: this conflict, not whichever is first then.
            self.reviewer_conflicts.insert(0, c);
            self.settling_reviewer = true;
            self.deferred.push((folder, Command::SettleReviewerConflict { take_incoming }));
            return;
        }
        self.settling_reviewer = false;
        if !take_incoming {
            return;
        }
        let Some((si, ei)) = self.ws.locate(&folder, &file) else {
            return;
        };
        self.settle_editor();
        self.editor = None;
        let (mut ws, epoch) = (self.ws.clone(), self.epoch);
        self.jobs.run(JobKind::Change, Lane::Write, move || {
            let replaced = ws.replace_reviewer(si, ei, c.incoming).map(|()| ws.services.swap_remove(si));
            Box::new(move |app: &mut App| {
                let said = Message::info(|s, _| format!("{}: {}", s.reviewer_replaced, c.path.display()));
                app.service_changed(epoch, replaced.map(|rec| (rec, said)));
            })
        });
    }

    /// The example is in the workspace (and the workspace read again), or could not be.
    pub(super) fn example_installed(&mut self, epoch: u64, installed: Result<(usize, Opened), StoreError>) {
        match installed {
            // Another workspace was opened meanwhile: the example is in the one before.
            Ok(_) if epoch != self.epoch => {}
            Ok((n, opened)) => {
                self.ws = opened.ws;
                self.epoch += 1;
                self.messages.clear();
                self.after_load(opened.read_only, opened.exists);
                self.messages.push(Message::info(|s, _| {
                    format!("{} ({})", s.example_opened, fill(s.files, &[("count", n.to_string())]))
                }));
                self.route = Route::Overview;
            }
            Err(e) => self.store_error(&e),
        }
    }

    /// A new service's folder is there: in memory, and its page opens.
    pub(super) fn service_created(
        &mut self,
        epoch: u64,
        created: Result<ips_store::workspace::ServiceRecord, StoreError>,
    ) {
        match created {
            Ok(rec) if epoch == self.epoch => {
                let folder = rec.folder.clone();
                if self.ws.service_index(&folder).is_none() {
                    self.ws.services.push(rec);
                }
                self.changed();
                self.route = Route::Service(folder, ServiceTab::Evaluations);
            }
            // Made in the workspace that was open before: it shows when that one is opened.
            Ok(_) => {}
            Err(e) => self.store_error(&e),
        }
    }

    /// A carried scale version adopted (its file moved into `scales/`): new reviews are
    /// scored on it from now on.
    pub(super) fn scale_adopted(
        &mut self,
        epoch: u64,
        id: &str,
        version: &str,
        adopted: Result<ips_store::workspace::Adoption, StoreError>,
    ) {
        use ips_store::workspace::Adoption;
        match adopted {
            Ok(Adoption::Adopted { .. } | Adoption::AlreadyAdopted) => {
                if epoch == self.epoch {
                    self.ws.scales.adopt(id, version);
                    self.changed();
                }
                let scale = format!("{id} {version}");
                self.messages
                    .push(Message::info(move |_, lang| ips_text::msg!("cli.scale_adopted", scale = scale).text(lang)));
            }
            Ok(Adoption::Unknown { .. }) => {}
            Err(e) => self.store_error(&e),
        }
    }

    /// A service's folder moved to the bin: gone from memory, and the list shows.
    pub(super) fn service_deleted(&mut self, epoch: u64, folder: &str, deleted: Result<String, StoreError>) {
        match deleted {
            Ok(name) => {
                if epoch == self.epoch
                    && let Some(i) = self.ws.service_index(folder)
                {
                    self.ws.services.remove(i);
                    self.changed();
                }
                if matches!(&self.route, Route::Service(f, _) | Route::Evaluation(f, _) if f == folder) {
                    self.route = Route::Overview;
                }
                self.messages.push(Message::info(|s, _| format!("{name}: {}", s.service_deleted)));
            }
            Err(e) => self.store_error(&e),
        }
    }

    /// A new review's file is there: in memory, and it opens.
    pub(super) fn evaluation_added(
        &mut self,
        epoch: u64,
        folder: &str,
        written: Result<(ips_domain::service::EvaluationRecord, Option<ips_store::workspace::ScaleFile>), StoreError>,
    ) {
        match written {
            Ok((record, scale_file)) => {
                let Some(si) = self.ws.service_index(folder).filter(|_| epoch == self.epoch) else {
                    return;
                };
                let file = record.file_name.clone();
                if self.ws.services[si].evaluation_index(&file).is_none() {
                    self.ws.insert_evaluation(si, record, scale_file);
                }
                self.changed();
                self.apply(Command::OpenEvaluation(folder.to_string(), file));
            }
            Err(e) => self.store_error(&e),
        }
    }

    /// A conflict copy is settled: the service as it is now, and where the copy went.
    pub(super) fn conflict_copy_resolved(
        &mut self,
        epoch: u64,
        copy: &str,
        resolved: Result<(ips_store::workspace::ServiceRecord, PathBuf), StoreError>,
    ) {
        if resolved.is_ok() {
            self.messages.retain(|m| !m.mentions(copy));
        }
        let resolved = resolved
            .map(|(rec, moved)| (rec, Message::info(|s, _| format!("{} {}", s.conflict_resolved, moved.display()))));
        self.service_changed(epoch, resolved);
    }

    /// A change of one service written on the write lane: its record replaces the one in
    /// memory, and `said` is shown.
    pub(super) fn service_changed(
        &mut self,
        epoch: u64,
        changed: Result<(ips_store::workspace::ServiceRecord, Message), StoreError>,
    ) {
        match changed {
            Ok((rec, said)) => {
                if epoch == self.epoch
                    && let Some(i) = self.ws.service_index(&rec.folder)
                {
                    // Only the reviews and the copies: the service's own files (details,
                    // figures, meetings) may have changed in memory since the job began.
                    let live = &mut self.ws.services[i];
                    live.evaluations = rec.service.evaluations;
                    live.conflict_copies = rec.conflict_copies;
                    self.changed();
                }
                self.messages.push(said);
            }
            Err(e) => self.store_error(&e),
        }
    }

    /// The list of keyboard shortcuts (F1).
    pub(super) fn shortcuts_window(&mut self, ui: &egui::Ui, commands: &mut Vec<Command>) {
        if !self.show_shortcuts {
            return;
        }
        let s = self.s();
        let cmd = if cfg!(target_os = "macos") { "⌘" } else { "Ctrl+" };
        let rows: [(String, &str); 11] = [
            ("F1".into(), s.shortcut_f1),
            ("Tab".into(), s.shortcut_tab),
            ("Enter / Space".into(), s.shortcut_activate),
            ("Esc".into(), s.shortcut_esc),
            (format!("{cmd}O"), s.shortcut_open),
            (format!("{cmd}I"), s.shortcut_import),
            ("1–5".into(), s.shortcut_digits),
            ("↑ ↓".into(), s.shortcut_arrows),
            ("Delete".into(), s.shortcut_delete),
            (format!("{cmd}Z"), s.shortcut_undo),
            (format!("{cmd}Y"), s.shortcut_redo),
        ];
        let mut open = true;
        let window = egui::Window::new(s.shortcuts_title).collapsible(false).resizable(false).open(&mut open);
        window.anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO).show(ui.ctx(), |ui| {
            egui::Grid::new("shortcuts").num_columns(2).spacing([16.0, 6.0]).striped(true).show(ui, |ui| {
                for (key, what) in &rows {
                    ui.strong(key);
                    ui.label(*what);
                    ui.end_row();
                }
            });
        });
        if !open {
            commands.push(Command::ToggleShortcuts);
        }
    }

    /// Files dragged over the window are announced; dropped ones are imported.
    pub(super) fn drop_zone(&self, ui: &egui::Ui, commands: &mut Vec<Command>) {
        let (hovering, dropped) = ui.input(|i| {
            let dropped: Vec<PathBuf> = i
                .raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect();
            (!i.raw.hovered_files.is_empty(), dropped)
        });
        if hovering {
            let rect = ui.ctx().content_rect();
            let painter =
                ui.ctx().layer_painter(egui::LayerId::new(egui::Order::Foreground, egui::Id::unique("drop_zone")));
            painter.rect_filled(rect, 0, egui::Color32::from_black_alpha(170));
            painter.text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                self.s().drop_here,
                egui::FontId::proportional(22.0),
                egui::Color32::WHITE,
            );
        }
        if !dropped.is_empty() {
            commands.push(Command::ImportFiles(dropped));
        }
    }
}

/// What the window says it is working on, for a kind of job it shows.
pub(super) fn working_text(s: &Strings, kind: JobKind) -> &'static str {
    match kind {
        JobKind::ReadService => s.working_read_service,
        JobKind::History => s.working_versions,
        JobKind::Export => s.working_export,
        JobKind::Pdf => s.working_pdf,
        JobKind::Preview => s.working_preview,
        _ => s.working_change,
    }
}

/// The recent workspaces as buttons, the open one marked.
pub(super) fn recent_list(
    ui: &mut egui::Ui,
    s: &Strings,
    recent: &[PathBuf],
    open: &Path,
    commands: &mut Vec<Command>,
) {
    if recent.is_empty() {
        ui.weak(s.no_recent);
    }
    for root in recent {
        let name = root.file_name().map_or_else(|| root.display().to_string(), |n| n.to_string_lossy().into_owned());
        let r = ui.add(egui::Button::selectable(root == open, name)).on_hover_text(root.display().to_string());
        if r.clicked() && root != open {
            commands.push(Command::OpenWorkspace(root.clone()));
        }
    }
}
