//! Fonts of the printed documents: DejaVu, embedded in the binary (Latin, Greek,
//! Cyrillic, Arabic, Hebrew, Armenian, Georgian, Vietnamese and many symbols), and,
//! for a character DejaVu does not have (CJK names, emoji), the first font installed
//! on the machine that has it. Text is shaped with HarfRust (HarfBuzz's Rust port)
//! and drawn as the shaped glyphs, one run per font.
//!
//! Fallback fonts are looked for in `GONOGO_FONT_DIR` (folders separated by `:`),
//! then the system's font folders, each walked in path order; the first font with
//! outlines for the character is used, so the same fonts installed give the same
//! bytes. A character no font has prints as DejaVu's missing-glyph box.

use anyhow::{Result, anyhow};
use harfrust::{FontRef, ShapeOptions, ShapePlan, Shaper, ShaperData, UnicodeBuffer};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use skrifa::MetadataProvider as _;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

static SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
static MONO: &[u8] = include_bytes!("../../assets/fonts/DejaVuSansMono.ttf");

/// One font, ready to shape with and to draw: its shaper built once per document,
/// and a shape plan per script and direction kept (HarfBuzz compiles a plan from the
/// font's feature tables, the costliest part of shaping a short run).
struct Loaded {
    pdf: Font,
    font: FontRef<'static>,
    shaper: Shaper<'static>,
    plans: RefCell<Vec<ShapePlan>>,
    upem: f32,
}

impl Loaded {
    fn new(data: &'static [u8]) -> Option<Loaded> {
        let (pdf, font, shaper_data) = parsed(data)?;
        let upem = f32::from(pdf.units_per_em() as u16).max(1.0);
        Some(Loaded {
            shaper: shaper_data.shaper(&font).build(),
            pdf,
            font,
            plans: RefCell::default(),
            upem,
        })
    }

    fn has(&self, c: char) -> bool {
        has(&self.font, c)
    }

    /// Glyphs of `text` (one run, one font), advances at font size 1.
    fn shape(&self, text: &str) -> Vec<KrillaGlyph> {
        let mut buf = UnicodeBuffer::new();
        buf.push_str(text);
        buf.guess_segment_properties();
        let (direction, script, language) = (buf.direction(), buf.script(), buf.language());
        let mut plans = self.plans.borrow_mut();
        let at = match plans.iter().position(|p| {
            p.direction() == direction
                && p.script() == Some(script)
                && p.language() == language.as_ref()
        }) {
            Some(at) => at,
            None => {
                plans.push(ShapePlan::new(
                    &self.shaper,
                    direction,
                    Some(script),
                    language.as_ref(),
                    &[],
                ));
                plans.len() - 1
            }
        };
        let out = self
            .shaper
            .shape(buf, ShapeOptions::new().plan(Some(&plans[at])));
        let infos = out.glyph_infos();
        let mut starts: Vec<usize> = infos.iter().map(|i| i.cluster as usize).collect();
        starts.sort_unstable();
        starts.dedup();
        infos
            .iter()
            .zip(out.glyph_positions())
            .map(|(info, p)| {
                let start = info.cluster as usize;
                // A cluster ends where the next one (in the text's order) starts.
                let end = starts
                    .iter()
                    .find(|s| **s > start)
                    .copied()
                    .unwrap_or(text.len());
                KrillaGlyph::new(
                    GlyphId::new(info.glyph_id),
                    p.x_advance as f32 / self.upem,
                    p.x_offset as f32 / self.upem,
                    p.y_offset as f32 / self.upem,
                    p.y_advance as f32 / self.upem,
                    start..end,
                    None,
                )
            })
            .collect()
    }
}

fn has(font: &FontRef, c: char) -> bool {
    font.charmap().map(c).is_some_and(|g| g.to_u32() != 0)
}

/// A run of text in one font, shaped: the font, the run's bytes in the text, glyphs.
pub type Shaped = (Font, Range<usize>, Vec<KrillaGlyph>);

/// The fonts of one document: the three DejaVu faces, and the fallbacks it needed.
pub struct Fonts {
    faces: [Loaded; 3],
    /// Fallbacks loaded so far: (index in [`system_fonts`], font).
    fallbacks: RefCell<Vec<(usize, Loaded)>>,
    /// For each character DejaVu lacks: the fallback (index in `fallbacks`) with it.
    chosen: RefCell<HashMap<char, Option<usize>>>,
}

impl Fonts {
    pub fn new() -> Result<Self> {
        let load = |d| Loaded::new(d).ok_or_else(|| anyhow!("cannot read an embedded font"));
        Ok(Fonts {
            faces: [load(SANS)?, load(BOLD)?, load(MONO)?],
            fallbacks: RefCell::default(),
            chosen: RefCell::default(),
        })
    }

    /// Which fallback has `c`: the first installed font with outlines for it.
    fn fallback_for(&self, c: char) -> Option<usize> {
        if let Some(hit) = self.chosen.borrow().get(&c) {
            return *hit;
        }
        let mut found = None;
        for (k, path) in system_fonts().iter().enumerate() {
            let Some(data) = font_data(path) else {
                continue;
            };
            let Ok(font) = FontRef::new(data) else {
                continue;
            };
            if !has(&font, c) {
                continue;
            }
            let mut fb = self.fallbacks.borrow_mut();
            found = match fb.iter().position(|(j, _)| *j == k) {
                Some(i) => Some(i),
                None => Loaded::new(data).map(|l| {
                    fb.push((k, l));
                    fb.len() - 1
                }),
            };
            if found.is_some() {
                break;
            }
        }
        self.chosen.borrow_mut().insert(c, found);
        found
    }

