"""PyTorch's own ``native_functions.yaml``: which overloads have a CUDA, MPS or XPU kernel in tree.

Read from the installed torch, so the snapshot is named and stamped with its torch version
(``specs/oplists/cuda/pytorch-2.13.0.yaml``). An overload whose only kernels are composite
(``CompositeExplicitAutograd`` & co.) is registered for every backend and runs wherever the ops it
decomposes into run; it is recorded as ``via_decomposition`` with ``source: composite`` (the tier
every stack's composite ops get, see `harness.readiness.oprows.unknown_rows`), never as a kernel.

In-tree XPU keys are few: Intel's kernels live in torch-xpu-ops and register through its own yaml
(see the ``intel`` importer), so the XPU snapshot here is a floor, not the stack's list.
"""

from __future__ import annotations

from pathlib import Path

from harness.readiness import native, snapshot
from harness.readiness.registry import command, snapshot_importer

STACKS = {"cuda": "CUDA", "mps": "MPS", "xpu": "XPU"}
DESCRIPTION = "PyTorch native_functions.yaml dispatch keys (CUDA, MPS, XPU) from the installed torch"


def declared(ops: dict[str, native.NativeOp], key: str) -> list[dict]:
    """Evidence entries for one dispatch key: backend kernels, then composite-only overloads."""
    entries = [{"op": o.name, "status": "declared_supported", "source": "native_functions"}
               for o in ops.values() if key in o.keys]
    entries += [{"op": o.name, "status": "via_decomposition", "source": "composite",
                 "detail": "composite kernel only (" + ", ".join(sorted(o.keys)) + ")"}
                for o in ops.values() if key not in o.keys and o.keys & native.COMPOSITE_KEYS]
    return entries


def snapshot_docs(ops: dict[str, native.NativeOp], version: str) -> dict[str, dict]:
    """``{stack: snapshot document}`` for the stacks this importer covers."""
    src = {"repo": "pytorch/pytorch", "path": "aten/src/ATen/native/native_functions.yaml",
           "commit": None, "date": None, "package": f"torch=={version}",
           "read_from": "torchgen/packaged/ATen/native/native_functions.yaml"}
    docs = {}
    for stack, key in STACKS.items():
        entries = declared(ops, key)
        docs[stack] = {
            "stack": stack, "snapshot": f"pytorch-{version}", "importer": "pytorch",
            "as_of": None, "evaluated_for_torch": version, "dispatch_key": key,
            "sources": {"native_functions": src, "composite": src},
            "count_backend_kernels": sum(e["source"] == "native_functions" for e in entries),
            "count_composite_only": sum(e["source"] == "composite" for e in entries),
            "entries": entries,
        }
    return docs


@snapshot_importer('pytorch', STACKS, lambda ctx: [], DESCRIPTION)
def run(upstream: Path, oplists: Path) -> list[Path]:
    version = native.torch_version()
    docs = snapshot_docs(native.load(), version)
    return [snapshot.write(oplists / stack / f"pytorch-{version}.yaml", doc, command("pytorch"))
            for stack, doc in docs.items()]
