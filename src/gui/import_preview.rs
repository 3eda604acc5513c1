//! The preview of an import with Excel workbooks: before anything is written, the window
//! shows what each workbook holds (one line per review: where, service, date, type, items
//! scored, total) or why it cannot be read, and asks for a scoring sheet's service and date
//! where the sheet does not give them. The workbooks are read on the job runner; *Importer*
//! then runs the import as any other, through the store's use-case.

use std::path::PathBuf;

use ips_domain::service::ScaleSet;
use ips_store::xlsx_in::{SheetDefaults, WorkbookRead};
use ips_text::text::{Lang, norwegian_date, parse_date};

use super::command::Command;
use super::strings::Strings;

/// What the user is shown before an import with workbooks.
#[derive(Debug, Clone)]
pub struct ImportPreview {
    /// Every file to import (workbooks and others), in the order chosen.
    pub paths: Vec<PathBuf>,
    /// What each workbook holds, or its problems (one line each, in the user's language).
    pub workbooks: Vec<(PathBuf, Result<WorkbookRead, Vec<String>>)>,
    /// Typed for the scoring sheets that do not name their service or date.
    pub service: String,
    pub date: String,
    /// The first field has had the keyboard's focus once.
    pub focused: bool,
}

/// Whether an import of `paths` is previewed first (it has a workbook).
pub fn wanted(paths: &[PathBuf]) -> bool {
    paths.iter().any(|p| ips_store::xlsx_in::is_workbook(p))
}

/// Reads the workbooks among `paths` (slow work: called on the job runner).
pub fn read(paths: Vec<PathBuf>, scales: &ScaleSet, lang: Lang) -> ImportPreview {
    let workbooks = paths
        .iter()
        .filter(|p| ips_store::xlsx_in::is_workbook(p))
        .map(|p| (p.clone(), ips_store::intake::read_workbook(p, scales, lang).map_err(|e| e.lines_in(lang))))
        .collect();
    ImportPreview { paths, workbooks, service: String::new(), date: String::new(), focused: false }
}

impl ImportPreview {
    /// Whether some sheet needs the typed service or date.
    fn needs(&self) -> (bool, bool) {
        self.workbooks.iter().filter_map(|(_, r)| r.as_ref().ok()).fold((false, false), |(s, d), r| {
            let (ns, nd) = r.needs();
            (s || ns, d || nd)
        })
    }

    /// The workbooks read as shown, which the import takes as they are.
    pub fn into_read(self) -> (Vec<PathBuf>, Vec<(PathBuf, WorkbookRead)>) {
        let read = self.workbooks.into_iter().filter_map(|(p, r)| r.ok().map(|r| (p, r))).collect();
        (self.paths, read)
    }

    fn reviews(&self) -> usize {
        self.workbooks.iter().filter_map(|(_, r)| r.as_ref().ok()).map(|r| r.reviews.len()).sum()
    }

