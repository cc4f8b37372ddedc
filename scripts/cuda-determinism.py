#!/usr/bin/env python3
"""Which of the operations A3 compression uses give the same bits twice on a GPU, and which do not.

Usage: cuda-determinism.py FIXTURES_DIR
Prints JSON. Each check runs an operation twice (or more) on identical inputs and reports whether
the results are bitwise equal, plus the largest relative difference where they are not. The
operations mirror the compression pipeline: the decoder forward (float32 linear layers, attention,
RMSNorm), float64 second-moment accumulation E[x x^T] over calibration batches, and the solvers'
linear algebra (eigh, svd, cholesky, triangular solves) in float64. It also measures what changes
when the batch split changes, and how far CUDA results sit from CPU ones.

A development tool for docs/REPRODUCIBILITY.md, run on the GPU machine (PyTorch + transformers);
not part of the build or the tests.
"""
import hashlib
import json
import os
import pathlib
import sys

import torch
from transformers import LlamaForCausalLM


def same_bits(a, b):
    return bool(torch.equal(a, b))


def rel(a, b):
    a, b = a.double(), b.double()
    return float((a - b).norm() / max(b.norm().item(), 1e-300))


def digest(t):
    return hashlib.sha256(t.detach().cpu().contiguous().numpy().tobytes()).hexdigest()[:16]


def moments(hidden, batch):
    """E[x x^T] accumulated in float64 over row batches, as LayerStatisticsCollector does."""
    d = hidden.shape[-1]
    acc = torch.zeros(d, d, dtype=torch.float64, device=hidden.device)
    for start in range(0, hidden.shape[0], batch):
        x = hidden[start:start + batch].double()
        acc += x.T @ x
    return acc / hidden.shape[0]


def repeated(fn, runs=3):
    try:
        first = fn()
    except RuntimeError as error:
        return {"error": str(error).splitlines()[0]}
    results = [fn() for _ in range(runs - 1)]
    equal = all(same_bits(first, r) for r in results)
    worst = max((rel(r, first) for r in results), default=0.0)
    return {"bitwise_equal": equal, "max_rel_diff": worst}


def checks(device, root):
    out = {}
    model = LlamaForCausalLM.from_pretrained(root / "hf/stories260K-llama", torch_dtype=torch.float32).to(device).eval()
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(3, 512, (128, 256), generator=g).to(device)

    def hidden_states():
        with torch.no_grad():
            return torch.cat([h.reshape(-1, h.shape[-1]) for h in model(ids, output_hidden_states=True).hidden_states])

    out["stories260k_forward_fp32"] = repeated(hidden_states)
    h = hidden_states()
    out["sha256_prefix"] = {"stories260k_hidden_fp32": digest(h), "stories260k_moments_fp64": digest(moments(h, 4096))}
    out["stories260k_moments_fp64"] = repeated(lambda: moments(h, 4096))
    out["stories260k_moments_fp64_batch_4096_vs_1024"] = {"bitwise_equal": same_bits(moments(h, 4096), moments(h, 1024)), "max_rel_diff": rel(moments(h, 1024), moments(h, 4096))}

    # Llama-7B-sized shapes: hidden 4096, intermediate 11008, 8 x 2048 calibration tokens.
    x = torch.randn(16384, 4096, generator=g).to(device)
    w = (torch.randn(11008, 4096, generator=g) / 64).to(device)
    out["linear_16384x4096x11008_fp32"] = repeated(lambda: torch.nn.functional.linear(x, w))
    out["moments_4096_fp32_inputs_fp64_accumulation"] = repeated(lambda: moments(x, 4096))
    out["moments_4096_fp32_accumulation"] = repeated(lambda: x.T @ x)
    m = moments(x, 4096)
    out["sha256_prefix"]["linear_16384x4096x11008_fp32"] = digest(torch.nn.functional.linear(x, w))
    out["sha256_prefix"]["moments_4096_fp64"] = digest(m)
    out["sha256_prefix"]["eigh_4096_fp64"] = digest(torch.linalg.eigh(m)[0])
    out["eigh_4096_fp64"] = repeated(lambda: torch.linalg.eigh(m)[0])
    out["eigh_4096_fp64_vectors"] = repeated(lambda: torch.linalg.eigh(m)[1].abs())
    a = torch.randn(1024, 4096, dtype=torch.float64, generator=g).to(device)
    out["svd_1024x4096_fp64"] = repeated(lambda: torch.linalg.svd(a, full_matrices=False)[1])
    out["cholesky_4096_fp64"] = repeated(lambda: torch.linalg.cholesky(m))
    lower = torch.linalg.cholesky(m)
    out["solve_triangular_4096_fp64"] = repeated(lambda: torch.linalg.solve_triangular(lower, m, upper=False))
    q = torch.randn(8, 32, 2048, 128, generator=g).to(device)
    out["sdpa_causal_fp32"] = repeated(lambda: torch.nn.functional.scaled_dot_product_attention(q, q, q, is_causal=True))
    index = torch.randint(0, 4096, (1 << 20,), generator=g).to(device)
    values = torch.randn(1 << 20, generator=g).to(device)
    out["index_add_fp32 (atomics)"] = repeated(lambda: torch.zeros(4096, device=device).index_add_(0, index, values))
    return out, (h.cpu(), x.cpu(), m.cpu())


def main():
    root = pathlib.Path(sys.argv[1])
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    report = {"torch": torch.__version__}
    if not torch.cuda.is_available():
        print(json.dumps({"error": "no CUDA device"}))
        return
    report["gpu"] = torch.cuda.get_device_name(0)
    report["cuda_default"], (h, x, m) = checks("cuda", root)
    torch.use_deterministic_algorithms(True)
    report["cuda_deterministic_algorithms"], _ = checks("cuda", root)
    torch.use_deterministic_algorithms(False)
    torch.set_num_threads(16)
    cpu = {}
    cpu["stories260k_moments_fp64_cuda_vs_cpu"] = rel(moments(h, 4096), moments(h.to("cuda"), 4096).cpu())
    cpu["moments_4096_fp64_cuda_vs_cpu"] = rel(moments(x, 4096), moments(x.to("cuda"), 4096).cpu())
    cpu["eigh_4096_fp64_eigenvalues_cuda_vs_cpu"] = rel(torch.linalg.eigh(m)[0], torch.linalg.eigh(m.to("cuda"))[0].cpu())
    cpu["moments_4096_cpu_16_vs_1_threads_bitwise_equal"] = same_bits(moments(x, 4096), (torch.set_num_threads(1), moments(x, 4096))[1])
    report["cuda_vs_cpu_rel_diff"] = cpu
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
