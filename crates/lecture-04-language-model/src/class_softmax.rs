//! The class-based output layer (Goodman 2001; Mikolov et al. 2011): factorise the softmax over
//! `V` words into a softmax over `C` classes and one over the words of the chosen class,
//!
//! ```text
//! P(w | h) = P(c(w) | h) · P(w | c(w), h)
//! P(c | h)    = softmax_c(h U + a)                  U: [hidden, C]
//! P(w | c, h) = softmax over w in c of (h V_c + b_c)  V_c: [hidden, M], the words of class c
//! ```
//!
//! Training needs only the target's class, so a step costs `C + M` dot products per token
//! instead of `V`: with `V` = 10,000 and `C = M = 100` that is 50 times fewer. The classes come
//! from word frequency: sort the words by training count and cut the list into `C` runs of
//! `M = ⌈V / C⌉` words, so frequent words share classes with frequent words.
//!
//! Shapes: `h: [N, hidden]`, targets `[N]`; the per-class weights are stored padded as
//! `[C, M, hidden]`, and the slots of the last class beyond the vocabulary are masked out.
//! Each position gathers its target class's `[M, hidden]` block and takes `M` dot products
//! with its `h` (an element-wise product summed over `hidden`).

use anyhow::{Result, ensure};
use burn::module::{Module, Param};
use burn::nn::{Linear, LinearConfig};
use burn::prelude::{Device, Int, Tensor, TensorData};
use burn::tensor::Distribution;
use burn::tensor::activation::log_softmax;

/// The assignment of words to frequency classes.
#[derive(Clone, Debug)]
pub struct FrequencyClasses {
    /// `class_of[w]`: the class of word `w`.
    pub class_of: Vec<usize>,
    /// `slot_of[w]`: the position of `w` inside its class.
    pub slot_of: Vec<usize>,
    /// `C`.
    pub classes: usize,
    /// `M = ⌈V / C⌉`, the words per class (the last class may hold fewer).
    pub per_class: usize,
}

impl FrequencyClasses {
    /// `classes` classes of `⌈V / classes⌉` words each, by descending count in `tokens`
    /// (ties broken by id); `V = vocab_size`.
    pub fn from_counts(tokens: &[usize], vocab_size: usize, classes: usize) -> Result<FrequencyClasses> {
        ensure!(
            classes >= 1 && classes <= vocab_size,
            "need 1 <= classes <= vocab size, got {classes} classes for {vocab_size} words"
        );
        let mut counts = vec![0usize; vocab_size];
        for &token in tokens {
            ensure!(token < vocab_size, "token id {token} is outside the vocabulary of {vocab_size}");
            counts[token] += 1;
        }
        let mut by_count: Vec<usize> = (0..vocab_size).collect();
        by_count.sort_by(|&a, &b| counts[b].cmp(&counts[a]).then(a.cmp(&b)));
        let per_class = vocab_size.div_ceil(classes);
        let (mut class_of, mut slot_of) = (vec![0; vocab_size], vec![0; vocab_size]);
        for (rank, &word) in by_count.iter().enumerate() {
            class_of[word] = rank / per_class;
            slot_of[word] = rank % per_class;
        }
        Ok(FrequencyClasses { class_of, slot_of, classes: vocab_size.div_ceil(per_class), per_class })
    }

    /// How many slots of each class hold a word.
    fn occupied(&self) -> Vec<usize> {
        let mut sizes = vec![0; self.classes];
        for &c in &self.class_of {
            sizes[c] += 1;
        }
        sizes
    }
}

/// `log P(w | h) = log P(c(w) | h) + log P(w | c(w), h)`.
#[derive(Module, Debug)]
pub struct ClassSoftmax {
    /// `h -> class logits`, `U: [hidden, C]` and `a: [C]`.
    pub class_layer: Linear,
    /// `V: [C, M, hidden]`, the word weights of each class (row `m` of block `c` is word `m` of `c`).
    pub word_weight: Param<Tensor<3>>,
    /// `b: [C, M]`.
    pub word_bias: Param<Tensor<2>>,
    #[module(skip)]
    classes: FrequencyClasses,
}

