//! Matrix products against a right-hand side packed once and used many times: the recurrent
//! weight `W_hh` is multiplied 2S times per training step (forward and backward through time),
//! and a general library call repacks it on every call, which costs as much as the arithmetic
//! at these shapes (`[32, 256] · [256, 1024]`).
//!
//! `B [K, N]` is stored as column panels of 32: panel `p` holds `B[k, 32p + j]` at
//! `(p K + k) 32 + j`, zero-padded past `N`. A tile of 8 rows x 32 columns of `C = A B` then
//! streams one panel (contiguous) and 8 rows of `A`, holding its 8 x 32 sums in 16 AVX-512
//! registers:
//!
//! ```text
//! for k in 0..K:  b0, b1 = panel[k, 0..16], panel[k, 16..32]
//!                 for i in 0..8:  acc[i] += A[i, k] * (b0, b1)         (16 FMAs per k)
//! ```
//!
//! Rows are split between threads. Without AVX-512 the same tiles run as plain loops.

use super::buffers;
use super::mat_ref::MatRef;
use super::vectorise::vectorised;
use rayon::prelude::*;

const PANEL: usize = 32;
const TILE_ROWS: usize = 8;
/// Packed sizes (floats) from which the panels are packed by all threads.
const PARALLEL_PACKING: usize = 1 << 16;

/// `B [K, N]` packed in column panels of 32.
#[derive(Clone, Debug, PartialEq)]
pub struct PackedRhs {
    data: Vec<f32>,
    k: usize,
    n: usize,
}

impl PackedRhs {
    /// Packs the logical matrix `rhs` (a transposed view is read through its strides), into a
    /// [`buffers::recycled`] buffer, panels split between threads when large.
    pub fn pack(rhs: MatRef) -> Self {
        let (k, n) = rhs.logical_dims();
        Self::packed_by_panel(k, n, |columns, panel| {
            if rhs.transposed {
                // Logical column c is stored row c, contiguous in k. A whole panel row at a
                // time from the panel's stored rows: one 128-byte write per k, where column by
                // column every value was a scattered 4-byte write.
                let stored: Vec<&[f32]> = columns.map(|c| &rhs.data[c * k..(c + 1) * k]).collect();
                for (row, packed) in panel.chunks_exact_mut(PANEL).enumerate() {
                    packed.iter_mut().zip(&stored).for_each(|(value, column)| *value = column[row]);
                }
            } else {
                for (row, packed) in panel.chunks_exact_mut(PANEL).enumerate() {
                    let stored = &rhs.data[row * n + columns.start..row * n + columns.end];
                    packed[..stored.len()].copy_from_slice(stored);
                }
            }
        })
    }

    /// A `[k, n]` matrix whose panels `fill(columns, panel)` writes (each panel's columns; the
    /// padding past `n` is zeroed here).
    fn packed_by_panel(k: usize, n: usize, fill: impl Fn(std::ops::Range<usize>, &mut [f32]) + Sync) -> Self {
        assert!(k > 0 && n > 0, "cannot pack an empty [{k}, {n}] matrix");
        let mut data = buffers::recycled(n.div_ceil(PANEL) * k * PANEL);
        let pack = |(p, panel): (usize, &mut [f32])| {
            let columns = (p * PANEL)..n.min((p + 1) * PANEL);
            let width = columns.len();
            fill(columns, panel);
            if width < PANEL {
                panel.chunks_exact_mut(PANEL).for_each(|row| row[width..].fill(0.0));
            }
        };
        if data.len() >= PARALLEL_PACKING {
            data.par_chunks_mut(k * PANEL).enumerate().for_each(pack);
        } else {
            data.chunks_exact_mut(k * PANEL).enumerate().for_each(pack);
        }
        Self { data, k, n }
    }

    /// A zero `[k, n]` matrix in packed form, to be filled by [`Self::write_row`].
    pub fn zeroed(k: usize, n: usize) -> Self {
        assert!(k > 0 && n > 0, "cannot pack an empty [{k}, {n}] matrix");
        Self { data: buffers::zeros(n.div_ceil(PANEL) * k * PANEL), k, n }
    }

