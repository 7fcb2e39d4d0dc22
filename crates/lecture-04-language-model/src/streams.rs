//! Cutting one long token sequence into `B` parallel streams for truncated backpropagation
//! through time, and the windows a recurrent LM reads.
//!
//! The text `w_0 .. w_{n-1}` becomes `B` contiguous streams of `L = (n - 1) / B` predictions
//! each: stream `b` reads `w_{bL} .. w_{bL+L-1}` and predicts `w_{bL+1} .. w_{bL+L}`. Together
//! the streams predict positions `1 ..= B L` of the text exactly once, which is how every model
//! of this crate is scored (so all perplexities are over the same tokens). A window is `T`
//! consecutive steps of all streams: `inputs, targets: [B, T]`; the recurrent state flows from
//! one window to the next.

use anyhow::{Result, ensure};

/// `B` streams over a token sequence.
#[derive(Clone, Debug)]
pub struct Streams<'a> {
    tokens: &'a [usize],
    batch: usize,
    length: usize,
}

/// `T` steps of every stream, row-major `[B, T]`.
#[derive(Clone, Debug)]
pub struct Window {
    /// The input tokens `[B, T]`.
    pub inputs: Vec<usize>,
    /// The next tokens `[B, T]`.
    pub targets: Vec<usize>,
    /// The text position each target sits at, `[B, T]`.
    pub positions: Vec<usize>,
    /// `B`.
    pub batch: usize,
    /// `T` (the last window of a pass may be shorter).
    pub time: usize,
}

impl<'a> Streams<'a> {
    /// `batch` streams over `tokens` (which must give each stream at least one prediction).
    pub fn new(tokens: &'a [usize], batch: usize) -> Result<Streams<'a>> {
        ensure!(batch > 0, "need at least one stream");
        ensure!(
            tokens.len() > batch,
            "{} tokens are too few for {batch} streams (each needs two tokens)",
            tokens.len()
        );
        Ok(Streams { tokens, batch, length: (tokens.len() - 1) / batch })
    }

    /// `L`: predictions per stream.
    pub fn length(&self) -> usize {
        self.length
    }

    /// `B L`: the positions `1 ..= B L` this split scores.
    pub fn predictions(&self) -> usize {
        self.batch * self.length
    }

    /// The windows of one pass, `time` steps each (the last one shorter if `L % time != 0`).
    pub fn windows(&self, time: usize) -> impl Iterator<Item = Window> + '_ {
        (0..self.length)
            .step_by(time.max(1))
            .map(move |start| self.window(start, time.min(self.length - start)))
    }

    /// The window of steps `start .. start + time` of every stream.
    pub fn window(&self, start: usize, time: usize) -> Window {
        let mut window = Window {
            inputs: Vec::with_capacity(self.batch * time),
            targets: Vec::with_capacity(self.batch * time),
            positions: Vec::with_capacity(self.batch * time),
            batch: self.batch,
            time,
        };
        for b in 0..self.batch {
            for t in start..start + time {
                let position = b * self.length + t + 1;
                window.inputs.push(self.tokens[position - 1]);
                window.targets.push(self.tokens[position]);
                window.positions.push(position);
            }
        }
        window
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_predict_every_position_once() {
        let tokens: Vec<usize> = (0..11).collect();
        let streams = Streams::new(&tokens, 3).unwrap();
        assert_eq!(streams.length(), 3);
        let windows: Vec<Window> = streams.windows(2).collect();
        assert_eq!(windows.len(), 2);
        assert_eq!(windows[0].inputs, vec![0, 1, 3, 4, 6, 7]);
        assert_eq!(windows[0].targets, vec![1, 2, 4, 5, 7, 8]);
        assert_eq!(windows[1].time, 1);
        let mut positions: Vec<usize> = windows.iter().flat_map(|w| w.positions.clone()).collect();
        positions.sort();
        assert_eq!(positions, (1..=9).collect::<Vec<_>>());
        assert!(Streams::new(&tokens, 11).is_err());
    }
}
