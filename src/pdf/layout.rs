//! Page layout for the printed documents: embedded fonts, text measured with
//! the font's own glyph advances, wrapped lines, and rows placed onto pages
//! (with a header and a "Page N of M" footer drawn once the page count is known).

use anyhow::{Context as _, Result, anyhow};
use krilla::Document;
use krilla::color::luma;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;

/// Points per millimetre.
pub const MM: f32 = 72.0 / 25.4;

/// Grey levels (0 black, 255 white): black & white printers friendly.
pub const INK: u8 = 0;
pub const MUTED: u8 = 85;
pub const RULE: u8 = 150;
pub const TINT: u8 = 238;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Face {
    Sans = 0,
    Bold = 1,
    Mono = 2,
}

#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Style {
    pub face: Face,
    pub size: f32,
    pub gray: u8,
}

pub const fn st(face: Face, size: f32, gray: u8) -> Style {
    Style { face, size, gray }
}

pub use super::fonts::Fonts;

impl Fonts {
    /// The advance width of `text` set in `s`, as it is drawn.
    pub fn width(&self, s: Style, text: &str) -> f32 {
        if text.is_empty() {
            return 0.0;
        }
        self.advance(s.face as usize, text) * s.size
    }

    /// Splits a word that is wider than `width` into pieces that fit.
    fn break_word(&self, s: Style, word: &str, width: f32) -> Vec<String> {
        let mut out = vec![];
        let mut cur = String::new();
        for ch in word.chars() {
            let mut next = cur.clone();
            next.push(ch);
            if !cur.is_empty() && self.width(s, &next) > width {
                out.push(std::mem::take(&mut cur));
                cur.push(ch);
            } else {
                cur = next;
            }
        }
        out.push(cur);
        out
    }

    /// Wraps plain text at spaces (words too long are broken), keeping the
    /// text's own line breaks and runs of spaces (for commands and templates).
    /// Wraps text to `width`; a text longer than `MAX_LINES` lines is cut there with a
    /// note, so that no block is ever taller than a page (which would be clipped).
    pub fn wrap(&self, s: Style, text: &str, width: f32) -> Vec<String> {
        let text = text.replace('\t', "    ").replace("\r\n", "\n");
        let mut lines = vec![];
        for para in text.trim_end_matches('\n').split('\n') {
            let mut line = String::new();
            let mut first = true;
            for word in para.split(' ') {
                let cand = if first {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if self.width(s, &cand) <= width {
                    line = cand;
                    first = false;
                    continue;
                }
                if !first {
                    lines.push(std::mem::take(&mut line));
                }
                let mut pieces = self.break_word(s, word, width);
                line = pieces.pop().unwrap_or_default();
                lines.extend(pieces);
                first = false;
            }
            lines.push(line);
        }
        cap(lines, String::from("… (continues on the HTML page)"))
    }

    /// Wraps runs of differently styled text as one paragraph. Runs are
    /// joined with a space; returns lines of (x, style, text).
    pub fn wrap_runs(&self, runs: &[(Style, &str)], width: f32) -> Vec<Vec<(f32, Style, String)>> {
        let mut lines: Vec<Vec<(f32, Style, String)>> = vec![vec![]];
        let mut x = 0.0f32;
        for (s, text) in runs {
            for (i, para) in text.split('\n').enumerate() {
                if i > 0 {
                    lines.push(vec![]);
                    x = 0.0;
                }
                for word in para.split_whitespace() {
                    let w = self.width(*s, word);
                    let line = lines.last_mut().expect("a line");
                    let sp = if line.is_empty() {
                        0.0
                    } else {
                        self.width(*s, " ")
                    };
                    if x + sp + w <= width {
                        match line.last_mut() {
                            Some((_, ls, t)) if *ls == *s => {
                                t.push(' ');
                                t.push_str(word);
                            }
                            _ => line.push((x + sp, *s, word.to_string())),
                        }
                        x += sp + w;
                        continue;
                    }
                    if !line.is_empty() {
                        lines.push(vec![]);
                    }
                    let pieces = self.break_word(*s, word, width);
                    let n = pieces.len();
                    for (k, p) in pieces.into_iter().enumerate() {
                        x = self.width(*s, &p);
                        lines.last_mut().expect("a line").push((0.0, *s, p));
                        if k + 1 < n {
                            lines.push(vec![]);
                        }
                    }
                }
            }
        }
        if lines.len() > 1 && lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        let style = runs
            .last()
            .map(|(s, _)| *s)
            .unwrap_or(st(Face::Sans, 9.0, 0));
        cap(
            lines,
            vec![(0.0, style, String::from("… (continues on the HTML page)"))],
        )
    }
}

/// A drawing operation; `y` is relative to the top of its row (text `y` is
/// the baseline).
#[derive(Clone, Debug)]
pub enum Op {
    Text {
        x: f32,
        y: f32,
        s: Style,
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        w: f32,
        gray: u8,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<u8>,
        stroke: Option<(f32, u8)>,
    },
}

/// A strip of the page that is never split.
#[derive(Default, Debug)]
pub struct Row {
    pub h: f32,
    pub ops: Vec<Op>,
    /// Vertical space only: dropped at the top of a page.
    pub gap: bool,
}

impl Row {
    pub fn new(h: f32) -> Row {
        Row {
            h,
            ops: vec![],
            gap: false,
        }
    }
    pub fn gap(h: f32) -> Row {
        Row {
            h,
            ops: vec![],
            gap: true,
        }
    }
    pub fn text(&mut self, x: f32, y: f32, s: Style, text: impl Into<String>) {
        let text = text.into();
        if !text.is_empty() {
            self.ops.push(Op::Text { x, y, s, text });
        }
    }
    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, w: f32, gray: u8) {
        self.ops.push(Op::Line {
            x1,
            y1,
            x2,
            y2,
            w,
            gray,
        });
    }
    pub fn rect(
        &mut self,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<u8>,
        stroke: Option<(f32, u8)>,
    ) {
        self.ops.push(Op::Rect {
            x,
            y,
            w,
            h,
            fill,
            stroke,
        });
    }
    /// Appends the ops of `other`, moved down by `dy`.
    pub fn merge(&mut self, other: Row, dx: f32, dy: f32) {
        for op in other.ops {
            self.ops.push(shift(op, dx, dy));
        }
    }
}

