//! Colours: a colour-blind-safe palette for series and groups, and hex notation for SVG.
//!
//! The series colours are the Okabe-Ito palette (Okabe & Ito, "Color Universal Design", 2008),
//! distinguishable under the common forms of colour blindness; its yellow comes last because it
//! is faint on white.

/// An sRGB colour, one byte per channel.
pub type Rgb = [u8; 3];

/// Okabe-Ito: blue, orange, bluish green, vermillion, reddish purple, sky blue, black, yellow.
const SERIES_COLOURS: [Rgb; 8] = [
    [0x00, 0x72, 0xB2],
    [0xE6, 0x9F, 0x00],
    [0x00, 0x9E, 0x73],
    [0xD5, 0x5E, 0x00],
    [0xCC, 0x79, 0xA7],
    [0x56, 0xB4, 0xE9],
    [0x00, 0x00, 0x00],
    [0xF0, 0xE4, 0x42],
];

/// The colour of the `index`-th series or group (the palette repeats after eight).
pub fn series_colour(index: usize) -> Rgb {
    SERIES_COLOURS[index % SERIES_COLOURS.len()]
}

/// `#rrggbb`, as SVG wants it.
pub fn hex(colour: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", colour[0], colour[1], colour[2])
}

/// Black or white, whichever reads better on `background` (by its relative luminance).
pub(crate) fn text_colour_on(background: Rgb) -> &'static str {
    let [r, g, b] = background.map(|c| c as f64 / 255.0);
    let luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    if luminance > 0.45 { "#000000" } else { "#ffffff" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_eight_series_get_distinct_colours() {
        let colours: std::collections::HashSet<Rgb> = (0..8).map(series_colour).collect();
        assert_eq!(colours.len(), 8);
        assert_eq!(series_colour(8), series_colour(0));
    }

    #[test]
    fn hex_is_lower_case_rrggbb() {
        assert_eq!(hex([0x00, 0x72, 0xB2]), "#0072b2");
    }

    #[test]
    fn text_contrasts_with_its_background() {
        assert_eq!(text_colour_on([0xFD, 0xE7, 0x25]), "#000000");
        assert_eq!(text_colour_on([0x44, 0x01, 0x54]), "#ffffff");
    }
}
