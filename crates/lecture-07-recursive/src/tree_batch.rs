//! Many trees laid out level by level: the plan that lets a recursive net compose all nodes of
//! equal height in one batched step.
//!
//! A node's height is the longest path down to a leaf (a leaf: 0). A node can be computed as
//! soon as both children are, and both children of a node of height `h` have heights below `h`,
//! so all nodes of height `h` of all trees of a batch can be computed together once heights
//! `0..h` are done. The plan numbers every node of the batch by `(height, position)`:
//!
//! ```text
//! global index:  [ leaves of all trees | height-1 nodes | height-2 nodes | ... ]
//! level h:       left[i], right[i] = global indices of the children of node offset_h + i
//! ```
//!
//! so the states of all nodes form one tensor `[nodes, state]` in this order, built by
//! appending one level at a time. A batch with `n` nodes and maximal height `H` takes `H`
//! composition steps instead of `n - leaves` one-node steps.

use shared::data::{Tree, Vocab};

/// The children of the nodes of one height, as global node indices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Level {
    /// Global index of each node's left child.
    pub left: Vec<i64>,
    /// Global index of each node's right child.
    pub right: Vec<i64>,
}

impl Level {
    /// The number of nodes at this height.
    pub fn len(&self) -> usize {
        self.left.len()
    }

    /// Whether no node has this height (never true in a built plan).
    pub fn is_empty(&self) -> bool {
        self.left.is_empty()
    }
}

/// A batch of trees in level order (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeBatch {
    /// Word id of every leaf; the leaves are global indices `0..words.len()`.
    pub words: Vec<i64>,
    /// Levels of height 1, 2, ...: level `k` holds the nodes of height `k + 1`.
    pub levels: Vec<Level>,
    /// The sentiment label (0..=4) of every node, by global index.
    pub labels: Vec<i64>,
    /// The global index of every tree's root, in the order the trees were given.
    pub roots: Vec<usize>,
    /// The children of every node by global index (`None` for a leaf).
    pub children: Vec<Option<(usize, usize)>>,
    /// Every tree's nodes in post order (children first), as global indices: the order a
    /// node-at-a-time implementation visits them.
    pub post_order: Vec<Vec<usize>>,
}

/// A node before the global numbering: its height and position among the nodes of that height.
#[derive(Clone, Copy)]
struct Slot {
    height: usize,
    position: usize,
}

/// One node as gathered: its label, its word id (a leaf) or children (an inner node).
type Gathered = (i64, i64, Option<(Slot, Slot)>);

/// Nodes gathered per height while walking the trees.
#[derive(Default)]
struct Builder {
    /// Per height, the nodes in the order they were met.
    per_height: Vec<Vec<Gathered>>,
    /// Per tree: the slots in post order.
    post_order: Vec<Vec<Slot>>,
    roots: Vec<Slot>,
}

impl Builder {
    fn add(&mut self, tree: &Tree, vocab: &Vocab, order: &mut Vec<Slot>) -> Slot {
        let (height, word, children) = match tree.children() {
            None => (0, vocab.id(tree.word().unwrap_or_default()) as i64, None),
            Some((left, right)) => {
                let l = self.add(left, vocab, order);
                let r = self.add(right, vocab, order);
                (1 + l.height.max(r.height), -1, Some((l, r)))
            }
        };
        if self.per_height.len() <= height {
            self.per_height.resize_with(height + 1, Vec::new);
        }
        let slot = Slot { height, position: self.per_height[height].len() };
        self.per_height[height].push((i64::from(tree.label()), word, children));
        order.push(slot);
        slot
    }
}

impl TreeBatch {
    /// Lays out `trees` (words looked up in `vocab`, unknown words as `<unk>`).
    pub fn new<'a>(trees: impl IntoIterator<Item = &'a Tree>, vocab: &Vocab) -> TreeBatch {
        let mut builder = Builder::default();
        for tree in trees {
            let mut order = Vec::new();
            let root = builder.add(tree, vocab, &mut order);
            builder.roots.push(root);
            builder.post_order.push(order);
        }
        let mut offsets = Vec::with_capacity(builder.per_height.len());
        let mut total = 0;
        for nodes in &builder.per_height {
            offsets.push(total);
            total += nodes.len();
        }
        let global = |slot: Slot| offsets[slot.height] + slot.position;
        let mut batch = TreeBatch {
            words: Vec::new(),
            levels: Vec::new(),
            labels: Vec::with_capacity(total),
            roots: builder.roots.iter().map(|&s| global(s)).collect(),
            children: Vec::with_capacity(total),
            post_order: builder.post_order.iter().map(|o| o.iter().map(|&s| global(s)).collect()).collect(),
        };
        for (height, nodes) in builder.per_height.iter().enumerate() {
            let mut level = Level { left: Vec::new(), right: Vec::new() };
            for &(label, word, children) in nodes {
                batch.labels.push(label);
                match children {
                    None => {
                        batch.words.push(word);
                        batch.children.push(None);
                    }
                    Some((l, r)) => {
                        let (l, r) = (global(l), global(r));
                        level.left.push(l as i64);
                        level.right.push(r as i64);
                        batch.children.push(Some((l, r)));
                    }
                }
            }
            if height > 0 {
                batch.levels.push(level);
            }
        }
        batch
    }

    /// The number of nodes, leaves included.
    pub fn node_count(&self) -> usize {
        self.labels.len()
    }

    /// The number of trees.
    pub fn tree_count(&self) -> usize {
        self.roots.len()
    }

    /// The labels of the roots, in tree order.
    pub fn root_labels(&self) -> Vec<i64> {
        self.roots.iter().map(|&r| self.labels[r]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> Vocab {
        Vocab::from_tokens(["not", "good", "a", "film"])
    }

    #[test]
    fn nodes_are_numbered_by_height_across_trees() {
        let trees: Vec<Tree> =
            ["(1 (2 not) (3 good))", "(3 (2 a) (3 (2 film) (3 good)))"].map(|t| t.parse().unwrap()).to_vec();
        let batch = TreeBatch::new(&trees, &vocab());
        // Leaves: not good | a film good; height 1: (not good), (film good); height 2: the root of tree 2.
        assert_eq!(batch.words, vec![1, 2, 3, 4, 2]);
        assert_eq!(batch.levels.len(), 2);
        assert_eq!(batch.levels[0], Level { left: vec![0, 3], right: vec![1, 4] });
        assert_eq!(batch.levels[1], Level { left: vec![2], right: vec![6] });
        assert_eq!(batch.roots, vec![5, 7]);
        assert_eq!(batch.labels, vec![2, 3, 2, 2, 3, 1, 3, 3]);
        assert_eq!(batch.root_labels(), vec![1, 3]);
        assert_eq!(batch.post_order, vec![vec![0, 1, 5], vec![2, 3, 4, 6, 7]]);
        assert_eq!(batch.children[7], Some((2, 6)));
        assert_eq!((batch.node_count(), batch.tree_count()), (8, 2));
    }

    #[test]
    fn a_single_word_tree_is_a_root_leaf_and_unknown_words_map_to_unk() {
        let tree: Tree = "(4 superb)".parse().unwrap();
        let batch = TreeBatch::new([&tree], &vocab());
        assert_eq!((batch.words.clone(), batch.levels.len(), batch.roots.clone()), (vec![0], 0, vec![0]));
    }
}
