"""The ops of src/main.rs in PyTorch (CPU, float32): median milliseconds per call.

python3 flex_kernels.py --threads 1   # burn-flex without its `rayon` feature runs on one thread
"""

import argparse
import statistics
import time

import torch
import torch.nn.functional as F


def median_ms(reps, f):
    f()
    f()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        f()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    torch.set_num_threads(parser.parse_args().threads)
    torch.manual_seed(0)
    u = lambda *s: torch.rand(*s) * 2 - 1

    conv2 = torch.nn.Conv2d(32, 64, 5, padding=2)
    x2 = u(64, 32, 14, 14).requires_grad_()
    fwd = median_ms(10, lambda: conv2(x2).detach())
    both = median_ms(10, lambda: conv2(x2).sum().backward())
    print(f"conv2d 32->64 5x5 [64,32,14,14]  forward {fwd:8.2f} ms  forward+backward {both:8.2f} ms")

    conv1 = torch.nn.Conv2d(1, 32, 5, padding=2)
    x1 = u(64, 1, 28, 28)
    fwd = median_ms(10, lambda: conv1(x1).detach())
    both = median_ms(10, lambda: conv1(x1).sum().backward())
    print(f"conv2d 1->32 5x5 [64,1,28,28]    forward {fwd:8.2f} ms  forward+backward {both:8.2f} ms")

    xp = u(64, 32, 28, 28).requires_grad_()
    fwd = median_ms(20, lambda: F.max_pool2d(xp, 2).detach())
    both = median_ms(20, lambda: F.max_pool2d(xp, 2).sum().backward())
    print(f"max_pool2d 2x2 [64,32,28,28]     forward {fwd:8.2f} ms  forward+backward {both:8.2f} ms")

    xt = u(64, 784).requires_grad_()
    fwd = median_ms(200, lambda: torch.tanh(xt).detach())
    both = median_ms(200, lambda: torch.tanh(xt).sum().backward())
    print(f"tanh [64,784]                    forward {fwd:8.3f} ms  forward+backward {both:8.3f} ms")

    a, b = u(128, 784), u(784, 256)
    fwd = median_ms(100, lambda: a @ b)
    print(f"matmul [128,784]@[784,256]       forward {fwd:8.3f} ms")


if __name__ == "__main__":
    main()
