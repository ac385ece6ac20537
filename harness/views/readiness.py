"""Software readiness per stack, read from the built tables only: a one-screen scorecard, then detail.

The scorecard puts stacks in columns (CUDA first, the baseline) and one kind of evidence per row,
each row naming its tier: Core ATen ops (declared kernels; with decomposition, the one rule for
every stack; known test failures and declared gaps; our probe runs), the traced LLM op set
(`harness.readiness.llm`), CUDA-API symbols, MLPerf
results, model families and capabilities, plus rows for any published-measurement tables the build
wrote. A cell with nothing published says "undocumented", never 0 %. Every percentage is printed
with the counts it comes from. The detail (``--detail``) is the op-coverage tables per stack, the
capability checklist and the other evidence tables.
"""

from __future__ import annotations

import json
from pathlib import Path

from harness.views import formats

OWN_TABLES = ("op_evidence", "op_coverage")
GAP_STATUSES = ("declared_unsupported", "known_failure")  # the op_evidence rows the views read
STRUCTURE = ("stacks", "stack_capabilities", "flaggems_backends")  # what the views are laid out by
DENOMINATOR_NOTE = ("note: the tables below are separate evidence with their own denominators "
                    "(CUDA-API symbols, MLPerf submissions, ...), not ATen ops; do not compare "
                    "their percentages with op coverage.")
VIA_NOTE = ("FlagGems is a third-party Triton operator library (stack `flagos`): these are the core "
            "ATen ops its operator list declares, minus those the backend's published black list "
            "excludes; a statement about the library, not the chip vendor's own op coverage.")
UNDOCUMENTED = "undocumented"
# the columns these views read, per table: a file without them (a foreign file, or one built by an
# older accel) is one clear error, never a KeyError later
NEEDED = {
    "op_coverage": {"stack_id", "reference_set", "dtype", "device_scope", "coverage_state", "n_reference_ops",
                    "n_declared_supported", "n_via_decomposition", "n_known_failure", "n_fallback", "n_unknown",
                    "n_measured_pass", "n_measured_fail", "n_declared_unsupported"},
    "stacks": {"stack_id", "stack_name", "vendor", "accelerator_ids"},
    "stack_capabilities": {"stack_id", "capability", "capability_status", "capability_detail", "source_url"},
    "flaggems_backends": {"flaggems_backend", "stack_id", "black_list_path", "black_list_tested"},
    "api_coverage_summary": {"stack_id", "api_family", "symbol_kind", "sdk_version", "compared_against",
                             "n_supported", "n_total"},
    "benchmark_summary": {"accelerator_id", "benchmark_suite", "n_results"},
}
# the stacks the scorecard shows when none are named (the list), CUDA first
DEFAULT_STACKS = ("cuda", "cann", "kunlun-xpu", "ppu-sdk", "rocm", "flagos")


def load_tables(cov_dir: Path, *, scorecard_only: bool = False) -> dict:
    """Every built readiness table under ``cov_dir`` (with ``scorecard_only``, just the tables the
    scorecard reads: `NEEDED` and the rows' ``NEEDS``); the views read nothing else (no YAML)."""
    import pandas as pd

    from harness.errors import UserError

    tables = {}
    for name in ("op_coverage", *STRUCTURE):
        if not (cov_dir / f"{name}.parquet").is_file():
            raise UserError(f"no built readiness table {name} under {cov_dir}: run `accel build` "
                            "(or pass --coverage-dir)")
    needs = {**NEEDED}
    for mod in _scorecard_modules():
        for name, cols in getattr(mod, "NEEDS", {}).items():
            needs[name] = needs.get(name, set()) | set(cols)
    tables["op_coverage"] = pd.read_parquet(cov_dir / "op_coverage.parquet")
    ev = cov_dir / "op_evidence.parquet"
    if ev.exists():
        # the views count core ops with a declared gap (`_ops_with`): only those rows are read
        tables["op_evidence"] = pd.read_parquet(
            ev, columns=["stack_id", "op", "evidence_status", "is_core_op"],
            filters=[("is_core_op", "==", True), ("evidence_status", "in", list(GAP_STATUSES))])
    for p in sorted(cov_dir.glob("*.parquet")):
        if p.stem not in OWN_TABLES and (not scorecard_only or p.stem in needs):
            tables[p.stem] = pd.read_parquet(p)
    for name, cols in needs.items():
        missing = sorted(set(cols) - set(tables[name].columns)) if name in tables else []
        if missing:
            raise UserError(f"{cov_dir / (name + '.parquet')} is not the '{name}' table this accel reads: it lacks "
                            f"{', '.join(missing)} (built by another version? run `accel build`)")
    return tables


