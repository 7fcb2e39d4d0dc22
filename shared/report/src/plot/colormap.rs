//! The sequential colour map of heatmaps: viridis (van der Walt & Smith, matplotlib 2.0).
//!
//! Viridis is perceptually uniform, readable in greyscale and by colour-blind readers. It is
//! stored as its nine stops at `t = 0, 1/8, ..., 1` and interpolated linearly between them.

use super::palette::Rgb;

/// Viridis at `t = k / 8`, `k = 0..=8`: dark purple through blue and green to yellow.
const VIRIDIS_STOPS: [Rgb; 9] = [
    [0x44, 0x01, 0x54],
    [0x47, 0x2D, 0x7B],
    [0x3B, 0x52, 0x8B],
    [0x2C, 0x72, 0x8E],
    [0x21, 0x91, 0x8C],
    [0x28, 0xAE, 0x80],
    [0x5E, 0xC9, 0x62],
    [0xAD, 0xDC, 0x30],
    [0xFD, 0xE7, 0x25],
];

/// The colour of cells that hold NaN or an infinity: a neutral grey outside the map.
pub const MISSING_COLOUR: Rgb = [0xBB, 0xBB, 0xBB];

/// Viridis at `t` in `[0, 1]` (clamped); [`MISSING_COLOUR`] for NaN.
pub fn viridis(t: f64) -> Rgb {
    if t.is_nan() {
        return MISSING_COLOUR;
    }
    let position = t.clamp(0.0, 1.0) * (VIRIDIS_STOPS.len() - 1) as f64;
    let below = (position.floor() as usize).min(VIRIDIS_STOPS.len() - 2);
    let weight = position - below as f64;
    let (a, b) = (VIRIDIS_STOPS[below], VIRIDIS_STOPS[below + 1]);
    [0, 1, 2].map(|c| (a[c] as f64 + weight * (b[c] as f64 - a[c] as f64)).round() as u8)
}

/// `value` placed in `[min, max]` as a fraction (NaN if `value` is not finite; `0.5` if the
/// range is a single point).
pub fn normalise(value: f64, min: f64, max: f64) -> f64 {
    if !value.is_finite() {
        f64::NAN
    } else if max > min {
        (value - min) / (max - min)
    } else {
        0.5
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ends_are_the_first_and_last_stop() {
        assert_eq!(viridis(0.0), [0x44, 0x01, 0x54]);
        assert_eq!(viridis(1.0), [0xFD, 0xE7, 0x25]);
        assert_eq!(viridis(-3.0), viridis(0.0));
        assert_eq!(viridis(7.0), viridis(1.0));
        assert_eq!(viridis(f64::NAN), MISSING_COLOUR);
    }

    #[test]
    fn halfway_between_stops_is_the_mean_colour() {
        let between = viridis(1.0 / 16.0);
        assert_eq!(between, [0x46, 0x17, 0x68]);
    }

    #[test]
    fn brightness_increases_along_the_map() {
        let brightness = |t: f64| viridis(t).iter().map(|&c| c as u32).sum::<u32>();
        let samples: Vec<u32> = (0..=16).map(|k| brightness(k as f64 / 16.0)).collect();
        assert!(samples.windows(2).all(|w| w[0] <= w[1]), "{samples:?}");
    }
}
