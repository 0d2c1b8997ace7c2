//! The fonts shipped in `fonts/` (DejaVu Sans, licence in `fonts/LICENSE.txt`) and
//! their glyph widths, so that lines wrap where the text really ends.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use printpdf::ParsedFont;

const REGULAR: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");

/// Height above the baseline and below it, in ems (DejaVu Sans' hhea values).
pub const ASCENT: f32 = 0.928;
pub const DESCENT: f32 = 0.236;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Face {
    Regular,
    Bold,
}

pub struct Font {
    pub parsed: ParsedFont,
    units_per_em: f32,
    /// Advance widths in ems and whether the font has the glyph, filled as
    /// characters are met.
    glyphs: Mutex<HashMap<char, (f32, bool)>>,
}

impl Font {
    fn load(bytes: &[u8]) -> Font {
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut warnings)
            .expect("the fonts shipped in ferry-report/fonts parse");
        let units_per_em = f32::from(parsed.font_metrics.units_per_em.max(1));
        Font {
            parsed,
            units_per_em,
            glyphs: Mutex::new(HashMap::new()),
        }
    }

    fn glyph(&self, c: char) -> (f32, bool) {
        let mut cache = self.glyphs.lock().unwrap_or_else(|e| e.into_inner());
        *cache.entry(c).or_insert_with(|| {
            let gid = self.parsed.lookup_glyph_index(c as u32).filter(|g| *g != 0);
            let width = self
                .parsed
                .get_glyph_width_internal(gid.unwrap_or(0))
                .map_or(0.6, |w| w as f32 / self.units_per_em);
            (width, gid.is_some())
        })
    }

    fn advance(&self, c: char) -> f32 {
        self.glyph(c).0
    }

    /// `text` with each character the font has no glyph for (an emoji, say) as
    /// U+FFFD: PDF/UA forbids drawing the empty .notdef glyph, which says nothing.
    pub fn drawable<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if text.chars().all(|c| self.glyph(c).1) {
            return Cow::Borrowed(text);
        }
        Cow::Owned(
            text.chars()
                .map(|c| if self.glyph(c).1 { c } else { '\u{fffd}' })
                .collect(),
        )
    }

    /// Width of `text` at `size` points, in points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c)).sum::<f32>() * size
    }
}

pub struct Fonts {
    pub regular: Font,
    pub bold: Font,
}

impl Fonts {
    pub fn get(&self, face: Face) -> &Font {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
        }
    }
}

/// Parsed once per process: parsing both faces costs more than laying out a plan.
pub fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| Fonts {
        regular: Font::load(REGULAR),
        bold: Font::load(BOLD),
    })
}
