//! Classification accuracy: the fraction of rows whose highest score is at the label.

use burn::prelude::{Int, Tensor};

/// The fraction of rows of `logits` `[N, classes]` whose arg-max equals `labels` `[N]`
/// (NaN when `N` is 0).
pub fn accuracy(logits: Tensor<2>, labels: Tensor<1, Int>) -> f64 {
    let rows = labels.dims()[0];
    correct(logits, labels) as f64 / rows as f64
}

/// How many rows of `logits` `[N, classes]` have their arg-max at `labels` `[N]` (to add up
/// over the chunks of a large test set).
pub fn correct(logits: Tensor<2>, labels: Tensor<1, Int>) -> usize {
    let predicted = logits.argmax(1).flatten::<1>(0, 1);
    predicted.equal(labels).int().sum().into_scalar::<i64>() as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::test_device;
    use burn::prelude::TensorData;

    #[test]
    fn counts_the_rows_whose_arg_max_is_the_label() {
        let device = test_device();
        let logits = Tensor::<2>::from_data(
            TensorData::new(vec![0.1f32, 0.9, 0.8, 0.2, 0.3, 0.7, 0.6, 0.4], [4, 2]),
            &device,
        );
        let labels = Tensor::<1, Int>::from_data(TensorData::new(vec![1i64, 0, 0, 0], [4]), &device);
        assert_eq!(correct(logits.clone(), labels.clone()), 3);
        assert_eq!(accuracy(logits, labels), 0.75);
    }
}
