//! Trends for the styringsgruppe: the total across all reviews with the bands shaded and
//! the target line, section subtotals over time, and a heat map of items × reviews. The
//! series are computed when the data changes, never per frame.

use chrono::{Datelike, NaiveDate};
use egui::{Color32, Ui};
use egui_plot::{Axis, Corner, HLine, HoverPosition, Legend, Line, Plot, PlotPoint, Points, Span, Text};

use super::strings::Strings;
use super::widgets::{band_color, score_color, signed};
use ips_domain::evaluation::EvaluationType;
use ips_domain::outcomes::QuarterFigures;
use ips_domain::scale::Scale;
use ips_domain::trends::Trend;
use ips_store::workspace::Workspace;
use ips_text::text::{Lang, format_date, format_month, format_percent};

#[derive(Debug, Default)]
pub struct TrendsView {
    cache: Option<(usize, u64, Scale, Trend)>,
}

fn day_x(d: NaiveDate) -> f64 {
    f64::from(d.num_days_from_ce())
}

fn day_text(x: f64, lang: Lang) -> String {
    NaiveDate::from_num_days_from_ce_opt(x.round() as i32).map_or(String::new(), |d| format_date(d, lang))
}

fn x_date(x: f64, lang: Lang) -> String {
    NaiveDate::from_num_days_from_ce_opt(x.round() as i32).map_or(String::new(), |d| format_month(d, lang))
}

impl TrendsView {
    fn trend(&mut self, ws: &Workspace, index: usize, version: u64) -> Option<&(usize, u64, Scale, Trend)> {
        let fresh = self.cache.as_ref().is_some_and(|(i, v, _, _)| *i == index && *v == version);
        if !fresh {
            let rec = ws.services.get(index)?;
            // The chart shows the scale of the latest review, in its newest version's layout;
            // every point is scored on the version its review records.
            let id = rec.evaluations.last().map(|e| e.evaluation.scale.clone());
            let scale = id.as_deref().and_then(|id| ws.scales.layout(id)).or(ws.scales.default_scale())?.clone();
            let trend = Trend::build(&ws.scales, &scale.id, rec.evaluations.iter().map(|r| &r.evaluation));
            self.cache = Some((index, version, scale, trend));
        }
        self.cache.as_ref()
    }

    pub fn ui(&mut self, ui: &mut Ui, s: &Strings, lang: Lang, ws: &Workspace, index: usize, version: u64) {
        let Some((_, _, scale, trend)) = self.trend(ws, index, version) else {
            return;
        };
        if trend.points.is_empty() {
            ui.weak(s.no_evaluations_yet);
            return;
        }
        let dark = ui.visuals().dark_mode;
        let outcomes = ws.services.get(index).map_or(&[][..], |r| r.outcomes.as_slice());
        let range = x_range(trend, outcomes);
        egui::ScrollArea::vertical().id_salt("trends_scroll").show(ui, |ui| {
            ui.heading(s.trend_total);
            total_chart(ui, s, lang, scale, trend, range, dark);
            if !outcomes.is_empty() {
                // Under the fidelity total, on the same time axis.
                ui.heading(s.chart_outcomes);
                outcomes_chart(ui, s, lang, scale, outcomes, range);
            }
            ui.add_space(8.0);
            ui.heading(s.trend_sections);
            sections_chart(ui, s, lang, scale, trend, range);
            ui.add_space(8.0);
            ui.heading(s.heat_map);
            ui.weak(s.heat_map_hint);
            heat_map(ui, s, lang, scale, trend);
            ui.add_space(8.0);
            ui.heading(s.all_reviews);
            egui::Grid::new("trend_table").num_columns(4).striped(true).spacing([16.0, 4.0]).show(ui, |ui| {
                for h in [s.date, s.col_type, s.col_total, s.col_band] {
                    ui.strong(h);
                }
                ui.end_row();
                for p in &trend.points {
                    ui.label(format!("{} {}", s.review_on, format_date(p.date, lang)));
                    ui.label(p.kind.label(lang));
                    ui.label(format!("{} / {}", p.total, scale.max_total()));
                    ui.label(
                        p.band
                            .and_then(|b| scale.bands.get(b))
                            .map_or(s.preliminary.to_string(), |b| b.label.get(lang).to_string()),
                    );
                    ui.end_row();
                }
            });
        });
    }
}

