//! Labelled binary trees in PTB bracket notation, as in the Stanford Sentiment Treebank (SST).
//!
//! One tree per line: `(3 (2 It) (4 (2 's) (3 good)))`. Every node carries a sentiment label
//! 0-4 (very negative .. very positive); a leaf `(label word)` holds one word, an inner node
//! `(label left right)` exactly two subtrees. Words hold no whitespace and no brackets (SST
//! writes brackets as `-LRB-` / `-RRB-`). SST: Socher et al. 2013, see `shared/data/NOTICE.md`.

use super::error::{DataError, Origin, Place};
use super::gzip::decompress_if_gzip;
use super::text::utf8;
use std::fmt;
use std::str::FromStr;

/// The largest label (labels run 0..=4).
pub const MAX_LABEL: u8 = 4;
/// The deepest nesting the parser accepts (SST trees are at most a few dozen levels deep).
pub const MAX_DEPTH: usize = 500;

/// A binary tree with a label on every node and a word on every leaf.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tree {
    /// `(label word)`: one word with its label.
    Leaf { label: u8, word: String },
    /// `(label left right)`: a phrase made of two sub-phrases.
    Node { label: u8, left: Box<Tree>, right: Box<Tree> },
}

impl Tree {
    /// Parses one line of a treebank file; errors name `origin`, `line_number` and the column.
    pub fn parse_line(line: &str, origin: &Origin, line_number: usize) -> Result<Tree, DataError> {
        let mut parser = Parser { line, pos: 0, origin, line_number };
        let tree = parser.tree(0)?;
        parser.skip_spaces();
        match parser.peek() {
            None => Ok(tree),
            Some(b')') => Err(parser.error(parser.pos, "unbalanced brackets: ')' without a matching '('")),
            Some(_) => Err(parser.error(parser.pos, "trailing text after the tree")),
        }
    }

    /// This node's label, 0..=4.
    pub fn label(&self) -> u8 {
        match self {
            Tree::Leaf { label, .. } | Tree::Node { label, .. } => *label,
        }
    }

    /// The word of a leaf, `None` for an inner node.
    pub fn word(&self) -> Option<&str> {
        match self {
            Tree::Leaf { word, .. } => Some(word),
            Tree::Node { .. } => None,
        }
    }

    /// The two subtrees of an inner node, `None` for a leaf.
    pub fn children(&self) -> Option<(&Tree, &Tree)> {
        match self {
            Tree::Leaf { .. } => None,
            Tree::Node { left, right, .. } => Some((left, right)),
        }
    }

    /// The words at the leaves, left to right: the sentence.
    pub fn leaves(&self) -> Vec<&str> {
        self.post_order().into_iter().filter_map(Tree::word).collect()
    }

    /// The number of nodes, leaves included (a binary tree with `w` words has `2w - 1`).
    pub fn node_count(&self) -> usize {
        self.post_order().len()
    }

    /// The number of edges on the longest path from this node down to a leaf (a leaf: 0).
    pub fn height(&self) -> usize {
        self.children().map_or(0, |(left, right)| 1 + left.height().max(right.height()))
    }

    /// All nodes, children before their parent, left subtree before right: the order in
    /// which a recursive network computes node vectors. The root comes last.
    pub fn post_order(&self) -> Vec<&Tree> {
        let mut order = Vec::new();
        self.push_post_order(&mut order);
        order
    }

    fn push_post_order<'a>(&'a self, order: &mut Vec<&'a Tree>) {
        if let Some((left, right)) = self.children() {
            left.push_post_order(order);
            right.push_post_order(order);
        }
        order.push(self);
    }
}

/// Prints the bracket notation that [`Tree::parse_line`] reads.
impl fmt::Display for Tree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tree::Leaf { label, word } => write!(f, "({label} {word})"),
            Tree::Node { label, left, right } => write!(f, "({label} {left} {right})"),
        }
    }
}

impl FromStr for Tree {
    type Err = DataError;

    /// Parses one tree from a string (errors say "inline text", line 1).
    fn from_str(line: &str) -> Result<Tree, DataError> {
        Tree::parse_line(line, &Origin::Inline, 1)
    }
}

/// Parses every non-blank line of `text` as a tree.
pub fn parse_trees(text: &str, origin: &Origin) -> Result<Vec<Tree>, DataError> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| Tree::parse_line(line, origin, index + 1))
        .collect()
}

/// A recursive-descent parser over one line; `pos` is a byte offset into `line`.
struct Parser<'a> {
    line: &'a str,
    pos: usize,
    origin: &'a Origin,
    line_number: usize,
}

impl<'a> Parser<'a> {
    /// An error at byte offset `at` of the line, reported as a 1-based character column.
    fn error(&self, at: usize, message: impl Into<String>) -> DataError {
        let column = self.line[..at].chars().count() + 1;
        DataError::new(self.origin, Place::LineColumn(self.line_number, column), message)
    }

    fn peek(&self) -> Option<u8> {
        self.line.as_bytes().get(self.pos).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    /// A run of characters up to whitespace, a bracket or the end of the line.
    fn atom(&mut self) -> &'a str {
        let start = self.pos;
        while self.peek().is_some_and(|b| !b.is_ascii_whitespace() && b != b'(' && b != b')') {
            self.pos += 1;
        }
        &self.line[start..self.pos]
    }

