//! The page before it is PDF, and the PDF/A writer. The layout and the charts put marks on a
//! page (text runs, filled shapes, stroked lines) in mm from the page's lower-left corner, as
//! PDF measures; [`Face`] measures text exactly as it will be drawn (the sum of the glyph
//! advances, no kerning); [`write`] turns the pages into a PDF/A-1b document with krilla:
//! the fonts embedded as subsets with ToUnicode and CIDSet, XMP metadata that matches the
//! Info dictionary, an sRGB output intent and no transparency. Archives that take PDF/A
//! (Noark 5, Riksarkivarens forskrift § 5-17) accept it; krilla refuses to write a document
//! that breaks the standard, so a report is PDF/A or an error, never a quiet near miss.

use chrono::{DateTime, Datelike, FixedOffset, Timelike};
use krilla::color::rgb;
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Transform};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, LineCap, LineJoin, Stroke};
use krilla::text::{GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};

use crate::PdfError;

pub(crate) const PT_PER_MM: f32 = 72.0 / 25.4;

/// A colour as red, green and blue from 0 to 1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Rgb3(pub f32, pub f32, pub f32);

impl Rgb3 {
    fn to_krilla(self) -> rgb::Color {
        let byte = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
        rgb::Color::new(byte(self.0), byte(self.1), byte(self.2))
    }
}

/// One thing drawn on a page; coordinates in mm from the lower-left corner.
#[derive(Debug)]
pub(crate) enum Mark {
    /// A run of text with its baseline starting at `at`, turned `clockwise` degrees about it.
    Text { at: (f32, f32), text: String, size_pt: f32, bold: bool, color: Rgb3, clockwise: f32 },
    /// A filled polygon.
    Fill { points: Vec<(f32, f32)>, color: Rgb3 },
    /// A stroked polyline, closed or open, with round joins and caps when `round`.
    Stroke { points: Vec<(f32, f32)>, closed: bool, color: Rgb3, width_pt: f32, round: bool },
}

/// An embedded font with what is needed to measure and draw text in it.
pub(crate) struct Face {
    parsed: ttf_parser::Face<'static>,
    font: krilla::text::Font,
}

impl Face {
    pub(crate) fn new(bytes: &'static [u8]) -> Option<Face> {
        let parsed = ttf_parser::Face::parse(bytes, 0).ok()?;
        let font = krilla::text::Font::new(bytes.into(), 0)?;
        Some(Face { parsed, font })
    }

    fn units_per_em(&self) -> f32 {
        f32::from(self.parsed.units_per_em().max(1))
    }

    /// The font's height from descender to ascender, in ems.
    pub(crate) fn height_per_em(&self) -> f32 {
        let h = f32::from(self.parsed.ascender()) - f32::from(self.parsed.descender());
        if h > 0.0 { h / self.units_per_em() } else { 1.0 }
    }

    /// The ascender as a share of that height.
    pub(crate) fn ascent_per_height(&self) -> f32 {
        let h = f32::from(self.parsed.ascender()) - f32::from(self.parsed.descender());
        if h > 0.0 { f32::from(self.parsed.ascender()) / h } else { 0.8 }
    }

    /// The glyph and its advance in font units. A character the font lacks is drawn as the
    /// replacement character "�" (else "?"): the .notdef glyph would make the file invalid
    /// PDF/A (PDFBox: character code 0 missing from the encoding). Its text still maps to
    /// the character itself, so copying and searching keep it.
    fn glyph(&self, c: char) -> (u16, u16) {
        let id = ['\u{fffd}', '?']
            .into_iter()
            .fold(self.parsed.glyph_index(c), |found, stand_in| found.or_else(|| self.parsed.glyph_index(stand_in)))
            .unwrap_or(ttf_parser::GlyphId(0));
        (id.0, self.parsed.glyph_hor_advance(id).unwrap_or(0))
    }

