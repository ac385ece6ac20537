"""Reference operator sets, snapshotted from the installed torch.

* ``core``: overloads tagged ``core`` in ``native_functions.yaml`` (the Core ATen opset that
  ``torch.export`` decompositions target). Read from the yaml, not from ``torch.ops``: listing
  ``dir(torch.ops.aten)`` only shows packets already loaded and silently undercounts.
* ``cuda-backed``: overloads with a dense ``CUDA`` kernel (after structured delegates and ufunc
  codegen; see ``native``), i.e. what NVIDIA's stack runs natively; ``cuda-backed-functional``
  drops the ``out=`` and in-place variants, which mostly share a kernel with the functional op.

An op with a composite kernel (``CompositeImplicitAutograd`` & co.) carries ``composite: true``:
on a stack with no kernel of its own for it, PyTorch runs it by decomposition (the
``via_decomposition`` tier, one rule for every stack).

Each set is written to ``specs/oplists/reference/<set>-<torch version>.yaml``. Scores always use
one torch version for every reference set (``load_sets``), never a mix.
"""

from __future__ import annotations

from pathlib import Path

from harness.readiness import native, snapshot
from harness.errors import UserError

COMMAND = "accel coverage reference"
SETS = ("core", "cuda-backed", "cuda-backed-functional", "llm")


def _kernels(op: native.NativeOp) -> str:
    if "CUDA" in op.keys:
        return "backend"
    return "composite" if op.keys & native.COMPOSITE_KEYS else "other-backends"


def reference_docs(ops: dict[str, native.NativeOp], version: str) -> dict[str, dict]:
    """The two snapshot documents (``core``, ``cuda-backed``) for one parsed yaml."""
    src = {"path": "torchgen/packaged/ATen/native/native_functions.yaml",
           "package": f"torch=={version}"}
    core = [o for o in ops.values() if "core" in o.tags]
    cuda = [o for o in ops.values() if "CUDA" in o.keys]
    return {
        "core": {
            "reference_set": "core", "torch_version": version, "source": src,
            "rule": "overloads whose `tags:` include core",
            "count": len(core),
            "ops": [{"op": o.name, "kind": o.kind, "cuda_kernel": _kernels(o),
                     **({"composite": True} if o.keys & native.COMPOSITE_KEYS else {})} for o in core],
        },
        "cuda-backed": {
            "reference_set": "cuda-backed", "torch_version": version, "source": src,
            "rule": ("overloads with a CUDA dispatch key, resolving structured_delegate and "
                     "ufunc_inner_loop; cuda-backed-functional = kind not out/inplace"),
            "count": len(cuda),
            "count_functional": sum(o.kind not in ("out", "inplace") for o in cuda),
            "ops": [{"op": o.name, "kind": o.kind,
                     **({"composite": True} if o.keys & native.COMPOSITE_KEYS else {})} for o in cuda],
        },
    }


def write_reference(root: Path, path: str | None = None) -> list[Path]:
    """Snapshot the reference sets of the installed torch (or of ``path``) under ``root``: core,
    cuda-backed, and the traced ``llm`` set (`harness.readiness.llm`)."""
    from harness.readiness import llm

    version = native.torch_version()
    ops = native.load(path)
    docs = reference_docs(ops, version)
    docs["llm"] = llm.reference_doc(version, ops)
    return [snapshot.write(root / "reference" / f"{name}-{version}.yaml", doc, COMMAND)
            for name, doc in docs.items()]


def available_versions(root: Path) -> list[str]:
    """Torch versions that have both reference snapshots, oldest first."""
    ref = root / "reference"
    have = {p.stem.removeprefix("core-") for p in ref.glob("core-*.yaml")}
    have &= {p.stem.removeprefix("cuda-backed-") for p in ref.glob("cuda-backed-*.yaml")}
    return sorted(have, key=lambda v: tuple(int(x) if x.isdigit() else 0 for x in v.split(".")))


def load_sets(root: Path, version: str | None = None) -> tuple[str, dict[str, dict[str, str]]]:
    """``(version, {set: {op: kind}})`` for one torch version (default: the newest snapshotted)."""
    from harness.yamlload import read_data

    versions = available_versions(root)
    if not versions:
        raise UserError(f"no reference op sets under {root / 'reference'}; run `{COMMAND}`")
    if version is None:
        version = versions[-1]
    elif version not in versions:
        raise UserError(f"no reference snapshots for torch {version}; have {', '.join(versions)}")
    sets: dict[str, dict[str, str]] = {}
    for name in ("core", "cuda-backed"):
        doc = read_data(root / "reference" / f"{name}-{version}.yaml")
        sets[name] = {o["op"]: o["kind"] for o in doc["ops"]}
    sets["cuda-backed-functional"] = {
        k: v for k, v in sets["cuda-backed"].items() if v not in ("out", "inplace")}
    llm = root / "reference" / f"llm-{version}.yaml"
    if llm.exists():  # the ops LLMs run (harness.readiness.llm); older snapshots lack it
        sets["llm"] = {o["op"]: o["kind"] for o in read_data(llm)["ops"]}
    return version, sets


def composite_ops(root: Path, version: str) -> set[str]:
    """Reference ops that have a composite kernel in torch ``version`` (``composite: true``)."""
    from harness.yamlload import read_data

    out: set[str] = set()
    for name in ("core", "cuda-backed", "llm"):
        path = root / "reference" / f"{name}-{version}.yaml"
        if not path.exists() and name == "llm":
            continue
        doc = read_data(path)
        out |= {o["op"] for o in doc["ops"] if o.get("composite")}
    return out
