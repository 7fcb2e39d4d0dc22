//! Sorting real numbers by pointing: the answer is the input positions in increasing order of
//! value (Vinyals et al. 2015 sort numbers in [0, 1) the same way).

/// The positions of `values` from the smallest value to the largest (ties by position).
pub fn sorted_positions(values: &[f32]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&i, &j| values[i].total_cmp(&values[j]).then(i.cmp(&j)));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_come_in_increasing_order_of_value() {
        assert_eq!(sorted_positions(&[0.3, 0.1, 0.9, 0.2]), [1, 3, 0, 2]);
        assert_eq!(sorted_positions(&[0.5, 0.5]), [0, 1]);
    }
}
