//! The report's charts: plotters lays them out and [`PdfBackend`](crate::backend::PdfBackend)
//! draws them as vector graphics, with their labels as real text in the embedded font; the
//! same drawing on plotters' bitmap gives the Word report its pictures. The
//! charts: the total across all reviews over the shaded bands and the target line, and the
//! section subtotals now against the previous review. The item heat map is a table and
//! lives with the layout in `lib.rs`.

use chrono::{Datelike, NaiveDate};
use plotters::prelude::*;
use plotters::style::FontStyle;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use ips_domain::report::ReportModel;
use ips_text::text::format_month;

use plotters::coord::Shift;

use crate::backend::{PdfBackend, UNIT_MM};
use crate::canvas::{Face, Mark};

/// The same DejaVu Sans the PDF embeds, registered with plotters so that its layout (the
/// legend, label areas) measures text exactly as the backend draws it.
const FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// Band fills from best to worst: the app's tones (`ips_domain::palette`), light for paper.
fn band_fill(rank: usize, count: usize) -> RGBColor {
    let [r, g, b] = ips_domain::palette::band_tone(rank, count).light;
    RGBColor(r, g, b)
}

const BLUE: RGBColor = RGBColor(21, 101, 192);
const PURPLE: RGBColor = RGBColor(142, 36, 170);
const GREY: RGBColor = RGBColor(150, 150, 150);
const DARK: RGBColor = RGBColor(60, 60, 60);

fn register_font() -> Result<(), String> {
    plotters::style::register_font("sans-serif", FontStyle::Normal, FONT)
        .map_err(|_| "the chart font could not be read".to_string())
}

fn day(d: NaiveDate) -> f64 {
    f64::from(d.num_days_from_ce())
}

/// The total across all reviews, bands shaded, the target line, this review highlighted:
/// `width` × `height` mm with the lower-left corner at `origin`.
pub fn total_chart(
    m: &ReportModel,
    face: &Face,
    origin: (f32, f32),
    width: f32,
    height: f32,
) -> Result<Vec<Mark>, String> {
    register_font()?;
    let mut ops = Vec::new();
    draw_total(PdfBackend::new(width, height, origin, face, &mut ops).into_drawing_area(), m)?;
    Ok(ops)
}

/// [`total_chart`] as a picture of `width` × `height` mm (for the Word report).
pub fn total_chart_png(m: &ReportModel, width: f32, height: f32) -> Result<Png, String> {
    picture(width, height, |root| draw_total(root, m))
}

