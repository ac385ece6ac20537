"""Kunlun XPU (P800 = gen 3): Paddle's XPU3 kernel list read through a reviewed ATen mapping.

Kunlunxin publishes no ATen op list; the public statement of what its gen-3 chips run is
PaddlePaddle's ``xpu3_op_list.cc`` (Paddle op -> dtypes with an XPU kernel), here in a plain
transcription (``<op> <dtype codes>``, codes defined in its ``# codes:`` header line).
``specs/oplists/mappings/paddle-to-aten.yaml`` says which Paddle ops implement each Core ATen
overload; overloads without a clear counterpart are ``unmapped`` and stay *unknown*.

Paddle runs an op, or an op x dtype, missing from the list on the CPU. That is recorded as
``fallback`` (no native kernel), never as a failure: the program still runs, slower.
"""

from __future__ import annotations

import re
from pathlib import Path

from harness.readiness import dtypes, snapshot
from harness.readiness.registry import command, snapshot_importer
from harness.errors import UserError
from harness.yamlload import read_data

STACKS = {"kunlun-xpu": "XPU3"}
DESCRIPTION = "Paddle xpu3_op_list (Kunlun gen 3) through specs/oplists/mappings/paddle-to-aten.yaml"
FILE = "paddle/xpu3_op_list_transcribed.txt"
MAPPING = Path("mappings") / "paddle-to-aten.yaml"
_CODES = re.compile(r"(\w)=(\w+)")


def parse_list(text: str) -> dict[str, set[str]]:
    """``{paddle op: {dtype, ...}}`` from the transcription; unknown codes are an error."""
    codes: dict[str, str] = {}
    ops: dict[str, set[str]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if line.startswith("#"):
            if "codes:" in line:
                codes = {c: dtypes.normalise(name) or name.lower()
                         for c, name in _CODES.findall(line.split("codes:", 1)[1])}
            continue
        if not line:
            continue
        name, *cs = line.split()
        bad = [c for c in cs if c not in codes]
        if bad:
            raise UserError(f"{FILE}:{n}: unknown dtype code(s) {' '.join(bad)} for '{name}'"
                            + ("" if codes else " (no '# codes:' header line)"))
        ops.setdefault(name, set()).update(codes[c] for c in cs)
    return ops


def load_mapping(path: Path) -> dict:
    """The reviewed mapping; checks its shape and that no overload is both mapped and not."""
    doc = read_data(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("mapped"), dict):
        raise UserError(f"{path}: expected 'mapped:' (ATen overload -> {{paddle: [ops]}})")
    unmapped = doc.get("unmapped") or {}
    for op, m in doc["mapped"].items():
        if not isinstance(m, dict) or not m.get("paddle"):
            raise UserError(f"{path}: mapped.{op}: needs a non-empty 'paddle:' list")
        if op in unmapped:
            raise UserError(f"{path}: '{op}' is both mapped and unmapped")
    return doc


def entries(kernels: dict[str, set[str]], mapping: dict,
            scored: tuple[str, ...] = dtypes.SCORED_DTYPES) -> list[dict]:
    """Evidence for every mapped overload: supported dtypes, CPU-fallback dtypes or whole op."""
    out = []
    for op, m in mapping["mapped"].items():
        present = [p for p in m["paddle"] if p in kernels]
        if not present:
            out.append({"op": op, "status": "fallback", "source": "paddle-xpu3",
                        "detail": f"no XPU3 kernel for {'/'.join(m['paddle'])}: runs on CPU"})
            continue
        dts = set().union(*(kernels[p] for p in present))
        out.append({"op": op, "status": "declared_supported", "source": "paddle-xpu3",
                    "detail": f"{'/'.join(present)}: {', '.join(sorted(dts))}"})
        for d in scored:
            status = "declared_supported" if d in dts else "fallback"
            row = {"op": op, "dtype": d, "status": status, "source": "paddle-xpu3"}
            if status == "fallback":
                row["detail"] = f"{d} not in the XPU3 list for {'/'.join(present)}: CPU kernel"
            out.append(row)
    return out


def build(upstream: Path, oplists: Path) -> dict:
    prov = snapshot.provenance_for(upstream, FILE)
    kernels = parse_list((upstream / FILE).read_text(encoding="utf-8"))
    mapping = load_mapping(oplists / MAPPING)
    used = {p for m in mapping["mapped"].values() for p in m["paddle"]}
    commit = (prov.get("commit") or "unknown")[:7]
    return {
        "stack": "kunlun-xpu", "snapshot": f"paddle-xpu3-{commit}", "importer": "kunlun",
        "as_of": prov.get("date"), "evaluated_for_torch": None,
        "sources": {"paddle-xpu3": {**prov, "transcription": FILE},
                    "mapping": {"path": f"specs/oplists/{MAPPING.as_posix()}",
                                **(mapping.get("reviewed") or {})}},
        "counts": {"paddle_ops_listed": len(kernels), "aten_mapped": len(mapping["mapped"]),
                   "aten_unmapped": len(mapping.get("unmapped") or {})},
        "entries": entries(kernels, mapping),
        "unmapped": {"aten": dict(mapping.get("unmapped") or {}),
                     "paddle_ops_without_aten_mapping": sorted(set(kernels) - used)},
    }


@snapshot_importer('kunlun', STACKS, lambda ctx: [ctx.upstream / FILE, ctx.oplists / MAPPING], DESCRIPTION)
def run(upstream: Path, oplists: Path) -> list[Path]:
    doc = build(upstream, oplists)
    return [snapshot.write(oplists / "kunlun-xpu" / f"{doc['snapshot']}.yaml", doc,
                           command("kunlun"))]
