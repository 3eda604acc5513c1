//! The first-start screen: open the bundled example (copied into the workspace, never
//! modified in place) or create a service.

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};

use super::service::ServiceForm;
use super::strings::Strings;
use super::widgets::labelled_field;
use super::{Command, FilePurpose};
use ips_store::store::{self, Durability, StoreError};

/// The example workspace, compiled in so it is there wherever the program runs.
pub const EXAMPLE_FILES: &[(&str, &str)] = &[
    ("services/ips-nordby/service.json", include_str!("../../examples/workspace/services/ips-nordby/service.json")),
    (
        "services/ips-nordby/evaluations/2024-05-14_independent.json",
        include_str!("../../examples/workspace/services/ips-nordby/evaluations/2024-05-14_independent.json"),
    ),
    (
        "services/ips-nordby/evaluations/2025-04-08_independent.json",
        include_str!("../../examples/workspace/services/ips-nordby/evaluations/2025-04-08_independent.json"),
    ),
    (
        "services/ips-nordby/evaluations/2026-04-21_independent.json",
        include_str!("../../examples/workspace/services/ips-nordby/evaluations/2026-04-21_independent.json"),
    ),
    ("services/ips-nordby/outcomes.json", include_str!("../../examples/workspace/services/ips-nordby/outcomes.json")),
    ("services/ips-nordby/meetings.json", include_str!("../../examples/workspace/services/ips-nordby/meetings.json")),
];

/// Copies the example into the workspace. Files that already exist are left alone.
pub fn install_example(root: &Path) -> Result<usize, StoreError> {
    let mut written = 0;
    for (rel, text) in EXAMPLE_FILES {
        let path = rel.split('/').fold(root.to_path_buf(), |p, part| p.join(part));
        if path.exists() {
            continue;
        }
        store::write_atomic(&path, text.as_bytes(), None, Durability::Sync)?;
        written += 1;
    }
    Ok(written)
}

#[derive(Debug, Default)]
pub struct WelcomeView {
    form: ServiceForm,
}

impl WelcomeView {
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        s: &Strings,
        recent: &[PathBuf],
        open: &Path,
        typed_path: &mut String,
        commands: &mut Vec<Command>,
    ) {
        ui.add_space(24.0);
        ui.vertical_centered(|ui| {
            ui.heading(RichText::new(s.welcome_title).size(26.0));
            ui.add_space(8.0);
            ui.label(s.welcome_text);
        });
        ui.add_space(16.0);
        ui.columns(2, |cols| {
            egui::Frame::group(cols[0].style()).inner_margin(12).show(&mut cols[0], |ui| {
                ui.heading(s.welcome_example_heading);
                ui.label(s.welcome_example_text);
                ui.add_space(6.0);
                if ui.button(RichText::new(s.open_example).strong()).clicked() {
                    commands.push(Command::OpenExample);
                }
            });
            egui::Frame::group(cols[1].style()).inner_margin(12).show(&mut cols[1], |ui| {
                ui.heading(s.welcome_create_heading);
                match self.form.ui(ui, s, s.create_service) {
                    Some(Ok(info)) => {
                        commands.push(Command::CreateService(info));
                        self.form = ServiceForm::default();
                    }
                    Some(Err(())) => self.form = ServiceForm::default(),
                    None => {}
                }
            });
        });
        ui.add_space(12.0);
        egui::Frame::group(ui.style()).inner_margin(12).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.heading(s.welcome_open_heading);
            ui.label(s.open_folder_hint);
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if ui.button(RichText::new(s.open_workspace).strong()).clicked() {
                    commands.push(Command::PickFile(FilePurpose::OpenWorkspace));
                }
                if ui.button(s.import_files).on_hover_text(s.import_files_hint).clicked() {
                    commands.push(Command::PickFile(FilePurpose::Import));
                }
            });
            // Where no file dialog exists (a bare Linux desktop), a path can be typed.
            ui.horizontal(|ui| {
                let r = labelled_field(ui, s.path_label, typed_path, 420.0);
                let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                let path = typed_path.trim();
                if (ui.add_enabled(!path.is_empty(), egui::Button::new(s.open)).clicked() || enter) && !path.is_empty()
                {
                    commands.push(Command::OpenWorkspace(PathBuf::from(path)));
                }
            });
            ui.add_space(6.0);
            ui.label(RichText::new(s.recent_workspaces).strong());
            super::recent_list(ui, s, recent, open, commands);
        });
        ui.add_space(16.0);
        ui.weak(s.privacy_note);
    }
}

/// Shown instead of the welcome screen when the workspace's folder cannot be read: the
/// reason, a retry, and other folders to open. Nothing is written meanwhile.
pub fn unreachable_ui(
    ui: &mut Ui,
    s: &Strings,
    why: &str,
    recent: &[PathBuf],
    open: &Path,
    commands: &mut Vec<Command>,
) {
    ui.add_space(24.0);
    ui.heading(RichText::new(s.unreachable_title).size(22.0).color(ui.visuals().warn_fg_color));
    ui.add_space(6.0);
    ui.label(RichText::new(why).strong());
    ui.label(s.unreachable_hint);
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if ui.button(RichText::new(s.retry).strong()).clicked() {
            commands.push(Command::Reload);
        }
        if ui.button(s.open_workspace).clicked() {
            commands.push(Command::PickFile(FilePurpose::OpenWorkspace));
        }
    });
    ui.add_space(8.0);
    ui.label(RichText::new(s.recent_workspaces).strong());
    super::recent_list(ui, s, recent, open, commands);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_installs_once_and_loads() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(install_example(dir.path()).unwrap_or(0), EXAMPLE_FILES.len());
        assert_eq!(install_example(dir.path()).unwrap_or(99), 0);
        let ws = ips_store::workspace::Workspace::load(dir.path());
        assert!(ws.problems.is_empty(), "{:?}", ws.problems);
        assert_eq!(ws.services[0].evaluations.len(), 3);
    }
}
