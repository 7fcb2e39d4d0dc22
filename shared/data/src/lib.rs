//! Data: the vendored data sets (compiled into the binary), their parsers, batching, and the
//! synthetic tasks generated from a seed ([`synthetic`]).
//!
//! | module | data | format |
//! |---|---|---|
//! | [`mnist`] | MNIST digits, 28 x 28, 10k train subset + 10k test (full set via `--data-dir`) | IDX ([`idx`]) |
//! | [`text`] | tiny-shakespeare (chars), Brown corpus PTB-style (words), a user's `--corpus` | UTF-8 text |
//! | [`tree`] | Stanford Sentiment Treebank: labelled binary trees | PTB brackets |
//!
//! MNIST comes as [`LabelledImages`]: bytes in, scaled `[batch, 1, side, side]` or
//! `[batch, side * side]` tensors out.
//!
//! Every parser returns a [`DataError`] naming the file and the place of a problem; none
//! panics on bad input. The vendored files lie in `shared/data/` (gzip, see [`gzip`]), with
//! their licences in `shared/data/NOTICE.md`. [`batching`] gives seeded mini-batches;
//! [`sub_seed`] derives the seed of each random stream of a run from its one `--seed`.

pub mod batching;
pub mod error;
pub mod gzip;
pub mod idx;
pub mod labelled_images;
pub mod mnist;
pub mod seed;
pub mod synthetic;
pub mod text;
pub mod tree;
pub mod vocab;

pub use batching::{BatchStream, Batches, Epoch};
pub use error::{DataError, Origin, Place};
pub use labelled_images::LabelledImages;
pub use mnist::Mnist;
pub use seed::{batch_seed, sub_seed};
pub use text::{Corpus, Level};
pub use tree::{Tree, Treebank};
pub use vocab::{Vocab, VocabLimits};
