//! The services overview: every service with its latest total, band, change, next review
//! (overdue highlighted) and steering group cadence. Filters and sorts; a new service is
//! created from here. Rows come precomputed from [`super::Derived`].

use chrono::NaiveDate;
use egui::{RichText, Ui};

use super::service::ServiceForm;
use super::strings::Strings;
use super::widgets::{band_chip, overdue_text, signed};
use super::{Command, Derived, Route, ServiceTab, ViewCx};
use ips_text::text::format_date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    #[default]
    Name,
    Total,
    NextReview,
    Change,
    /// Grouped by region, by name within each.
    Region,
}

#[derive(Debug, Default)]
pub struct OverviewView {
    pub filter: String,
    /// Only this region's services (`None`: all).
    pub region: Option<String>,
    pub sort: SortBy,
    pub creating: Option<ServiceForm>,
    /// The carried scale version whose changes are shown (id, version).
    pub comparing_scale: Option<(String, String)>,
    /// Sorted, filtered row indices and what they were computed from.
    order: Vec<usize>,
    order_key: Option<(u64, String, Option<String>, SortBy, usize)>,
}

impl OverviewView {
    fn refresh_order(&mut self, derived: &Derived, version: u64) {
        let key = (version, self.filter.clone(), self.region.clone(), self.sort, derived.rows.len());
        if self.order_key.as_ref() == Some(&key) {
            return;
        }
        let needle = self.filter.trim().to_lowercase();
        let mut order: Vec<usize> = (0..derived.rows.len())
            .filter(|&i| needle.is_empty() || derived.rows[i].name.to_lowercase().contains(&needle))
            .filter(|&i| {
                self.region.as_ref().is_none_or(|r| ips_domain::service::same_region(&derived.rows[i].region, r))
            })
            .collect();
        let rows = &derived.rows;
        match self.sort {
            SortBy::Name => order.sort_by_key(|&i| ips_text::text::sort_key(&rows[i].name)),
            SortBy::Total => order.sort_by_key(|&i| std::cmp::Reverse(rows[i].latest.as_ref().map(|l| l.total))),
            SortBy::NextReview => order.sort_by_key(|&i| {
                rows[i].schedule.as_ref().and_then(|s| s.next_review.as_ref()).map_or(NaiveDate::MAX, |r| r.due)
            }),
            SortBy::Change => order.sort_by_key(|&i| std::cmp::Reverse(rows[i].change.unwrap_or(i32::MIN))),
            // Services without a region last.
            SortBy::Region => order.sort_by_key(|&i| {
                (
                    rows[i].region.trim().is_empty(),
                    ips_text::text::sort_key(&rows[i].region),
                    ips_text::text::sort_key(&rows[i].name),
                )
            }),
        }
        self.order = order;
        self.order_key = Some(key);
    }

