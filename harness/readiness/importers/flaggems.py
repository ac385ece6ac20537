"""FlagGems (FlagOS): the ATen overloads a cross-vendor Triton operator library implements.

``conf/operators.yaml`` in flagos-ai/FlagGems lists the library's operators: each has an ``id``,
the ATen overloads it is registered ``for:`` (named as ``native_functions.yaml`` names them),
``labels`` (``aten`` marks a PyTorch ATen operator; others are fused or vLLM kernels), lifecycle
``stages`` (``alpha`` / ``beta`` / ``stable`` with the FlagGems version that reached them, or
``removed``) and, rarely, a ``device:`` list restricting it to some backends.

Read as evidence for the ``flagos`` stack: every overload of a non-removed ``aten`` operator is
``declared_supported``, scoped to its ``device:`` list when it has one, with its latest stage in
the detail. Each vendor backend can exclude operators (its ``op_black_list.yaml`` upstream);
``specs/oplists/mappings/flaggems-backends.yaml`` transcribes those lists, and every excluded
operator's overloads become ``declared_unsupported`` scoped to the backend (``mthreads``,
``metax``, ...), so a backend's scope row says what FlagGems offers on that vendor's chips. This is
a third party's statement about its own library, not a chip vendor's. An exclusion the reviewed
file marks ``kind: test-issue`` (the reason printed upstream is about the test, e.g. a reference
that cannot handle an empty tensor) becomes ``known_failure``, not ``declared_unsupported``.

A few operators are registered ``for:`` names that ``native_functions.yaml`` spells otherwise
(typos such as ``filp``, ``_`` for the overload dot, Python-namespace spellings such as
``linalg.det``); ``specs/oplists/mappings/flaggems-aliases.yaml`` maps each reviewed spelling to
its ATen overload, or lists it as unmapped with a reason. Spellings in neither list are kept as
printed (and then match no reference op).
"""

from __future__ import annotations

from pathlib import Path

from harness.readiness import ALL_DEVICES, snapshot
from harness.readiness.registry import command, snapshot_importer
from harness.errors import UserError
from harness.yamlload import read_data

STACKS = {"flagos": "FlagGems"}
DESCRIPTION = "FlagGems conf/operators.yaml (Triton kernels registered for ATen ops, cross-vendor)"
FILE = "flaggems/operators.yaml"
BACKENDS = Path("mappings") / "flaggems-backends.yaml"
ALIASES = Path("mappings") / "flaggems-aliases.yaml"
STAGES = ("alpha", "beta", "stable", "removed")
EXCLUSION_KINDS = ("failure", "test-issue")


def latest_stage(stages, where: str) -> tuple[str, str | None]:
    """``(stage, version)`` of the last entry of a ``stages:`` list (``[{stable: '1.0'}]``)."""
    if not isinstance(stages, list) or not stages:
        return "unstaged", None
    last = stages[-1]
    if not isinstance(last, dict) or len(last) != 1:
        raise UserError(f"{where}: stages entries are one-key mappings such as {{stable: '1.0'}}; got {last!r}")
    (stage, version), = last.items()
    if stage not in STAGES:
        raise UserError(f"{where}: unknown stage '{stage}'; known: {', '.join(STAGES)}")
    return stage, None if version is None else str(version)


def load_aliases(path: Path) -> dict[str, str]:
    """``{spelling as printed: ATen overload}`` from the reviewed alias file (empty when absent)."""
    if not path.exists():
        return {}
    doc = read_data(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("aliases"), dict):
        raise UserError(f"{path}: expected 'aliases:' (spelling -> {{aten, reason}}) and 'unmapped:'")
    out = {}
    for name, entry in doc["aliases"].items():
        if not isinstance(entry, dict) or not isinstance(entry.get("aten"), str) or not entry.get("reason"):
            raise UserError(f"{path}: aliases.{name}: needs 'aten' (an overload name) and 'reason'")
        out[str(name)] = entry["aten"]
    both = sorted(set(out) & set(doc.get("unmapped") or {}))
    if both:
        raise UserError(f"{path}: spellings both aliased and unmapped: {', '.join(both)}")
    return out


def entries(doc, aliases: dict[str, str] | None = None) -> tuple[list[dict], dict]:
    """Evidence entries and the counts behind them (for the snapshot's record); ``aliases`` maps
    reviewed spellings to ATen overload names."""
    aliases = aliases or {}
    if not isinstance(doc, dict) or not isinstance(doc.get("ops"), list):
        raise UserError(f"{FILE}: expected a mapping with an 'ops:' list")
    out: dict[tuple[str, str], dict] = {}
    counts = {"operators": 0, "aten_operators": 0, "removed": 0, "device_limited": 0, "overloads": 0,
              "aliased": 0}
    for i, op in enumerate(doc["ops"]):
        where = f"{FILE}: ops[{i}]"
        if not isinstance(op, dict) or "id" not in op:
            raise UserError(f"{where}: each operator needs an 'id'")
        counts["operators"] += 1
        if "aten" not in (op.get("labels") or []):
            continue
        counts["aten_operators"] += 1
        stage, version = latest_stage(op.get("stages"), f"{where} ({op['id']})")
        if stage == "removed":
            counts["removed"] += 1
            continue
        devices = op.get("device") or []
        if devices:
            counts["device_limited"] += 1
        scope = ", ".join(str(d) for d in devices) or ALL_DEVICES
        detail = f"FlagGems operator '{op['id']}', {stage}" + (f" since {version}" if version else "")
        for name in op.get("for") or []:
            name = str(name).strip()
            if not name or name == "None":
                continue
            note = detail
            if name in aliases:
                counts["aliased"] += 1
                name, note = aliases[name], f"{detail}; registered as '{name}' (reviewed alias)"
            out.setdefault((name, scope), {"op": name, "status": "declared_supported", "scope": scope,
                                           "source": "flaggems", "detail": note})
    counts["overloads"] = len({op for op, _ in out})
    return list(out.values()), counts


