//! Small shared widgets: band chips (colour plus text, so colour-blind users lose nothing),
//! score colours for the heat map, and a button with an accessible name of its own.

use egui::{Color32, RichText, Ui};

use ips_core::scale::Scale;
use ips_core::text::Lang;

/// Colour of a band by its rank (0 = best) among `count` bands.
pub fn band_color(index: usize, count: usize, dark: bool) -> Color32 {
    // Best to worst: green, teal, amber, red; other counts are spread over the same ramp.
    let ramp = [
        Color32::from_rgb(46, 125, 50),
        Color32::from_rgb(0, 131, 143),
        Color32::from_rgb(230, 145, 0),
        Color32::from_rgb(198, 40, 40),
    ];
    let pos = if count <= 1 { 0 } else { index * (ramp.len() - 1) / (count - 1) };
    let c = ramp[pos.min(ramp.len() - 1)];
    if dark { c.gamma_multiply(1.2) } else { c }
}

/// A coloured chip with the band's name, or a grey "preliminary" chip.
pub fn band_chip(ui: &mut Ui, scale: &Scale, band: Option<usize>, lang: Lang, preliminary: &str) {
    let (text, fill) = match band.and_then(|b| scale.bands.get(b).map(|x| (b, x))) {
        Some((i, b)) => (b.label.get(lang).to_string(), band_color(i, scale.bands.len(), ui.visuals().dark_mode)),
        None => (preliminary.to_string(), Color32::from_gray(120)),
    };
    egui::Frame::new().fill(fill).corner_radius(4).inner_margin(egui::Margin::symmetric(6, 2)).show(ui, |ui| {
        ui.label(RichText::new(text).color(Color32::WHITE).strong());
    });
}

/// Heat-map colour for a score on a scale: muted red at the bottom, through yellow, to green.
pub fn score_color(score: u8, scale: &Scale) -> Color32 {
    let span = f32::from(scale.score_max.saturating_sub(scale.score_min)).max(1.0);
    let t = f32::from(score.saturating_sub(scale.score_min)) / span;
    let mix = |from: [u8; 3], to: [u8; 3], t: f32| {
        let c = |i: usize| (f32::from(from[i]) + (f32::from(to[i]) - f32::from(from[i])) * t) as u8;
        Color32::from_rgb(c(0), c(1), c(2))
    };
    let (red, yellow, green) = ([214, 96, 77], [240, 200, 90], [76, 160, 80]);
    if t < 0.5 { mix(red, yellow, t * 2.0) } else { mix(yellow, green, (t - 0.5) * 2.0) }
}

/// A selectable button whose accessible name is `name` (e.g. "B3: 4") while it shows `text`.
pub fn named_selectable(ui: &mut Ui, selected: bool, text: impl Into<String>, name: String) -> egui::Response {
    let r = ui.add(egui::Button::selectable(selected, text.into()));
    r.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, selected, &name));
    r
}

pub use ips_core::text::signed;

/// A labelled single-line text field whose accessible name is the label.
pub fn labelled_field(ui: &mut Ui, label: &str, value: &mut String, width: f32) -> egui::Response {
    let l = ui.label(label);
    ui.add(egui::TextEdit::singleline(value).desired_width(width)).labelled_by(l.id)
}

/// A button whose accessible name is `name` while it shows `text`.
pub fn named_button(ui: &mut Ui, text: &str, name: String) -> egui::Response {
    let r = ui.button(text);
    r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
    r
}
