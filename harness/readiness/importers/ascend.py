"""Ascend (CANN / torch_npu): what the op-plugin and torch_npu publish about ATen ops.

Four files, one snapshot (``specs/oplists/cann/op-plugin-<commit>.yaml``):

* ``op_plugin_functions.yaml`` (Ascend/op-plugin): ATen schemas with an NPU kernel, each with the
  torch versions its ``acl_op`` and ``op_api`` implementations cover. An op counts as
  declared_supported when either range includes the torch version being scored (``v2.13``);
  ranges are ``all_version``, ``[low, high|newest]`` or a comma list. The ``custom`` section holds
  ``npu_*`` ops that are not ATen and is only counted.
* ``npu_native_functions.yaml`` (Ascend/pytorch): tensor/memory ops torch_npu registers itself.
* ``unsupported_ops_info_base.yaml``: known test failures keyed by OpInfo name -> test -> dtypes.
  A failure in a result-correctness test (``FORWARD_TESTS``) becomes known_failure for that
  (op, dtype); failures only in view/autograd/fake-tensor/out= tests are counted, not scored, as
  they say little about whether the op runs. OpInfo names map to ATen only when the name is an
  ATen base (``linalg.svd`` -> ``linalg_svd``, ``nn.functional.X`` -> ``X``); ``_refs.*``,
  ``masked.*`` and dunder names are kept as unmapped.
* the per-API pages (``ascend_docs``): ✔/✘ per product and dtype limits, product-scoped.
"""

from __future__ import annotations

import re
from pathlib import Path

from harness.readiness import ascend_docs, dtypes, native, snapshot
from harness.readiness.registry import command, snapshot_importer
from harness.yamlload import read_data

STACKS = {"cann": "NPU"}
DESCRIPTION = "Ascend op-plugin + torch_npu yaml, OpInfo known failures, torch_npu API pages"
# Tests whose failure says the op's result is wrong for that dtype on the NPU (compared with the
# CPU) or its dtype claims are wrong. Variant-consistency, view, autograd, fake-tensor and out=
# failures (thousands of entries, mostly float64/complex view tests) are counted, not scored.
FORWARD_TESTS = frozenset({"test_compare_cpu", "test_dtypes"})
_ATEN_SECTIONS = ("official", "autograd", "symint", "quant")
_FILES = {
    "op-plugin": "ascend/op_plugin_functions.yaml",
    "torch_npu": "ascend/npu_native_functions.yaml",
    "opinfo-failures": "ascend/unsupported_ops_info_base.yaml",
    "api-docs": "ascend/torch_npu_api_2.13/*.md",
}


