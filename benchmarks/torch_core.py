"""PyTorch side of bench_core: the same workloads as bench_core.cpp, timed the same way.

bench_core runs this with /usr/bin/python3 (Debian's python3-torch) and parses its "RESULT key value"
lines. Matmul: forward + backward of C = A @ B with A and B requiring grad, C.backward(G), gradients
reset to None ("none") or zeroed in place ("zero") between steps, the two variants alternating.
Elementwise: relu(a*b + c) on 2**20 floats, no grad. Medians of fixed repetitions after warm-up.
"""
import argparse
import ctypes
import resource
import statistics
import time

import torch

SHAPES = [(64, 784, 128), (128, 784, 512), (1024, 1024, 1024)]
ELEMENTWISE_N = 1 << 20


def interleaved_medians(fns, warmup, reps):
    """Each fn `warmup` times, then `reps` rounds running each once; median ms per call."""
    for _ in range(warmup):
        for f in fns:
            f()
    times = [[] for _ in fns]
    for _ in range(reps):
        for i, f in enumerate(fns):
            t0 = time.perf_counter()
            f()
            times[i].append((time.perf_counter() - t0) * 1e3)
    return [statistics.median(t) for t in times]


def bench_matmul(m, k, n, reps):
    torch.manual_seed(42)
    a = torch.randn(m, k, requires_grad=True)
    b = torch.randn(k, n, requires_grad=True)
    a2 = a.detach().clone().requires_grad_()
    b2 = b.detach().clone().requires_grad_()
    g = torch.randn(m, n)

    def step_none():
        a.grad = None
        b.grad = None
        (a @ b).backward(g)

    def step_zero():  # what optimizer.zero_grad() does in torch 1.x (set_to_none=False)
        for p in (a2, b2):
            if p.grad is not None:
                p.grad.zero_()
        (a2 @ b2).backward(g)

    return interleaved_medians([step_none, step_zero], max(3, reps // 10), reps)


def bench_elementwise(reps):
    torch.manual_seed(7)
    a, b, c = (torch.randn(ELEMENTWISE_N) for _ in range(3))
    with torch.no_grad():
        return interleaved_medians([lambda: torch.relu(a * b + c)], reps // 10, reps)[0]


def openblas_threads():
    """Threads of the OpenBLAS that torch loaded (the same libopenblas.so.0 as descent's)."""
    try:
        return ctypes.CDLL("libopenblas.so.0").openblas_get_num_threads()
    except (OSError, AttributeError):
        return "?"


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--reps", type=int, nargs=len(SHAPES), default=[2000, 400, 30])
    p.add_argument("--elementwise-reps", type=int, default=1000)
    args = p.parse_args()
    torch.set_num_threads(args.threads)

    print("RESULT version", torch.__version__)
    print("RESULT blas_threads", openblas_threads())
    for (m, k, n), reps in zip(SHAPES, args.reps):
        none_ms, zero_ms = bench_matmul(m, k, n, reps)
        print(f"RESULT mm_none_{m}x{k}x{n} {none_ms:.4f}")
        print(f"RESULT mm_zero_{m}x{k}x{n} {zero_ms:.4f}")
    print(f"RESULT elementwise {bench_elementwise(args.elementwise_reps):.4f}")
    print("RESULT rss_mib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)


if __name__ == "__main__":
    main()