    /// A scale version a package brought is kept for its reviews but not used for new ones
    /// until someone adopts it: said here, with what would change and the button to adopt.
    fn carried_scales_ui(&mut self, ui: &mut Ui, cx: &ViewCx, commands: &mut Vec<Command>) {
        let ViewCx { s, lang, ws, .. } = *cx;
        for (current, carried) in ws.scales.carried_newer() {
            let key = (carried.id.clone(), carried.version.clone());
            let scale = format!("{} {}", carried.id, carried.version);
            let now = current.map_or_else(|| "–".to_string(), |c| c.version.clone());
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.label(ips_text::i18n::fill(s.scale_carried_notice, &[("scale", scale.clone()), ("current", now)]));
                let open = self.comparing_scale.as_ref() == Some(&key);
                if open {
                    match current {
                        Some(c) => {
                            let changes = ips_domain::scale_change::changes(c, carried, lang);
                            if changes.is_empty() {
                                ui.label(s.scale_no_changes);
                            }
                            for change in changes {
                                let text = format!("• {}", change.msg().text(lang));
                                if change.changes_scores() {
                                    ui.strong(text);
                                } else {
                                    ui.label(text);
                                }
                            }
                        }
                        None => {
                            ui.label(s.scale_no_changes);
                        }
                    }
                }
                ui.horizontal(|ui| {
                    if !open && ui.button(s.scale_show_changes).clicked() {
                        self.comparing_scale = Some(key.clone());
                    }
                    if open {
                        let adopt = ips_text::i18n::fill(s.scale_adopt, &[("scale", scale.clone())]);
                        if ui.button(adopt).on_hover_text(s.scale_adopt_hint).clicked() {
                            commands.push(Command::AdoptScale { id: key.0.clone(), version: key.1.clone() });
                            self.comparing_scale = None;
                        }
                        if ui.button(s.scale_not_now).clicked() {
                            self.comparing_scale = None;
                        }
                    }
                });
            });
        }
    }

    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCx, commands: &mut Vec<Command>) {
        let ViewCx { s, lang, ws, derived, data_version, .. } = *cx;
        ui.horizontal(|ui| {
            ui.heading(s.services_heading);
            ui.weak(format!("({})", ips_text::text::format_count(ws.services.len(), lang)));
        });
        ui.horizontal(|ui| {
            let l = ui.label(s.filter);
            ui.add(egui::TextEdit::singleline(&mut self.filter).desired_width(220.0).hint_text(s.filter_hint))
                .labelled_by(l.id);
            ui.label(s.sort_by);
            ui.name_inputs(s.sort_by, |ui| {
                egui::ComboBox::from_id_salt("sort_services").selected_text(sort_label(self.sort, s)).show_ui(
                    ui,
                    |ui| {
                        for sort in [SortBy::Name, SortBy::Region, SortBy::Total, SortBy::NextReview, SortBy::Change] {
                            ui.selectable_value(&mut self.sort, sort, sort_label(sort, s));
                        }
                    },
                );
            });
            if !derived.regions.is_empty() {
                ui.label(s.region_field);
                ui.name_inputs(s.region_field, |ui| {
                    egui::ComboBox::from_id_salt("region_filter")
                        .selected_text(self.region.clone().unwrap_or_else(|| s.all_regions.to_string()))
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut self.region, None, s.all_regions);
                            for r in &derived.regions {
                                ui.selectable_value(&mut self.region, Some(r.clone()), r);
                            }
                        });
                });
            }
            ui.separator();
            if ui.button(s.new_service).clicked() {
                self.creating = Some(ServiceForm::default());
            }
            if ui.button(s.reload).on_hover_text(s.reload_hint).clicked() {
                commands.push(Command::Reload);
            }
        });
        self.carried_scales_ui(ui, cx, commands);
        if let Some(form) = &mut self.creating {
            let outcome = egui::Frame::group(ui.style())
                .show(ui, |ui| {
                    ui.strong(s.new_service);
                    form.ui(ui, s, s.create_service)
                })
                .inner;
            match outcome {
                Some(Ok(info)) => {
                    commands.push(Command::CreateService(info));
                    self.creating = None;
                }
                Some(Err(())) => self.creating = None,
                None => {}
            }
        }
        ui.separator();
        self.refresh_order(derived, data_version);
        if self.order.is_empty() {
            ui.weak(s.no_services_match);
            return;
        }
        let row_h = 30.0;
        egui::ScrollArea::vertical().id_salt("services_scroll").auto_shrink([false; 2]).show_rows(
            ui,
            row_h,
            self.order.len() + 1,
            |ui, range| {
                egui::Grid::new("services_grid")
                    .num_columns(9)
                    .striped(true)
                    .min_row_height(row_h - 6.0)
                    .spacing([18.0, 6.0])
                    .show(ui, |ui| {
                        if range.start == 0 {
                            for h in [
                                s.col_service,
                                s.region_field,
                                s.col_total,
                                s.col_band,
                                s.col_status,
                                s.col_change,
                                s.col_next_review,
                                s.col_steering,
                                s.col_deadlines,
                            ] {
                                ui.strong(h);
                            }
                            ui.end_row();
                        }
                        for pos in range.start.max(1)..range.end {
                            let i = self.order[pos - 1];
                            let row = &derived.rows[i];
                            if ui.link(RichText::new(&row.name).strong()).clicked() {
                                commands.push(Command::Navigate(Route::Service(
                                    ws.services[i].folder.clone(),
                                    ServiceTab::Evaluations,
                                )));
                            }
                            if row.region.is_empty() {
                                ui.weak("–");
                            } else {
                                ui.label(&row.region);
                            }
                            let scale = row
                                .latest_scale
                                .as_ref()
                                .and_then(|(id, version)| ws.scales.get_version(id, version))
                                .or(ws.scales.default_scale());
                            match (&row.latest, scale) {
                                (Some(l), Some(scale)) => {
                                    ui.label(format!("{} / {}", l.total, l.max));
                                    band_chip(ui, scale, l.band.as_ref().map(|b| b.index), lang, s.preliminary);
                                }
                                _ => {
                                    ui.weak("–");
                                    ui.weak(s.no_evaluations);
                                }
                            }
                            match row.latest_status {
                                Some(st) => ui.label(st.label(lang)),
                                None => ui.weak("–"),
                            };
                            ui.label(row.change.map_or("–".to_string(), signed));
                            match row.schedule.as_ref().and_then(|x| x.next_review.as_ref()) {
                                Some(r) if r.overdue => {
                                    ui.colored_label(
                                        ui.visuals().error_fg_color,
                                        RichText::new(format!("{} – {}", format_date(r.due, lang), s.overdue)).strong(),
                                    );
                                }
                                Some(r) => {
                                    ui.label(format_date(r.due, lang));
                                }
                                None => {
                                    ui.weak("–");
                                }
                            }
                            match &row.schedule {
                                Some(sch) => ui.label(ips_text::i18n::fill(
                                    s.meetings_per_year,
                                    &[("count", sch.steering_group.meetings_per_year.to_string())],
                                )),
                                None => ui.weak("–"),
                            };
                            if row.overdue.is_empty() {
                                ui.weak("–");
                            } else {
                                let lines: Vec<String> = row.overdue.iter().map(|o| overdue_text(o, s, lang)).collect();
                                ui.colored_label(ui.visuals().error_fg_color, lines.join(" · "));
                            }
                            ui.end_row();
                        }
                    });
            },
        );
    }
}

fn sort_label(sort: SortBy, s: &Strings) -> &'static str {
    match sort {
        SortBy::Name => s.sort_name,
        SortBy::Total => s.sort_total,
        SortBy::NextReview => s.sort_next_review,
        SortBy::Change => s.sort_change,
        SortBy::Region => s.sort_region,
    }
}
