#!/usr/bin/env python3
"""Independent reader of the A3 compressed-model format (docs/FORMAT.md, format_version 1).

Written from docs/FORMAT.md alone, with the Python 3.11 standard library only, to show that the
format document is complete: it parses config.json (Hugging Face fields and the `a3` object),
reads the safetensors weights (single file or sharded; F32, F16, BF16) and runs a float64 forward
pass of the decoder.

Usage:
    python3 scripts/a3_reader.py MODEL_DIR --ids-file FILE [--logits N]

FILE holds JSON `[[ids of sequence 1], [ids of sequence 2], ...]`. Every token after the first of
each sequence is scored (NLL of ids[t+1] given ids[..t]); the NLL is pooled over all scored
tokens. Output: JSON `{"mean_nll": ..., "tokens": ..., "sequences": ...}` on one line; with
`--logits N`, a second line holds the logits of the first N positions of sequence 1 as a JSON list
of lists.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import struct
import sys
import time
from operator import mul

ARCHITECTURES = {
    "LlamaForCausalLM": "llama",
    "MistralForCausalLM": "mistral",
    "Qwen2ForCausalLM": "qwen2",
}
ATTENTION_PROJECTIONS = ("q_proj", "k_proj", "v_proj", "o_proj")
MLP_PROJECTIONS = ("gate_proj", "up_proj", "down_proj")
DTYPE_BYTES = {"F32": 4, "F16": 2, "BF16": 2}
TORCH_DTYPES = {"float32": "F32", "float16": "F16", "bfloat16": "BF16"}


class FormatError(Exception):
    """The folder does not follow docs/FORMAT.md."""


def fail(message: str) -> None:
    raise FormatError(message)


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# --------------------------------------------------------------------------------------------
# Config (FORMAT.md sections 3, 4, 5 and 8)
# --------------------------------------------------------------------------------------------


class LayerShape:
    def __init__(self, qk: int, v: int, inter: int, pairs: list[list[int]], factorized: dict[str, int]):
        self.qk = qk
        self.v = v
        self.inter = inter
        self.pairs = pairs
        self.factorized = factorized


class Config:
    pass


def require(raw: dict, key: str, check, what: str):
    if key not in raw:
        fail(f"config.json: missing field {key}")
    value = raw[key]
    if not check(value):
        fail(f"config.json: {key} must be {what}, got {value!r}")
    return value


def parse_config(raw: dict) -> Config:
    c = Config()
    archs = raw.get("architectures")
    if archs is not None:
        if not isinstance(archs, list) or len(archs) != 1:
            fail("config.json: architectures must name exactly one architecture")
        if archs[0] not in ARCHITECTURES:
            fail(f"config.json: unsupported architecture {archs[0]}")
        c.model_type = ARCHITECTURES[archs[0]]
    else:
        c.model_type = raw.get("model_type")
        if c.model_type not in ARCHITECTURES.values():
            fail(f"config.json: unsupported model_type {c.model_type!r}")

    positive = lambda v: is_int(v) and v > 0  # noqa: E731
    c.d = require(raw, "hidden_size", positive, "a positive integer")
    c.intermediate_size = require(raw, "intermediate_size", positive, "a positive integer")
    c.layers_count = require(raw, "num_hidden_layers", positive, "a positive integer")
    c.heads = require(raw, "num_attention_heads", positive, "a positive integer")
    c.kv_heads = raw.get("num_key_value_heads") or c.heads
    if not positive(c.kv_heads) or c.heads % c.kv_heads != 0:
        fail("config.json: num_key_value_heads must be a positive divisor of num_attention_heads")
    c.head_dim = raw.get("head_dim") or (c.d // c.heads)
    if not positive(c.head_dim) or c.head_dim % 2 != 0:
        fail("config.json: head_dim must be a positive even integer")
    c.vocab = require(raw, "vocab_size", positive, "a positive integer")
    c.max_positions = require(raw, "max_position_embeddings", positive, "a positive integer")
    c.eps = require(raw, "rms_norm_eps", lambda v: is_number(v) and v > 0, "a positive number")
    c.rope_theta = raw.get("rope_theta", 10000.0)
    if not is_number(c.rope_theta) or c.rope_theta <= 0:
        fail("config.json: rope_theta must be a positive number")
    c.tie = raw.get("tie_word_embeddings", False)
    if raw.get("hidden_act", "silu") != "silu":
        fail(f"config.json: hidden_act {raw.get('hidden_act')!r} is unsupported (must be silu)")
    if raw.get("mlp_bias") is True:
        fail("config.json: mlp_bias true is unsupported")
    if c.model_type == "qwen2":
        c.attention_bias = True
        if raw.get("use_sliding_window") is True:
            fail("config.json: use_sliding_window true is unsupported")
    elif c.model_type == "llama":
        c.attention_bias = raw.get("attention_bias", False) is True
    else:
        c.attention_bias = False
        window = raw.get("sliding_window")
        if window is not None and window < c.max_positions:
            fail("config.json: sliding_window smaller than max_position_embeddings is unsupported")
    c.torch_dtype = raw.get("torch_dtype", "float32")
    if c.torch_dtype not in TORCH_DTYPES:
        fail(f"config.json: torch_dtype {c.torch_dtype!r} is unsupported")
    c.rope_scaling = parse_rope_scaling(raw.get("rope_scaling"))
    parse_a3(c, raw.get("a3"))
    return c


def parse_rope_scaling(scaling):
    if scaling is None:
        return None
    if not isinstance(scaling, dict):
        fail("config.json: rope_scaling must be an object or null")
    kind = scaling.get("rope_type", scaling.get("type"))
    if kind == "default":
        return None
    if kind != "llama3":
        fail(f"config.json: rope_scaling type {kind!r} is unsupported")
    out = {}
    for key in ("factor", "low_freq_factor", "high_freq_factor", "original_max_position_embeddings"):
        if not is_number(scaling.get(key)):
            fail(f"config.json: rope_scaling.{key} is required for llama3")
        out[key] = float(scaling[key])
    return out


def parse_a3(c: Config, a3) -> None:
    half = c.head_dim // 2
    if a3 is None:
        c.attention_scale = 1.0 / math.sqrt(c.head_dim)
        c.original_head_dim = c.head_dim
        full = list(range(half))
        c.layers = [LayerShape(c.head_dim, c.head_dim, c.intermediate_size, [full] * c.kv_heads, {}) for _ in range(c.layers_count)]
        return
    if not isinstance(a3, dict):
        fail("a3: must be an object")
    if a3.get("format_version") != 1 or not is_int(a3.get("format_version")):
        fail(f"a3.format_version: must be 1, got {a3.get('format_version')!r}")
    ohd = a3.get("original_head_dim")
    if not is_int(ohd) or ohd != c.head_dim:
        fail(f"a3.original_head_dim: must equal head_dim {c.head_dim}, got {ohd!r}")
    c.original_head_dim = ohd
    scale = a3.get("attention_scale")
    if not is_number(scale) or not scale > 0 or not math.isfinite(scale):
        fail(f"a3.attention_scale: must be a positive number, got {scale!r}")
    c.attention_scale = float(scale)
    layers = a3.get("layers")
    if not isinstance(layers, list) or len(layers) != c.layers_count:
        fail(f"a3.layers: must hold num_hidden_layers = {c.layers_count} objects")
    c.layers = []
    for l, layer in enumerate(layers):
        at = f"a3.layers[{l}]"
        if not isinstance(layer, dict):
            fail(f"{at}: must be an object")
        qk = layer.get("qk_head_dim")
        if not is_int(qk) or qk % 2 != 0 or not 2 <= qk <= ohd:
            fail(f"{at}.qk_head_dim: must be even in [2, {ohd}], got {qk!r}")
        v = layer.get("v_head_dim")
        if not is_int(v) or not 1 <= v <= ohd:
            fail(f"{at}.v_head_dim: must be in [1, {ohd}], got {v!r}")
        inter = layer.get("intermediate_size")
        if not is_int(inter) or not 1 <= inter <= c.intermediate_size:
            fail(f"{at}.intermediate_size: must be in [1, {c.intermediate_size}], got {inter!r}")
        pairs = layer.get("rope_pairs")
        if not isinstance(pairs, list) or len(pairs) != c.kv_heads:
            fail(f"{at}.rope_pairs: must hold num_key_value_heads = {c.kv_heads} lists")
        for j, plist in enumerate(pairs):
            if not isinstance(plist, list) or len(plist) != qk // 2:
                fail(f"{at}.rope_pairs[{j}]: must hold qk_head_dim/2 = {qk // 2} integers")
            for m, p in enumerate(plist):
                if not is_int(p) or not 0 <= p < ohd // 2 or (m > 0 and p <= plist[m - 1]):
                    fail(f"{at}.rope_pairs[{j}][{m}]: must be strictly ascending in [0, {ohd // 2}), got {p!r}")
        factorized = layer.get("factorized", {})
        if not isinstance(factorized, dict):
            fail(f"{at}.factorized: must be an object")
        shapes = projection_shapes(c, qk, v, inter)
        for name, rank in factorized.items():
            if name not in shapes:
                fail(f"{at}.factorized.{name}: unknown projection")
            out_dim, in_dim = shapes[name]
            if not is_int(rank) or not 1 <= rank <= min(out_dim, in_dim):
                fail(f"{at}.factorized.{name}: rank must be in [1, {min(out_dim, in_dim)}], got {rank!r}")
        c.layers.append(LayerShape(qk, v, inter, [list(p) for p in pairs], dict(factorized)))


def projection_shapes(c: Config, qk: int, v: int, inter: int) -> dict[str, tuple[int, int]]:
    d = c.d
    return {
        "q_proj": (c.heads * qk, d),
        "k_proj": (c.kv_heads * qk, d),
        "v_proj": (c.kv_heads * v, d),
        "o_proj": (d, c.heads * v),
        "gate_proj": (inter, d),
        "up_proj": (inter, d),
        "down_proj": (d, inter),
    }


def expected_tensors(c: Config) -> dict[str, tuple[int, ...]]:
    """Every tensor of FORMAT.md section 2 / 8 with its shape."""
    out: dict[str, tuple[int, ...]] = {
        "model.embed_tokens.weight": (c.vocab, c.d),
        "model.norm.weight": (c.d,),
    }
    if not c.tie:
        out["lm_head.weight"] = (c.vocab, c.d)
    for l, layer in enumerate(c.layers):
        prefix = f"model.layers.{l}."
        out[prefix + "input_layernorm.weight"] = (c.d,)
        out[prefix + "post_attention_layernorm.weight"] = (c.d,)
        shapes = projection_shapes(c, layer.qk, layer.v, layer.inter)
        for name, (out_dim, in_dim) in shapes.items():
            stem = prefix + ("self_attn." if name in ATTENTION_PROJECTIONS else "mlp.") + name
            if name in layer.factorized:
                r = layer.factorized[name]
                out[stem + ".weight_a"] = (r, in_dim)
                out[stem + ".weight_b"] = (out_dim, r)
            else:
                out[stem + ".weight"] = (out_dim, in_dim)
            if c.attention_bias and name in ("q_proj", "k_proj", "v_proj"):
                out[stem + ".bias"] = (out_dim,)
    return out


# --------------------------------------------------------------------------------------------
# Safetensors
# --------------------------------------------------------------------------------------------


def read_safetensors(path: str, wanted: set[str]) -> dict[str, tuple[str, list[int], bytes]]:
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        fail(f"{path}: truncated")
    (header_len,) = struct.unpack_from("<Q", blob, 0)
    if 8 + header_len > len(blob):
        fail(f"{path}: header length {header_len} beyond the file")
    header = json.loads(blob[8 : 8 + header_len].decode("utf-8"))
    base = 8 + header_len
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if name not in wanted:
            out[name] = None  # recorded so that unexpected tensors are reported
            continue
        dtype, shape, (begin, end) = info["dtype"], info["shape"], info["data_offsets"]
        if dtype not in DTYPE_BYTES:
            fail(f"{path}: tensor {name} has unsupported dtype {dtype}")
        count = math.prod(shape)
        if end - begin != count * DTYPE_BYTES[dtype] or base + end > len(blob):
            fail(f"{path}: tensor {name} has inconsistent data_offsets")
        out[name] = (dtype, list(shape), blob[base + begin : base + end])
    return out


def decode(dtype: str, data: bytes) -> list[float]:
    n = len(data) // DTYPE_BYTES[dtype]
    if dtype == "F32":
        return list(struct.unpack(f"<{n}f", data))
    if dtype == "F16":
        return list(struct.unpack(f"<{n}e", data))
    # BF16 is the upper half of a float32: widen by putting two zero bytes below each value.
    wide = bytearray(4 * n)
    wide[2::4] = data[0::2]
    wide[3::4] = data[1::2]
    return list(struct.unpack(f"<{n}f", wide))


def load_tensors(folder: str, c: Config) -> dict[str, list]:
    expected = expected_tensors(c)
    single = os.path.join(folder, "model.safetensors")
    index = os.path.join(folder, "model.safetensors.index.json")
    raw: dict[str, tuple | None] = {}
    if os.path.exists(index):
        with open(index, encoding="utf-8") as f:
            weight_map = json.load(f)["weight_map"]
        for shard in sorted(set(weight_map.values())):
            for name, value in read_safetensors(os.path.join(folder, shard), set(expected)).items():
                if weight_map.get(name) != shard:
                    fail(f"{shard}: tensor {name} is not mapped to this shard by the index")
                raw[name] = value
        missing_in_shards = set(weight_map) - set(raw)
        if missing_in_shards:
            fail(f"index names tensors absent from their shard: {sorted(missing_in_shards)}")
    elif os.path.exists(single):
        raw = read_safetensors(single, set(expected))
    else:
        fail(f"{folder}: neither model.safetensors nor model.safetensors.index.json")

    unexpected = sorted(set(raw) - set(expected))
    missing = sorted(set(expected) - set(raw))
    if unexpected:
        fail(f"unexpected tensors: {unexpected}")
    if missing:
        fail(f"missing tensors: {missing}")
    want_dtype = TORCH_DTYPES[c.torch_dtype]
    tensors = {}
    for name, shape in expected.items():
        dtype, actual, data = raw[name]
        if tuple(actual) != shape:
            fail(f"tensor {name} has shape {actual}, expected {list(shape)}")
        if dtype != want_dtype:
            fail(f"tensor {name} is {dtype}, torch_dtype says {c.torch_dtype}")
        flat = decode(dtype, data)
        if len(shape) == 1:
            tensors[name] = flat
        else:
            cols = shape[1]
            tensors[name] = [flat[i : i + cols] for i in range(0, len(flat), cols)]
    return tensors


# --------------------------------------------------------------------------------------------
# Forward pass (float64)
# --------------------------------------------------------------------------------------------


def matvec(rows: list[list[float]], x: list[float]) -> list[float]:
    return [sum(map(mul, row, x)) for row in rows]


class Linear:
    """A dense projection W [out, in], or a factorised one W = B·A applied as B·(A·x)."""

    def __init__(self, tensors: dict, stem: str, bias: bool):
        if stem + ".weight" in tensors:
            self.factors = [tensors[stem + ".weight"]]
        else:
            self.factors = [tensors[stem + ".weight_a"], tensors[stem + ".weight_b"]]
        self.bias = tensors[stem + ".bias"] if bias else None

    def __call__(self, x: list[float]) -> list[float]:
        for w in self.factors:
            x = matvec(w, x)
        if self.bias is not None:
            x = [a + b for a, b in zip(x, self.bias)]
        return x


def rms_norm(x: list[float], weight: list[float], eps: float) -> list[float]:
    inv = 1.0 / math.sqrt(sum(v * v for v in x) / len(x) + eps)
    return [v * inv * w for v, w in zip(x, weight)]


def silu(x: float) -> float:
    # x·sigmoid(x), written to avoid overflow of exp for large |x|.
    if x >= 0:
        return x / (1.0 + math.exp(-x))
    e = math.exp(x)
    return x * e / (1.0 + e)


def frequencies(c: Config) -> list[float]:
    ohd = c.original_head_dim
    theta = [c.rope_theta ** (-2.0 * k / ohd) for k in range(ohd // 2)]
    s = c.rope_scaling
    if s is None:
        return theta
    low = s["original_max_position_embeddings"] / s["low_freq_factor"]
    high = s["original_max_position_embeddings"] / s["high_freq_factor"]
    out = []
    for t in theta:
        wavelen = 2 * math.pi / t
        if wavelen < high:
            out.append(t)
        elif wavelen > low:
            out.append(t / s["factor"])
        else:
            smooth = (s["original_max_position_embeddings"] / wavelen - s["low_freq_factor"]) / (s["high_freq_factor"] - s["low_freq_factor"])
            out.append((1 - smooth) * t / s["factor"] + smooth * t)
    return out


class Model:
    def __init__(self, folder: str):
        with open(os.path.join(folder, "config.json"), encoding="utf-8") as f:
            self.c = parse_config(json.load(f))
        c = self.c
        t = load_tensors(folder, c)
        self.embed = t["model.embed_tokens.weight"]
        self.norm = t["model.norm.weight"]
        self.head = self.embed if c.tie else t["lm_head.weight"]
        self.theta = frequencies(c)
        self.layers = []
        for l, shape in enumerate(c.layers):
            p = f"model.layers.{l}."
            self.layers.append({
                "shape": shape,
                "in_norm": t[p + "input_layernorm.weight"],
                "post_norm": t[p + "post_attention_layernorm.weight"],
                **{n: Linear(t, p + "self_attn." + n, c.attention_bias and n != "o_proj") for n in ATTENTION_PROJECTIONS},
                **{n: Linear(t, p + "mlp." + n, False) for n in MLP_PROJECTIONS},
                # Per KV head, the frequencies of its kept pairs (FORMAT.md section 5.3).
                "freqs": [[self.theta[k] for k in pairs] for pairs in shape.pairs],
            })

    def rope(self, x: list[float], freqs: list[float], pos: int) -> list[float]:
        half = len(freqs)
        out = list(x)
        for m, f in enumerate(freqs):
            cos, sin = math.cos(pos * f), math.sin(pos * f)
            a, b = x[m], x[m + half]
            out[m] = a * cos - b * sin
            out[m + half] = b * cos + a * sin
        return out

    def forward(self, ids: list[int]) -> list[list[float]]:
        c = self.c
        group = c.heads // c.kv_heads
        hidden = [list(self.embed[i]) for i in ids]
        for layer in self.layers:
            shape = layer["shape"]
            qk, v = shape.qk, shape.v
            queries, keys, values = [], [], []
            for pos, x in enumerate(hidden):
                n = rms_norm(x, layer["in_norm"], c.eps)
                q, k, val = layer["q_proj"](n), layer["k_proj"](n), layer["v_proj"](n)
                queries.append([self.rope(q[h * qk : (h + 1) * qk], layer["freqs"][h // group], pos) for h in range(c.heads)])
                keys.append([self.rope(k[j * qk : (j + 1) * qk], layer["freqs"][j], pos) for j in range(c.kv_heads)])
                values.append([val[j * v : (j + 1) * v] for j in range(c.kv_heads)])
            scale = c.attention_scale
            for pos in range(len(hidden)):
                concat: list[float] = []
                for h in range(c.heads):
                    j = h // group
                    q = queries[pos][h]
                    scores = [scale * sum(map(mul, q, keys[s][j])) for s in range(pos + 1)]
                    top = max(scores)
                    weights = [math.exp(s - top) for s in scores]
                    total = sum(weights)
                    out = [0.0] * v
                    for s, w in enumerate(weights):
                        vs = values[s][j]
                        out = [o + w * e for o, e in zip(out, vs)]
                    concat.extend(o / total for o in out)
                attn = layer["o_proj"](concat)
                hidden[pos] = [a + b for a, b in zip(hidden[pos], attn)]
            for pos, x in enumerate(hidden):
                n = rms_norm(x, layer["post_norm"], c.eps)
                act = [silu(g) * u for g, u in zip(layer["gate_proj"](n), layer["up_proj"](n))]
                mlp_out = layer["down_proj"](act)
                hidden[pos] = [a + b for a, b in zip(x, mlp_out)]
        return [matvec(self.head, rms_norm(x, self.norm, c.eps)) for x in hidden]


def nll(logits: list[float], target: int) -> float:
    top = max(logits)
    return top + math.log(sum(math.exp(z - top) for z in logits)) - logits[target]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model_dir")
    parser.add_argument("--ids-file", required=True)
    parser.add_argument("--logits", type=int, default=0, metavar="N", help="also print the logits of the first N positions of sequence 1")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        model = Model(args.model_dir)
        with open(args.ids_file, encoding="utf-8") as f:
            sequences = json.load(f)
        if not isinstance(sequences, list) or not sequences or not all(isinstance(s, list) and s for s in sequences):
            fail("ids file: must be a non-empty JSON list of non-empty lists of token ids")
        for s in sequences:
            if len(s) > model.c.max_positions:
                fail(f"ids file: a sequence of {len(s)} tokens exceeds max_position_embeddings {model.c.max_positions}")
            if not all(is_int(i) and 0 <= i < model.c.vocab for i in s):
                fail(f"ids file: token ids must be integers in [0, {model.c.vocab})")
    except FormatError as error:
        print(f"a3_reader: {error}", file=sys.stderr)
        return 2
    total, count, first_logits = 0.0, 0, None
    for index, ids in enumerate(sequences):
        logits = model.forward(ids)
        if index == 0:
            first_logits = logits[: args.logits]
        for pos in range(len(ids) - 1):
            total += nll(logits[pos], ids[pos + 1])
            count += 1
    result = {"mean_nll": total / count if count else float("nan"), "tokens": count, "sequences": len(sequences)}
    print(json.dumps(result))
    if args.logits > 0:
        print(json.dumps(first_logits))
    print(f"a3_reader: {time.perf_counter() - started:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
