//! A plotters drawing backend that records page marks ([`Mark`]): the report's charts are
//! laid out by plotters and land in the PDF as vector graphics (lines, rectangles, polygons)
//! and real text in the embedded font, so they print sharp, read evenly spaced and can be
//! searched. No raster image is made.

use crate::canvas::{Face, Mark, PT_PER_MM, Rgb3};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind, FontTransform,
};

/// One backend unit in mm: plotters works in whole units, so they are kept small.
pub(crate) const UNIT_MM: f32 = 0.1;

#[derive(Debug)]
pub struct NoError;

impl std::fmt::Display for NoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("no error")
    }
}

impl std::error::Error for NoError {}

/// A plotters backend that records page marks for a chart `size` units large whose
/// lower-left corner is at `origin` (mm on the page).
pub struct PdfBackend<'a> {
    size: (u32, u32),
    origin: (f32, f32),
    face: &'a Face,
    ops: &'a mut Vec<Mark>,
}

impl<'a> PdfBackend<'a> {
    /// A chart `width` × `height` mm with its lower-left corner at `origin`.
    pub fn new(width: f32, height: f32, origin: (f32, f32), face: &'a Face, ops: &'a mut Vec<Mark>) -> PdfBackend<'a> {
        let size = ((width / UNIT_MM).round() as u32, (height / UNIT_MM).round() as u32);
        PdfBackend { size, origin, face, ops }
    }

    fn point(&self, (x, y): BackendCoord) -> (f32, f32) {
        (self.origin.0 + x as f32 * UNIT_MM, self.origin.1 + (self.size.1 as f32 - y as f32) * UNIT_MM)
    }

    fn points(&self, points: &[BackendCoord]) -> Vec<(f32, f32)> {
        points.iter().map(|&p| self.point(p)).collect()
    }

    fn fill(&mut self, points: &[BackendCoord], c: BackendColor) {
        let points = self.points(points);
        self.ops.push(Mark::Fill { points, color: pdf_color(c) });
    }

    fn stroke(&mut self, points: &[BackendCoord], closed: bool, c: BackendColor, width: u32) {
        let points = self.points(points);
        let width_pt = width.max(1) as f32 * UNIT_MM * PT_PER_MM;
        self.ops.push(Mark::Stroke { points, closed, color: pdf_color(c), width_pt, round: true });
    }

    /// The em size in pt of a plotters font size: plotters (ab_glyph) scales a font by its
    /// height from descender to ascender, not by its em.
    fn em_pt(&self, size: f64) -> f32 {
        size as f32 * UNIT_MM * PT_PER_MM / self.face.height_per_em()
    }
}

/// A colour on white paper: a translucent colour is mixed with white (PDF/A-1 allows no
/// transparency).
fn pdf_color(c: BackendColor) -> Rgb3 {
    let a = c.alpha.clamp(0.0, 1.0) as f32;
    let mix = |v: u8| f32::from(v) / 255.0 * a + (1.0 - a);
    Rgb3(mix(c.rgb.0), mix(c.rgb.1), mix(c.rgb.2))
}

type DrawResult = Result<(), DrawingErrorKind<NoError>>;

impl DrawingBackend for PdfBackend<'_> {
    type ErrorType = NoError;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> DrawResult {
        Ok(())
    }

    fn present(&mut self) -> DrawResult {
        Ok(())
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> DrawResult {
        self.draw_rect(point, (point.0 + 1, point.1 + 1), &color, true)
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> DrawResult {
        self.draw_path([from, to], style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> DrawResult {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let (l, t, r, b) = (upper_left.0, upper_left.1, bottom_right.0, bottom_right.1);
        let corners = [(l, t), (r, t), (r, b), (l, b)];
        if fill {
            self.fill(&corners, style.color());
        } else {
            self.stroke(&corners, true, style.color(), style.stroke_width());
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, path: I, style: &S) -> DrawResult {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let points: Vec<BackendCoord> = path.into_iter().collect();
        if points.len() < 2 {
            return Ok(());
        }
        self.stroke(&points, false, style.color(), style.stroke_width());
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(&mut self, center: BackendCoord, radius: u32, style: &S, fill: bool) -> DrawResult {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        // 32 sides are a circle at the sizes a chart uses.
        let r = f64::from(radius);
        let points: Vec<BackendCoord> = (0..32)
            .map(|k| {
                let a = f64::from(k) * std::f64::consts::TAU / 32.0;
                (center.0 + (r * a.cos()).round() as i32, center.1 + (r * a.sin()).round() as i32)
            })
            .collect();
        if fill {
            self.fill(&points, style.color());
        } else {
            self.stroke(&points, true, style.color(), style.stroke_width());
        }
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> DrawResult {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let points: Vec<BackendCoord> = vert.into_iter().collect();
        self.fill(&points, style.color());
        Ok(())
    }

    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, style: &T, pos: BackendCoord) -> DrawResult {
        let color = style.color();
        if color.alpha == 0.0 || text.is_empty() {
            return Ok(());
        }
        let size = style.size();
        let em = self.em_pt(size);
        let width = self.face.width(text, em) / UNIT_MM;
        // The box plotters lays out is `size / 1.24` high (its ab_glyph metrics); the
        // baseline sits at the font's ascender within it.
        let height = size as f32 / 1.24;
        let ascent = size as f32 * self.face.ascent_per_height();
        let dx = match style.anchor().h_pos {
            HPos::Left => 0.0,
            HPos::Right => -width,
            HPos::Center => -width / 2.0,
        };
        let top = match style.anchor().v_pos {
            VPos::Top => 0.0,
            VPos::Center => -height / 2.0,
            VPos::Bottom => -height,
        };
        let (x, y) = (pos.0 as f32 + dx, pos.1 as f32 + top + ascent);
        let at = self.point((x.round() as i32, y.round() as i32));
        // Rotated labels (a y-axis description) turn around their anchor, clockwise on the
        // page as plotters means it.
        let clockwise = match style.transform() {
            FontTransform::None => 0.0,
            FontTransform::Rotate90 => 90.0,
            FontTransform::Rotate180 => 180.0,
            FontTransform::Rotate270 => 270.0,
        };
        self.ops.push(Mark::Text {
            at,
            text: text.to_string(),
            size_pt: em,
            bold: false,
            color: pdf_color(color),
            clockwise,
        });
        Ok(())
    }

    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<NoError>> {
        let size = style.size();
        let width = self.face.width(text, self.em_pt(size)) / UNIT_MM;
        Ok((width.ceil() as u32, (size / 1.24) as u32))
    }

    fn blit_bitmap(&mut self, _: BackendCoord, _: (u32, u32), _: &[u8]) -> DrawResult {
        // The charts draw no bitmaps; a report keeps no raster images.
        Ok(())
    }
}
