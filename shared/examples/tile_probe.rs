use shared::recurrent::matmul::{MatRef, matmul};
use shared::recurrent::packed_matmul::{PackedRhs, matmul_packed};
use std::time::Instant;
fn main() {
    for (m, k, n) in [(32, 256, 1024), (32, 1024, 256), (256, 2048, 1024)] {
        let a = vec![0.5f32; m * k];
        let b = vec![0.25f32; k * n];
        let mut c = vec![0f32; m * n];
        let packed = PackedRhs::pack(MatRef::new(&b, k, n));
        let reps = (4e9 / (2.0 * (m * n * k) as f64)) as usize + 1;
        let t = Instant::now();
        for _ in 0..reps {
            matmul_packed(&mut c, MatRef::new(&a, m, k), &packed, false);
        }
        let p = 2.0 * (m * n * k * reps) as f64 / t.elapsed().as_secs_f64() / 1e9;
        let t = Instant::now();
        for _ in 0..reps {
            matmul(&mut c, MatRef::new(&a, m, k), MatRef::new(&b, k, n), false);
        }
        let g = 2.0 * (m * n * k * reps) as f64 / t.elapsed().as_secs_f64() / 1e9;
        let t = Instant::now();
        for _ in 0..reps.div_ceil(8) {
            let _ = PackedRhs::pack(MatRef::new(&b, k, n));
        }
        let pk = t.elapsed().as_secs_f64() / reps.div_ceil(8) as f64 * 1e6;
        println!("{m}x{k}x{n}: packed {p:.0} GFLOP/s, gemm crate {g:.0} GFLOP/s, pack {pk:.0} us");
    }
}