    /// Width of `text` in mm at `size` pt: the sum of the glyph advances, which is exactly
    /// the drawn width.
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text.chars().map(|c| u32::from(self.glyph(c).1)).sum();
        units as f32 * size / self.units_per_em() / PT_PER_MM
    }

    /// `text` shortened with "…" to fit `width` mm at `size` pt (unchanged if it fits).
    pub(crate) fn fit(&self, text: &str, size: f32, width: f32) -> String {
        if self.width(text, size) <= width {
            return text.to_string();
        }
        // Widths add up glyph by glyph, so the prefix that fits is found in one pass.
        let room = width - self.width("…", size);
        let mut used = 0.0;
        let kept: String = text
            .chars()
            .take_while(|&c| {
                used += self.width(c.encode_utf8(&mut [0; 4]), size);
                used <= room
            })
            .collect();
        format!("{}…", kept.trim_end())
    }

    /// One glyph per character, each mapped back to its character for ToUnicode (copying
    /// and searching the text, and screen readers).
    fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        let upem = self.units_per_em();
        text.char_indices()
            .map(|(at, c)| {
                let (id, advance) = self.glyph(c);
                let range = at..at + c.len_utf8();
                KrillaGlyph::new(GlyphId::new(u32::from(id)), f32::from(advance) / upem, 0.0, 0.0, 0.0, range, None)
            })
            .collect()
    }
}

/// What the PDF says about itself, in its Info dictionary and its XMP metadata.
pub(crate) struct Meta {
    pub title: String,
    /// The reviewers; Info's Author joins them with ", ", XMP lists them.
    pub authors: Vec<String>,
    pub subject: String,
    pub created: DateTime<FixedOffset>,
    /// BCP 47, as PDF readers and screen readers expect: `nb-NO`, `en`.
    pub lang_tag: &'static str,
}

/// A section heading in the outline: its title, page (0-based) and height on the page (mm
/// from the bottom).
pub(crate) struct OutlineEntry {
    pub title: String,
    pub page: usize,
    pub y: f32,
}

