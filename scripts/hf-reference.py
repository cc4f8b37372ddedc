#!/usr/bin/env python3
"""Independent reference for the A3 runtime: Hugging Face LlamaForCausalLM on a fixture folder.

Usage: hf-reference.py FIXTURES_DIR [--device cuda|cpu]
Prints JSON: max |logit difference| against the stored reference logits, per-story mean NLL for
the reference ids, greedy ids from BOS, and timings. Needs torch and transformers (the GPU
machine has both); it is a development tool, not part of the build or the tests.
"""
import json, sys, time, pathlib
import numpy as np
import torch
from transformers import LlamaForCausalLM

root = pathlib.Path(sys.argv[1])
device = sys.argv[3] if len(sys.argv) > 3 else ("cuda" if torch.cuda.is_available() else "cpu")
ref = json.loads((root / "reference/stories260K_tinystories_reference.json").read_text())
expected = np.fromfile(root / "reference/stories260K_story0_first32_logits.f32", dtype="<f4").reshape(32, 512)
out = {"device": device, "torch": torch.__version__}
if device == "cuda":
    out["gpu"] = torch.cuda.get_device_name(0)

for dtype in (torch.float64, torch.float32):
    model = LlamaForCausalLM.from_pretrained(root / "hf/stories260K-llama", torch_dtype=dtype).to(device).eval()
    key = str(dtype).split(".")[1]
    with torch.no_grad():
        ids = torch.tensor([ref["stories"][0]["ids"][:32]], device=device)
        logits = model(ids).logits[0].double().cpu().numpy()
        out[f"{key}_max_abs_logit_diff_vs_reference"] = float(np.abs(logits - expected).max())
        nlls = []
        for story in ref["stories"]:
            x = torch.tensor([story["ids"]], device=device)
            lp = torch.log_softmax(model(x).logits[0, :-1].double(), -1)
            nlls.append(float(-lp.gather(-1, x[0, 1:, None]).mean()))
        out[f"{key}_story_mean_nll"] = nlls
        out["reference_story_mean_nll"] = [s["mean_nll"] for s in ref["stories"]]
        greedy = model.generate(torch.tensor([[1]], device=device), max_new_tokens=40, do_sample=False)
        out[f"{key}_greedy_ids"] = greedy[0].tolist()
        batch = torch.randint(3, 512, (16, 512), generator=torch.Generator().manual_seed(0)).to(device)
        if device == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        for _ in range(5):
            model(batch)
        if device == "cuda":
            torch.cuda.synchronize()
        out[f"{key}_forward_tokens_per_second"] = 5 * 16 * 512 / (time.perf_counter() - start)
print(json.dumps(out, indent=1))