def _scorecard_modules() -> list:
    from harness import plugins

    package = "harness.views.scorecard"
    modules = [plugins.load(package, name, "scorecard row") for name in plugins.names(package)]
    return sorted(modules, key=lambda m: getattr(m, "ORDER", 100))


def known_stacks(tables: dict) -> set[str]:
    return set(tables["op_coverage"]["stack_id"]) | set(tables["stacks"]["stack_id"])


def stack_report(stack: str, tables: dict, *, other: bool = True) -> dict:
    """Everything shown for one stack, as plain data (``other=False``: without the other evidence
    tables, which only the detail and JSON show)."""
    from harness import listcol

    st = tables["stacks"]
    row = st[st["stack_id"] == stack]
    spec = {} if row.empty else row.iloc[0].to_dict()
    cov = tables["op_coverage"]
    cov = cov[cov["stack_id"] == stack]
    accels = listcol.split(spec.get("accelerator_ids"))
    found = {}
    for name, df in tables.items() if other else ():
        if name in OWN_TABLES or name in STRUCTURE or name + "_summary" in tables:  # summaries, not raw rows
            continue
        col = next((c for c in ("stack_id", "accelerator_id", "mapped_accelerator_id")
                    if c in df.columns), None)
        if col is None:
            continue
        sel = df[df[col] == stack] if col == "stack_id" else df[df[col].isin(accels)]
        if len(sel):
            found[name] = sel
    capt = tables["stack_capabilities"]
    caps = [{"item": r["capability"], "status": r["capability_status"],
             "detail": None if formats.is_missing(r["capability_detail"]) else r["capability_detail"],
             "source": None if formats.is_missing(r["source_url"]) else r["source_url"]}
            for r in capt[capt["stack_id"] == stack].to_dict("records")]
    return {"stack": stack, "name": spec.get("stack_name") or stack, "vendor": spec.get("vendor"),
            "accelerators": accels, "op_coverage": cov, "capabilities": caps, "other": found,
            "main": {r["reference_set"]: r for r in cov.to_dict("records")
                     if r["dtype"] == "*" and r["device_scope"] == "*"},
            "has_spec": bool(spec), "via_flaggems": via_flaggems(stack, tables)}


def via_flaggems(stack: str, tables: dict) -> list[dict]:
    """Core ATen ops the FlagGems library offers through each of its backends for ``stack``: its
    declared operators minus the backend's published exclusions (resolved counts)."""
    coverage, backends = tables["op_coverage"], tables["flaggems_backends"]
    rows = []
    flag = coverage[(coverage["stack_id"] == "flagos") & (coverage["reference_set"] == "core")
                    & (coverage["dtype"] == "*")]
    for b in backends[backends["stack_id"] == stack].to_dict("records"):
        name, has_list = b["flaggems_backend"], not formats.is_missing(b["black_list_path"])
        scope = name if has_list else "*"
        hit = flag[flag["device_scope"] == scope]
        if hit.empty and has_list:  # a list that excludes no core op: the '*' row holds
            hit = flag[flag["device_scope"] == "*"]
        if hit.empty:
            continue
        r = hit.iloc[0]
        n = int(r["n_reference_ops"])
        tested = formats.cell(b["black_list_tested"]) or None if has_list else None
        rows.append({"backend": f"_{name}", "black_list_tested": tested,
                     "core_ops_offered": int(r["n_declared_supported"]),
                     "core_ops_excluded": int(r["n_declared_unsupported"]), "n_reference_ops": n,
                     "offered_share": int(r["n_declared_supported"]) / n if n else None})
    return rows


# --- the scorecard -------------------------------------------------------------------------------

