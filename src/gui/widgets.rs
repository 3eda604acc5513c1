//! Small shared widgets: band chips (colour plus text, so colour-blind users lose nothing,
//! and the text colour chosen for WCAG AA contrast), score colours for the heat map,
//! and buttons with accessible names of their own.

use egui::{Color32, RichText, Ui};

use ips_domain::scale::Scale;
use ips_text::text::Lang;

use super::strings::Strings;

/// Colour of a band by its rank (0 = best) among `count` bands.
pub fn band_color(index: usize, count: usize, dark: bool) -> Color32 {
    // The same tone as on paper (`ips_domain::palette`), the strong one for the screen.
    let [r, g, b] = ips_domain::palette::band_tone(index, count).strong;
    let c = Color32::from_rgb(r, g, b);
    if dark { c.gamma_multiply(1.2) } else { c }
}

/// The fill of a band chip: the band's colour, or grey for "preliminary".
pub fn chip_fill(band: Option<usize>, count: usize, dark: bool) -> Color32 {
    match band {
        Some(i) => band_color(i, count, dark),
        None => Color32::from_gray(120),
    }
}

/// A coloured chip with the band's name, or a grey "preliminary" chip.
pub fn band_chip(ui: &mut Ui, scale: &Scale, band: Option<usize>, lang: Lang, preliminary: &str) {
    let band = band.and_then(|b| scale.bands.get(b).map(|x| (b, x)));
    let text = band.map_or(preliminary.to_string(), |(_, b)| b.label.get(lang).to_string());
    let fill = chip_fill(band.map(|(i, _)| i), scale.bands.len(), ui.visuals().dark_mode);
    egui::Frame::new().fill(fill).corner_radius(4).inner_margin(egui::Margin::symmetric(6, 2)).show(ui, |ui| {
        ui.label(RichText::new(text).color(text_on(fill)).strong());
    });
}

/// The relative luminance of a colour (WCAG 2.x).
pub fn luminance(c: Color32) -> f64 {
    let channel = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.04045 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
}

/// The contrast ratio of two colours (WCAG 2.x), from 1 to 21.
pub fn contrast(a: Color32, b: Color32) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The text colour for `fill`: white where it meets WCAG AA (4.5:1), as the chips were
/// designed, else whichever of black and white reads better.
pub fn text_on(fill: Color32) -> Color32 {
    let (white, black) = (contrast(Color32::WHITE, fill), contrast(Color32::BLACK, fill));
    if white >= 4.5 || white >= black { Color32::WHITE } else { Color32::BLACK }
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

pub use ips_text::text::signed;

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

/// What is past its deadline, one line each in the error colour; nothing when all is on time.
pub fn overdue_list(ui: &mut Ui, s: &Strings, lang: Lang, overdue: &[ips_domain::trends::PastDeadline]) {
    for o in overdue {
        ui.colored_label(ui.visuals().error_fg_color, RichText::new(overdue_text(o, s, lang)).strong());
    }
}

/// One overdue thing in words.
pub fn overdue_text(o: &ips_domain::trends::PastDeadline, s: &Strings, lang: Lang) -> String {
    use ips_domain::trends::PastDeadline;
    use ips_text::i18n::fill;
    use ips_text::text::format_date;
    match o {
        PastDeadline::Report { review, due } => {
            fill(s.overdue_report, &[("review", format_date(*review, lang)), ("due", format_date(*due, lang))])
        }
        PastDeadline::Plan { review, due } => {
            fill(s.overdue_plan, &[("review", format_date(*review, lang)), ("due", format_date(*due, lang))])
        }
        PastDeadline::Actions { count } => fill(s.overdue_actions, &[("count", count.to_string())]),
        PastDeadline::Meeting { due } => fill(s.overdue_meeting, &[("due", format_date(*due, lang))]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text on every band colour, and on the preliminary grey, meets WCAG AA (4.5:1) in
    /// the light and the dark theme, for scales of two to six bands.
    #[test]
    fn band_chips_meet_wcag_aa() {
        for dark in [false, true] {
            for count in 2..=6 {
                for band in (0..count).map(Some).chain([None]) {
                    let fill = chip_fill(band, count, dark);
                    let ratio = contrast(text_on(fill), fill);
                    assert!(ratio >= 4.5, "band {band:?} of {count} (dark {dark}): {ratio:.2}");
                }
            }
        }
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 1e-9);
    }
}
