"""Software readiness per stack: ATen op coverage by tier, capabilities, other evidence, sources.

examples:
  accel readiness huawei/ascend-910b         stacks of an accelerator (ids from specs/accelerators/)
  accel readiness p800 h100 --format github   names as `accel show` takes them
  accel readiness --stack kunlun-xpu --format json

Op coverage counts every tier apart: measured pass/fail (probe runs), declared supported /
unsupported (published lists), fallback (runs on the CPU), unknown. Other tables (CUDA-API
coverage, MLPerf results) count different things: their denominators are not ATen ops.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from harness import paths
from harness.errors import UserError
from harness.yamlload import read_data

OWN_TABLES = ("op_evidence", "op_coverage")
DENOMINATOR_NOTE = ("note: the tables below are separate evidence with their own denominators "
                    "(CUDA-API symbols, MLPerf submissions, ...), not ATen ops; do not compare "
                    "their percentages with op coverage.")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ids", nargs="*", metavar="ID", help="accelerator id(s) (vendor/sku or sku)")
    parser.add_argument("--stack", action="append", default=[], help="stack id (repeatable)")
    parser.add_argument("--format", choices=["plain", "github", "csv", "json"], default="plain")
    parser.add_argument("--coverage-dir", type=Path, default=paths.RESULTS / "coverage",
                        help="built coverage tables (default: %(default)s; built on the fly if absent)")


def accelerator_stacks(ids: list[str], root: Path = paths.ACCELERATOR_SPECS,
                       accelerators=None) -> dict[str, list]:
    """``{accelerator id: [stack ids]}`` from the spec files' ``stacks:`` lists.

    ``ids`` are read by `harness.resolve` over the accelerators table, as `accel show` reads them
    ("h100", "P800", "昆仑芯 P800"); an unknown or ambiguous one is a `UserError`.
    """
    from harness.resolve import resolve_many

    out = {}
    for acc_id in resolve_many(ids, accelerators):
        spec = root / f"{acc_id}.yaml"
        if not spec.is_file():
            raise UserError(f"{acc_id}: no spec file {spec} (the accelerators table is older than the specs: "
                            "run `accel build`)")
        doc = read_data(spec)
        out[acc_id] = list(doc.get("stacks") or []) if isinstance(doc, dict) else []
    return out


def _tables(cov_dir: Path) -> dict:
    import pandas as pd

    tables = {}
    if (cov_dir / "op_coverage.parquet").exists():
        tables["op_coverage"] = pd.read_parquet(cov_dir / "op_coverage.parquet")
    else:
        from harness.coverage import build

        tables["op_coverage"] = build.build_tables()["op_coverage"]
    for p in sorted(cov_dir.glob("*.parquet")) if cov_dir.is_dir() else []:
        if p.stem not in OWN_TABLES:
            tables[p.stem] = pd.read_parquet(p)
    for name in [n for n in tables if n + "_summary" in tables]:
        del tables[name]  # show the summary, not thousands of symbol rows
    return tables


def stack_report(stack: str, tables: dict) -> dict:
    """Everything shown for one stack, as plain data."""
    spec_path = paths.STACK_SPECS / f"{stack}.yaml"
    spec = read_data(spec_path) if spec_path.exists() else {}
    cov = tables["op_coverage"]
    cov = cov[cov["stack_id"] == stack]
    accels = list(spec.get("accelerators") or [])
    other = {}
    for name, df in tables.items():
        if name == "op_coverage":
            continue
        col = next((c for c in ("stack_id", "accelerator_id", "mapped_accelerator_id")
                    if c in df.columns), None)
        if col is None:
            continue
        sel = df[df[col] == stack] if col == "stack_id" else df[df[col].isin(accels)]
        if len(sel):
            other[name] = sel
    sources = spec.get("sources") or {}
    caps = [{"item": k, "status": (v or {}).get("status"), "detail": (v or {}).get("detail"),
             "source": (sources.get((v or {}).get("source")) or {}).get("url")
             or (v or {}).get("source")}
            for k, v in (spec.get("capabilities") or {}).items()]
    return {"stack": stack, "name": spec.get("name", stack), "vendor": spec.get("vendor"),
            "accelerators": accels, "op_coverage": cov, "capabilities": caps, "other": other,
            "has_spec": bool(spec), "via_flaggems": via_flaggems(stack, tables["op_coverage"])}


def via_flaggems(stack: str, coverage) -> list[dict]:
    """Core ATen ops the FlagGems library offers through each of its backends for ``stack``: its
    declared operators minus the backend's published exclusions (resolved counts)."""
    from harness.coverage.importers import flaggems

    rows = []
    flag = coverage[(coverage["stack_id"] == "flagos") & (coverage["reference_set"] == "core")
                    & (coverage["dtype"] == "*")]
    for name, b in flaggems.backends_for(stack, paths.OPLISTS):
        scope = name if b.get("black_list") else "*"
        hit = flag[flag["device_scope"] == scope]
        if hit.empty and b.get("black_list"):  # a list that excludes no core op: the '*' row holds
            hit = flag[flag["device_scope"] == "*"]
        if hit.empty:
            continue
        r = hit.iloc[0]
        n = int(r["n_reference_ops"])
        rows.append({"backend": f"_{name}", "black_list_tested": b.get("tested") if b.get("black_list") else None,
                     "core_ops_offered": int(r["n_declared_supported"]),
                     "core_ops_excluded": int(r["n_declared_unsupported"]), "n_reference_ops": n,
                     "offered_share": int(r["n_declared_supported"]) / n if n else None})
    return rows