fn shift(op: Op, dx: f32, dy: f32) -> Op {
    match op {
        Op::Text { x, y, s, text } => Op::Text {
            x: x + dx,
            y: y + dy,
            s,
            text,
        },
        Op::Line {
            x1,
            y1,
            x2,
            y2,
            w,
            gray,
        } => Op::Line {
            x1: x1 + dx,
            y1: y1 + dy,
            x2: x2 + dx,
            y2: y2 + dy,
            w,
            gray,
        },
        Op::Rect {
            x,
            y,
            w,
            h,
            fill,
            stroke,
        } => Op::Rect {
            x: x + dx,
            y: y + dy,
            w,
            h,
            fill,
            stroke,
        },
    }
}

/// Line height of text set in `size`.
pub fn lead(size: f32) -> f32 {
    size * 1.32
}

/// Baseline offset from the top of a line box.
pub fn base(size: f32) -> f32 {
    size * 1.04
}

/// Paper, margins, and the rows placed so far.
pub struct Doc<'f> {
    pub f: &'f Fonts,
    pub page_w: f32,
    pub page_h: f32,
    pub margin: f32,
    top: f32,
    bottom: f32,
    pages: Vec<Vec<Op>>,
    y: f32,
    pending: Vec<Row>,
}

impl<'f> Doc<'f> {
    pub fn new(f: &'f Fonts, paper: &str) -> Doc<'f> {
        let (page_w, page_h) = if paper.eq_ignore_ascii_case("letter") {
            (8.5 * 72.0, 11.0 * 72.0)
        } else {
            (210.0 * MM, 297.0 * MM)
        };
        let margin = 15.0 * MM;
        let top = margin + 22.0;
        Doc {
            f,
            page_w,
            page_h,
            margin,
            top,
            bottom: page_h - margin - 22.0,
            pages: vec![vec![]],
            y: top,
            pending: vec![],
        }
    }

    /// Left edge of the text area.
    pub fn left(&self) -> f32 {
        self.margin
    }

    /// Width of the text area.
    pub fn width(&self) -> f32 {
        self.page_w - 2.0 * self.margin
    }

    /// Height of the text area of a page.
    pub fn body_h(&self) -> f32 {
        self.bottom - self.top
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Rows kept on the same page as the start of the next group (headings).
    pub fn keep(&mut self, rows: Vec<Row>) {
        self.pending.extend(rows);
    }

    pub fn space(&mut self, h: f32) {
        self.pending.push(Row::gap(h));
    }

    /// Places a group of rows: on this page when it fits, else on the next
    /// one; a group taller than a page is split between rows.
    pub fn add(&mut self, rows: Vec<Row>) {
        let kept = self.pending.len();
        let mut all = std::mem::take(&mut self.pending);
        all.extend(rows);
        let total: f32 = all.iter().map(|r| r.h).sum();
        let lead_n = (kept + 2).min(all.len());
        let lead_h: f32 = all[..lead_n].iter().map(|r| r.h).sum();
        let avail = self.bottom - self.y;
        if total > avail && (total <= self.body_h() || lead_h > avail) {
            self.new_page();
        }
        for row in all {
            if row.h > self.bottom - self.y + 0.01 && self.y > self.top {
                self.new_page();
            }
            self.place(row);
        }
    }

    /// Places whatever is pending (trailing space is dropped).
    pub fn flush(&mut self) {
        while self.pending.last().is_some_and(|r| r.gap) {
            self.pending.pop();
        }
        if !self.pending.is_empty() {
            self.add(vec![]);
        }
    }

    fn new_page(&mut self) {
        self.pages.push(vec![]);
        self.y = self.top;
    }

    fn place(&mut self, row: Row) {
        if row.gap && self.y <= self.top {
            return;
        }
        let (dx, dy) = (0.0, self.y);
        let page = self.pages.last_mut().expect("a page");
        page.extend(row.ops.into_iter().map(|op| shift(op, dx, dy)));
        self.y += row.h;
    }

    /// Draws every page with its header and footer and returns the PDF.
    pub fn finish(mut self, info: &PageInfo) -> Result<Vec<u8>> {
        self.flush();
        let total = self.pages.len();
        let mut doc = Document::new();
        let mut meta = Metadata::new()
            .title(info.title.clone())
            .creator("gonogo".into())
            .language("en".into())
            .document_id(format!(
                "gonogo {} {} {}",
                info.id, info.doc, info.fingerprint
            ));
        if let Some(date) = source_date() {
            meta = meta.creation_date(date);
        }
        doc.set_metadata(meta);
        let (l, r) = (self.margin, self.page_w - self.margin);
        for (i, ops) in self.pages.iter().enumerate() {
            let settings = PageSettings::from_wh(self.page_w, self.page_h)
                .ok_or_else(|| anyhow!("invalid paper size"))?;
            let mut page = doc.start_page_with(settings);
            let mut s = page.surface();
            let f = self.f;
            // Header.
            let hy = self.margin + 8.0;
            let hs = st(Face::Bold, 8.0, INK);
            draw(&mut s, f, &text_op(l, hy, hs, &info.header_left));
            let ms = st(Face::Sans, 8.0, MUTED);
            let w = f.width(ms, &info.doc);
            draw(&mut s, f, &text_op(r - w, hy, ms, &info.doc));
            draw(&mut s, f, &line_op(l, hy + 4.5, r, hy + 4.5, 0.6, RULE));
            // Footer.
            let fy = self.page_h - self.margin - 2.0;
            draw(&mut s, f, &line_op(l, fy - 10.0, r, fy - 10.0, 0.6, RULE));
            let fs = st(Face::Sans, 7.5, MUTED);
            draw(&mut s, f, &text_op(l, fy, fs, &info.id));
            let data = format!("data {}", info.fingerprint);
            let w = f.width(fs, &data);
            draw(&mut s, f, &text_op((l + r - w) / 2.0, fy, fs, &data));
            let pn = format!("Page {} of {}", i + 1, total);
            let ps = st(Face::Bold, 7.5, INK);
            let w = f.width(ps, &pn);
            draw(&mut s, f, &text_op(r - w, fy, ps, &pn));
            for op in ops {
                draw(&mut s, f, op);
            }
            s.finish();
            page.finish();
        }
        doc.finish()
            .map_err(|e| anyhow!("{e:?}"))
            .context("cannot write the PDF")
    }
}

/// What every page repeats.
pub struct PageInfo {
    pub id: String,
    pub fingerprint: String,
    /// Product and version.
    pub header_left: String,
    /// The document's name.
    pub doc: String,
    pub title: String,
}

fn text_op(x: f32, y: f32, s: Style, text: &str) -> Op {
    Op::Text {
        x,
        y,
        s,
        text: text.to_string(),
    }
}

fn line_op(x1: f32, y1: f32, x2: f32, y2: f32, w: f32, gray: u8) -> Op {
    Op::Line {
        x1,
        y1,
        x2,
        y2,
        w,
        gray,
    }
}

fn fill(gray: u8) -> Fill {
    Fill {
        paint: luma::Color::new(gray).into(),
        ..Fill::default()
    }
}

fn stroke(w: f32, gray: u8) -> Stroke {
    Stroke {
        paint: luma::Color::new(gray).into(),
        width: w,
        ..Stroke::default()
    }
}

fn draw(s: &mut Surface, f: &Fonts, op: &Op) {
    match op {
        Op::Text {
            x,
            y,
            s: style,
            text,
        } => {
            s.set_stroke(None);
            s.set_fill(Some(fill(style.gray)));
            let mut at = *x;
            for (font, range, glyphs) in f.shaped(style.face as usize, text) {
                s.draw_glyphs(
                    Point::from_xy(at, *y),
                    &glyphs,
                    font,
                    &text[range],
                    style.size,
                    false,
                );
                at += glyphs.iter().map(|g| g.x_advance).sum::<f32>() * style.size;
            }
        }
        Op::Line {
            x1,
            y1,
            x2,
            y2,
            w,
            gray,
        } => {
            let mut pb = PathBuilder::new();
            pb.move_to(*x1, *y1);
            pb.line_to(*x2, *y2);
            if let Some(p) = pb.finish() {
                s.set_fill(None);
                s.set_stroke(Some(stroke(*w, *gray)));
                s.draw_path(&p);
            }
        }
        Op::Rect {
            x,
            y,
            w,
            h,
            fill: fl,
            stroke: sk,
        } => {
            let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) else {
                return;
            };
            let mut pb = PathBuilder::new();
            pb.push_rect(rect);
            if let Some(p) = pb.finish() {
                s.set_fill(fl.map(fill));
                s.set_stroke(sk.map(|(w, g)| stroke(w, g)));
                s.draw_path(&p);
            }
        }
    }
}

/// The creation date, only when `SOURCE_DATE_EPOCH` gives one: the same
/// view then gives the same bytes.
fn source_date() -> Option<DateTime> {
    let secs: i64 = std::env::var("SOURCE_DATE_EPOCH")
        .ok()?
        .trim()
        .parse()
        .ok()?;
    let t = chrono::DateTime::from_timestamp(secs, 0)?;
    use chrono::{Datelike, Timelike};
    Some(
        DateTime::new(u16::try_from(t.year()).ok()?)
            .month(t.month() as u8)
            .day(t.day() as u8)
            .hour(t.hour() as u8)
            .minute(t.minute() as u8)
            .second(t.second() as u8)
            .utc_offset_hour(0)
            .utc_offset_minute(0),
    )
}

/// The most lines one wrapped text may take in a PDF: well under a page.
pub const MAX_LINES: usize = 40;

/// Cuts `lines` to `MAX_LINES`, the last one replaced by `note`.
fn cap<T>(mut lines: Vec<T>, note: T) -> Vec<T> {
    if lines.len() > MAX_LINES {
        lines.truncate(MAX_LINES - 1);
        lines.push(note);
    }
    lines
}