/// The PDF/A-1b document of `pages` (`size` mm each): metadata, the outline, and the marks.
pub(crate) fn write(
    pages: &[Vec<Mark>],
    size: (f32, f32),
    faces: (&Face, &Face),
    meta: &Meta,
    outline: &[OutlineEntry],
) -> Result<Vec<u8>, PdfError> {
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A1_B)
        .finish()
        .map_err(|e| PdfError::Write(format!("{e:?}")))?;
    let settings = SerializeSettings { configuration, enable_tagging: false, ..SerializeSettings::default() };
    let mut doc = Document::new_with(settings);
    let (w, h) = (size.0 * PT_PER_MM, size.1 * PT_PER_MM);
    let to_pt = |(x, y): (f32, f32)| (x * PT_PER_MM, h - y * PT_PER_MM);
    for marks in pages {
        let settings = PageSettings::from_wh(w, h).ok_or_else(|| PdfError::Write("page size".into()))?;
        let mut page = doc.start_page_with(settings);
        let mut surface = page.surface();
        for mark in marks {
            match mark {
                Mark::Text { at, text, size_pt, bold, color, clockwise } => {
                    let face = if *bold { faces.1 } else { faces.0 };
                    let (x, y) = to_pt(*at);
                    let turned = *clockwise != 0.0;
                    if turned {
                        surface.push_transform(&Transform::from_rotate_at(*clockwise, x, y));
                    }
                    surface.set_stroke(None);
                    surface.set_fill(Some(fill(*color)));
                    let glyphs = face.glyphs(text);
                    surface.draw_glyphs(Point::from_xy(x, y), &glyphs, face.font.clone(), text, *size_pt, false);
                    if turned {
                        surface.pop();
                    }
                }
                Mark::Fill { points, color } => {
                    if let Some(path) = path(points.iter().map(|&p| to_pt(p)), true) {
                        surface.set_stroke(None);
                        surface.set_fill(Some(fill(*color)));
                        surface.draw_path(&path);
                    }
                }
                Mark::Stroke { points, closed, color, width_pt, round } => {
                    if let Some(path) = path(points.iter().map(|&p| to_pt(p)), *closed) {
                        let (line_cap, line_join) =
                            if *round { (LineCap::Round, LineJoin::Round) } else { (LineCap::Butt, LineJoin::Miter) };
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            paint: color.to_krilla().into(),
                            width: *width_pt,
                            line_cap,
                            line_join,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }

    let mut tree = Outline::new();
    for entry in outline.iter().filter(|e| e.page < pages.len()) {
        let (_, y) = to_pt((0.0, entry.y));
        tree.push_child(OutlineNode::new(entry.title.clone(), XyzDestination::new(entry.page, Point::from_xy(0.0, y))));
    }
    doc.set_outline(tree);

    let producer = concat!("ips-fidelity ", env!("CARGO_PKG_VERSION")).to_string();
    let c = meta.created;
    let offset = c.offset().local_minus_utc();
    let created = krilla::metadata::DateTime::new(u16::try_from(c.year()).unwrap_or(2000))
        .month(c.month() as u8)
        .day(c.day() as u8)
        .hour(c.hour() as u8)
        .minute(c.minute() as u8)
        .second(c.second().min(59) as u8)
        .utc_offset_hour((offset / 3600) as i8)
        .utc_offset_minute(((offset.abs() % 3600) / 60) as u8);
    let mut metadata = Metadata::new()
        .title(meta.title.clone())
        .description(meta.subject.clone())
        .creator(producer.clone())
        .producer(producer)
        .creation_date(created)
        .language(meta.lang_tag.to_string());
    if !meta.authors.is_empty() {
        metadata = metadata.authors(meta.authors.clone());
    }
    doc.set_metadata(metadata);
    let bytes = doc.finish().map_err(|e| PdfError::Write(format!("{e:?}")))?;
    finish_catalog(bytes)
}

/// What krilla leaves for the outline: each entry's `/Dest` is a reference to an array,
/// which Apache PDFBox (whose Preflight many archives run) cannot read, so it rejects the
/// file; here each one is replaced by the array itself. And the reader is asked to open the
/// outline beside the pages (`/PageMode /UseOutlines`), as the reports always did. The file
/// is saved again with every other object as it was.
fn finish_catalog(bytes: Vec<u8>) -> Result<Vec<u8>, PdfError> {
    use lopdf::Object;
    let mut doc = lopdf::Document::load_mem(&bytes).map_err(|e| PdfError::Write(e.to_string()))?;
    let mut inlined = Vec::new();
    let ids: Vec<lopdf::ObjectId> = doc.objects.keys().copied().collect();
    for id in ids {
        let target = match doc.objects.get(&id) {
            Some(Object::Dictionary(d)) if d.has(b"Title") && d.has(b"Parent") => match d.get(b"Dest") {
                Ok(Object::Reference(r)) => *r,
                _ => continue,
            },
            _ => continue,
        };
        let Some(dest @ Object::Array(_)) = doc.objects.get(&target).cloned() else {
            continue;
        };
        if let Some(Object::Dictionary(d)) = doc.objects.get_mut(&id) {
            d.set("Dest", dest);
            inlined.push(target);
        }
    }
    if inlined.is_empty() {
        return Ok(bytes);
    }
    for id in inlined {
        doc.objects.remove(&id);
    }
    if let Ok(catalog) = doc.catalog_mut() {
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
    let mut out = Vec::with_capacity(bytes.len());
    doc.save_to(&mut out).map_err(|e| PdfError::Write(e.to_string()))?;
    Ok(out)
}

fn fill(color: Rgb3) -> Fill {
    Fill { paint: color.to_krilla().into(), opacity: NormalizedF32::ONE, rule: FillRule::NonZero }
}

fn path(mut points: impl Iterator<Item = (f32, f32)>, closed: bool) -> Option<krilla::geom::Path> {
    let mut builder = PathBuilder::new();
    let (x, y) = points.next()?;
    builder.move_to(x, y);
    for (x, y) in points {
        builder.line_to(x, y);
    }
    if closed {
        builder.close();
    }
    builder.finish()
}
