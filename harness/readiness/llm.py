"""The ops LLMs actually run: a reference set traced from small decoder blocks in plain torch.

Core ATen is the opset ``torch.export`` lowers to; serving and training an LLM in eager PyTorch
dispatches a different set. This module writes it down reproducibly: three small decoder blocks,
written here in plain torch in the shape of the public architectures (not their code),

* ``llama``: RMSNorm, rotary position embedding, grouped-query attention through
  ``scaled_dot_product_attention``, SwiGLU MLP;
* ``qwen``: the same with biases on the q/k/v projections and tied input/output embeddings;
* ``deepseek-moe``: a mixture-of-experts MLP (softmax router, top-k, per-expert gather and
  ``index_add_`` scatter, a shared expert),

each run in three phases on CPU (``prefill`` of a prompt; ``decode``: one token with a KV cache
grown by ``cat``; ``backward`` of a cross-entropy loss), under a dispatch-level trace
(`TorchDispatchMode`) that records every ATen overload called. The union is the ``llm``
reference set, written to ``specs/oplists/reference/llm-<torch>.yaml`` with the blocks and
phases each op came from, and scored per stack by the same rules as Core ATen.

The trace runs on CPU, so attention shows up as its CPU kernel; ``DEVICE_NEUTRAL`` renames the
CPU-only overloads to the overloads other backends register for the same call (a reviewed
table, checked by a test against ``native_functions.yaml``). Fused serving kernels (paged
attention, fused MoE, FP8 scaled matmul) and collectives are not ATen overloads in eager torch
and are not in this set.
"""

from __future__ import annotations

from harness.readiness import native, snapshot

COMMAND = "accel coverage reference"
# CPU-only overloads -> the overload other backends register for the same call
DEVICE_NEUTRAL = {
    "_scaled_dot_product_flash_attention_for_cpu": "_scaled_dot_product_flash_attention",
    "_scaled_dot_product_flash_attention_for_cpu_backward": "_scaled_dot_product_flash_attention_backward",
}
VOCAB, DIM, HEADS, KV_HEADS, FFN, EXPERTS, TOP_K, PROMPT = 64, 32, 4, 2, 64, 4, 2, 6


def _blocks():
    """``{name: (init, forward)}``: parameters and a forward(tokens, cache) -> (logits, cache)."""
    import torch
    import torch.nn.functional as F

    def rms_norm(x, w):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6) * w

    def rope(x, pos):
        half = x.shape[-1] // 2
        freqs = 1.0 / (10000 ** (torch.arange(half, dtype=torch.float32) / half))
        ang = pos[:, None].float() * freqs[None, :]
        cos, sin = ang.cos()[None, None], ang.sin()[None, None]
        x1, x2 = x[..., :half], x[..., half:]
        return torch.cat([x1 * cos - x2 * sin, x1 * sin + x2 * cos], dim=-1)

    def attention(p, h, pos, cache, bias):
        b, t, _ = h.shape
        hd = DIM // HEADS
        q = F.linear(h, p["wq"], p.get("bq") if bias else None).view(b, t, HEADS, hd).transpose(1, 2)
        k = F.linear(h, p["wk"], p.get("bk") if bias else None).view(b, t, KV_HEADS, hd).transpose(1, 2)
        v = F.linear(h, p["wv"], p.get("bv") if bias else None).view(b, t, KV_HEADS, hd).transpose(1, 2)
        q, k = rope(q, pos), rope(k, pos)
        if cache is not None:
            k, v = torch.cat([cache[0], k], dim=2), torch.cat([cache[1], v], dim=2)
        new_cache = (k, v)
        rep = HEADS // KV_HEADS
        k, v = k.repeat_interleave(rep, dim=1), v.repeat_interleave(rep, dim=1)
        o = F.scaled_dot_product_attention(q, k, v, is_causal=cache is None)
        return F.linear(o.transpose(1, 2).reshape(b, t, DIM), p["wo"]), new_cache

    def swiglu(p, h, prefix=""):
        return F.linear(F.silu(F.linear(h, p[prefix + "w1"])) * F.linear(h, p[prefix + "w3"]), p[prefix + "w2"])

    def moe(p, h):
        flat = h.reshape(-1, DIM)
        weights = F.softmax(F.linear(flat, p["router"]), dim=-1)
        top_w, top_i = torch.topk(weights, TOP_K, dim=-1)
        top_w = top_w / top_w.sum(-1, keepdim=True)
        out = torch.zeros_like(flat)
        for e in range(EXPERTS):
            rows, slot = torch.where(top_i == e)
            if rows.numel() == 0:
                continue
            y = swiglu(p, flat.index_select(0, rows), prefix=f"e{e}_") * top_w[rows, slot, None]
            out.index_add_(0, rows, y)
        return (out + swiglu(p, flat, prefix="shared_")).view_as(h)

    def params(kind, gen):
        def w(*shape):
            return (torch.randn(*shape, generator=gen) * 0.05).requires_grad_()

        hd = DIM // HEADS
        p = {"emb": w(VOCAB, DIM), "n1": w(DIM), "n2": w(DIM), "nf": w(DIM),
             "wq": w(DIM, DIM), "wk": w(KV_HEADS * hd, DIM), "wv": w(KV_HEADS * hd, DIM), "wo": w(DIM, DIM)}
        if kind == "qwen":
            p.update(bq=w(DIM), bk=w(KV_HEADS * hd), bv=w(KV_HEADS * hd))
        if kind == "deepseek-moe":
            p["router"] = w(EXPERTS, DIM)
            for prefix in [f"e{e}_" for e in range(EXPERTS)] + ["shared_"]:
                p.update({prefix + "w1": w(FFN, DIM), prefix + "w3": w(FFN, DIM), prefix + "w2": w(DIM, FFN)})
        else:
            p.update(w1=w(FFN, DIM), w3=w(FFN, DIM), w2=w(DIM, FFN))
        if kind != "qwen":
            p["head"] = w(VOCAB, DIM)
        return p

    def forward(kind, p, tokens, pos, cache):
        h = F.embedding(tokens, p["emb"])
        a, cache = attention(p, rms_norm(h, p["n1"]), pos, cache, bias=kind == "qwen")
        h = h + a
        x = rms_norm(h, p["n2"])
        h = h + (moe(p, x) if kind == "deepseek-moe" else swiglu(p, x))
        return F.linear(rms_norm(h, p["nf"]), p["head"] if "head" in p else p["emb"]), cache

    return params, forward


