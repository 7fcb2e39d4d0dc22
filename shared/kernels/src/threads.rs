//! The main thread as one of rayon's workers.
//!
//! The CPU kernels (`recurrent`, `convolution`) split their work between threads with rayon.
//! Called from a thread outside rayon's pool, each parallel section is handed to the pool while
//! the caller sleeps until it is done: the caller and a worker fall asleep and wake up once per
//! section, and a training step of the seq2seq benchmark runs hundreds of sections (a few per
//! time step, forward and backward). perf put about 20% of that step in the kernel's scheduler.
//! With the main thread as worker 0 of the global pool, it runs its share of each section itself
//! and wakes only the other workers. In two interleaved pairs of `bench`: char_lstm +30%, mlp
//! +30%, seq2seq +15%, cnn +12%, capsnet +10%, gan unchanged.

/// Makes the calling thread worker 0 of rayon's global pool (with as many threads in all as
/// rayon would start by default). Call it first thing in `main`, before anything uses rayon; if
/// the global pool exists already, nothing changes. Not for test threads: they end while the
/// pool lives on.
pub fn join_rayon_pool() {
    // An error means the global pool was built earlier: it then keeps its own threads.
    let _ = rayon::ThreadPoolBuilder::new().use_current_thread().build_global();
}