impl ClassSoftmax {
    /// A layer over `classes` reading `hidden`-wide vectors; weights `U(-1/√hidden, 1/√hidden)`.
    pub fn new(hidden: usize, classes: FrequencyClasses, device: &Device) -> ClassSoftmax {
        let bound = 1.0 / (hidden as f64).sqrt();
        let init = Distribution::Uniform(-bound, bound);
        let (c, m) = (classes.classes, classes.per_class);
        ClassSoftmax {
            class_layer: LinearConfig::new(hidden, c).init(device),
            word_weight: Param::from_tensor(Tensor::random([c, m, hidden], init, device)),
            word_bias: Param::from_tensor(Tensor::random([c, m], init, device)),
            classes,
        }
    }

    /// The word classes.
    pub fn classes(&self) -> &FrequencyClasses {
        &self.classes
    }

    /// `log P(target | h)` for `h: [N, hidden]` and `targets: [N]` -> `[N]`.
    pub fn target_log_probs(&self, h: Tensor<2>, targets: &[usize]) -> Tensor<1> {
        let device = h.device();
        let n = targets.len();
        let classes = &self.classes;
        let index = |values: Vec<i64>| Tensor::<1, Int>::from_data(TensorData::new(values, [n]), &device);
        let class = index(targets.iter().map(|&w| classes.class_of[w] as i64).collect());
        let slot = index(targets.iter().map(|&w| classes.slot_of[w] as i64).collect());

        let class_log_probs = log_softmax(self.class_layer.forward(h.clone()), 1);
        let log_p_class = class_log_probs.gather(1, class.clone().unsqueeze_dim(1));

        let weight = self.word_weight.val().select(0, class.clone()); // [N, M, hidden]
        let bias = self.word_bias.val().select(0, class.clone()); // [N, M]
        let logits = (weight * h.unsqueeze_dim::<3>(1)).sum_dim(2).squeeze_dim::<2>(2) + bias;
        let mask = self.padding_mask(&device).select(0, class);
        let log_p_word = log_softmax(logits + mask, 1).gather(1, slot.unsqueeze_dim(1));
        (log_p_class + log_p_word).reshape([n])
    }

    /// `[C, M]`: 0 on the slots that hold a word, -1e9 on the padding of the last class.
    fn padding_mask(&self, device: &Device) -> Tensor<2> {
        let classes = &self.classes;
        let occupied = classes.occupied();
        let values: Vec<f32> = (0..classes.classes * classes.per_class)
            .map(|i| if i % classes.per_class < occupied[i / classes.per_class] { 0.0 } else { -1e9 })
            .collect();
        Tensor::from_data(TensorData::new(values, [classes.classes, classes.per_class]), device)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::testing::seeded;

    #[test]
    fn frequent_words_fill_the_first_classes() {
        // counts: word 3 x4, word 1 x3, word 0 x2, word 2 x1, word 4 x0
        let tokens = [3, 3, 3, 3, 1, 1, 1, 0, 0, 2];
        let classes = FrequencyClasses::from_counts(&tokens, 5, 3).unwrap();
        assert_eq!(classes.per_class, 2);
        assert_eq!(classes.class_of, vec![1, 0, 1, 0, 2]);
        assert_eq!(classes.slot_of, vec![0, 1, 1, 0, 0]);
        assert_eq!(classes.occupied(), vec![2, 2, 1]);
        assert!(FrequencyClasses::from_counts(&tokens, 5, 6).is_err());
        assert!(FrequencyClasses::from_counts(&[7], 5, 2).is_err());
    }

    #[test]
    fn the_word_probabilities_sum_to_one() {
        seeded(1, |device| {
            let classes = FrequencyClasses::from_counts(&[0, 1, 1, 2, 3, 4, 5, 6], 7, 3).unwrap();
            let layer = ClassSoftmax::new(4, classes, device);
            let h = Tensor::<2>::random([2, 4], Distribution::Normal(0.0, 1.0), device);
            let total: Vec<f32> = (0..2)
                .map(|row| {
                    let h_row = h.clone().narrow(0, row, 1).repeat_dim(0, 7);
                    let words: Vec<usize> = (0..7).collect();
                    layer.target_log_probs(h_row, &words).exp().sum().into_scalar()
                })
                .collect();
            for t in total {
                assert!((t - 1.0).abs() < 1e-5, "Σ_w P(w | h) = {t}");
            }
        });
    }
}
