"""Reference side of the matmul roofline: GFLOP/s of one float32 matmul (M x K) @ (K x N) in PyTorch CPU on
THREADS threads, best of REPEATS timed loops after a warm-up. Prints JSON.
Usage: matmul_torch.py M K N THREADS"""
import sys, json, time
import torch

m, k, n, threads = (int(a) for a in sys.argv[1:5])
torch.set_num_threads(threads)
torch.manual_seed(1)
a, b = torch.randn(m, k), torch.randn(k, n)
for _ in range(20):
    a @ b
loops = 200
best = float("inf")
for _ in range(3):
    t0 = time.perf_counter()
    for _ in range(loops):
        a @ b
    best = min(best, (time.perf_counter() - t0) / loops)
print(json.dumps({"gflops": 2 * m * k * n / best / 1e9, "threads": torch.get_num_threads(), "torch": torch.__version__}))