    /// `text` in `face` (0 sans, 1 bold, 2 mono), split into runs by the font that
    /// has each character — the face's own where it can, a fallback where not — and
    /// shaped. Spaces, combining marks and emoji modifiers stay with the run before.
    pub fn shaped(&self, face: usize, text: &str) -> Vec<Shaped> {
        // Which font: None for the face, Some(i) for fallback i.
        let own = &self.faces[face];
        let mut runs: Vec<(Option<usize>, Range<usize>)> = vec![];
        for (i, c) in text.char_indices() {
            let end = i + c.len_utf8();
            let joins = c.is_whitespace() || joiner(c);
            let font = match runs.last() {
                Some((f, _)) if joins => *f,
                _ if own.has(c) => None,
                _ => self.fallback_for(c),
            };
            match runs.last_mut() {
                Some((f, r)) if *f == font => r.end = end,
                _ => runs.push((font, i..end)),
            }
        }
        let fb = self.fallbacks.borrow();
        runs.into_iter()
            .map(|(f, r)| {
                let l = f.map_or(own, |i| &fb[i].1);
                (l.pdf.clone(), r.clone(), l.shape(&text[r]))
            })
            .collect()
    }

    /// The advance width of `text` in `face` at font size 1.
    pub fn advance(&self, face: usize, text: &str) -> f32 {
        self.shaped(face, text)
            .iter()
            .flat_map(|(_, _, g)| g.iter().map(|g| g.x_advance))
            .sum()
    }
}

/// Combining marks, the zero-width joiner, variation selectors and skin-tone
/// modifiers: drawn with the character before them.
fn joiner(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F
        | 0x200D | 0xFE00..=0xFE0F | 0x1F3FB..=0x1F3FF | 0xE0100..=0xE01EF)
}

/// The font files to fall back on, in the order they are tried.
fn system_fonts() -> &'static [PathBuf] {
    static PATHS: OnceLock<Vec<PathBuf>> = OnceLock::new();
    PATHS.get_or_init(|| {
        let mut dirs: Vec<PathBuf> = std::env::var_os("GONOGO_FONT_DIR")
            .map(|v| std::env::split_paths(&v).collect())
            .unwrap_or_default();
        for d in [
            "/usr/share/fonts",
            "/usr/local/share/fonts",
            "/System/Library/Fonts",
            "/Library/Fonts",
        ] {
            dirs.push(d.into());
        }
        if let Some(home) = std::env::var_os("HOME") {
            let home = PathBuf::from(home);
            dirs.push(home.join(".local/share/fonts"));
            dirs.push(home.join(".fonts"));
        }
        let mut out = vec![];
        for d in dirs {
            let mut here: Vec<PathBuf> = walkdir::WalkDir::new(&d)
                .follow_links(true)
                .into_iter()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .filter(|p| {
                    p.extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "ttf" | "otf"))
                })
                .collect();
            here.sort();
            out.extend(here);
        }
        out
    })
}

/// A font's data parsed for drawing (krilla) and for shaping (HarfRust), once per
/// run of gonogo: each document builds its shapers from these.
fn parsed(data: &'static [u8]) -> Option<(Font, FontRef<'static>, &'static ShaperData)> {
    type Parsed = (Font, FontRef<'static>, &'static ShaperData);
    type Cache = Mutex<Vec<(usize, Parsed)>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let mut cache = CACHE.get_or_init(Default::default).lock().ok()?;
    // Keyed by where the bytes are: every font's bytes are kept for the whole run.
    let key = data.as_ptr() as usize;
    if let Some((_, hit)) = cache.iter().find(|(k, _)| *k == key) {
        return Some(hit.clone());
    }
    let font = FontRef::new(data).ok()?;
    let pdf = Font::new(data.into(), 0)?;
    let shaper_data: &'static ShaperData = Box::leak(Box::new(ShaperData::new(&font)));
    cache.push((key, (pdf.clone(), font.clone(), shaper_data)));
    Some((pdf, font, shaper_data))
}

/// The bytes of a font file, read once per run of gonogo and kept; None for what
/// is not a font with outlines (a colour-bitmap emoji font is not used).
fn font_data(path: &PathBuf) -> Option<&'static [u8]> {
    type Cache = Mutex<HashMap<PathBuf, Option<&'static [u8]>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(hit) = cache.lock().ok()?.get(path) {
        return *hit;
    }
    let data = std::fs::read(path).ok().and_then(|bytes| {
        let outlines = FontRef::new(&bytes).is_ok_and(|font| {
            [b"glyf", b"CFF ", b"CFF2"]
                .iter()
                .any(|t| font.table_data(harfrust::Tag::new(t)).is_some())
        });
        outlines.then(|| &*Box::leak(bytes.into_boxed_slice()))
    });
    cache.lock().ok()?.insert(path.clone(), data);
    data
}
