//! A grid of small images: samples of a GAN, inputs and outputs of a spatial transformer.
//!
//! Input: `n` images as one flat `&[f32]`, image after image: greyscale images are `h * w`
//! values in row-major order; RGB images are channel-first, `3 * h * w` values (`[n, 3, h, w]`,
//! burn's layout). Values of any range are mapped linearly to `0..=255`, either from the
//! smallest and largest finite value of the whole grid (so images stay comparable) or from an
//! explicit `[min, max]` (values outside are clamped). NaN and infinite pixels are painted
//! magenta so that they cannot pass for data.
//!
//! Output: a PNG with every pixel scaled up to a `scale x scale` block, `columns` images per
//! row, separated by light gaps; or an SVG of the same tiles with a title and a caption under
//! each image (the PNG carries no text).

use super::base64;
use super::colormap::normalise;
use super::palette::Rgb;
use super::raster::Raster;
use super::svg::{Anchor, SvgDocument, TextStyle};
use crate::atomic::write_atomic;
use anyhow::{Result, bail, ensure};
use std::path::Path;

const GAP_COLOUR: Rgb = [0xE8, 0xE8, 0xE8];
const NOT_A_NUMBER_COLOUR: Rgb = [0xFF, 0x00, 0xFF];
const CAPTION_FONT: f64 = 11.0;
const TITLE_FONT: f64 = 15.0;
const MAX_SCALE: usize = 64;

/// A grid of images being built; see the module documentation.
///
/// ```
/// use shared_report::plot::ImageGrid;
/// let two_images = [0.0, 1.0, 1.0, 0.0, 0.5, 0.5, 0.5, 0.5];
/// let png = ImageGrid::grey(&two_images, 2, 2).columns(2).scale(8).to_png()?;
/// assert!(png.starts_with(b"\x89PNG"));
/// # anyhow::Ok(())
/// ```
#[derive(Clone, Debug)]
pub struct ImageGrid {
    pixels: Vec<f32>,
    height: usize,
    width: usize,
    channels: usize,
    columns: usize,
    scale: Option<usize>,
    range: Option<(f32, f32)>,
    captions: Vec<String>,
    title: String,
}

impl ImageGrid {
    /// Greyscale images of `height x width` values each.
    pub fn grey(pixels: &[f32], height: usize, width: usize) -> ImageGrid {
        ImageGrid::with_channels(pixels, height, width, 1)
    }

    /// RGB images of `3 x height x width` values each (channel first).
    pub fn rgb(pixels: &[f32], height: usize, width: usize) -> ImageGrid {
        ImageGrid::with_channels(pixels, height, width, 3)
    }

    fn with_channels(pixels: &[f32], height: usize, width: usize, channels: usize) -> ImageGrid {
        ImageGrid {
            pixels: pixels.to_vec(),
            height,
            width,
            channels,
            columns: 8,
            scale: None,
            range: None,
            captions: Vec::new(),
            title: String::new(),
        }
    }

    /// Images per row (default 8; fewer images than that make one shorter row).
    pub fn columns(mut self, columns: usize) -> ImageGrid {
        self.columns = columns;
        self
    }

    /// Each pixel becomes a `factor x factor` block (default: about 96 pixels per image side).
    pub fn scale(mut self, factor: usize) -> ImageGrid {
        self.scale = Some(factor);
        self
    }

    /// Maps `min` to black and `max` to white instead of the grid's own extremes.
    pub fn value_range(mut self, min: f32, max: f32) -> ImageGrid {
        self.range = Some((min, max));
        self
    }

    /// One caption per image, written under it in the SVG.
    pub fn captions<S: Into<String>>(mut self, captions: impl IntoIterator<Item = S>) -> ImageGrid {
        self.captions = captions.into_iter().map(Into::into).collect();
        self
    }

    /// A title above the grid in the SVG.
    pub fn title(mut self, title: impl Into<String>) -> ImageGrid {
        self.title = title.into();
        self
    }

    /// How many images the pixels hold (0 if they do not divide into whole images).
    pub fn image_count(&self) -> usize {
        let size = self.channels * self.height * self.width;
        if size == 0 || !self.pixels.len().is_multiple_of(size) { 0 } else { self.pixels.len() / size }
    }

    /// The grid as PNG bytes.
    pub fn to_png(&self) -> Result<Vec<u8>> {
        let layout = self.layout()?;
        let (columns, rows) = (layout.columns, self.image_count().div_ceil(layout.columns));
        let (tile_w, tile_h) = (self.width * layout.scale, self.height * layout.scale);
        let width = columns * tile_w + (columns + 1) * layout.gap;
        let height = rows * tile_h + (rows + 1) * layout.gap;
        let mut raster = Raster::new(width, height, GAP_COLOUR)?;
        for image in 0..self.image_count() {
            let x = layout.gap + (image % columns) * (tile_w + layout.gap);
            let y = layout.gap + (image / columns) * (tile_h + layout.gap);
            self.paint_image(&mut raster, image, (x, y), &layout);
        }
        raster.to_png()
    }

