//! Strips of MNIST digits to caption: the picture side of the caption task.
//!
//! A strip is [`SLOTS`] slots side by side, each [`SLOT_WIDTH`] pixels wide and [`HEIGHT`] high.
//! An example holds 2 to 4 digits (drawn with replacement from an MNIST split) in consecutive
//! slots, starting at a random slot, so the `t`-th word is not always in the `t`-th slot: the
//! captioner must find the digits. Each digit is its 28 x 28 image shrunk to 14 x 14 (mean of
//! every 2 x 2 block, scaled to [0, 1]) with one blank column either side. The caption is the
//! digits' names left to right ("seven two one"), as tokens of the digit-token vocabulary
//! (`shared::data::synthetic::token_tasks`), then EOS.
//!
//! Shapes: images `[n, 1, HEIGHT, WIDTH]`, decoder input and target `[n, 4 + 1]` (PAD after EOS).

use anyhow::{Result, ensure};
use burn::prelude::*;
use rand::RngExt;
use shared::data::LabelledImages;
use shared::data::synthetic::token_tasks::{BOS, EOS, PAD, digit_token};
use shared::data::synthetic::{float_tensor, int_tensor, seeded_rng};

/// Slots in a strip: the most digits it can hold.
pub const SLOTS: usize = 4;
/// Width of one slot in pixels (a 14-pixel digit and a blank column either side).
pub const SLOT_WIDTH: usize = 16;
/// Height of a strip in pixels.
pub const HEIGHT: usize = 14;
/// Width of a strip in pixels.
pub const WIDTH: usize = SLOTS * SLOT_WIDTH;
/// Words in the longest caption, EOS included.
pub const CAPTION_STEPS: usize = SLOTS + 1;

/// The English names of the digits 0-9: the caption's words.
pub const DIGIT_NAMES: [&str; 10] =
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

/// A batch of captioned strips.
#[derive(Clone, Debug)]
pub struct DigitStrips {
    /// `[n, HEIGHT, WIDTH]` row-major pixels in [0, 1].
    pub images: Vec<f32>,
    /// The digits of each strip, left to right.
    pub digits: Vec<Vec<u8>>,
    /// The slot of each strip's first digit.
    pub first_slot: Vec<usize>,
}

/// `count` strips of `fewest..=most` digits from `source` (28 x 28 MNIST images), seeded.
pub fn digit_strips(
    source: &LabelledImages,
    count: usize,
    fewest: usize,
    most: usize,
    seed: u64,
) -> Result<DigitStrips> {
    ensure!(source.side() == 28, "digit strips need 28 x 28 digits, got {0} x {0}", source.side());
    ensure!(!source.is_empty(), "digit strips need at least one source digit");
    ensure!(count > 0, "a batch of digit strips needs at least one strip");
    ensure!(
        (1..=most).contains(&fewest) && most <= SLOTS,
        "a strip holds 1 to {SLOTS} digits, got the range {fewest}..={most}"
    );
    let mut rng = seeded_rng(seed);
    let scale = 4.0 * f32::from(source.max_pixel());
    let mut strips =
        DigitStrips { images: vec![0.0; count * HEIGHT * WIDTH], digits: Vec::new(), first_slot: Vec::new() };
    for n in 0..count {
        let length = rng.random_range(fewest..=most);
        let first = rng.random_range(0..=SLOTS - length);
        let canvas = &mut strips.images[n * HEIGHT * WIDTH..(n + 1) * HEIGHT * WIDTH];
        let mut digits = Vec::with_capacity(length);
        for k in 0..length {
            let index = rng.random_range(0..source.len());
            digits.push(source.labels()[index]);
            let image = source.image(index);
            let left = (first + k) * SLOT_WIDTH + 1;
            for (y, row) in canvas.chunks_mut(WIDTH).enumerate() {
                for x in 0..HEIGHT {
                    let block =
                        [(2 * y, 2 * x), (2 * y, 2 * x + 1), (2 * y + 1, 2 * x), (2 * y + 1, 2 * x + 1)];
                    let sum: f32 = block.iter().map(|&(r, c)| f32::from(image[r * 28 + c])).sum();
                    row[left + x] = sum / scale;
                }
            }
        }
        strips.digits.push(digits);
        strips.first_slot.push(first);
    }
    Ok(strips)
}

impl DigitStrips {
    /// The number of strips.
    pub fn len(&self) -> usize {
        self.digits.len()
    }

    /// Whether the batch is empty.
    pub fn is_empty(&self) -> bool {
        self.digits.is_empty()
    }

    /// `[n, 1, HEIGHT, WIDTH]`.
    pub fn images_tensor(&self, device: &Device) -> Result<Tensor<4>> {
        float_tensor(&self.images, [self.len(), 1, HEIGHT, WIDTH], device)
    }

    /// Target tokens `[n, CAPTION_STEPS]`: the digits, EOS, then PAD.
    pub fn target(&self) -> Result<Vec<i64>> {
        let mut tokens = vec![PAD; self.len() * CAPTION_STEPS];
        for (row, digits) in tokens.chunks_mut(CAPTION_STEPS).zip(&self.digits) {
            for (slot, &d) in row.iter_mut().zip(digits) {
                *slot = digit_token(d)?;
            }
            row[digits.len()] = EOS;
        }
        Ok(tokens)
    }

    /// `[n, CAPTION_STEPS]`: what the decoder must write.
    pub fn target_tensor(&self, device: &Device) -> Result<Tensor<2, Int>> {
        int_tensor(&self.target()?, [self.len(), CAPTION_STEPS], device)
    }

    /// `[n, CAPTION_STEPS]`: what the decoder reads under teacher forcing (BOS, then the target
    /// shifted right by one).
    pub fn decoder_input_tensor(&self, device: &Device) -> Result<Tensor<2, Int>> {
        let target = self.target()?;
        let mut input = vec![PAD; target.len()];
        for (row, shifted) in input.chunks_mut(CAPTION_STEPS).zip(target.chunks(CAPTION_STEPS)) {
            row[0] = BOS;
            row[1..].copy_from_slice(&shifted[..CAPTION_STEPS - 1]);
        }
        int_tensor(&input, [self.len(), CAPTION_STEPS], device)
    }

    /// The caption of strip `n` in words ("seven two one").
    pub fn caption(&self, n: usize) -> String {
        let words: Vec<&str> = self.digits[n].iter().map(|&d| DIGIT_NAMES[d as usize]).collect();
        words.join(" ")
    }
}
