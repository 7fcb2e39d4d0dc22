//! An RGB picture in memory and its PNG encoding (8 bits per channel, no alpha).

use super::palette::Rgb;
use anyhow::{Context, Result, bail};

/// The largest picture we agree to build: 64 megapixels (192 MiB of RGB).
const MAX_PIXELS: usize = 64 << 20;

/// Row-major RGB pixels, `3 * width * height` bytes.
pub(crate) struct Raster {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

impl Raster {
    /// A `width` x `height` picture filled with `background`; an error if it is empty or huge.
    pub fn new(width: usize, height: usize, background: Rgb) -> Result<Raster> {
        let area = width.checked_mul(height).filter(|&a| a > 0 && a <= MAX_PIXELS);
        let Some(area) = area else {
            bail!("a {width} x {height} picture is empty or larger than {MAX_PIXELS} pixels");
        };
        Ok(Raster { width, height, pixels: background.repeat(area) })
    }

    /// Paints the `width` x `height` block whose top left pixel is `(x, y)`, clipped to the
    /// picture.
    pub fn fill_block(&mut self, x: usize, y: usize, width: usize, height: usize, colour: Rgb) {
        for row in y..(y + height).min(self.height) {
            for column in x..(x + width).min(self.width) {
                let at = 3 * (row * self.width + column);
                self.pixels[at..at + 3].copy_from_slice(&colour);
            }
        }
    }

    /// The picture as PNG bytes.
    pub fn to_png(&self) -> Result<Vec<u8>> {
        let mut bytes = Vec::new();
        let (width, height) = (u32::try_from(self.width)?, u32::try_from(self.height)?);
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Best);
        encoder.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
        let mut writer = encoder.write_header().context("cannot start the PNG")?;
        writer.write_image_data(&self.pixels).context("cannot encode the PNG")?;
        writer.finish().context("cannot finish the PNG")?;
        Ok(bytes)
    }
}

/// Decodes PNG bytes into `(width, height, RGB bytes)`: the inverse of [`Raster::to_png`], for
/// tests.
#[cfg(test)]
pub(crate) fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(bytes);
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).expect("a PNG frame");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    pixels.truncate(info.buffer_size());
    (info.width, info.height, pixels)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_painted_block_survives_the_png_round_trip() {
        let mut raster = Raster::new(3, 2, [255, 255, 255]).unwrap();
        raster.fill_block(1, 0, 5, 1, [10, 20, 30]);
        let (width, height, pixels) = decode_png(&raster.to_png().unwrap());
        assert_eq!((width, height), (3, 2));
        let expected_first_row = [255, 255, 255, 10, 20, 30, 10, 20, 30];
        assert_eq!(&pixels[..9], &expected_first_row);
        assert!(pixels[9..].iter().all(|&b| b == 255));
    }

    #[test]
    fn an_empty_picture_is_an_error() {
        assert!(Raster::new(0, 5, [0, 0, 0]).is_err());
        assert!(Raster::new(usize::MAX, 2, [0, 0, 0]).is_err());
    }
}