    /// Sets row `row`, columns `column..column + values.len()`, to `values`.
    pub fn write_row(&mut self, row: usize, column: usize, values: &[f32]) {
        assert!(row < self.k && column + values.len() <= self.n, "write outside [{}, {}]", self.k, self.n);
        let mut column = column;
        let mut values = values;
        while !values.is_empty() {
            let (p, j) = (column / PANEL, column % PANEL);
            let len = values.len().min(PANEL - j);
            let start = (p * self.k + row) * PANEL + j;
            self.data[start..start + len].copy_from_slice(&values[..len]);
            (column, values) = (column + len, &values[len..]);
        }
    }

    fn panel(&self, p: usize) -> &[f32] {
        &self.data[p * self.k * PANEL..(p + 1) * self.k * PANEL]
    }
}

impl Drop for PackedRhs {
    /// The buffer goes back to [`buffers::recycle`] for the next packing.
    fn drop(&mut self) {
        buffers::recycle(std::mem::take(&mut self.data));
    }
}

/// `out [m, n] = lhs [m, k] · rhs` (`accumulate`: `out += ...`), `out` row-major; large
/// products split their rows between threads.
pub fn matmul_packed(out: &mut [f32], lhs: MatRef, rhs: &PackedRhs, accumulate: bool) {
    let (m, k, n) = checked_dims(out, lhs.logical_dims(), rhs);
    let out = &mut out[..m * n];
    let threads = rayon::current_num_threads();
    if threads > 1 && m >= 2 * TILE_ROWS && m * n * k >= 1 << 20 {
        let rows_per_thread = m.div_ceil(threads).div_ceil(TILE_ROWS) * TILE_ROWS;
        out.par_chunks_mut(rows_per_thread * n).enumerate().for_each(|(chunk, out)| {
            row_block(out, lhs, rhs, chunk * rows_per_thread, accumulate);
        });
    } else {
        row_block(out, lhs, rhs, 0, accumulate);
    }
}

/// [`matmul_packed`] on the calling thread (for callers that split the work themselves).
pub fn matmul_packed_serial(out: &mut [f32], lhs: MatRef, rhs: &PackedRhs, accumulate: bool) {
    let (m, _, n) = checked_dims(out, lhs.logical_dims(), rhs);
    row_block(&mut out[..m * n], lhs, rhs, 0, accumulate);
}

/// `(m, k, n)`, panicking unless the left-hand side `[m, k]` meets `rhs` `[k, n]` and `out`
/// holds `m n`.
fn checked_dims(out: &[f32], (m, k): (usize, usize), rhs: &PackedRhs) -> (usize, usize, usize) {
    assert_eq!(k, rhs.k, "inner dimensions differ: [{m}, {k}] · [{}, {}]", rhs.k, rhs.n);
    assert!(out.len() >= m * rhs.n, "output needs [{m}, {}], got {} floats", rhs.n, out.len());
    (m, k, rhs.n)
}

/// Batch rows per parallel task when `rows` independent rows are split between threads.
pub fn rows_per_task(rows: usize) -> usize {
    rows.div_ceil(rayon::current_num_threads()).max(1)
}

vectorised! {
    /// Rows `first..first + out.len() / n` of the product, block by block (see [`Blocking`]):
    /// each block of rows and depth is packed into this thread's buffer, where it stays in L2
    /// while every panel's slice multiplies it.
    ///
    /// Compiled for AVX-512 where the CPU has it, so that packing and the additions into `out`
    /// run 16 wide too.
    fn row_block(out: &mut [f32], lhs: MatRef, rhs: &PackedRhs, first: usize, accumulate: bool)
        => row_block_body
}