VIA_NOTE = ("FlagGems is a third-party Triton operator library (stack `flagos`): these are the core "
            "ATen ops its operator list declares, minus those the backend's published black list "
            "excludes; a statement about the library, not the chip vendor's own op coverage.")


def _pct(x) -> str:
    import pandas as pd

    return "n/a" if x is None or pd.isna(x) else f"{100 * float(x):.1f}%"


def _s(x) -> str:
    import pandas as pd

    return "" if x is None or pd.isna(x) else str(x)


def _op_rows(cov) -> list[list]:
    rows = []
    for r in cov.sort_values(["reference_set", "device_scope", "dtype"]).itertuples(index=False):
        if r.coverage_state == "undocumented":
            rows.append([r.reference_set, r.dtype, r.device_scope, r.n_reference_ops,
                         "undocumented", "", "", "", "", "", "", _s(r.note)])
            continue
        rows.append([r.reference_set, r.dtype, r.device_scope, r.n_reference_ops,
                     _pct(r.declared_supported_share),
                     f"{r.n_measured_pass}/{r.n_measured_fail}", r.n_declared_supported,
                     r.n_declared_unsupported, r.n_fallback, _pct(r.unknown_share),
                     _s(r.as_of_date) or _s(r.source_versions), _s(r.evidence_sources)])
    return rows


OP_HEADERS = ["reference", "dtype", "scope", "ops", "declared", "measured pass/fail",
              "n declared", "n unsupported", "n fallback", "unknown", "as of / version", "sources"]


