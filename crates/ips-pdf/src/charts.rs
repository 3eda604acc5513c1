//! The report's charts, drawn with plotters into RGB buffers that go into the PDF as raw
//! images: the total across all reviews over the shaded bands and the target line, and the
//! section subtotals now against the previous review.

use chrono::{Datelike, NaiveDate};
use plotters::prelude::*;
use plotters::style::FontStyle;

use ips_core::report::ReportModel;

/// An RGB8 buffer with its size in pixels.
pub type Image = (Vec<u8>, u32, u32);

const FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// Band fills from best to worst (the same ramp as the app, lightened for paper).
fn band_fill(rank: usize, count: usize) -> RGBColor {
    let ramp = [RGBColor(200, 230, 201), RGBColor(178, 223, 219), RGBColor(255, 236, 179), RGBColor(255, 205, 210)];
    let pos = if count <= 1 { 0 } else { rank * (ramp.len() - 1) / (count - 1) };
    ramp[pos.min(ramp.len() - 1)]
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

fn month_label(x: f64) -> String {
    NaiveDate::from_num_days_from_ce_opt(x.round() as i32).map_or(String::new(), |d| d.format("%Y-%m").to_string())
}

/// The total across all reviews, bands shaded, the target line, this review highlighted.
pub fn total_chart(m: &ReportModel) -> Result<Image, String> {
    register_font()?;
    let (w, h) = (1700u32, 760u32);
    let mut buf = vec![255u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let xs: Vec<f64> = m.history.iter().map(|p| day(p.date)).collect();
        let x0 = xs.iter().copied().fold(f64::MAX, f64::min) - 150.0;
        let x1 = xs.iter().copied().fold(f64::MIN, f64::max) + 90.0;
        // A partial total can lie below the scale's minimum: keep it on the chart.
        let lowest = m.history.iter().map(|p| p.total).min().unwrap_or(m.min).min(m.min);
        let (y0, y1) = (f64::from(lowest), f64::from(m.max));
        let mut chart = ChartBuilder::on(&root)
            .margin(24)
            .x_label_area_size(70)
            .y_label_area_size(90)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(8)
            .y_labels(8)
            .x_label_formatter(&|x| month_label(*x))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style(("sans-serif", 34))
            .draw()
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(m.bands.iter().map(|b| {
                let lo = (f64::from(b.min) - 0.5).max(y0);
                let hi = (f64::from(b.max) + 0.5).min(y1);
                Rectangle::new([(x0, lo), (x1, hi)], band_fill(b.rank, m.bands.len()).filled())
            }))
            .map_err(|e| e.to_string())?;
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
        chart
            .draw_series(std::iter::once(Text::new(
                format!("{} ({})", m.texts.chart_target, m.target_total),
                (x0 + (x1 - x0) * 0.62, target + (y1 - y0) * 0.045),
                ("sans-serif", 32).into_font().color(&DARK),
            )))
            .map_err(|e| e.to_string())?;
        for (self_assessment, color) in [(false, BLUE), (true, PURPLE)] {
            let pts: Vec<(f64, f64)> = m
                .history
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
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 30, y)], color.stroke_width(4)));
            chart.draw_series(pts.iter().map(|&p| Circle::new(p, 9, color.filled()))).map_err(|e| e.to_string())?;
        }
        // Totals written beside the points; partial totals marked as such.
        chart
            .draw_series(m.history.iter().map(|p| {
                let mark = if p.complete { String::new() } else { " *".to_string() };
                Text::new(
                    format!("{}{mark}", p.total),
                    (day(p.date) + 8.0, f64::from(p.total) + (y1 - y0) * 0.03),
                    ("sans-serif", if p.current { 40 } else { 32 }).into_font().color(&BLACK),
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
        root.present().map_err(|e| e.to_string())?;
    }
    Ok((buf, w, h))
}

/// Section subtotals now (blue) and at the previous review (grey), as grouped bars.
pub fn sections_chart(m: &ReportModel) -> Result<Image, String> {
    register_font()?;
    let (w, h) = (1400u32, 640u32);
    let mut buf = vec![255u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let n = m.sections.len();
        let y_max = m.sections.iter().map(|s| f64::from(s.max)).fold(1.0, f64::max);
        let names: Vec<String> = m.sections.iter().map(|s| s.name.clone()).collect();
        let mut chart = ChartBuilder::on(&root)
            .margin(24)
            .x_label_area_size(70)
            .y_label_area_size(80)
            .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0.0f64..y_max * 1.1)
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
            .draw()
            .map_err(|e| e.to_string())?;
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
                    .draw_series(std::iter::once(Text::new(
                        p.to_string(),
                        (x - 0.24, f64::from(p) + y_max * 0.02),
                        ("sans-serif", 32),
                    )))
                    .map_err(|e| e.to_string())?;
            }
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x + 0.02, 0.0), (x + 0.33, f64::from(s.total))],
                    BLUE.filled(),
                )))
                .map_err(|e| e.to_string())?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("{} / {}", s.total, s.max),
                    (x + 0.05, f64::from(s.total) + y_max * 0.02),
                    ("sans-serif", 32),
                )))
                .map_err(|e| e.to_string())?;
        }
        // Legend drawn by hand: the bars are not series.
        let legend = [(BLUE, m.texts.now), (GREY, m.texts.previous)];
        for (k, (c, label)) in legend.iter().enumerate() {
            let y = 24 + k as i32 * 44;
            root.draw(&Rectangle::new([(w as i32 - 330, y), (w as i32 - 296, y + 30)], c.filled()))
                .map_err(|e| e.to_string())?;
            root.draw(&Text::new(*label, (w as i32 - 284, y), ("sans-serif", 34))).map_err(|e| e.to_string())?;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok((buf, w, h))
}