def load_backends(path: Path) -> dict:
    """The reviewed backend file: ``{reviewed: {...}, backends: {name: {...}}}``, shape-checked."""
    doc = read_data(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("backends"), dict) or "reviewed" not in doc:
        raise UserError(f"{path}: expected 'reviewed:' and 'backends:' (name -> stack, black_list, excluded)")
    for name, b in doc["backends"].items():
        if not isinstance(b, dict) or "stack" not in b or "black_list" not in b:
            raise UserError(f"{path}: backends.{name}: needs 'stack' and 'black_list'")
        for op, why in (b.get("excluded") or {}).items():
            if not isinstance(why, (str, dict)) or (isinstance(why, dict) and "reason" not in why):
                raise UserError(f"{path}: backends.{name}.excluded.{op}: a reason, or {{reason, dtypes, kind}}")
            if isinstance(why, dict) and why.get("kind", "failure") not in EXCLUSION_KINDS:
                raise UserError(f"{path}: backends.{name}.excluded.{op}: kind is one of "
                                f"{', '.join(EXCLUSION_KINDS)}; got {why.get('kind')!r}")
    return doc


def exclusion_entries(doc, backends: dict, aliases: dict[str, str] | None = None,
                      ) -> tuple[list[dict], dict, dict, dict[str, dict]]:
    """``declared_unsupported`` entries for each backend's excluded operators; per backend, the
    excluded names with no FlagGems operator of that id and the operators excluded in some dtypes
    only; one source per backend list."""
    from harness.readiness import dtypes

    by_id = {op["id"]: op for op in doc["ops"] if isinstance(op, dict) and "id" in op}
    reviewed = backends["reviewed"]
    rows, unmapped, partial, sources = [], {}, {}, {}
    for name, b in backends["backends"].items():
        if not b.get("black_list"):
            continue
        key = f"black-list-{name}"
        sources[key] = {"repo": reviewed.get("repo"), "commit": reviewed.get("commit"),
                        "path": b["black_list"], "date": b.get("tested")}
        for op_name, why in (b.get("excluded") or {}).items():
            op = by_id.get(op_name)
            if op is None:
                unmapped.setdefault(name, []).append(op_name)
                continue
            if "aten" not in (op.get("labels") or []):
                continue  # a fused or vLLM kernel: not an ATen op, no evidence row
            if isinstance(why, dict) and why.get("dtypes"):
                # failing in some dtypes only: the op is still offered in the others, so no op-level
                # statement; kept in the snapshot's record, not as evidence rows
                partial.setdefault(name, []).append(
                    f"{op_name} ({', '.join(dtypes.normalise(d) or str(d) for d in why['dtypes'])})")
                continue
            reason = why if isinstance(why, str) else why["reason"]
            test_issue = isinstance(why, dict) and why.get("kind") == "test-issue"
            status = "known_failure" if test_issue else "declared_unsupported"
            what = "excluded by the {} backend's tests ({})".format(name, "a test issue" if test_issue else "failed")
            rows += [{"op": str(overload), "status": status, "scope": name, "source": key,
                      "detail": f"{what}: {reason}"}
                     for overload in (str(f).strip() for f in op.get("for") or [])
                     for overload in [(aliases or {}).get(overload, overload)]]
    return rows, unmapped, partial, sources


def build(upstream: Path, oplists: Path | None = None) -> dict:
    prov = snapshot.provenance_for(upstream, FILE)
    doc = read_data(upstream / FILE)
    aliases = load_aliases(Path(oplists) / ALIASES) if oplists is not None else {}
    rows, counts = entries(doc, aliases)
    sources = {"flaggems": prov}
    extra: dict = {}
    backends_file = (oplists or Path()) / BACKENDS
    if oplists is not None and backends_file.exists():
        excl, unmapped, partial, excl_sources = exclusion_entries(doc, load_backends(backends_file), aliases)
        rows += excl
        sources.update(excl_sources)
        extra["count_backend_exclusions"] = len(excl)
        if unmapped:
            extra["unmapped_exclusions"] = unmapped
        if partial:
            extra["partial_dtype_exclusions"] = partial
    commit = (prov.get("commit") or "unknown")[:9]
    return {"stack": "flagos", "snapshot": f"flaggems-{commit}", "importer": "flaggems",
            "as_of": prov.get("date"), "evaluated_for_torch": None, "sources": sources,
            **{f"count_{k}": v for k, v in counts.items()}, **extra, "entries": rows}


@snapshot_importer('flaggems', STACKS, lambda ctx: [ctx.upstream / FILE], DESCRIPTION)
def run(upstream: Path, oplists: Path) -> list[Path]:
    doc = build(upstream, oplists)
    return [snapshot.write(oplists / "flagos" / f"{doc['snapshot']}.yaml", doc, command("flaggems"))]