#[inline(always)]
fn row_block_body(out: &mut [f32], lhs: MatRef, rhs: &PackedRhs, first: usize, accumulate: bool) {
    let rows = out.len() / rhs.n;
    let blocking = Blocking::of(rows, rhs.k);
    // Kept between calls, and every entry is written by the packing: no zeroing, no fresh
    // pages. (Packing all rows of a weight gradient's `δYᵀ` into new zeroed buffers, 4 MB a
    // thread, was 6% of the `char_lstm` step in `memset` and page clearing.)
    let mut a_tiles = PACKED_ROWS.take();
    for (tile_block, depth) in blocking.blocks(rows, rhs.k) {
        let first_row = first + tile_block.start * TILE_ROWS;
        let packed_rows = first_row..(first + tile_block.end * TILE_ROWS).min(first + rows);
        a_tiles.resize(tile_block.len() * depth.len(), [0.0; TILE_ROWS]);
        pack_lhs_tiles_into(lhs, packed_rows, depth.clone(), &mut a_tiles);
        let a_tile = |t: usize| &a_tiles[(t - tile_block.start) * depth.len()..][..depth.len()];
        block_times(out, a_tile, rhs, (tile_block.clone(), depth.clone()), accumulate || depth.start > 0);
    }
    PACKED_ROWS.set(a_tiles);
}