    /// The service and date typed, as the import takes them; `Err` names what is missing.
    fn defaults(&self, s: &Strings) -> Result<SheetDefaults, &'static str> {
        let (needs_service, needs_date) = self.needs();
        let service = Some(self.service.trim().to_string()).filter(|t| !t.is_empty());
        let date = parse_date(&self.date);
        if needs_service && service.is_none() {
            return Err(s.import_preview_need_service);
        }
        if needs_date && date.is_none() {
            return Err(s.import_preview_need_date);
        }
        Ok(SheetDefaults { service, date })
    }

    /// Draws the preview; *Importer* or *Avbryt* end it.
    pub fn window(&mut self, ctx: &egui::Context, s: &Strings, lang: Lang, commands: &mut Vec<Command>) {
        let others: Vec<String> = self
            .paths
            .iter()
            .filter(|p| !ips_store::xlsx_in::is_workbook(p))
            .map(|p| p.file_name().map_or(p.display().to_string(), |n| n.to_string_lossy().into_owned()))
            .collect();
        let modal = egui::Modal::new(egui::Id::unique("import_preview")).show(ctx, |ui| {
            ui.set_max_width(760.0);
            ui.heading(s.import_preview_title);
            ui.label(s.import_preview_intro);
            egui::ScrollArea::vertical().max_height(420.0).show(ui, |ui| {
                for (k, (path, read)) in self.workbooks.iter().enumerate() {
                    ui.add_space(6.0);
                    ui.strong(path.display().to_string());
                    match read {
                        Err(lines) => {
                            ui.colored_label(ui.visuals().error_fg_color, s.import_preview_refused);
                            for line in lines {
                                ui.colored_label(ui.visuals().error_fg_color, line);
                            }
                        }
                        Ok(read) => {
                            egui::Grid::new(("import_preview_rows", k)).striped(true).spacing([14.0, 3.0]).show(
                                ui,
                                |ui| {
                                    let heads = [
                                        s.import_preview_where,
                                        s.import_preview_service,
                                        s.import_preview_date,
                                        s.import_preview_type,
                                        s.import_preview_scored,
                                        s.import_preview_total,
                                    ];
                                    for h in heads {
                                        ui.strong(h);
                                    }
                                    ui.end_row();
                                    for r in &read.reviews {
                                        ui.label(&r.location);
                                        ui.label(r.service.as_deref().unwrap_or(s.import_preview_missing));
                                        ui.label(r.date.map_or(s.import_preview_missing.to_string(), norwegian_date));
                                        ui.label(r.kind.label(lang));
                                        ui.label(r.scores.len().to_string());
                                        ui.label(r.scores.values().map(|&v| u32::from(v)).sum::<u32>().to_string());
                                        ui.end_row();
                                    }
                                },
                            );
                            for note in &read.notes {
                                ui.label(note);
                            }
                        }
                    }
                }
                if !others.is_empty() {
                    ui.add_space(6.0);
                    ui.label(ips_text::i18n::fill(s.import_preview_others, &[("files", others.join(", "))]));
                }
            });
            let (needs_service, needs_date) = self.needs();
            if needs_service || needs_date {
                ui.add_space(6.0);
                ui.label(s.import_preview_sheet_lacks);
                let mut first = None;
                if needs_service {
                    let field = ui.horizontal(|ui| {
                        super::widgets::labelled_field(ui, s.import_preview_service, &mut self.service, 260.0)
                    });
                    first = Some(field.inner);
                }
                if needs_date {
                    let field = ui.horizontal(|ui| {
                        let l = ui.label(s.import_preview_date);
                        let edit =
                            egui::TextEdit::singleline(&mut self.date).hint_text("21.04.2026").desired_width(120.0);
                        ui.add(edit).labelled_by(l.id)
                    });
                    first = first.or(Some(field.inner));
                }
                // Ready to type into at once: the preview came from a keyboard shortcut as often as not.
                if !self.focused
                    && let Some(field) = first
                {
                    field.request_focus();
                    self.focused = true;
                }
            }
            ui.add_space(8.0);
            let defaults = self.defaults(s);
            let importable = self.reviews() > 0 || !others.is_empty();
            ui.horizontal(|ui| {
                let label = ips_text::i18n::fill(s.import_preview_import, &[("count", self.reviews().to_string())]);
                let ok = ui.add_enabled(importable && defaults.is_ok(), egui::Button::new(label));
                // Enter imports, as the button does, once nothing is missing.
                let enter = ui.input(|i| i.key_pressed(egui::Key::Enter)) && ok.enabled();
                if (ok.clicked() || enter)
                    && let Ok(d) = &defaults
                {
                    commands.push(Command::ImportPreviewed(d.clone()));
                }
                if ui.button(s.cancel).clicked() {
                    commands.push(Command::CloseImportPreview);
                }
                if let Err(why) = defaults {
                    ui.label(why);
                }
            });
        });
        if modal.should_close() {
            commands.push(Command::CloseImportPreview);
        }
    }
}