    /// Writes the PNG to `path` atomically.
    pub fn save_png(&self, path: impl AsRef<Path>) -> Result<()> {
        write_atomic(path, &self.to_png()?)
    }

    /// The grid as SVG: each image an embedded PNG tile, captioned, under the title.
    pub fn to_svg(&self) -> Result<String> {
        let layout = self.layout()?;
        let columns = layout.columns;
        let rows = self.image_count().div_ceil(columns);
        let (tile_w, tile_h) = ((self.width * layout.scale) as f64, (self.height * layout.scale) as f64);
        let caption_h = if self.captions.is_empty() { 0.0 } else { CAPTION_FONT + 6.0 };
        let title_h = if self.title.is_empty() { 0.0 } else { TITLE_FONT + 16.0 };
        let gap = (layout.gap as f64).max(6.0);
        let page_w = columns as f64 * (tile_w + gap) + gap;
        let page_h = title_h + rows as f64 * (tile_h + caption_h + gap) + gap;
        let mut document = SvgDocument::new(page_w, page_h);
        if !self.title.is_empty() {
            let style = TextStyle::new(TITLE_FONT, Anchor::Middle).bold();
            document.text(page_w / 2.0, TITLE_FONT + 8.0, &self.title, style);
        }
        for image in 0..self.image_count() {
            let x = gap + (image % columns) as f64 * (tile_w + gap);
            let y = title_h + gap + (image / columns) as f64 * (tile_h + caption_h + gap);
            let mut tile = Raster::new(tile_w as usize, tile_h as usize, GAP_COLOUR)?;
            self.paint_image(&mut tile, image, (0, 0), &layout);
            let uri = format!("data:image/png;base64,{}", base64::encode(&tile.to_png()?));
            document.image(x, y, tile_w, tile_h, &uri);
            if let Some(caption) = self.captions.get(image) {
                let style = TextStyle::new(CAPTION_FONT, Anchor::Middle);
                document.text(x + tile_w / 2.0, y + tile_h + CAPTION_FONT + 2.0, caption, style);
            }
        }
        Ok(document.finish())
    }

    /// Writes the SVG to `path` atomically.
    pub fn save_svg(&self, path: impl AsRef<Path>) -> Result<()> {
        write_atomic(path, self.to_svg()?.as_bytes())
    }

    /// Checks the input and settles columns, scale, gap and value range.
    fn layout(&self) -> Result<Layout> {
        let size = self.channels * self.height * self.width;
        ensure!(
            size > 0,
            "an image grid needs images of at least 1 x 1 pixel, got {} x {}",
            self.height,
            self.width
        );
        let count = self.image_count();
        if count == 0 {
            bail!(
                "an image grid got {} values, not a positive multiple of {size} ({} x {} x {} channels)",
                self.pixels.len(),
                self.height,
                self.width,
                self.channels
            );
        }
        ensure!(self.columns > 0, "an image grid needs at least one column");
        ensure!(
            self.captions.is_empty() || self.captions.len() == count,
            "an image grid of {count} images got {} captions",
            self.captions.len()
        );
        let scale = self.scale.unwrap_or_else(|| (96 / self.height.max(self.width)).max(1));
        ensure!((1..=MAX_SCALE).contains(&scale), "image scale {scale} is outside 1..={MAX_SCALE}");
        let (min, max) = match self.range {
            Some((min, max)) if min.is_finite() && max.is_finite() && min < max => (min, max),
            Some((min, max)) => {
                bail!("image value range [{min}, {max}] must be finite with min < max")
            }
            None => finite_extremes(&self.pixels),
        };
        Ok(Layout { columns: self.columns.min(count), scale, gap: scale.max(2), min, max })
    }

    /// Paints image `image` with its top left corner at `corner` of `raster`.
    fn paint_image(&self, raster: &mut Raster, image: usize, corner: (usize, usize), layout: &Layout) {
        let plane = self.height * self.width;
        let start = image * self.channels * plane;
        for row in 0..self.height {
            for column in 0..self.width {
                let at = start + row * self.width + column;
                let values: Vec<f32> = (0..self.channels).map(|c| self.pixels[at + c * plane]).collect();
                let colour = pixel_colour(&values, layout.min, layout.max);
                let (x, y) = (corner.0 + column * layout.scale, corner.1 + row * layout.scale);
                raster.fill_block(x, y, layout.scale, layout.scale, colour);
            }
        }
    }
}

/// The settled geometry and value range of a grid.
struct Layout {
    columns: usize,
    scale: usize,
    gap: usize,
    min: f32,
    max: f32,
}

/// The smallest and largest finite values (`(0, 1)` if there is none).
fn finite_extremes(values: &[f32]) -> (f32, f32) {
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let min = finite.clone().fold(f32::INFINITY, f32::min);
    let max = finite.fold(f32::NEG_INFINITY, f32::max);
    if min <= max { (min, max) } else { (0.0, 1.0) }
}