fn draw_total<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, m: &ReportModel) -> Result<(), String> {
    {
        let xs: Vec<f64> = m.series.iter().map(|p| day(p.date)).collect();
        let first = xs.iter().copied().fold(f64::MAX, f64::min);
        let last = xs.iter().copied().fold(f64::MIN, f64::max);
        // Room on both sides for the labels at the ends of the axis and beside the points.
        let pad = ((last - first) * 0.08).max(45.0);
        let (x0, x1) = (first - pad, last + pad);
        // A partial total can lie below the scale's minimum: keep it on the chart.
        let lowest = m.series.iter().map(|p| p.total).min().unwrap_or(m.min).min(m.min);
        let (y0, y1) = (f64::from(lowest), f64::from(m.max));
        let lang = m.lang;
        let mut chart = ChartBuilder::on(&root)
            .margin(20)
            .x_label_area_size(60)
            .y_label_area_size(80)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(|e| e.to_string())?;
        // Ticks at the reviews' months when there are few, else spread evenly.
        let months = month_ticks(&m.series.iter().map(|p| p.date).collect::<Vec<_>>(), x0, x1);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels(8)
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style(("sans-serif", 34))
            .axis_style(DARK.stroke_width(2))
            .light_line_style(RGBColor(225, 228, 232).stroke_width(1))
            .bold_line_style(RGBColor(205, 208, 214).stroke_width(2))
            .draw()
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(m.bands.iter().map(|b| {
                let lo = (f64::from(b.min) - 0.5).max(y0);
                let hi = (f64::from(b.max) + 0.5).min(y1);
                Rectangle::new([(x0, lo), (x1, hi)], band_fill(b.rank, m.bands.len()).filled())
            }))
            .map_err(|e| e.to_string())?;
        // The months under the axis, centred on their ticks and kept inside the plot.
        let plot = chart.plotting_area();
        for (x, label) in &months {
            let (px, py) = plot.map_coordinate(&(*x, y0));
            root.draw(&PathElement::new(vec![(px, py), (px, py + 12)], DARK.stroke_width(2)))
                .map_err(|e| e.to_string())?;
            let style =
                TextStyle::from(("sans-serif", 32).into_font()).color(&DARK).pos(Pos::new(HPos::Center, VPos::Top));
            root.draw(&Text::new(format_month(*label, lang), (px, py + 18), style)).map_err(|e| e.to_string())?;
        }
        chart
            .draw_series(m.bands.iter().map(|b| {
                // In the band's top-left corner, clear of the line that starts further right.
                let top = (f64::from(b.max) + 0.5).min(y1) - (y1 - y0) * 0.012;
                Text::new(b.label.clone(), (x0 + (x1 - x0) * 0.008, top), ("sans-serif", 30).into_font().color(&DARK))
            }))
            .map_err(|e| e.to_string())?;
        let target = f64::from(m.target_total);
        chart
            .draw_series(LineSeries::new([(x0, target), (x1, target)], DARK.stroke_width(3)))
            .map_err(|e| e.to_string())?;
        let points: Vec<(f64, f64)> = m.series.iter().map(|p| (day(p.date), f64::from(p.total))).collect();
        let (at, above_line) = target_label_place(&points, x0, x1, target, (y1 - y0) * 0.06);
        let (v_pos, dy) = if above_line { (VPos::Bottom, 0.012) } else { (VPos::Top, -0.012) };
        let style = TextStyle::from(("sans-serif", 32).into_font()).color(&DARK).pos(Pos::new(HPos::Left, v_pos));
        chart
            .draw_series(std::iter::once(Text::new(
                format!("{} ({})", m.target_label, m.target_total),
                (at, target + (y1 - y0) * dy),
                style,
            )))
            .map_err(|e| e.to_string())?;
        for (self_assessment, color) in [(false, BLUE), (true, PURPLE)] {
            let pts: Vec<(f64, f64)> = m
                .series
                .iter()
                .filter(|p| p.self_assessment == self_assessment)
                .map(|p| (day(p.date), f64::from(p.total)))
                .collect();
            if pts.is_empty() {
                continue;
            }
            let label = if self_assessment { m.texts.self_assessment } else { m.texts.independent };
            chart
                .draw_series(LineSeries::new(pts.iter().copied(), color.stroke_width(4)))
                .map_err(|e| e.to_string())?
                .label(label)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(4)));
            chart.draw_series(pts.iter().map(|&p| Circle::new(p, 9, color.filled()))).map_err(|e| e.to_string())?;
        }
        // Totals written beside the points; partial totals marked as such.
        chart
            .draw_series(m.series.iter().map(|p| {
                let mark = if p.complete { String::new() } else { " *".to_string() };
                let style = TextStyle::from(("sans-serif", if p.current { 40 } else { 32 }).into_font())
                    .color(&BLACK)
                    .pos(Pos::new(HPos::Left, VPos::Bottom));
                Text::new(
                    format!("{}{mark}", p.total),
                    (day(p.date) + (x1 - x0) * 0.01, f64::from(p.total) + (y1 - y0) * 0.015),
                    style,
                )
            }))
            .map_err(|e| e.to_string())?;
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .label_font(("sans-serif", 32))
            .background_style(WHITE.mix(0.85))
            .border_style(GREY)
            .draw()
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Where the target line's label goes: the start (as a share of the x range) and whether
/// above the line, choosing the place the review line keeps farthest from (at least
/// `clearance` away when it can).
fn target_label_place(points: &[(f64, f64)], x0: f64, x1: f64, target: f64, clearance: f64) -> (f64, bool) {
    // The review line's value at x (flat before the first and after the last review).
    let value_at = |x: f64| -> Option<f64> {
        let first = points.first()?;
        let last = points.last()?;
        if x <= first.0 {
            return Some(first.1);
        }
        if x >= last.0 {
            return Some(last.1);
        }
        points.windows(2).find(|w| x >= w[0].0 && x <= w[1].0).map(|w| {
            let t = if w[1].0 > w[0].0 { (x - w[0].0) / (w[1].0 - w[0].0) } else { 0.0 };
            w[0].1 + (w[1].1 - w[0].1) * t
        })
    };
    // The label fills [target, target + clearance] above the line or the mirror below it.
    // A sample of the review line inside that strip is a collision (-1); outside, the room
    // is its distance from the strip. The place with the most room wins.
    let room = |v: f64, above: bool| {
        let (lo, hi) = if above { (target, target + clearance) } else { (target - clearance, target) };
        if v < lo {
            lo - v
        } else if v > hi {
            v - hi
        } else {
            -1.0
        }
    };
    let mut best = (x0 + (x1 - x0) * 0.62, true, f64::MIN);
    for start in [0.62, 0.4, 0.15, 0.75] {
        let (a, b) = (x0 + (x1 - x0) * start, x0 + (x1 - x0) * (start + 0.22));
        for above in [true, false] {
            let least = (0..=10)
                .filter_map(|k| value_at(a + (b - a) * f64::from(k) / 10.0))
                .map(|v| room(v, above))
                .fold(f64::MAX, f64::min);
            if least > best.2 {
                best = (a, above, least);
            }
        }
    }
    (best.0, best.1)
}