    /// `( label word )` or `( label tree tree )`.
    fn tree(&mut self, depth: usize) -> Result<Tree, DataError> {
        self.skip_spaces();
        let open = self.pos;
        match self.peek() {
            Some(b'(') => self.pos += 1,
            None => {
                return Err(self.error(open, "expected '(' to open a tree, found the end of the line"));
            }
            Some(_) => return Err(self.error(open, "expected '(' to open a tree")),
        }
        if depth >= MAX_DEPTH {
            return Err(self.error(open, format!("trees nested deeper than {MAX_DEPTH} levels")));
        }
        let label = self.label()?;
        self.skip_spaces();
        let tree = if self.peek() == Some(b'(') {
            let left = Box::new(self.tree(depth + 1)?);
            let right = Box::new(self.tree(depth + 1).map_err(|e| self.one_child_error(e))?);
            Tree::Node { label, left, right }
        } else {
            let at = self.pos;
            let word = self.atom().to_string();
            if word.is_empty() {
                return Err(self.error(at, "a node needs a word or two subtrees, found neither"));
            }
            Tree::Leaf { label, word }
        };
        self.close(open, &tree)?;
        Ok(tree)
    }

    /// Turns "expected '(' ... found ')'" after a first subtree into a clearer message.
    fn one_child_error(&self, error: DataError) -> DataError {
        if self.peek() == Some(b')') {
            self.error(self.pos, "a node needs two subtrees, found one")
        } else {
            error
        }
    }

    /// A label: digits making a number 0..=4, right after the '('.
    fn label(&mut self) -> Result<u8, DataError> {
        self.skip_spaces();
        let at = self.pos;
        let text = self.atom();
        if text.is_empty() {
            return Err(self.error(at, "missing label after '('"));
        }
        if !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.error(at, format!("label '{text}' is not a number")));
        }
        match text.parse::<u8>() {
            Ok(label) if label <= MAX_LABEL => Ok(label),
            _ => Err(self.error(at, format!("label {text} is out of range 0..={MAX_LABEL}"))),
        }
    }

    /// The ')' that closes the node opened at byte `open`.
    fn close(&mut self, open: usize, tree: &Tree) -> Result<(), DataError> {
        self.skip_spaces();
        let column = self.line[..open].chars().count() + 1;
        match self.peek() {
            Some(b')') => {
                self.pos += 1;
                Ok(())
            }
            None => Err(self
                .error(self.pos, format!("unbalanced brackets: the '(' at column {column} is never closed"))),
            Some(b'(') if tree.children().is_some() => {
                Err(self.error(self.pos, "a node has more than 2 children"))
            }
            Some(b'(') => Err(self.error(self.pos, "a node holds both a word and a subtree")),
            Some(_) => Err(self.error(self.pos, format!("expected ')' to close the '(' at column {column}"))),
        }
    }
}

/// The Stanford Sentiment Treebank: training, development and test trees.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Treebank {
    pub train: Vec<Tree>,
    pub dev: Vec<Tree>,
    pub test: Vec<Tree>,
}

const SST: [(&str, &[u8]); 3] = [
    ("sst/train.txt.gz", include_bytes!("../sst/train.txt.gz")),
    ("sst/dev.txt.gz", include_bytes!("../sst/dev.txt.gz")),
    ("sst/test.txt.gz", include_bytes!("../sst/test.txt.gz")),
];