def _vkey(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", v))


def covers(spec, version: str, all_versions: list[str]) -> bool:
    """Does an op-plugin version spec include ``version`` (``v2.13``)?"""
    if spec is None:
        return False
    if spec == "all_version":
        return version in all_versions
    if isinstance(spec, list) and len(spec) == 2:
        low, high = spec
        top = all_versions[-1] if high == "newest" and all_versions else high
        return _vkey(str(low)) <= _vkey(version) <= _vkey(str(top))
    items = spec if isinstance(spec, list) else str(spec).split(",")
    return version in {str(x).strip() for x in items}


def _vtext(spec) -> str:
    if isinstance(spec, list) and len(spec) == 2:
        return f"{spec[0]}..{spec[1]}"
    return str(spec)


def op_plugin_entries(doc: dict, version: str) -> tuple[list[dict], dict]:
    """Declared ops for ``version`` from op_plugin_functions.yaml, plus counts for the record."""
    allv = [str(v) for v in doc.get("all_version") or []]
    entries, seen, stale = [], set(), 0
    for section in _ATEN_SECTIONS:
        for e in doc.get(section) or []:
            name = str(e["func"]).split("(", 1)[0].strip()
            impls = [k for k in ("acl_op", "op_api") if covers(e.get(k), version, allv)]
            if not impls:
                stale += 1
                continue
            if name in seen:
                continue
            seen.add(name)
            detail = "; ".join(f"{k} {_vtext(e[k])}" for k in ("acl_op", "op_api") if k in e)
            entries.append({"op": name, "status": "declared_supported", "source": "op-plugin",
                            "detail": detail})
    counts = {"aten_declared": len(entries), "not_for_this_torch": stale,
              "custom_npu_ops": len(doc.get("custom") or [])}
    return entries, counts


def torch_npu_entries(doc: dict) -> list[dict]:
    """The ``supported:`` list of npu_native_functions.yaml (plain names or ``{func: name}``)."""
    out, seen = [], set()
    for section in ("supported", "symint"):
        for item in doc.get(section) or []:
            name = item.get("func") if isinstance(item, dict) else item
            if name and "(" not in str(name) and name not in seen:
                seen.add(name)
                out.append({"op": str(name), "status": "declared_supported",
                            "source": "torch_npu", "detail": f"npu_native_functions {section}"})
    return out


def opinfo_to_aten(name: str, bases: set[str]) -> str | None:
    """OpInfo name -> ATen base name, only when unambiguous (see module docstring)."""
    if name.startswith(("_refs.", "masked.", "__")) or name in ("H", "T", "mT", "mH"):
        return None
    parts = name.split(".")
    if len(parts) == 1:
        cand = parts[0]
    elif parts[0] in ("linalg", "special", "fft") and len(parts) == 2:
        cand = f"{parts[0]}_{parts[1]}"
    elif parts[:2] == ["nn", "functional"] and len(parts) == 3:
        cand = parts[2]
    else:
        return None
    return cand if cand in bases else None


def failure_entries(doc: dict, ops_by_base: dict) -> tuple[list[dict], list[str], dict]:
    """known_failure (op, dtype) entries from the OpInfo known-failure list: a test that fails
    is a test result, not a statement that the kernel is missing (the vendor's API pages declare
    most of these ops supported in the same dtypes), so it never counts as unsupported."""
    entries, unmapped = {}, []
    other = 0
    for opinfo, tests in (doc or {}).items():
        base = opinfo_to_aten(str(opinfo), set(ops_by_base))
        if base is None:
            unmapped.append(str(opinfo))
            continue
        per_dtype: dict[str, set[str]] = {}
        for test, dts in (tests or {}).items():
            for dt in dts or []:
                d = dtypes.normalise(dt)
                if d:
                    per_dtype.setdefault(d, set()).add(str(test))
        for d, failing in per_dtype.items():
            fwd = sorted(failing & FORWARD_TESTS)
            if not fwd:
                other += 1
                continue
            for op, kind in ops_by_base[base]:
                if kind == "functional" and (op, d) not in entries:
                    entries[(op, d)] = {"op": op, "dtype": d, "status": "known_failure",
                                        "source": "opinfo-failures",
                                        "detail": f"OpInfo {opinfo}: fails {', '.join(fwd)}"}
    return list(entries.values()), sorted(unmapped), {"failures_outside_forward_tests": other}


def build(upstream: Path, ops: dict[str, native.NativeOp], torch_version: str) -> dict:
    """The cann snapshot document from the raw files under ``upstream``."""
    version = "v" + ".".join(torch_version.split(".")[:2])
    by_base: dict[str, list] = {}
    for name, o in ops.items():
        by_base.setdefault(o.base, []).append((name, o.kind))
    plugin, counts = op_plugin_entries(read_data(upstream / _FILES["op-plugin"]), version)
    npu = torch_npu_entries(read_data(upstream / _FILES["torch_npu"]))
    fails, fail_unmapped, fcounts = failure_entries(read_data(upstream / _FILES["opinfo-failures"]), by_base)
    pages = []
    for p in sorted((upstream / "ascend/torch_npu_api_2.13").glob("*.md")):
        pages += ascend_docs.parse_page(p.read_text(encoding="utf-8"), p.name)
    docs, docs_unmapped = ascend_docs.evidence(pages, by_base)
    sources = {k: snapshot.provenance_for(upstream, v) for k, v in _FILES.items()}
    commit = (sources["op-plugin"].get("commit") or "unknown")[:7]
    dates = [s.get("date") for s in sources.values() if s.get("date")]
    return {
        "stack": "cann", "snapshot": f"op-plugin-{commit}", "importer": "ascend",
        "as_of": max(dates) if dates else None, "evaluated_for_torch": version,
        "sources": sources,
        "counts": {**counts, **fcounts, "api_pages_sections": len(pages)},
        "entries": plugin + npu + fails + docs,
        "unmapped": {"opinfo-failures": fail_unmapped, "api-docs": docs_unmapped},
    }


@snapshot_importer('ascend', STACKS, lambda ctx: [ctx.upstream / f for k, f in _FILES.items() if k != "api-docs"], DESCRIPTION)
def run(upstream: Path, oplists: Path) -> list[Path]:
    doc = build(upstream, native.load(), native.torch_version())
    return [snapshot.write(oplists / "cann" / f"{doc['snapshot']}.yaml", doc, command("ascend"))]