/// The months to mark on the time axis: each review's month when there are few reviews,
/// else about six evenly spread, never two in one month.
fn month_ticks(dates: &[NaiveDate], x0: f64, x1: f64) -> Vec<(f64, NaiveDate)> {
    let first_of_month = |d: NaiveDate| d.with_day(1).unwrap_or(d);
    let mut months: Vec<NaiveDate> = if dates.len() <= 6 {
        dates.iter().copied().map(first_of_month).collect()
    } else {
        (0..6)
            .filter_map(|k| {
                let x = x0 + (x1 - x0) * (f64::from(k) + 0.5) / 6.0;
                NaiveDate::from_num_days_from_ce_opt(x.round() as i32).map(first_of_month)
            })
            .collect()
    };
    months.sort();
    months.dedup();
    // Marked where the review is (its day), labelled with its month.
    months
        .into_iter()
        .map(|m| {
            let at = dates.iter().copied().find(|d| first_of_month(*d) == m).unwrap_or(m);
            (day(at), m)
        })
        .collect()
}

/// Section subtotals now (blue) and at the previous review (grey), as grouped bars.
pub fn sections_chart(
    m: &ReportModel,
    face: &Face,
    origin: (f32, f32),
    width: f32,
    height: f32,
) -> Result<Vec<Mark>, String> {
    register_font()?;
    let mut ops = Vec::new();
    draw_sections(PdfBackend::new(width, height, origin, face, &mut ops).into_drawing_area(), m)?;
    Ok(ops)
}

/// [`sections_chart`] as a picture of `width` × `height` mm (for the Word report).
pub fn sections_chart_png(m: &ReportModel, width: f32, height: f32) -> Result<Png, String> {
    picture(width, height, |root| draw_sections(root, m))
}

