//! The calendar beside a date field, in the user's language: month names, weekday
//! initials and the week column come from the text catalogs (`app.months`, `app.weekdays`,
//! `app.week_short`), weeks start on Monday and are numbered the ISO way, as in Norway.
//!
//! egui_extras' date picker was used before; its labels ("Week", "Mo", "Cancel", "Save")
//! are fixed English, so a Norwegian user met an English calendar. This one picks a date
//! with one click (or Enter) and closes; Escape or a click elsewhere closes it unchanged.
//! The month shown is the popup's own ephemeral state in egui's memory, like any egui
//! widget's; the date field is written only when a day is picked.

use chrono::{Datelike, Days, Months, NaiveDate};
use egui::{Popup, PopupCloseBehavior, RichText, Ui};

use ips_text::text::{Lang, format_date, parse_date};

use super::strings::{self, Strings};

/// The first day of `date`'s month.
fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

/// The weeks that show `month` (any day of it), Monday first: each row holds the ISO week
/// number and seven days, `None` for days of the neighbouring months.
pub fn month_grid(month: NaiveDate) -> Vec<(u32, [Option<NaiveDate>; 7])> {
    let first = first_of_month(month);
    let monday = first - Days::new(u64::from(first.weekday().num_days_from_monday()));
    let mut rows = Vec::new();
    let mut day = monday;
    while day.month() == first.month() || day < first {
        let week = day.iso_week().week();
        let mut row = [None; 7];
        for slot in &mut row {
            *slot = (day.month() == first.month()).then_some(day);
            day = day.succ_opt().unwrap_or(day);
        }
        rows.push((week, row));
    }
    rows
}

/// "november 2026" / "November 2026".
fn month_title(month: NaiveDate, s: &Strings) -> String {
    let name = s.months.split(',').nth(month.month0() as usize).unwrap_or_default().trim();
    format!("{name} {}", month.year())
}

/// A calendar button beside a date field: opens a calendar on the typed date (or
/// `fallback`), and writes the picked date into `text` as the language writes dates.
/// `true` when a date was picked.
pub fn calendar_button(
    ui: &mut Ui,
    text: &mut String,
    lang: Lang,
    fallback: NaiveDate,
    id_salt: &str,
    name: &str,
) -> bool {
    let s = strings::get(lang);
    let current = parse_date(text).unwrap_or(fallback);
    let button = ui.push_id(id_salt, |ui| ui.button(s.calendar)).inner;
    button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, name));
    let shown_id = button.id.with("shown_month");
    let focus_id = button.id.with("focus_day");
    if button.clicked() {
        // Opening shows the field's month and puts the keyboard on its day.
        ui.data_mut(|d| {
            d.insert_temp(shown_id, first_of_month(current));
            d.insert_temp(focus_id, true);
        });
    }
    let mut picked = None;
    Popup::from_toggle_button_response(&button)
        .close_behavior(PopupCloseBehavior::CloseOnClickOutside)
        .accessible_name(s.calendar)
        .show(|ui| {
            let shown = ui.data(|d| d.get_temp(shown_id)).unwrap_or_else(|| first_of_month(current));
            let focus_day = ui.data_mut(|d| d.remove_temp::<bool>(focus_id)).unwrap_or(false);
            let next;
            (next, picked) = month_view(ui, s, lang, shown, current, focus_day);
            if next != shown {
                ui.data_mut(|d| d.insert_temp(shown_id, next));
            }
            if picked.is_some() {
                ui.close();
            }
        });
    match picked {
        Some(d) => {
            *text = format_date(d, lang);
            true
        }
        None => false,
    }
}