/// The colour of one pixel: grey for one channel, RGB for three; magenta if any is not finite.
fn pixel_colour(values: &[f32], min: f32, max: f32) -> Rgb {
    if values.iter().any(|v| !v.is_finite()) {
        return NOT_A_NUMBER_COLOUR;
    }
    let byte = |v: f32| (normalise(v as f64, min as f64, max as f64).clamp(0.0, 1.0) * 255.0).round() as u8;
    match values {
        [grey] => [byte(*grey); 3],
        [r, g, b] => [byte(*r), byte(*g), byte(*b)],
        _ => unreachable!("images have one or three channels"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::raster::decode_png;

    #[test]
    fn a_known_two_by_two_image_decodes_to_its_grey_levels() {
        let png = ImageGrid::grey(&[0.0, 0.5, 1.0, 0.25], 2, 2).scale(3).to_png().unwrap();
        let (width, height, pixels) = decode_png(&png);
        let gap = 3;
        assert_eq!((width, height), (2 * 3 + 2 * gap, 2 * 3 + 2 * gap));
        let at = |x: u32, y: u32| pixels[3 * (y * width + x) as usize];
        assert_eq!(at(0, 0), GAP_COLOUR[0], "the border is a gap");
        // Every source pixel is a 3 x 3 block starting after the gap.
        for (block_x, block_y, grey) in [(0, 0, 0), (1, 0, 128), (0, 1, 255), (1, 1, 64)] {
            for dy in 0..3 {
                for dx in 0..3 {
                    assert_eq!(at(gap + 3 * block_x + dx, gap + 3 * block_y + dy), grey);
                }
            }
        }
    }

    #[test]
    fn images_are_laid_out_in_rows_of_columns() {
        let five_images = vec![0.0; 5 * 4 * 6];
        let png = ImageGrid::grey(&five_images, 4, 6).columns(2).scale(1).to_png().unwrap();
        let (width, height, _) = decode_png(&png);
        let gap = 2;
        assert_eq!(width as usize, 2 * 6 + 3 * gap);
        assert_eq!(height as usize, 3 * 4 + 4 * gap);
    }

    #[test]
    fn an_explicit_range_clamps_and_rgb_is_channel_first() {
        // One 1 x 2 RGB image: red plane [2, -1], green [0, 0], blue [0.5, 0.5].
        let png = ImageGrid::rgb(&[2.0, -1.0, 0.0, 0.0, 0.5, 0.5], 1, 2)
            .value_range(0.0, 1.0)
            .scale(1)
            .to_png()
            .unwrap();
        let (width, _, pixels) = decode_png(&png);
        let gap = 2;
        let at = |x: u32| &pixels[3 * ((gap * width) + x) as usize..][..3];
        assert_eq!(at(gap), &[255, 0, 128]);
        assert_eq!(at(gap + 1), &[0, 0, 128]);
    }

    #[test]
    fn not_a_number_pixels_are_magenta_and_do_not_set_the_range() {
        let png = ImageGrid::grey(&[f32::NAN, 2.0, 4.0, 3.0], 2, 2).scale(1).to_png().unwrap();
        let (width, _, pixels) = decode_png(&png);
        let at = |x: u32, y: u32| &pixels[3 * (y * width + x) as usize..][..3];
        assert_eq!(at(2, 2), &NOT_A_NUMBER_COLOUR);
        assert_eq!(at(3, 2), &[0, 0, 0]);
        assert_eq!(at(2, 3), &[255, 255, 255]);
    }

    #[test]
    fn bad_input_is_an_error_that_says_what_is_wrong() {
        let message = |grid: ImageGrid| grid.to_png().unwrap_err().to_string();
        assert!(message(ImageGrid::grey(&[0.0; 5], 2, 2)).contains("5 values"));
        assert!(message(ImageGrid::grey(&[0.0; 4], 2, 2).captions(["a", "b"])).contains("2 captions"));
        assert!(message(ImageGrid::grey(&[0.0; 4], 2, 2).value_range(1.0, 1.0)).contains("min < max"));
        assert!(message(ImageGrid::grey(&[0.0; 4], 2, 2).columns(0)).contains("column"));
        assert!(message(ImageGrid::grey(&[], 0, 2)).contains("1 x 1"));
    }

    #[test]
    fn the_svg_holds_every_tile_and_caption() {
        let svg = ImageGrid::grey(&[0.0; 3 * 4], 2, 2)
            .captions(["z=1", "z=2", "<3>"])
            .title("samples")
            .to_svg()
            .unwrap();
        assert_eq!(svg.matches("<image ").count(), 3);
        assert!(
            svg.contains(">z=2</text>")
                && svg.contains(">&lt;3&gt;</text>")
                && svg.contains(">samples</text>")
        );
        crate::plot::svg_check::assert_well_formed(&svg);
    }
}
