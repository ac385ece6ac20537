"""The fused kernels LLM engines call, and the collectives, per stack, checked against their files.

Input: ``specs/oplists/llm/kernels.yaml``, a hand-reviewed table naming, per stack and kernel
(fused attention, decode attention, RMSNorm, rotary embedding, SwiGLU, MoE gating, grouped GEMM,
FP8 scaled matmul, sampling; all-reduce, all-gather, reduce-scatter, all-to-all), the symbols the
stack's own published files give for it, and which file. Output: ``llm_kernel_support``, one row
per stack in the file x kernel.

Decisions:

- **A symbol must be in the file it cites.** Each source is an op list in this repository (the
  pytorch snapshot's ``op`` keys, op-plugin's ``custom:`` ``func`` names, FlagGems operator
  ``id``s) or a stack spec whose ``collectives`` capability text names the operation. A listed
  symbol missing from its file is an `InputError` naming the line: the table cannot claim a kernel
  the vendor does not name.
- **Absent is not unsupported.** A kernel with no entry for a stack is ``not-in-files-read``: none
  of the files read names one (the stack's ``_note`` says what is known to be elsewhere), never
  "unsupported".
- Tier ``declared``: these are the vendors' (or the library's) own lists, not measurements.
"""

from __future__ import annotations

from pathlib import Path

from harness.readiness.errors import InputError
from harness.readiness.registry import Context, importer
from harness.readiness.yamlio import check_keys, load

TABLE = Path("oplists") / "llm" / "kernels.yaml"
SOURCE_KINDS = ("op-list", "capability")


def _inputs(ctx: Context) -> list[Path]:
    return [ctx.specs / TABLE]


def _symbols(root: Path, src: dict, path: Path, name: str) -> set[str]:
    """Every name the source file offers (op-list keys, or the collectives capability text)."""
    file = root / src["file"]
    if not file.is_file():
        raise InputError(path, src.line, f"source {name!r}: no file {src['file']}")
    if src["kind"] == "capability":
        doc = load(file)  # a hand-edited stack spec: the strict loader
        detail = ((doc.get("capabilities") or {}).get("collectives") or {}).get("detail") or ""
        return {w.strip(" ,;:()") for w in str(detail).replace(",", " ").split()}
    from harness.yamlload import read_data

    doc = read_data(file)  # an op list as published or generated: data, not hand-checked
    if not isinstance(doc, dict):
        raise InputError(path, src.line, f"source {name!r}: {src['file']} is not a mapping")
    items = doc.get(src["section"]) if src.get("section") else doc.get("entries")
    out = set()
    for item in items or []:
        value = item.get(src["key"]) if isinstance(item, dict) else None
        if value is not None:
            out.add(str(value).split("(")[0].strip())
    return out


def read(path: Path, root: Path) -> list[dict]:
    """The ``llm_kernel_support`` rows of the table at ``path`` (files resolved under ``root``)."""
    doc = load(path)
    check_keys(doc, {"kernels", "collectives", "sources", "stacks"}, {"kernels", "collectives", "sources", "stacks"},
               path, "llm kernel table")
    kinds = {**{k: "fused-kernel" for k in doc["kernels"]}, **{k: "collective" for k in doc["collectives"]}}
    sources, offered = {}, {}
    for name, src in doc["sources"].items():
        check_keys(src, {"kind", "file", "section", "key", "repo", "path", "commit"}, {"kind", "file"},
                   path, f"sources.{name}")
        if src["kind"] not in SOURCE_KINDS:
            raise InputError(path, src.line, f"sources.{name}: kind is one of {', '.join(SOURCE_KINDS)}")
        if src["kind"] == "op-list" and "key" not in src:
            raise InputError(path, src.line, f"sources.{name}: an op-list source needs 'key'")
        sources[name] = src
        offered[name] = _symbols(root, src, path, name)
    rows = []
    for stack, entries in doc["stacks"].items():
        entries = entries or {}
        note = entries.get("_note")
        unknown = sorted(set(entries) - set(kinds) - {"_note"})
        if unknown:
            raise InputError(path, entries.line, f"stacks.{stack}: unknown kernel {unknown[0]!r}; "
                             f"known: {', '.join(kinds)}")
        for kernel, kind in kinds.items():
            e = entries.get(kernel)
            if e is None:
                rows.append({"stack_id": stack, "llm_kernel": kernel, "kernel_kind": kind,
                             "kernel_status": "not-in-files-read", "kernel_symbols": None,
                             "source_repo": None, "source_path": None, "source_commit": None, "locator": None,
                             "note": note})
                continue
            check_keys(e, {"source", "symbols", "note"}, {"source", "symbols"}, path, f"stacks.{stack}.{kernel}")
            src = sources.get(e["source"])
            if src is None:
                raise InputError(path, e.line, f"stacks.{stack}.{kernel}: unknown source {e['source']!r}")
            missing = [s for s in e["symbols"] if str(s) not in offered[e["source"]]]
            if missing:
                raise InputError(path, e.line, f"stacks.{stack}.{kernel}: {', '.join(map(str, missing))} "
                                 f"not in {src['file']}")
            capability = src["kind"] == "capability"
            rows.append({"stack_id": stack, "llm_kernel": kernel, "kernel_kind": kind, "kernel_status": "declared",
                         "kernel_symbols": " | ".join(map(str, e["symbols"])),
                         "source_repo": src.get("repo"), "source_path": src.get("path") or src["file"],
                         "source_commit": src.get("commit"),
                         "locator": ("capabilities.collectives" if capability
                                     else f"{src.get('section') or 'entries'}[].{src['key']}"),
                         "note": e.get("note") or note})
    return rows


@importer("llm_kernels", produces=["llm_kernel_support"], inputs=_inputs)
def run(ctx: Context):
    """Fused LLM kernels and collectives each stack's own files name (specs/oplists/llm/kernels.yaml)."""
    from harness.readiness.frames import frame

    return {"llm_kernel_support": frame("llm_kernel_support", read(ctx.specs / TABLE, ctx.specs.parent))}