def trace() -> dict[str, set[tuple[str, str]]]:
    """``{overload name: {(block, phase)}}`` over every block and phase (deterministic inputs)."""
    import torch
    import torch.nn.functional as F
    from torch.utils._python_dispatch import TorchDispatchMode

    seen: dict[str, set[tuple[str, str]]] = {}
    where: list[tuple[str, str]] = [("", "")]

    class Record(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            s = func._schema
            if s.name.startswith("aten::"):
                name = s.name[len("aten::"):]
                name = DEVICE_NEUTRAL.get(name, name)
                op = f"{name}.{s.overload_name}" if s.overload_name else name
                seen.setdefault(op, set()).add(where[0])
            return func(*args, **(kwargs or {}))

    params, forward = _blocks()
    for kind in ("llama", "qwen", "deepseek-moe"):
        gen = torch.Generator().manual_seed(0)
        p = params(kind, gen)
        tokens = torch.randint(0, VOCAB, (1, PROMPT), generator=gen)
        with Record():
            where[0] = (kind, "prefill")
            with torch.no_grad():
                logits, cache = forward(kind, p, tokens, torch.arange(PROMPT), None)
                nxt = logits[:, -1].argmax(-1, keepdim=True)
            where[0] = (kind, "decode")
            with torch.no_grad():
                forward(kind, p, nxt, torch.arange(PROMPT, PROMPT + 1), cache)
            where[0] = (kind, "backward")
            logits, _ = forward(kind, p, tokens[:, :-1], torch.arange(PROMPT - 1), None)
            loss = F.cross_entropy(logits.reshape(-1, VOCAB), tokens[:, 1:].reshape(-1))
            loss.backward()
    return seen


def reference_doc(version: str, ops: dict[str, native.NativeOp] | None = None) -> dict:
    """The ``llm`` reference-set document for the installed torch."""
    ops = native.load() if ops is None else ops
    seen = trace()
    unknown = sorted(op for op in seen if op not in ops)
    if unknown:  # a renamed overload, or a DEVICE_NEUTRAL entry gone stale
        from harness.errors import UserError

        raise UserError(f"traced ops not in native_functions.yaml of torch {version}: {', '.join(unknown)}")
    entries = []
    for name in sorted(seen):
        o = ops[name]
        found = sorted(seen[name])
        entries.append({"op": name, "kind": o.kind,
                        **({"composite": True} if o.keys & native.COMPOSITE_KEYS else {}),
                        "blocks": sorted({b for b, _ in found}), "phases": sorted({ph for _, ph in found})})
    return {"reference_set": "llm", "torch_version": version,
            "source": {"path": "harness/readiness/llm.py", "package": f"torch=={version}"},
            "rule": ("ATen overloads dispatched by small llama, qwen and deepseek-moe decoder blocks "
                     "(prefill, decode with KV cache, backward) traced on CPU; CPU-only attention "
                     "overloads renamed to their device-neutral overloads"),
            "count": len(entries), "ops": entries}


def write_reference(root, version: str | None = None):
    version = version or native.torch_version()
    return snapshot.write(root / "reference" / f"llm-{version}.yaml", reference_doc(version), COMMAND)
