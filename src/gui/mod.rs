//! The desktop app (egui + eframe). [`App`] (`app.rs`) owns the loaded workspace and
//! applies the [`Command`]s (`command.rs`) that views send, once per frame; the views (one
//! struct per file, each given one [`ViewCx`]) render plain data computed by
//! [`ips_domain`] and never touch files themselves; all slow work goes through the job
//! runner (`jobs.rs`). [`Route`] (`route.rs`) is where the user is. This file holds the
//! native window around it.
//!
//! Saved state (evaluations, services) goes through the workspace, atomically, as soon as
//! it changes. UI preferences (language, theme) live in eframe's own storage.

mod accuracy;
mod app;
mod calendar;
mod clock;
mod command;
mod conflicts;
mod consensus;
mod editor;
mod exports;
mod files;
mod import_preview;
mod importing;
mod jobs;
mod meetings;
mod outcomes;
mod overview;
mod plan;
mod refresh;
mod region;
mod renderer;
mod report;
mod route;
mod saving;
mod service;
pub mod strings;
mod trends;
mod welcome;
mod widgets;
mod writer;

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use ips_text::text::Lang;

pub use app::{App, Derived, Loading, ReviewerConflict, ViewCx};
use app::{RETRY_AFTER, recent_list, store_error_text};
pub use clock::Clock;
pub use command::{Command, Message};
pub use editor::EvaluationEditor;
pub use files::{FileAnswer, FilePicker, FilePurpose, FileRequest};
pub use route::{Route, ServiceTab};

/// The font shipped with the program (DejaVu Sans, free licence in `assets/fonts`).
pub const FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// UI preferences, remembered by eframe between runs (never in the workspace).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Settings {
    pub lang: Lang,
    pub dark: bool,
    /// Workspaces opened before, newest first.
    pub recent: Vec<PathBuf>,
}

/// The eframe wrapper: persistence of settings and the native window.
struct NativeApp {
    app: App,
    /// For the start-up benchmark: close once the first frame is painted.
    exit_after_first_frame: Option<std::time::Instant>,
    frames: u32,
    /// The frame that drew the overview first (for the benchmark).
    overview_frame: Option<u32>,
}

impl eframe::App for NativeApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        let theme = if self.app.settings.dark { egui::Theme::Dark } else { egui::Theme::Light };
        if ui.ctx().theme() != theme {
            ui.ctx().set_theme(theme);
        }
        if ui.input(|i| i.viewport().close_requested()) && !self.app.close_requested() {
            ui.send_viewport_cmd(egui::ViewportCommand::CancelClose);
        }
        self.app.ui(ui);
        if self.app.may_close_now() {
            ui.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        self.frames += 1;
        // The second call runs after the first frame was presented; the overview is there
        // once the workspace is read.
        if let Some(started) = self.exit_after_first_frame {
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            if self.frames == 2 {
                eprintln!("first frame after {ms:.1} ms ({})", renderer::describe(frame));
            }
            if self.frames >= 2 && !self.app.is_loading() {
                if self.overview_frame.is_none() {
                    self.overview_frame = Some(self.frames);
                } else if self.overview_frame.is_some_and(|f| self.frames > f) {
                    eprintln!("overview after {ms:.1} ms");
                    ui.send_viewport_cmd(egui::ViewportCommand::Close);
                    self.exit_after_first_frame = None;
                }
            }
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        // Called every few seconds on the window's thread: the edits go to the writer
        // without waiting for it (a slow share would freeze the window).
        self.app.save_soon();
        eframe::set_value(storage, eframe::APP_KEY, &self.app.settings);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // The window waited for the saves before it closed; whatever came after is
        // written now, so nothing typed is lost.
        self.app.flush();
    }

    fn auto_save_interval(&self) -> Duration {
        Duration::from_secs(5)
    }
}

/// Sets up fonts and spacing; shared by the real window and the UI tests.
pub fn setup_context(ctx: &egui::Context) {
    // DejaVu Sans (shipped with the program) backs up egui's font for arrows, bullets and
    // other symbols, so every text renders the same on every machine.
    ctx.add_font(egui::FontInsert::new(
        "dejavu-sans",
        egui::FontData::from_static(FONT_REGULAR),
        vec![egui::InsertFontFamily { family: egui::FontFamily::Proportional, priority: egui::FontPriority::Lowest }],
    ));
    ctx.all_styles_mut(|s| {
        s.spacing.item_spacing = egui::vec2(8.0, 6.0);
        s.spacing.button_padding = egui::vec2(8.0, 4.0);
    });
}

/// Opens the desktop app: on the workspace `explicit` (from `--workspace`) if given, else on
/// the most recently used one that still exists, else on `default`. The renderers are tried
/// in the order [`renderer::renderers_to_try`] gives; each failure but the last is said on
/// stderr before the next is tried.
pub fn run(explicit: Option<PathBuf>, default: PathBuf) -> anyhow::Result<()> {
    let lang = ips_text::i18n::env_lang();
    let forced = std::env::var(renderer::RENDERER_VAR).ok();
    let order = renderer::renderers_to_try(forced.as_deref()).map_err(|m| anyhow::anyhow!(m.text(lang)))?;
    let started = std::time::Instant::now();
    let exit_after_first_frame = std::env::var_os("IPS_FIDELITY_EXIT_AFTER_FIRST_FRAME").map(|_| started);
    let today = chrono::Local::now().date_naive();
    let mut tries = order.iter().peekable();
    while let Some(&renderer) = tries.next() {
        let options = eframe::NativeOptions {
            viewport: egui::ViewportBuilder::default()
                .with_title("ips-fidelity")
                .with_app_id("ips-fidelity")
                .with_inner_size([1280.0, 800.0])
                .with_min_inner_size([960.0, 600.0]),
            // The window's size and place are kept in eframe's storage and restored.
            persist_window: true,
            renderer,
            ..Default::default()
        };
        let explicit = explicit.clone();
        let default = default.clone();
        // Set once the window exists and the app is made: a failure after that is the app's,
        // and starting it again with another renderer would open the workspace twice.
        let app_created = std::rc::Rc::new(std::cell::Cell::new(false));
        let created = app_created.clone();
        let result = eframe::run_native(
            "ips-fidelity",
            options,
            Box::new(move |cc| {
                created.set(true);
                setup_context(&cc.egui_ctx);
                // A first start speaks the system's language (LANG=nn_NO.UTF-8: nynorsk); after
                // that, the one chosen in the menu.
                let settings: Settings = cc
                    .storage
                    .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
                    .unwrap_or_else(|| Settings { lang, ..Settings::default() });
                let root = explicit.or_else(|| settings.recent.iter().find(|p| p.is_dir()).cloned()).unwrap_or(default);
                Ok(Box::new(NativeApp {
                    app: App::new_in_background(&root, settings, today),
                    exit_after_first_frame,
                    frames: 0,
                    overview_frame: None,
                }))
            }),
        );
        match (result, tries.peek()) {
            (Ok(()), _) => return Ok(()),
            (Err(e), Some(next)) if !app_created.get() => eprintln!(
                "ips-fidelity: {}",
                ips_text::msg!("app.renderer_fallback", renderer = renderer, error = e, next = next).text(lang)
            ),
            (Err(e), _) => {
                return Err(anyhow::anyhow!(
                    ips_text::msg!("app.window_failed", renderer = renderer, error = e).text(lang)
                ));
            }
        }
    }
    // `renderers_to_try` never gives an empty list, so the loop always returns.
    unreachable!("no renderer to try")
}