thread_local! {
    /// Each thread's buffer for the packed blocks of [`row_block`], kept between calls. (A call
    /// nested inside another on the same thread would find it taken and start an empty one.)
    static PACKED_ROWS: std::cell::Cell<Vec<[f32; TILE_ROWS]>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Logical rows `rows` of `lhs` as tiles of 8 rows, each k-major (`a_tile[p][i]` = row `i`,
/// column `p`), zero-padded past the last row.
#[inline(always)]
fn pack_lhs_tiles(lhs: MatRef, rows: std::ops::Range<usize>) -> Vec<[f32; TILE_ROWS]> {
    let k = lhs.logical_dims().1;
    let mut a_tiles = vec![[0.0; TILE_ROWS]; rows.len().div_ceil(TILE_ROWS) * k];
    pack_lhs_tiles_into(lhs, rows, 0..k, &mut a_tiles);
    a_tiles
}

/// Columns `depth` of logical rows `rows` of `lhs` as in [`pack_lhs_tiles`], into `a_tiles`
/// (`⌈rows / 8⌉ · depth.len()` tiles), every entry written.
#[inline(always)]
fn pack_lhs_tiles_into(
    lhs: MatRef,
    rows: std::ops::Range<usize>,
    depth: std::ops::Range<usize>,
    a_tiles: &mut [[f32; TILE_ROWS]],
) {
    let k = depth.len();
    if lhs.transposed {
        // Logical (r, p) is stored at p · cols + r. Stored row p holds column p of every tile:
        // reading the stored rows in order and scattering their 8-float pieces streams through
        // memory once; tile by tile it would read 32 bytes of every stored row per tile, a
        // strided walk over the whole matrix (a weight gradient's `δYᵀ` is 8 MB).
        for (q, p) in depth.enumerate() {
            let stored = &lhs.data[p * lhs.cols + rows.start..p * lhs.cols + rows.end];
            let (pieces, rest) = stored.as_chunks::<TILE_ROWS>();
            for (t, piece) in pieces.iter().enumerate() {
                a_tiles[t * k + q] = *piece;
            }
            if !rest.is_empty() {
                let mut padded = [0.0; TILE_ROWS];
                padded[..rest.len()].copy_from_slice(rest);
                a_tiles[pieces.len() * k + q] = padded;
            }
        }
        return;
    }
    for (t, a_tile) in a_tiles.chunks_exact_mut(k.max(1)).enumerate() {
        let first = rows.start + t * TILE_ROWS;
        pack_lhs_rows(lhs, first..(first + TILE_ROWS).min(rows.end), depth.clone(), a_tile);
    }
}

/// All rows of a left-hand side `A [m, k]` packed once, for products that reuse it (a
/// convolution's weight, multiplied by every image's patches).
#[derive(Clone, Debug)]
pub struct PackedLhs {
    tiles: Vec<[f32; TILE_ROWS]>,
    rows: usize,
    k: usize,
}

impl PackedLhs {
    /// Packs the logical matrix `lhs` (a transposed view is read through its strides).
    pub fn pack(lhs: MatRef) -> Self {
        let (rows, k) = lhs.logical_dims();
        Self { tiles: pack_lhs_tiles(lhs, 0..rows), rows, k }
    }

    /// Packs `lhs`, of the same shape, into this buffer: no allocation, for a left-hand side
    /// packed once per image (a convolution's patches: 600 KB an image, whose zeroing alone was
    /// 5% of the `cnn` step).
    pub fn refill(&mut self, lhs: MatRef) {
        assert_eq!(lhs.logical_dims(), (self.rows, self.k), "refill needs the packed shape");
        pack_lhs_tiles_into(lhs, 0..self.rows, 0..self.k, &mut self.tiles);
    }
}

/// `out [m, n] = lhs · rhs` (`accumulate`: `out += ...`) on the calling thread, for a
/// pre-packed `lhs`.
pub fn matmul_prepacked_serial(out: &mut [f32], lhs: &PackedLhs, rhs: &PackedRhs, accumulate: bool) {
    let (m, _, n) = checked_dims(out, (lhs.rows, lhs.k), rhs);
    tiles_times(&mut out[..m * n], &lhs.tiles, rhs, accumulate);
}

vectorised! {
    /// `out = a_tiles · rhs` (or `+=`) for all rows packed as tiles of 8, in cache blocks (see
    /// [`Blocking`]).
    fn tiles_times(out: &mut [f32], a_tiles: &[[f32; TILE_ROWS]], rhs: &PackedRhs, accumulate: bool)
        => tiles_times_body
}

#[inline(always)]
fn tiles_times_body(out: &mut [f32], a_tiles: &[[f32; TILE_ROWS]], rhs: &PackedRhs, accumulate: bool) {
    let k = rhs.k;
    let rows = out.len() / rhs.n;
    for (tile_block, depth) in Blocking::of(rows, k).blocks(rows, k) {
        let a_tile = |t: usize| &a_tiles[t * k..(t + 1) * k][depth.clone()];
        block_times(out, a_tile, rhs, (tile_block, depth.clone()), accumulate || depth.start > 0);
    }
}

/// One cache block: row tiles `tile_block` of `out` set to (or with `add` increased by) their
/// packed slices `a_tile(t)` times every panel's rows `depth`. Panels outside, tiles inside:
/// a panel's slice is read from memory once and stays in L1 for every tile of the block.
#[inline(always)]
fn block_times<'a>(
    out: &mut [f32],
    a_tile: impl Fn(usize) -> &'a [[f32; TILE_ROWS]],
    rhs: &PackedRhs,
    (tile_block, depth): (std::ops::Range<usize>, std::ops::Range<usize>),
    add: bool,
) {
    let n = rhs.n;
    for p in 0..n.div_ceil(PANEL) {
        let panel = &rhs.panel(p).as_chunks::<PANEL>().0[depth.clone()];
        let columns = p * PANEL..n.min((p + 1) * PANEL);
        for t in tile_block.clone() {
            tile_block_into(out, n, (a_tile(t), panel), (t * TILE_ROWS, columns.clone()), add);
        }
    }
}

/// How a product of depth `k` is cut into cache blocks. Each sum still runs over `k` in order,
/// carried through `out` from one block of depth to the next.
struct Blocking {
    /// Depth per block: a panel's slice is `depth × 32` floats, 16 KB at 128, within L1 beside
    /// the tiles' slices (128, 256 and 512 measured within noise of each other on `char_lstm`'s
    /// weight gradients, 128 a little ahead; uncut, the recurrence's products ran 13% faster in
    /// isolation than cut at 128).
    k: usize,
    /// Row tiles per block: their slices of one depth fill at most 512 KB, within L2.
    tiles: usize,
}

impl Blocking {
    const MAX_DEPTH: usize = 128;
    /// Fewer row tiles than this reuse a panel's slice too little to pay for adding the
    /// partial sums into `out` once per block of depth: their depth is not cut.
    const MIN_TILES: usize = 8;
    const TILE_BLOCK_FLOATS: usize = 1 << 17;

    /// Blocks of equal depth (to a float) of at most [`Self::MAX_DEPTH`], for `rows` rows.
    fn of(rows: usize, k: usize) -> Self {
        let cut = rows.div_ceil(TILE_ROWS) >= Self::MIN_TILES;
        let depth = if cut { k.div_ceil(k.div_ceil(Self::MAX_DEPTH)) } else { k }.max(1);
        Self { k: depth, tiles: (Self::TILE_BLOCK_FLOATS / (TILE_ROWS * depth)).max(1) }
    }

    /// `(row tiles, depth)` of every block of a `[rows, k]` left-hand side: row blocks outside,
    /// depth inside.
    fn blocks(
        &self,
        rows: usize,
        k: usize,
    ) -> impl Iterator<Item = (std::ops::Range<usize>, std::ops::Range<usize>)> {
        let (tiles, per_block, depth) = (rows.div_ceil(TILE_ROWS), self.tiles, self.k);
        (0..tiles).step_by(per_block).flat_map(move |first| {
            let tile_block = first..(first + per_block).min(tiles);
            (0..k).step_by(depth).map(move |k0| (tile_block.clone(), k0..(k0 + depth).min(k)))
        })
    }
}

/// Rows `row0..row0 + 8` (fewer at the bottom edge) and `columns` of `out` (`n` wide) set
/// to, or with `add` increased by, `a_tile · panel`.
#[inline(always)]
fn tile_block_into(
    out: &mut [f32],
    n: usize,
    (a_tile, panel): (&[[f32; TILE_ROWS]], &[[f32; PANEL]]),
    (row0, columns): (usize, std::ops::Range<usize>),
    add: bool,
) {
    let rows = out.len() / n;
    if rows - row0 >= TILE_ROWS
        && columns.len() == PANEL
        && tile_into(a_tile, panel, out, row0 * n + columns.start, n, add)
    {
        return;
    }
    let mut c_tile = [0.0f32; TILE_ROWS * PANEL];
    tile(a_tile, panel, &mut c_tile);
    for (i, sums) in c_tile.chunks_exact(PANEL).take(rows - row0).enumerate() {
        let c_row = &mut out[(row0 + i) * n..][columns.clone()];
        if add {
            c_row.iter_mut().zip(sums).for_each(|(c, sum)| *c += sum);
        } else if let Ok(full) = <&mut [f32; PANEL]>::try_from(&mut *c_row) {
            full.copy_from_slice(sums);
        } else {
            c_row.copy_from_slice(&sums[..c_row.len()]);
        }
    }
}

/// Columns `depth` of logical rows `rows` (at most 8) of a row-major `lhs` into `a_tile`,
/// k-major (`a_tile[q][i]` = row `i`, column `depth.start + q`), zero-padded to 8 rows.
#[inline(always)]
fn pack_lhs_rows(
    lhs: MatRef,
    rows: std::ops::Range<usize>,
    depth: std::ops::Range<usize>,
    a_tile: &mut [[f32; TILE_ROWS]],
) {
    let stored = |row: usize| &lhs.data[row * lhs.cols..(row + 1) * lhs.cols][depth.clone()];
    if rows.len() < TILE_ROWS {
        a_tile.fill([0.0; TILE_ROWS]);
        for (i, row) in rows.enumerate() {
            a_tile.iter_mut().zip(stored(row)).for_each(|(a_p, &value)| a_p[i] = value);
        }
        return;
    }
    // Eight rows at once, column by column: each column is one 32-byte store, where row by
    // row every value is a scattered 4-byte store.
    let rows: [&[f32]; TILE_ROWS] = std::array::from_fn(|i| stored(rows.start + i));
    for (p, a_p) in a_tile.iter_mut().enumerate() {
        *a_p = std::array::from_fn(|i| rows[i][p]);
    }
}

/// `c [8, 32] = a · panel` for `a` stored k-major (`a[p][i]` = row `i`, column `p`) and one
/// panel `[k, 32]`.
fn tile(a: &[[f32; TILE_ROWS]], panel: &[[f32; PANEL]], c: &mut [f32; TILE_ROWS * PANEL]) {
    #[cfg(target_arch = "x86_64")]
    if crate::cpu::use_avx512() {
        // SAFETY: the CPU has AVX-512F (`use_avx512` checks it).
        unsafe { avx512::tile(a, panel, c) };
        return;
    }
    #[cfg(target_arch = "x86_64")]
    if crate::cpu::use_avx2() {
        // SAFETY: the CPU has AVX2 and FMA (`use_avx2` checks them).
        unsafe { avx2::tile(a, panel, c) };
        return;
    }
    c.fill(0.0);
    for (a_p, b_p) in a.iter().zip(panel) {
        for (c_row, &a_ip) in c.chunks_exact_mut(PANEL).zip(a_p) {
            c_row.iter_mut().zip(b_p).for_each(|(c, b)| *c += a_ip * b);
        }
    }
}

/// A whole 8 x 32 block of `out` (row `i` at `start + i · stride`): `out = a · panel`, or
/// `out += a · panel`, straight from the tile's registers; `false` (nothing written) without
/// AVX-512. The sums are the same as [`tile`]'s, added to `out` the same way.
#[inline(always)]
fn tile_into(
    a: &[[f32; TILE_ROWS]],
    panel: &[[f32; PANEL]],
    out: &mut [f32],
    start: usize,
    stride: usize,
    accumulate: bool,
) -> bool {
    #[cfg(target_arch = "x86_64")]
    if crate::cpu::use_avx512() {
        let last = start + (TILE_ROWS - 1) * stride + PANEL;
        assert!(stride >= PANEL && last <= out.len(), "an 8 x 32 block at {start} does not fit");
        // SAFETY: the CPU has AVX-512F (`use_avx512` checks it), and the 8 rows of 32 floats lie
        // inside `out` (asserted just above).
        unsafe { avx512::tile_into(a, panel, out.as_mut_ptr().add(start), stride, accumulate) };
        return true;
    }
    false
}

#[cfg(target_arch = "x86_64")]
mod avx512 {
    use super::{PANEL, TILE_ROWS};
    use std::arch::x86_64::*;

    /// How far ahead of the tile the panel is fetched into L1, in rows (2 KB at 16). A step's
    /// packed weights (1.25 MB at `char_lstm` sizes) do not stay in L2 beside the data the step
    /// streams, and the hardware prefetcher alone left the products waiting: with it, the
    /// recurrence's products ran 20-30% faster, `char_lstm` 7-8% (16 and 32 measured alike).
    const PREFETCH_ROWS: usize = 16;

    /// The 8 x 32 tile written to (or added into, with `accumulate`) 8 rows of 32 floats at
    /// `out`, `stride` floats apart.
    ///
    /// # Safety
    /// The CPU has AVX-512F, and `out + i · stride + j` is valid for `i < 8`, `j < 32`.
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn tile_into(
        a: &[[f32; TILE_ROWS]],
        panel: &[[f32; PANEL]],
        out: *mut f32,
        stride: usize,
        accumulate: bool,
    ) {
        for (i, (lo, hi)) in sums(a, panel).into_iter().enumerate() {
            // SAFETY: row i < 8 of the block, 32 floats, valid by the caller's contract.
            unsafe {
                let row = out.add(i * stride);
                let (lo, hi) = if accumulate {
                    (_mm512_add_ps(_mm512_loadu_ps(row), lo), _mm512_add_ps(_mm512_loadu_ps(row.add(16)), hi))
                } else {
                    (lo, hi)
                };
                _mm512_storeu_ps(row, lo);
                _mm512_storeu_ps(row.add(16), hi);
            }
        }
    }

    /// The 8 x 32 tile into `c`.
    #[target_feature(enable = "avx512f")]
    pub(super) fn tile(a: &[[f32; TILE_ROWS]], panel: &[[f32; PANEL]], c: &mut [f32; TILE_ROWS * PANEL]) {
        for ((lo, hi), c_row) in sums(a, panel).into_iter().zip(c.chunks_exact_mut(PANEL)) {
            // SAFETY: each row of `c` holds 32 floats.
            unsafe {
                _mm512_storeu_ps(c_row.as_mut_ptr(), lo);
                _mm512_storeu_ps(c_row.as_mut_ptr().add(16), hi);
            }
        }
    }

    /// The sums of the 8 x 32 tile, row by row, in 16 zmm registers (named, so none is spilled
    /// to the stack).
    #[target_feature(enable = "avx512f")]
    #[inline]
    fn sums(a: &[[f32; TILE_ROWS]], panel: &[[f32; PANEL]]) -> [(__m512, __m512); TILE_ROWS] {
        let k = a.len().min(panel.len());
        let (a, b) = (a.as_ptr().cast::<f32>(), panel.as_ptr().cast::<f32>());
        let z = _mm512_setzero_ps();
        let (mut c00, mut c01, mut c10, mut c11, mut c20, mut c21, mut c30, mut c31) =
            (z, z, z, z, z, z, z, z);
        let (mut c40, mut c41, mut c50, mut c51, mut c60, mut c61, mut c70, mut c71) =
            (z, z, z, z, z, z, z, z);
        for p in 0..k {
            // SAFETY: p < k, and `a` / `panel` hold k rows of 8 / 32 floats.
            unsafe {
                let (a_p, b_p) = (a.add(p * TILE_ROWS), b.add(p * PANEL));
                let ahead = b_p.wrapping_add(PREFETCH_ROWS * PANEL).cast::<i8>();
                _mm_prefetch::<_MM_HINT_T0>(ahead);
                _mm_prefetch::<_MM_HINT_T0>(ahead.wrapping_add(64));
                let (b0, b1) = (_mm512_loadu_ps(b_p), _mm512_loadu_ps(b_p.add(16)));
                macro_rules! row {
                    ($i:expr, $lo:ident, $hi:ident) => {
                        let a_ip = _mm512_set1_ps(*a_p.add($i));
                        $lo = _mm512_fmadd_ps(a_ip, b0, $lo);
                        $hi = _mm512_fmadd_ps(a_ip, b1, $hi);
                    };
                }
                row!(0, c00, c01);
                row!(1, c10, c11);
                row!(2, c20, c21);
                row!(3, c30, c31);
                row!(4, c40, c41);
                row!(5, c50, c51);
                row!(6, c60, c61);
                row!(7, c70, c71);
            }
        }
        [(c00, c01), (c10, c11), (c20, c21), (c30, c31), (c40, c41), (c50, c51), (c60, c61), (c70, c71)]
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::{PANEL, TILE_ROWS};
    use std::arch::x86_64::*;

    /// Rows and columns of one quarter of the tile: 4 x 16 is 8 ymm accumulators, which with
    /// two panel loads and a broadcast fit AVX2's 16 registers (the whole 8 x 32 tile would
    /// need 32).
    const QUARTER_ROWS: usize = 4;
    const QUARTER_COLUMNS: usize = 16;

    /// The 8 x 32 tile into `c`, a quarter at a time (the panel's rows are read twice per
    /// column half, from L1).
    #[target_feature(enable = "avx2,fma")]
    pub(super) fn tile(a: &[[f32; TILE_ROWS]], panel: &[[f32; PANEL]], c: &mut [f32; TILE_ROWS * PANEL]) {
        for row0 in (0..TILE_ROWS).step_by(QUARTER_ROWS) {
            for column0 in (0..PANEL).step_by(QUARTER_COLUMNS) {
                for (i, (lo, hi)) in quarter(a, panel, row0, column0).into_iter().enumerate() {
                    let at = (row0 + i) * PANEL + column0;
                    // SAFETY: row `row0 + i` < 8 of `c` holds 32 floats, of which columns
                    // `column0..column0 + 16` lie inside.
                    unsafe {
                        _mm256_storeu_ps(c.as_mut_ptr().add(at), lo);
                        _mm256_storeu_ps(c.as_mut_ptr().add(at + 8), hi);
                    }
                }
            }
        }
    }

    /// The sums of rows `row0..row0 + 4`, columns `column0..column0 + 16` of the tile, in 8
    /// named ymm registers.
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    fn quarter(
        a: &[[f32; TILE_ROWS]],
        panel: &[[f32; PANEL]],
        row0: usize,
        column0: usize,
    ) -> [(__m256, __m256); QUARTER_ROWS] {
        let k = a.len().min(panel.len());
        let (a, b) = (a.as_ptr().cast::<f32>(), panel.as_ptr().cast::<f32>());
        let z = _mm256_setzero_ps();
        let (mut c00, mut c01, mut c10, mut c11, mut c20, mut c21, mut c30, mut c31) =
            (z, z, z, z, z, z, z, z);
        for p in 0..k {
            // SAFETY: p < k, and `a` / `panel` hold k rows of 8 / 32 floats; row0 + 3 < 8 and
            // column0 + 16 <= 32.
            unsafe {
                let (a_p, b_p) = (a.add(p * TILE_ROWS + row0), b.add(p * PANEL + column0));
                let (b0, b1) = (_mm256_loadu_ps(b_p), _mm256_loadu_ps(b_p.add(8)));
                macro_rules! row {
                    ($i:expr, $lo:ident, $hi:ident) => {
                        let a_ip = _mm256_broadcast_ss(&*a_p.add($i));
                        $lo = _mm256_fmadd_ps(a_ip, b0, $lo);
                        $hi = _mm256_fmadd_ps(a_ip, b1, $hi);
                    };
                }
                row!(0, c00, c01);
                row!(1, c10, c11);
                row!(2, c20, c21);
                row!(3, c30, c31);
            }
        }
        [(c00, c01), (c10, c11), (c20, c21), (c30, c31)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared_testing::{Tolerance, assert_close};

    fn widen(values: &[f32]) -> Vec<f64> {
        values.iter().map(|&x| x as f64).collect()
    }

    /// Logical element `(row, col)` of a view.
    fn at(m: MatRef, row: usize, col: usize) -> f32 {
        if m.transposed { m.data[col * m.cols + row] } else { m.data[row * m.cols + col] }
    }

    /// The textbook triple loop, in f64: `start + lhs · rhs`.
    fn reference(lhs: MatRef, rhs: MatRef, start: f32) -> Vec<f64> {
        let ((m, k), (_, n)) = (lhs.logical_dims(), rhs.logical_dims());
        let entry = |i: usize, j: usize| -> f64 {
            start as f64 + (0..k).map(|p| at(lhs, i, p) as f64 * at(rhs, p, j) as f64).sum::<f64>()
        };
        (0..m * n).map(|ij| entry(ij / n, ij % n)).collect()
    }

    /// Against the triple loop, for shapes off the tile grid and large enough to split between
    /// threads, with transposed operands, accumulating or not, split, serial and pre-packed;
    /// one tall and deep enough to be cut into blocks of depth (3 of 100) and of rows (1400
    /// rows: 163 tiles a block), before smaller ones (each thread's packing buffer is reused).
    #[test]
    fn packed_products_match_the_triple_loop() {
        for (m, k, n) in [(3, 5, 7), (1400, 300, 40), (8, 32, 32), (19, 40, 70), (40, 200, 140)] {
            let lhs: Vec<f32> = (0..m * k).map(|i| (i as f32 * 0.37).sin()).collect();
            let rhs: Vec<f32> = (0..k * n).map(|i| (i as f32 * 0.61).cos()).collect();
            for (a, b) in [
                (MatRef::new(&lhs, m, k), MatRef::new(&rhs, k, n)),
                (MatRef::new(&lhs, k, m).t(), MatRef::new(&rhs, n, k).t()),
            ] {
                let packed = PackedRhs::pack(b);
                for accumulate in [true, false] {
                    let expected = reference(a, b, if accumulate { 0.5 } else { 0.0 });
                    let mut split = vec![0.5; m * n];
                    matmul_packed(&mut split, a, &packed, accumulate);
                    assert_close(&widen(&split), &expected, Tolerance::new(1e-5, 1e-4));
                    let mut serial = vec![0.5; m * n];
                    matmul_packed_serial(&mut serial, a, &packed, accumulate);
                    assert_close(&widen(&serial), &expected, Tolerance::new(1e-5, 1e-4));
                    let mut prepacked = vec![0.5; m * n];
                    matmul_prepacked_serial(&mut prepacked, &PackedLhs::pack(a), &packed, accumulate);
                    assert_close(&widen(&prepacked), &expected, Tolerance::new(1e-5, 1e-4));
                }
            }
        }
    }
}