def of(n, total) -> str:
    """``n/total (p%)``: a share always printed with the counts it comes from."""
    if formats.is_missing(n) or formats.is_missing(total) or not total:
        return UNDOCUMENTED
    return f"{int(n)}/{int(total)} ({100 * int(n) / int(total):.1f}%)"


def _core_row(report: dict, reference_set: str = "core"):
    row = report["main"].get(reference_set)
    return row if row is not None and row["coverage_state"] == "scored" else None


def _ops_with(tables: dict, stack: str, status: str) -> int | None:
    if status not in GAP_STATUSES:  # load_tables reads only these rows
        raise ValueError(f"op_evidence is loaded for {GAP_STATUSES} only, not {status!r}")
    ev = tables.get("op_evidence")
    if ev is None:
        return None
    sel = ev[(ev["stack_id"] == stack) & (ev["evidence_status"] == status) & ev["is_core_op"].astype(bool)]
    return int(sel["op"].nunique())


def _api_cell(tables: dict, stack: str, family: str) -> str:
    if stack == "cuda":
        return "baseline"
    api = tables.get("api_coverage_summary")
    if api is None:
        return UNDOCUMENTED
    sel = api[(api["stack_id"] == stack) & (api["api_family"] == family) & (api["symbol_kind"] == "function")]
    if sel.empty:
        return UNDOCUMENTED
    sel = sel.assign(_v=sel["sdk_version"].astype(str), _c=sel["compared_against"].astype(str))
    r = sel.sort_values(["_v", "_c"]).iloc[-1]
    return f"{of(r['n_supported'], r['n_total'])} vs {r['compared_against']}"


def _mlperf_cell(tables: dict, report: dict) -> str:
    bench = tables.get("benchmark_summary")
    accels = report["accelerators"]
    if bench is None or not accels:
        return UNDOCUMENTED
    sel = bench[bench["accelerator_id"].isin(accels)]
    if sel.empty:
        return UNDOCUMENTED
    per = sel.groupby("benchmark_suite")["n_results"].sum()
    return "; ".join(f"{int(n)} in {suite}" if n else f"none in {suite}" for suite, n in per.items())


def _caps_cell(report: dict) -> str:
    caps = report["capabilities"]
    if not caps:
        return UNDOCUMENTED
    by: dict[str, int] = {}
    for c in caps:
        by[str(c["status"])] = by.get(str(c["status"]), 0) + 1
    return f"{len(caps)} listed: " + ", ".join(f"{n} {s}" for s, n in sorted(by.items(), key=lambda t: -t[1]))


def stack_accelerators(reports: list[dict], results_dir=None) -> dict[str, list[str]]:
    """Per stack, the accelerators its stack file lists plus those whose own spec names the stack
    (the built accelerators table's ``stacks``); the stack file's list alone if that table is absent."""
    from harness import listcol
    from harness.errors import UserError

    out = {r["stack"]: list(r["accelerators"]) for r in reports}
    try:
        from harness.dataset.read import load_table

        acc = load_table("accelerators", results_dir=results_dir, require=("accelerator_id", "stacks"))
    except UserError:
        return out
    for row in acc[["accelerator_id", "stacks"]].to_dict("records"):
        for stack in listcol.split(row["stacks"]):
            if stack in out and row["accelerator_id"] not in out[stack]:
                out[stack].append(row["accelerator_id"])
    return out


def _extra_rows(tables: dict, reports: list[dict]) -> list[list[str]]:
    """Rows from the modules of `harness.views.scorecard` (one per built evidence table), in their
    ``ORDER``; each returns ``[(label, {stack: text})]``."""
    stacks = stack_accelerators(reports)
    rows = []
    for mod in _scorecard_modules():
        for label, cells in mod.rows(tables, stacks):
            rows.append([label] + [cells.get(r["stack"]) or UNDOCUMENTED for r in reports])
    return rows