def _text(reports: list[dict], fmt: str) -> str:
    from tabulate import tabulate

    tf = "github" if fmt == "github" else "simple"
    out = []
    for rep in reports:
        out.append(f"## {rep['name']} ({rep['stack']})" + (f", {rep['vendor']}" if rep["vendor"] else ""))
        if rep["accelerators"]:
            out.append("accelerators: " + ", ".join(rep["accelerators"]))
        cov = rep["op_coverage"]
        main = cov[(cov["dtype"] == "*") & (cov["device_scope"] == "*")]
        detail = cov[((cov["dtype"] != "*") | (cov["device_scope"] != "*"))
                     & (cov["reference_set"] == "core")]
        out.append("\nATen op coverage (share of reference ops; tiers counted apart)")
        out.append(tabulate(_op_rows(main) or [["no op coverage rows"]], headers=OP_HEADERS,
                            tablefmt=tf))
        if len(detail):
            out.append("\nCore ATen ops by dtype and product (dtype rows: only where dtypes are published)")
            out.append(tabulate(_op_rows(detail), headers=OP_HEADERS, tablefmt=tf))
        notes = {n for n in main["note"].dropna()} if "note" in main else set()
        out += [f"note: {n}" for n in sorted(notes)]
        if rep["via_flaggems"]:
            out.append("\nVia FlagGems (core ATen ops offered through its backend for this stack)")
            out.append(tabulate([[v["backend"], v["black_list_tested"] or "none published", v["core_ops_offered"],
                                  v["core_ops_excluded"], v["n_reference_ops"], _pct(v["offered_share"])]
                                 for v in rep["via_flaggems"]],
                                headers=["backend", "black list tested", "offered", "excluded", "ops", "share"],
                                tablefmt=tf))
            out.append(f"note: {VIA_NOTE}")
        if rep["capabilities"]:
            out.append(f"\nCapabilities (specs/stacks/{rep['stack']}.yaml)")
            out.append(tabulate([[c["item"], c["status"], c["detail"], c["source"]]
                                 for c in rep["capabilities"]],
                                headers=["item", "status", "detail", "source"], tablefmt=tf,
                                maxcolwidths=[None, None, 60, 50]))
        elif not rep["has_spec"]:
            out.append(f"\nno specs/stacks/{rep['stack']}.yaml: capabilities unknown")
        if rep["other"]:
            out.append("\n" + DENOMINATOR_NOTE)
            for name, df in rep["other"].items():
                out.append(f"\n{name} ({len(df)} rows)")
                out.append(tabulate(df.head(20).astype(str).values.tolist(),
                                    headers=list(df.columns), tablefmt=tf, maxcolwidths=40))
        out.append("")
    return "\n".join(out)


def json_doc(reports: list[dict]) -> dict:
    """What `--format json` prints: ``{stack id: report}`` as plain data (also the web explorer's)."""
    return {r["stack"]: {"name": r["name"], "vendor": r["vendor"],
                         "accelerators": r["accelerators"],
                         "op_coverage": json.loads(r["op_coverage"].to_json(orient="records")),
                         "capabilities": r["capabilities"],
                         "via_flaggems": r["via_flaggems"],
                         "other_evidence": {k: json.loads(v.to_json(orient="records"))
                                            for k, v in r["other"].items()},
                         "other_evidence_note": DENOMINATOR_NOTE if r["other"] else None}
            for r in reports}


def run(args: argparse.Namespace) -> int:
    if args.coverage_dir.exists() and not args.coverage_dir.is_dir():
        raise UserError(f"--coverage-dir: {args.coverage_dir} is not a folder")
    stacks: list[str] = []
    for acc, ss in accelerator_stacks(args.ids).items() if args.ids else []:
        if not ss:
            print(f"{acc}: its spec names no software stack")
        stacks += [s for s in ss if s not in stacks]
    stacks += [s for s in args.stack if s not in stacks]
    tables = _tables(args.coverage_dir)
    known = set(tables["op_coverage"]["stack_id"]) | {p.stem for p in paths.STACK_SPECS.glob("*.yaml")}
    if not stacks:
        stacks = sorted(set(tables["op_coverage"]["stack_id"]))
    for s in stacks:
        if s not in known:
            from harness.problems import did_you_mean

            raise UserError(f"unknown stack '{s}'{did_you_mean(s, sorted(known))}")
    reports = [stack_report(s, tables) for s in stacks]
    if args.format == "csv":
        import pandas as pd

        from harness.safetext import csv_frame

        print(csv_frame(pd.concat([r["op_coverage"] for r in reports])).to_csv(index=False), end="")
    elif args.format == "json":
        print(json.dumps(json_doc(reports), indent=2, ensure_ascii=False, default=str))
    else:
        print(_text(reports, args.format))
    return 0
