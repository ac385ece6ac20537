"""Intel GPUs (XPU): the ATen overloads torch-xpu-ops registers XPU kernels for.

``yaml/xpu_functions.yaml`` in intel/torch-xpu-ops is a torchgen backend yaml (``backend: XPU``,
``supported: [overload names]``). Names are taken literally: the file lists functional, in-place
and ``out=`` overloads separately, so nothing is inferred from structured delegates. The copy is
the last version before the folder was removed upstream; newer PyTorch carries ``XPU:`` keys in
its own native_functions.yaml (the ``pytorch`` importer's xpu snapshot), so scores for ``xpu``
combine both and list both sources.
"""

from __future__ import annotations

from pathlib import Path

from harness.readiness import snapshot
from harness.readiness.registry import command, snapshot_importer
from harness.errors import UserError
from harness.yamlload import read_data

STACKS = {"xpu": "XPU"}
DESCRIPTION = "Intel torch-xpu-ops yaml/xpu_functions.yaml (ATen ops with XPU kernels)"
FILE = "intel/xpu_functions.yaml"


def entries(doc: dict) -> list[dict]:
    """One declared_supported entry per listed overload (duplicates dropped)."""
    if not isinstance(doc, dict) or not isinstance(doc.get("supported"), list):
        raise UserError(f"{FILE}: expected a mapping with a 'supported:' list")
    if doc.get("backend") != "XPU":
        raise UserError(f"{FILE}: backend is {doc.get('backend')!r}, expected 'XPU'")
    seen, out = set(), []
    for item in doc["supported"]:
        name = str(item.get("func") if isinstance(item, dict) else item).split("(", 1)[0].strip()
        if name and name not in seen:
            seen.add(name)
            out.append({"op": name, "status": "declared_supported", "source": "torch-xpu-ops"})
    return out


def build(upstream: Path) -> dict:
    prov = snapshot.provenance_for(upstream, FILE)
    doc = read_data(upstream / FILE)
    commit = (prov.get("commit") or "unknown")[:9]
    return {"stack": "xpu", "snapshot": f"torch-xpu-ops-{commit}", "importer": "intel",
            "as_of": prov.get("date"), "evaluated_for_torch": None,
            "sources": {"torch-xpu-ops": prov}, "entries": entries(doc)}


@snapshot_importer('intel', STACKS, lambda ctx: [ctx.upstream / FILE], DESCRIPTION)
def run(upstream: Path, oplists: Path) -> list[Path]:
    doc = build(upstream)
    return [snapshot.write(oplists / "xpu" / f"{doc['snapshot']}.yaml", doc, command("intel"))]