/// The x range shared by the charts: every review and every quarter with figures, with two
/// months' margin.
fn x_range(trend: &Trend, outcomes: &[QuarterFigures]) -> (f64, f64) {
    let xs = trend.points.iter().map(|p| day_x(p.date)).chain(outcomes.iter().map(|q| day_x(q.period.middle())));
    let lo = xs.clone().fold(f64::MAX, f64::min);
    let hi = xs.fold(f64::MIN, f64::max);
    (lo - 60.0, hi + 60.0)
}

/// The employment rate per quarter (drawn at the quarter's middle) against the benchmark.
fn outcomes_chart(ui: &mut Ui, s: &Strings, lang: Lang, scale: &Scale, outcomes: &[QuarterFigures], range: (f64, f64)) {
    let (x0, x1) = range;
    Plot::new("outcomes_trend")
        .height(180.0)
        .legend(Legend::default().position(Corner::LeftTop))
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .include_x(x0)
        .include_x(x1)
        .include_y(0.0)
        .include_y(1.0)
        .x_axis_formatter(move |m, _| x_date(m.value, lang))
        .y_axis_formatter(move |m, _| format_percent(m.value, lang))
        .label_formatter(move |pos| hover_label(pos, lang, format_percent))
        .show(ui, |plot| {
            if let Some(b) = scale.outcome_benchmarks.employment_rate {
                let name = format!("{} ({})", s.benchmark, format_percent(b, lang));
                plot.hline(HLine::new(name, b).color(Color32::from_rgb(90, 90, 90)).width(1.5));
            }
            let pts: Vec<[f64; 2]> =
                outcomes.iter().filter_map(|q| q.employment_rate().map(|r| [day_x(q.period.middle()), r])).collect();
            let color = Color32::from_rgb(0, 121, 107);
            plot.line(Line::new(s.employment_rate, pts.clone()).color(color).width(2.5));
            plot.points(Points::new(s.employment_rate, pts).color(color).radius(4.0));
        });
}

fn total_chart(ui: &mut Ui, s: &Strings, lang: Lang, scale: &Scale, trend: &Trend, range: (f64, f64), dark: bool) {
    let (x0, x1) = range;
    let target = scale.target_total();
    let text_color = ui.visuals().weak_text_color();
    Plot::new("total_trend")
        .height(280.0)
        .legend(Legend::default().position(Corner::LeftTop))
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .include_x(x0)
        .include_x(x1)
        .include_y(f64::from(scale.min_total()))
        .include_y(f64::from(scale.max_total()))
        .x_axis_formatter(move |m, _| x_date(m.value, lang))
        .y_axis_label(s.points)
        .label_formatter(move |pos| hover_label(pos, lang, |v, _| format!("{v:.0}")))
        .show(ui, |plot| {
            for (i, b) in scale.bands.iter().enumerate() {
                let c = band_color(i, scale.bands.len(), dark);
                // Unnamed, so the bands stay out of the legend; labelled at the right edge.
                plot.span(
                    Span::new("", f64::from(b.min) - 0.5..=f64::from(b.max) + 0.5)
                        .axis(Axis::Y)
                        .fill(Color32::from_rgba_unmultiplied(c.r(), c.g(), c.b(), 40))
                        .border_width(0.0),
                );
                let mid = (f64::from(b.min) + f64::from(b.max)) / 2.0;
                plot.text(
                    Text::new(
                        "",
                        PlotPoint::new(x1, mid),
                        egui::RichText::new(b.label.get(lang)).color(text_color).size(13.0),
                    )
                    .anchor(egui::Align2::RIGHT_CENTER),
                );
            }
            let target_name =
                scale.bands.get(scale.cadence.target_band).map_or(String::new(), |b| b.label.get(lang).to_string());
            plot.hline(
                HLine::new(format!("{target_name} ({target})"), f64::from(target))
                    .color(Color32::from_rgb(90, 90, 90))
                    .width(1.5),
            );
            for kind in EvaluationType::ALL {
                let pts: Vec<[f64; 2]> = trend
                    .points
                    .iter()
                    .filter(|p| p.kind == kind)
                    .map(|p| [day_x(p.date), f64::from(p.total)])
                    .collect();
                if pts.is_empty() {
                    continue;
                }
                let color = if kind == EvaluationType::Independent {
                    Color32::from_rgb(21, 101, 192)
                } else {
                    Color32::from_rgb(142, 36, 170)
                };
                plot.line(Line::new(kind.label(lang), pts.clone()).color(color).width(2.5));
                plot.points(Points::new(kind.label(lang), pts).color(color).radius(5.0));
            }
        });
}