def scorecard(reports: list[dict], tables: dict) -> tuple[list[str], list[list[str]]]:
    """``(headers, rows)``: one row per kind of evidence, one column per stack."""
    headers = ["evidence (tier)"] + [r["stack"] for r in reports]
    rows = []

    def add(label, fn):
        rows.append([label] + [fn(r) for r in reports])

    def core(fn):
        return lambda r: fn(c) if (c := _core_row(r)) is not None else UNDOCUMENTED

    add("Core ATen: own kernels (declared)", core(lambda c: of(c["n_declared_supported"], c["n_reference_ops"])))
    add("Core ATen: own kernels + via decomposition (declared)",
        core(lambda c: of(c["n_declared_supported"] + c["n_via_decomposition"], c["n_reference_ops"])))
    add("Core ATen: CPU fallback (declared)", core(lambda c: str(int(c["n_fallback"]))))

    def llm(r):
        c = _core_row(r, "llm")
        if c is None:
            return UNDOCUMENTED
        return of(c["n_declared_supported"] + c["n_via_decomposition"], c["n_reference_ops"])

    add("LLM op set (traced): own kernels + via decomposition (declared)", llm)
    add("Core ATen: unknown", core(lambda c: of(c["n_unknown"], c["n_reference_ops"])))

    def gaps(r):
        if _core_row(r) is None:
            return UNDOCUMENTED
        unsup = _ops_with(tables, r["stack"], "declared_unsupported")
        known = _ops_with(tables, r["stack"], "known_failure")
        if unsup is None:
            return UNDOCUMENTED
        return f"{unsup} unsupported, {known} known test failures"

    add("Core ATen ops with a gap in some dtype or product (declared)", gaps)

    def probes(r):
        c = _core_row(r)
        if c is None:
            return "no run"
        p, f = int(c["n_measured_pass"]), int(c["n_measured_fail"])
        return f"{p} pass, {f} fail of {int(c['n_reference_ops'])}" if p + f else "no run"

    add("Core ATen: our probe runs (measured)", probes)
    add("CUDA runtime API functions (declared)", lambda r: _api_cell(tables, r["stack"], "cuda-runtime"))
    add("CUDA driver API functions (declared)", lambda r: _api_cell(tables, r["stack"], "cuda-driver"))
    rows += _extra_rows(tables, reports)
    add("MLPerf Inference results (published measured)", lambda r: _mlperf_cell(tables, r))
    add("Capabilities (declared)", _caps_cell)
    return headers, rows


SCORECARD_NOTE = ("Each cell: count/denominator (share). 'own kernels' = ops a published list names a "
                  "kernel for; 'via decomposition' = ops torch runs through its composite kernels (the "
                  "same rule for every stack, CUDA included); 'undocumented' = nothing published. "
                  "Rules: specs/oplists/README.md. Details: --detail.")


# --- detail --------------------------------------------------------------------------------------

def _op_rows(cov) -> list[list]:
    rows = []
    for r in cov.sort_values(["reference_set", "device_scope", "dtype"]).to_dict("records"):
        n = r["n_reference_ops"]
        if r["coverage_state"] != "scored":
            state = UNDOCUMENTED if r["coverage_state"] == "undocumented" else "no evidence"
            rows.append([r["reference_set"], r["dtype"], r["device_scope"], n, state] + [""] * 7)
            continue
        rows.append([r["reference_set"], r["dtype"], r["device_scope"], n,
                     of(r["n_declared_supported"], n),
                     of(r["n_declared_supported"] + r["n_via_decomposition"], n),
                     f"{r['n_measured_pass']}/{r['n_measured_fail']}", r["n_declared_unsupported"],
                     r["n_known_failure"], r["n_fallback"], of(r["n_unknown"], n),
                     formats.cell(r["as_of_date"]) or formats.cell(r["source_versions"])])
    return rows


OP_HEADERS = ["reference", "dtype", "scope", "ops", "own kernels", "+ decomposition", "measured pass/fail",
              "unsupported", "known failures", "fallback", "unknown", "as of / version"]


