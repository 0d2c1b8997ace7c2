//! What a participant types, made safe to show on the projector: composed (NFC),
//! control characters made spaces, invisible characters (Unicode's format and
//! default-ignorable code points: zero-width spaces, tag characters, right-to-left
//! overrides, fillers) taken out, stacked combining marks cut to a few per letter,
//! spaces collapsed; and at least one visible character left. The Unicode data is
//! ICU4X's (already in the build through the URL parser).

use icu_normalizer::ComposingNormalizerBorrowed;
use icu_properties::props::{DefaultIgnorableCodePoint, GeneralCategory, GeneralCategoryGroup};
use icu_properties::{CodePointMapData, CodePointSetData};

use super::{MAX_MARKS, RoomError};

const ZWNJ: char = '\u{200C}';
const ZWJ: char = '\u{200D}';

/// Variation selectors choose a glyph of the letter or emoji before them (❤ or ❤️).
fn is_variation_selector(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}' | '\u{180B}'..='\u{180D}' | '\u{180F}')
}

/// What the last character kept was, for the ones that only mean something after a letter.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    Start,
    Space,
    Visible,
    Mark,
    Selector,
    Joiner,
}

/// A participant's text, cleaned (see the module) and at most `max` characters.
pub fn clean_text(text: &str, max: usize) -> Result<String, RoomError> {
    let category = CodePointMapData::<GeneralCategory>::new();
    let ignorable = CodePointSetData::new::<DefaultIgnorableCodePoint>();
    let composed = ComposingNormalizerBorrowed::new_nfc().normalize(text);
    let mut kept = String::with_capacity(composed.len());
    let (mut last, mut marks, mut visible) = (Last::Start, 0, false);
    for c in composed.chars() {
        let gc = category.get(c);
        if c.is_control() || c.is_whitespace() {
            kept.push(' ');
            last = Last::Space;
        } else if ignorable.contains(c) || gc == GeneralCategory::Format {
            // Joiners shape Persian and Indic words and emoji sequences, selectors an
            // emoji's look: kept only right after what they join or select.
            let after_letter = matches!(last, Last::Visible | Last::Mark);
            if is_variation_selector(c) && after_letter {
                kept.push(c);
                last = Last::Selector;
            } else if matches!(c, ZWJ | ZWNJ) && (after_letter || last == Last::Selector) {
                kept.push(c);
                last = Last::Joiner;
            }
        } else if GeneralCategoryGroup::Mark.contains(gc) {
            marks = if last == Last::Mark { marks + 1 } else { 1 };
            if marks <= MAX_MARKS {
                kept.push(c);
            }
            last = Last::Mark;
        } else {
            kept.push(c);
            visible = true;
            last = Last::Visible;
        }
    }
    if !visible {
        return Err(RoomError::Empty);
    }
    let cleaned = kept.split_whitespace().collect::<Vec<_>>().join(" ");
    if cleaned.chars().count() > max {
        return Err(RoomError::TooLong { max });
    }
    Ok(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(
            clean_text("  we use\tWhatsApp \n", 280).unwrap(),
            "we use WhatsApp"
        );
        assert!(matches!(clean_text(" \u{7} ", 280), Err(RoomError::Empty)));
        assert!(matches!(
            clean_text(&"x".repeat(281), 280),
            Err(RoomError::TooLong { max: 280 })
        ));
        assert_eq!(
            clean_text(&"ø".repeat(280), 280).unwrap().chars().count(),
            280
        );
    }

    #[test]
    fn invisible_text_is_refused() {
        for text in [
            "\u{200B}\u{200C}\u{200D}\u{2060}",
            // Tag characters (an invisible copy of "AB").
            "\u{E0041}\u{E0042}\u{E007F}",
            "\u{FEFF} \u{00AD} \u{3164}\u{115F}",
            // Only combining marks: nothing to put them on.
            "\u{0301}\u{0302}",
        ] {
            assert!(
                matches!(clean_text(text, 280), Err(RoomError::Empty)),
                "{text:?}"
            );
        }
    }

    #[test]
    fn format_characters_go_and_marks_are_bounded() {
        assert_eq!(
            clean_text("\u{202E}evil\u{202C} \u{2066}text\u{2069}", 280).unwrap(),
            "evil text"
        );
        assert_eq!(clean_text("a\u{200B}b\u{E0020}c", 280).unwrap(), "abc");
        let zalgo = format!("a{}", "\u{0301}".repeat(279));
        let kept = clean_text(&zalgo, 280).unwrap();
        assert_eq!(kept.chars().count(), 1 + MAX_MARKS);
        // Composed first: e + combining acute is é, one character.
        assert_eq!(clean_text("e\u{0301}", 280).unwrap(), "é");
        // Vietnamese keeps its stacked marks.
        assert_eq!(clean_text("Việt Nam", 280).unwrap(), "Việt Nam");
    }

    #[test]
    fn joiners_and_selectors_stay_where_they_shape_something() {
        // Persian "mikhāham" keeps its zero-width non-joiner.
        let persian = "می\u{200C}خواهم";
        assert_eq!(clean_text(persian, 280).unwrap(), persian);
        // A family emoji (ZWJ sequence) and a red heart (variation selector).
        let family = "👩\u{200D}👩\u{200D}👧 ❤\u{FE0F}";
        assert_eq!(clean_text(family, 280).unwrap(), family);
        // Not at the start, not doubled.
        assert_eq!(
            clean_text("\u{200D}a\u{200D}\u{200D}b\u{FE0F}\u{FE0F}", 280).unwrap(),
            "a\u{200D}b\u{FE0F}"
        );
    }
}