fn sections_chart(ui: &mut Ui, s: &Strings, lang: Lang, scale: &Scale, trend: &Trend, range: (f64, f64)) {
    let palette = [
        Color32::from_rgb(0, 121, 107),
        Color32::from_rgb(239, 108, 0),
        Color32::from_rgb(57, 73, 171),
        Color32::from_rgb(173, 20, 87),
    ];
    let (x0, x1) = range;
    Plot::new("section_trend")
        .height(200.0)
        .legend(Legend::default().position(Corner::LeftTop))
        .include_x(x0)
        .include_x(x1)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .include_y(0.0)
        .x_axis_formatter(move |m, _| x_date(m.value, lang))
        .label_formatter(move |pos| hover_label(pos, lang, |v, _| format!("{v:.0}")))
        .show(ui, |plot| {
            for (si, sec) in scale.sections.iter().enumerate() {
                let max = scale.section_items(si).count() as f64 * f64::from(scale.score_max);
                let pts: Vec<[f64; 2]> = trend
                    .points
                    .iter()
                    .filter(|p| p.kind == EvaluationType::Independent)
                    .filter_map(|p| p.sections.get(si).map(|&t| [day_x(p.date), f64::from(t)]))
                    .collect();
                let name = format!("{} ({} {max})", sec.name.get(lang), s.max_short);
                let c = palette[si % palette.len()];
                plot.line(Line::new(name.clone(), pts.clone()).color(c).width(2.0));
                plot.points(Points::new(name, pts).color(c).radius(4.0));
            }
        });
}

fn heat_map(ui: &mut Ui, s: &Strings, lang: Lang, scale: &Scale, trend: &Trend) {
    let cell = egui::vec2(74.0, 22.0);
    let name_w = 330.0;
    egui::ScrollArea::horizontal().id_salt("heat_scroll").show(ui, |ui| {
        egui::Grid::new("heat_map").num_columns(trend.points.len() + 1).spacing([2.0, 2.0]).show(ui, |ui| {
            ui.allocate_ui(egui::vec2(name_w, cell.y), |ui| ui.strong(s.item));
            for p in &trend.points {
                let tag = if p.kind == EvaluationType::SelfAssessment { " (E)" } else { "" };
                ui.strong(format!("{}{tag}", format_date(p.date, lang)));
            }
            ui.end_row();
            for (ii, item) in scale.items.iter().enumerate() {
                ui.allocate_ui(egui::vec2(name_w, cell.y), |ui| {
                    ui.add(egui::Label::new(format!("{} {}", item.id, item.name.get(lang))).truncate());
                });
                let mut prev: Option<u8> = None;
                for p in &trend.points {
                    let v = p.items.get(ii).copied().flatten();
                    let (rect, resp) = ui.allocate_exact_size(cell, egui::Sense::hover());
                    let fill = v.map_or(ui.visuals().faint_bg_color, |v| score_color(v, scale));
                    ui.painter().rect_filled(rect, 3, fill);
                    let delta = match (prev, v) {
                        (Some(a), Some(b)) if a != b => {
                            format!(" ({})", signed(i32::from(b) - i32::from(a)))
                        }
                        _ => String::new(),
                    };
                    let text = v.map_or("–".to_string(), |v| format!("{v}{delta}"));
                    ui.painter().text(
                        rect.center(),
                        egui::Align2::CENTER_CENTER,
                        &text,
                        egui::FontId::proportional(13.0),
                        Color32::BLACK,
                    );
                    resp.on_hover_text(format!(
                        "{} {} – {}: {}",
                        item.id,
                        item.name.get(lang),
                        format_date(p.date, lang),
                        v.map_or("–".to_string(), |v| v.to_string())
                    ));
                    if v.is_some() {
                        prev = v;
                    }
                }
                ui.end_row();
            }
        });
    });
}

/// The hover text on a chart point: series, date and value.
/// The label beside a hovered point: the series, the day and the value as `value` writes it.
fn hover_label(pos: &HoverPosition<'_>, lang: Lang, value: fn(f64, Lang) -> String) -> Option<String> {
    match pos {
        HoverPosition::NearDataPoint { plot_name, position, .. } if !plot_name.is_empty() => {
            Some(format!("{plot_name}\n{}: {}", day_text(position.x, lang), value(position.y, lang)))
        }
        _ => None,
    }
}
