//! The caption task's pieces: digit strips (layout, caption tokens, bad settings are errors)
//! and the captioner's shapes, whose greedy decoding agrees with its teacher-forced pass.

use lecture_08_attention::caption::{COLUMNS, Captioner, CaptionerConfig};
use lecture_08_attention::decoding::greedy;
use lecture_08_attention::digit_strip::{CAPTION_STEPS, HEIGHT, SLOT_WIDTH, SLOTS, WIDTH, digit_strips};
use lecture_08_attention::recurrence::Recurrence;
use shared::data::Mnist;
use shared::data::synthetic::token_tasks::{BOS, EOS, PAD, VOCAB_SIZE, digit_token};
use shared::testing::seeded;

#[test]
fn strips_hold_their_digits_in_consecutive_slots_and_captions_end_in_eos() {
    let mnist = Mnist::embedded().unwrap();
    let strips = digit_strips(&mnist.test, 64, 2, 4, 5).unwrap();
    assert_eq!(strips.images.len(), 64 * HEIGHT * WIDTH);
    let target = strips.target().unwrap();
    for n in 0..strips.len() {
        let (digits, first) = (&strips.digits[n], strips.first_slot[n]);
        assert!((2..=4).contains(&digits.len()) && first + digits.len() <= SLOTS);
        let image = &strips.images[n * HEIGHT * WIDTH..(n + 1) * HEIGHT * WIDTH];
        for slot in 0..SLOTS {
            let ink: f32 = (0..HEIGHT)
                .flat_map(|y| (0..SLOT_WIDTH).map(move |x| (y, slot * SLOT_WIDTH + x)))
                .map(|(y, x)| image[y * WIDTH + x])
                .sum();
            let filled = (first..first + digits.len()).contains(&slot);
            assert_eq!(ink > 1.0, filled, "strip {n}, slot {slot}: ink {ink}");
        }
        let row = &target[n * CAPTION_STEPS..(n + 1) * CAPTION_STEPS];
        for (t, &d) in digits.iter().enumerate() {
            assert_eq!(row[t], digit_token(d).unwrap());
        }
        assert_eq!(row[digits.len()], EOS);
        assert!(row[digits.len() + 1..].iter().all(|&t| t == PAD));
    }
    assert!(image_range_ok(&strips.images));
    let input: Vec<i64> = strips
        .decoder_input_tensor(&shared::backend::test_device())
        .unwrap()
        .into_data()
        .iter::<i64>()
        .collect();
    assert_eq!(input[0], BOS);
    assert_eq!(&input[1..CAPTION_STEPS], &target[..CAPTION_STEPS - 1]);
}

fn image_range_ok(pixels: &[f32]) -> bool {
    pixels.iter().all(|p| (0.0..=1.0).contains(p))
}

#[test]
fn bad_strip_settings_are_errors() {
    let mnist = Mnist::embedded().unwrap();
    for (count, fewest, most) in [(0, 2, 4), (4, 0, 2), (4, 3, 2), (4, 2, SLOTS + 1)] {
        assert!(digit_strips(&mnist.test, count, fewest, most, 1).is_err(), "{count} {fewest}..={most}");
    }
}

#[test]
fn the_captioner_attends_over_one_feature_column_per_half_slot() {
    let mnist = Mnist::embedded().unwrap();
    let strips = digit_strips(&mnist.test, 3, 2, 4, 9).unwrap();
    let (model, images, input): (Captioner, _, _) = seeded(3, |device| {
        let config = CaptionerConfig {
            vocab: VOCAB_SIZE,
            channels: 4,
            embedding: 4,
            hidden: 6,
            recurrence: Recurrence::Fused,
        };
        (
            config.init(device),
            strips.images_tensor(device).unwrap(),
            strips.decoder_input_tensor(device).unwrap(),
        )
    });
    let encoded = model.encode(images.clone());
    assert_eq!(encoded.memory.dims(), [3, COLUMNS, 3 * 4 + COLUMNS]);
    assert_eq!(COLUMNS, 2 * SLOTS);
    let output = model.forward(images, input);
    assert_eq!(output.logits.dims(), [3, CAPTION_STEPS, VOCAB_SIZE]);
    let first: Vec<i64> = output.logits.clone().narrow(1, 0, 1).argmax(2).into_data().iter::<i64>().collect();
    let weights = output.weights.unwrap();
    let sums: Vec<f32> = weights.sum_dim(2).into_data().iter::<f32>().collect();
    assert!(sums.iter().all(|s| (s - 1.0).abs() < 1e-5), "{sums:?}");
    let captions = greedy(&model, encoded, CAPTION_STEPS);
    assert_eq!(captions.len(), 3);
    for (caption, &teacher_forced) in captions.iter().zip(&first) {
        assert_eq!(caption.tokens.first().copied().unwrap_or(EOS), teacher_forced, "both start from BOS");
        assert!(!caption.weights.is_empty() && caption.weights.len() <= CAPTION_STEPS);
        assert!(caption.weights.iter().all(|w| w.len() == COLUMNS));
    }
}