/// One month: arrows for the month and the year, then the weeks. Page Up and Page Down
/// turn the month too. Returns the month to show next and the day picked, if any.
fn month_view(
    ui: &mut Ui,
    s: &Strings,
    lang: Lang,
    shown: NaiveDate,
    current: NaiveDate,
    focus_day: bool,
) -> (NaiveDate, Option<NaiveDate>) {
    let (mut next, mut picked) = (shown, None);
    let turn = |months: i32| {
        if months < 0 {
            shown.checked_sub_months(Months::new(months.unsigned_abs()))
        } else {
            shown.checked_add_months(Months::new(months.unsigned_abs()))
        }
        .unwrap_or(shown)
    };
    ui.horizontal(|ui| {
        let arrow = |ui: &mut Ui, text: &str, name: &str| super::widgets::named_button(ui, text, name.to_string());
        if arrow(ui, "«", s.previous_year).clicked() {
            next = turn(-12);
        }
        if arrow(ui, "‹", s.previous_month).clicked() {
            next = turn(-1);
        }
        ui.add_sized([140.0, 20.0], egui::Label::new(RichText::new(month_title(shown, s)).strong()));
        if arrow(ui, "›", s.next_month).clicked() {
            next = turn(1);
        }
        if arrow(ui, "»", s.next_year).clicked() {
            next = turn(12);
        }
    });
    if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::PageUp)) {
        next = turn(-1);
    }
    if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::PageDown)) {
        next = turn(1);
    }
    let weak = ui.visuals().weak_text_color();
    egui::Grid::new("calendar_days").spacing([2.0, 2.0]).show(ui, |ui| {
        ui.label(RichText::new(s.week_short).color(weak).small());
        for (n, day) in s.weekdays.split(',').enumerate() {
            let text = RichText::new(day.trim()).small();
            // Saturday and Sunday in the weak colour, as printed calendars set them apart.
            ui.label(if n >= 5 { text.color(weak) } else { text });
        }
        ui.end_row();
        for (week, days) in month_grid(shown) {
            ui.label(RichText::new(week.to_string()).color(weak).small());
            for day in days {
                match day {
                    Some(d) => {
                        let selected = d == current;
                        let r =
                            super::widgets::named_selectable(ui, selected, d.day().to_string(), format_date(d, lang));
                        if focus_day && selected {
                            r.request_focus();
                        }
                        if r.clicked() {
                            picked = Some(d);
                        }
                    }
                    None => {
                        ui.label("");
                    }
                }
            }
            ui.end_row();
        }
    });
    (next, picked)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn weeks_start_on_monday_and_are_numbered_the_iso_way() {
        // November 2026 starts on a Sunday, in ISO week 44, and ends on a Monday, week 49.
        let grid = month_grid(date(2026, 11, 23));
        assert_eq!(grid.len(), 6);
        assert_eq!(grid[0].0, 44);
        assert_eq!(grid[0].1[..6], [None; 6]);
        assert_eq!(grid[0].1[6], Some(date(2026, 11, 1)));
        assert_eq!(grid[5].0, 49);
        assert_eq!(grid[5].1[0], Some(date(2026, 11, 30)));
        let days: Vec<NaiveDate> = grid.iter().flat_map(|(_, r)| r.iter().flatten().copied()).collect();
        assert_eq!(days.len(), 30);
        assert!(days.windows(2).all(|w| w[1] == w[0].succ_opt().unwrap()));
    }

    #[test]
    fn a_month_that_starts_on_monday_has_no_empty_first_week() {
        // February 2027 starts on a Monday and has exactly four weeks; 1 January 2027 is in
        // ISO week 53 of 2026.
        let feb = month_grid(date(2027, 2, 14));
        assert_eq!(feb.len(), 4);
        assert_eq!(feb[0].1[0], Some(date(2027, 2, 1)));
        assert_eq!(month_grid(date(2027, 1, 1))[0].0, 53);
    }

    #[test]
    fn month_titles_come_from_the_catalogs() {
        assert_eq!(month_title(date(2026, 11, 5), strings::get(Lang::Nb)), "november 2026");
        assert_eq!(month_title(date(2026, 1, 5), strings::get(Lang::En)), "January 2026");
    }
}