fn draw_sections<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, m: &ReportModel) -> Result<(), String> {
    {
        let (w, _) = root.dim_in_pixel();
        let n = m.sections.len();
        let y_max = m.sections.iter().map(|s| f64::from(s.max)).fold(1.0, f64::max);
        let names: Vec<String> = m.sections.iter().map(|s| s.name.clone()).collect();
        // The legend sits right of the bars, clear of them.
        let mut chart = ChartBuilder::on(&root)
            .margin(20)
            .margin_right(360)
            .x_label_area_size(60)
            .y_label_area_size(80)
            .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0.0f64..y_max * 1.12)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n.max(1) * 2 + 1)
            .x_label_formatter(&|x| {
                let i = x.round();
                if (x - i).abs() < 0.01 && i >= 0.0 {
                    names.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style(("sans-serif", 34))
            .axis_style(DARK.stroke_width(2))
            .light_line_style(TRANSPARENT)
            .bold_line_style(RGBColor(225, 228, 232).stroke_width(2))
            .draw()
            .map_err(|e| e.to_string())?;
        let above = |x: f64, v: f64, label: String| {
            let style =
                TextStyle::from(("sans-serif", 32).into_font()).color(&BLACK).pos(Pos::new(HPos::Center, VPos::Bottom));
            Text::new(label, (x, v + y_max * 0.015), style)
        };
        for (i, s) in m.sections.iter().enumerate() {
            let x = i as f64;
            // The section's maximum as a light frame behind the bars.
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x - 0.38, 0.0), (x + 0.38, f64::from(s.max))],
                    RGBColor(235, 238, 243).filled(),
                )))
                .map_err(|e| e.to_string())?;
            if let Some(p) = s.previous {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x - 0.33, 0.0), (x - 0.02, f64::from(p))],
                        GREY.filled(),
                    )))
                    .map_err(|e| e.to_string())?;
                chart
                    .draw_series(std::iter::once(above(x - 0.175, f64::from(p), p.to_string())))
                    .map_err(|e| e.to_string())?;
            }
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x + 0.02, 0.0), (x + 0.33, f64::from(s.total))],
                    BLUE.filled(),
                )))
                .map_err(|e| e.to_string())?;
            chart
                .draw_series(std::iter::once(above(x + 0.175, f64::from(s.total), format!("{} / {}", s.total, s.max))))
                .map_err(|e| e.to_string())?;
        }
        // Legend drawn by hand: the bars are not series.
        let legend = [(BLUE, m.texts.now), (GREY, m.texts.previous)];
        let w = w as i32;
        for (k, (c, label)) in legend.iter().enumerate() {
            let y = 40 + k as i32 * 44;
            root.draw(&Rectangle::new([(w - 320, y), (w - 286, y + 30)], c.filled())).map_err(|e| e.to_string())?;
            root.draw(&Text::new(*label, (w - 274, y), ("sans-serif", 34))).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// A chart as a PNG picture, with its size in pixels (10 per mm, the vector charts' unit:
/// the same layout, about 250 dpi).
#[derive(Debug, Clone)]
pub struct Png {
    pub bytes: Vec<u8>,
    pub width_px: u32,
    pub height_px: u32,
}

/// Draws with `draw` on a white picture of `width` × `height` mm and encodes it as PNG.
fn picture(
    width: f32,
    height: f32,
    draw: impl FnOnce(DrawingArea<BitMapBackend<'_>, Shift>) -> Result<(), String>,
) -> Result<Png, String> {
    register_font()?;
    let (w, h) = ((width / UNIT_MM).round() as u32, (height / UNIT_MM).round() as u32);
    let mut rgb = vec![255u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        draw(root.clone())?;
        root.present().map_err(|e| e.to_string())?;
    }
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        // 10 pixels per mm, so that a reader that honours it shows the chart at its size.
        let per_metre = (1000.0 / UNIT_MM) as u32;
        encoder.set_pixel_dims(Some(png::PixelDimensions { xppu: per_metre, yppu: per_metre, unit: png::Unit::Meter }));
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        writer.write_image_data(&rgb).map_err(|e| e.to_string())?;
    }
    Ok(Png { bytes, width_px: w, height_px: h })
}