impl Treebank {
    /// The embedded SST (the standard split: 8,544 / 1,101 / 2,210 sentences).
    pub fn sst() -> Result<Treebank, DataError> {
        let [train, dev, test] = SST.map(|(name, bytes)| {
            let origin = Origin::Embedded(name);
            let raw = decompress_if_gzip(bytes, &origin)?;
            parse_trees(utf8(&raw, &origin)?, &origin)
        });
        Ok(Treebank { train: train?, dev: dev?, test: test? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn leaf(label: u8, word: &str) -> Tree {
        Tree::Leaf { label, word: word.to_string() }
    }

    fn node(label: u8, left: Tree, right: Tree) -> Tree {
        Tree::Node { label, left: Box::new(left), right: Box::new(right) }
    }

    fn error_of(line: &str) -> String {
        Tree::parse_line(line, &Origin::Embedded("sst/dev.txt.gz"), 7).unwrap_err().to_string()
    }

    #[test]
    fn parses_the_example_from_the_docs() {
        let tree: Tree = "(3 (2 It) (4 (2 's) (3 good)))".parse().unwrap();
        let expected = node(3, leaf(2, "It"), node(4, leaf(2, "'s"), leaf(3, "good")));
        assert_eq!(tree, expected);
        assert_eq!(tree.leaves(), vec!["It", "'s", "good"]);
        assert_eq!((tree.node_count(), tree.height()), (5, 2));
        let labels: Vec<u8> = tree.post_order().iter().map(|t| t.label()).collect();
        assert_eq!(labels, vec![2, 2, 3, 4, 3]);
    }

    #[test]
    fn extra_whitespace_is_allowed() {
        let tree: Tree = "  ( 1   ( 0 a )\t(2 b) )  ".parse().unwrap();
        assert_eq!(tree, node(1, leaf(0, "a"), leaf(2, "b")));
    }

    #[test]
    fn unclosed_bracket_is_unbalanced() {
        assert_eq!(
            error_of("(3 (2 It) (4 good)"),
            "embedded sst/dev.txt.gz: line 7, column 19: unbalanced brackets: the '(' at column 1 is never closed"
        );
    }

    #[test]
    fn extra_closing_bracket_is_unbalanced() {
        assert!(error_of("(2 a))").contains("line 7, column 6: unbalanced brackets: ')' without"));
    }

    #[test]
    fn missing_label_is_reported_where_it_should_be() {
        assert!(error_of("((2 a) (2 b))").contains("line 7, column 2: missing label"));
    }

    #[test]
    fn non_numeric_label_is_reported() {
        assert!(error_of("(2 (x a) (2 b))").contains("line 7, column 5: label 'x' is not a number"));
    }

    #[test]
    fn label_out_of_range_is_reported() {
        assert!(error_of("(2 (5 a) (2 b))").contains("line 7, column 5: label 5 is out of range 0..=4"));
        assert!(error_of("(999 a)").contains("column 2: label 999 is out of range"));
    }

    #[test]
    fn more_than_two_children_is_reported() {
        let error = error_of("(2 (2 a) (2 b) (2 c))");
        assert!(error.contains("line 7, column 16: a node has more than 2 children"), "{error}");
    }

    #[test]
    fn one_child_and_empty_nodes_are_reported() {
        assert!(error_of("(2 (2 a))").contains("column 9: a node needs two subtrees, found one"));
        assert!(error_of("(2 )").contains("column 4: a node needs a word or two subtrees"));
    }

    #[test]
    fn word_mixed_with_subtree_is_reported() {
        assert!(error_of("(2 a (2 b))").contains("column 6: a node holds both a word and a subtree"));
        assert!(error_of("(2 a b)").contains("column 6: expected ')' to close the '(' at column 1"));
    }

    #[test]
    fn trailing_garbage_is_reported() {
        assert!(error_of("(2 a) junk").contains("line 7, column 7: trailing text after the tree"));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        assert!(error_of("(2 café) x").contains("column 10: trailing text"));
    }

    #[test]
    fn nesting_is_limited_instead_of_overflowing_the_stack() {
        let deep = "(1 ".repeat(100_000);
        assert!(error_of(&deep).contains("nested deeper than 500"));
    }

    #[test]
    fn parse_trees_counts_lines_from_one_and_skips_blank_lines() {
        let text = "(2 a)\n\n(1 (2 b) (0 c))\n(7 d)\n";
        let error = parse_trees(text, &Origin::Inline).unwrap_err();
        assert_eq!(error.place, Place::LineColumn(4, 2));
        assert_eq!(parse_trees("(2 a)\n\n(1 b)\n", &Origin::Inline).unwrap().len(), 2);
    }

    #[test]
    fn sst_has_the_standard_split_sizes() {
        let sst = Treebank::sst().unwrap();
        assert_eq!((sst.train.len(), sst.dev.len(), sst.test.len()), (8_544, 1_101, 2_210));
        let first = &sst.dev[0];
        assert_eq!(first.leaves()[..4], ["It", "'s", "a", "lovely"]);
        assert_eq!(first.node_count(), 2 * first.leaves().len() - 1);
        assert!(sst.train.iter().all(|t| t.label() <= MAX_LABEL));
    }

    fn arbitrary_tree() -> impl Strategy<Value = Tree> {
        let leaf = (0..=MAX_LABEL, "[a-zA-Z'.,-]{1,6}").prop_map(|(label, word)| Tree::Leaf { label, word });
        leaf.prop_recursive(6, 40, 2, |inner| {
            (0..=MAX_LABEL, inner.clone(), inner).prop_map(|(label, l, r)| node(label, l, r))
        })
    }

    proptest! {
        #[test]
        fn print_then_parse_round_trips(tree in arbitrary_tree()) {
            prop_assert_eq!(tree.to_string().parse::<Tree>().unwrap(), tree.clone());
            prop_assert_eq!(tree.node_count(), 2 * tree.leaves().len() - 1);
        }

        #[test]
        fn arbitrary_text_never_panics(line in "[()0-9a-c \u{e9}]{0,40}") {
            let _ = line.parse::<Tree>();
        }

        #[test]
        fn truncations_are_errors_and_edits_never_panic(
            tree in arbitrary_tree(),
            cut in any::<prop::sample::Index>(),
            edit in any::<prop::sample::Index>(),
            replacement in "[()0-9a ]",
        ) {
            let text = tree.to_string();
            let cut = cut.index(text.len());
            prop_assert!(text[..cut].parse::<Tree>().is_err());
            let at = edit.index(text.len());
            let edited = format!("{}{}{}", &text[..at], replacement, &text[at + 1..]);
            let _ = edited.parse::<Tree>();
        }
    }
}