def detail_text(reports: list[dict], fmt: str) -> str:
    out = []
    for rep in reports:
        out.append(f"## {rep['name']} ({rep['stack']})" + (f", {rep['vendor']}" if rep["vendor"] else ""))
        if rep["accelerators"]:
            out.append("accelerators: " + ", ".join(rep["accelerators"]))
        cov = rep["op_coverage"]
        main = cov[(cov["dtype"] == "*") & (cov["device_scope"] == "*")]
        detail = cov[((cov["dtype"] != "*") | (cov["device_scope"] != "*")) & (cov["reference_set"] == "core")]
        out.append("\nATen op coverage (tiers counted apart; rules: specs/oplists/README.md)")
        out.append(formats.table(_op_rows(main) or [["no op coverage rows"] + [""] * 11], OP_HEADERS, fmt))
        if len(detail):
            out.append("\nCore ATen ops by dtype and product (dtype rows only where dtypes are published)")
            out.append(formats.table(_op_rows(detail), OP_HEADERS, fmt))
        notes = sorted({n for n in main["note"].dropna()}) if "note" in main else []
        out += [f"note: {n}" for n in notes]
        srcs = sorted({s for v in main["evidence_sources"].dropna() for s in str(v).split(" | ")})
        if srcs:
            out.append("evidence: " + ", ".join(srcs))
        if rep["via_flaggems"]:
            out.append("\nVia FlagGems (core ATen ops offered through its backend for this stack)")
            out.append(formats.table([[v["backend"], v["black_list_tested"] or "none published",
                                       of(v["core_ops_offered"], v["n_reference_ops"]), v["core_ops_excluded"]]
                                      for v in rep["via_flaggems"]],
                                     ["backend", "black list tested", "offered", "excluded"], fmt))
            out.append(f"note: {VIA_NOTE}")
        if rep["capabilities"]:
            out.append(f"\nCapabilities (specs/stacks/{rep['stack']}.yaml)")
            out.append(formats.table([[c["item"], c["status"], c["detail"], c["source"]] for c in rep["capabilities"]],
                                     ["item", "status", "detail", "source"], fmt, maxcolwidths=[None, None, 60, 50]))
        elif not rep["has_spec"]:
            out.append(f"\nno specs/stacks/{rep['stack']}.yaml: capabilities unknown")
        if rep["other"]:
            out.append("\n" + DENOMINATOR_NOTE)
            for name, df in rep["other"].items():
                out.append(f"\n{name} ({len(df)} rows{', first 20' if len(df) > 20 else ''})")
                out.append(formats.table(df.head(20).astype(object).values.tolist(), list(df.columns), fmt,
                                         maxcolwidths=40))
        out.append("")
    return "\n".join(out)


def text(reports: list[dict], tables: dict, fmt: str, *, detail: bool) -> str:
    """The scorecard, then (with ``detail``) every stack's tables, in a text format."""
    headers, rows = scorecard(reports, tables)
    out = ["Software readiness: stacks side by side (CUDA is the baseline)",
           "stacks: " + "; ".join(f"{r['stack']} = {r['name']}" for r in reports),
           formats.table(rows, headers, fmt, maxcolwidths=[34] + [26] * len(reports)), SCORECARD_NOTE, ""]
    if detail:
        out.append(detail_text(reports, fmt))
    return "\n".join(out)


def json_doc(reports: list[dict], tables: dict | None = None) -> dict:
    """What `--format json` prints: ``{stack id: report}`` as plain data (also the web explorer's);
    with ``tables``, each report carries its scorecard column as ``{row label: cell}``."""
    doc = {r["stack"]: {"name": r["name"], "vendor": r["vendor"],
                        "accelerators": r["accelerators"],
                        "op_coverage": json.loads(r["op_coverage"].to_json(orient="records")),
                        "capabilities": r["capabilities"],
                        "via_flaggems": r["via_flaggems"],
                        "other_evidence": {k: json.loads(v.to_json(orient="records"))
                                           for k, v in r["other"].items()},
                        "other_evidence_note": DENOMINATOR_NOTE if r["other"] else None}
           for r in reports}
    if tables is not None:
        headers, rows = scorecard(reports, tables)
        for i, stack in enumerate(headers[1:], start=1):
            doc[stack]["scorecard"] = {row[0]: row[i] for row in rows}
    return doc


def order(stacks: list[str]) -> list[str]:
    """CUDA first (the baseline), the rest as given."""
    return sorted(dict.fromkeys(stacks), key=lambda s: s != "cuda")
