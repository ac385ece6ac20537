"""Software readiness on the site: the per-stack tables and each SKU page's scorecard.

The data is what `accel readiness --format json` prints (`harness.commands.readiness.json_doc`
over `stack_report`), so the site and the terminal report the same counts. Stacks come in
the order: CUDA first (the reference every other stack is measured against), then by name.
Every percentage is printed beside the counts it is computed from. A figure links to its
upstream file at the commit or version it was read from: `op_evidence` names, per stack and
evidence source, the upstream repository, path and commit; other evidence tables carry their
own `source_repo`/`source_path`/`source_commit` or `source_url` columns.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

from harness import listcol
from harness.site.html import esc, link, table
from harness.site.names import slug

ROW_LIMIT = 25
_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_REF = re.compile(r"^[A-Za-z0-9_.=+-]+$")
SOURCE_COLS = ("source_repo", "source_path", "source_commit", "source_line", "source_url", "source_title")


def load(coverage_dir: Path | None, stacks_wanted: list[str]) -> tuple[dict, dict]:
    """({stack: report as `accel readiness --format json` gives it}, {(stack, evidence source): upstream})."""
    if coverage_dir is None or not (coverage_dir / "op_coverage.parquet").is_file():
        return {}, {}
    import pandas as pd

    from harness.views import readiness as R

    tables = R.load_tables(coverage_dir)
    stacks = sorted(set(tables["op_coverage"]["stack_id"]) | set(stacks_wanted))
    stacks.sort(key=lambda s: (s != "cuda", s))
    docs = R.json_doc([R.stack_report(s, tables) for s in stacks], tables)
    upstream = {}
    ev = coverage_dir / "op_evidence.parquet"
    if ev.is_file():
        cols = ["stack_id", "evidence_source", "source_repo", "source_path", "source_commit"]
        df = pd.read_parquet(ev, columns=cols).dropna(subset=["source_repo"]).drop_duplicates()
        for r in df.itertuples(index=False):
            upstream.setdefault((r.stack_id, r.evidence_source), (r.source_repo, r.source_path, r.source_commit))
    return docs, upstream


def upstream_url(repo, path, ref) -> str | None:
    """A GitHub link to ``path`` in ``repo`` at ``ref`` (a commit, or `torch==X` read as tag vX)."""
    if not (isinstance(repo, str) and _REPO.match(repo) and isinstance(ref, str) and _REF.match(ref)):
        return None
    if ref.startswith("torch=="):
        ref = "v" + ref.split("==", 1)[1]
    if not isinstance(path, str) or not path or ".." in path:
        return f"https://github.com/{repo}/tree/{quote(ref)}"
    kind, path = ("tree", path.rsplit("/", 1)[0]) if "*" in path else ("blob", path)
    return f"https://github.com/{repo}/{kind}/{quote(ref)}/{quote(path)}"


def _upstream_link(repo, path, ref) -> str:
    short = ref[:9] if isinstance(ref, str) and re.fullmatch(r"[0-9a-f]{10,40}", ref) else ref
    return link(upstream_url(repo, path, ref), f"{repo} {path or ''} @{short}".replace("  ", " "))


def count(n, total) -> str:
    """``n / total (p%)``: a share always printed with the counts it comes from."""
    if n is None or total in (None, 0):
        return esc("" if n is None else n)
    return f"{int(n)} / {int(total)} ({100 * n / total:.1f}%)"


def _evidence(stack: str, row: dict, upstream: dict) -> str:
    out = []
    for src in listcol.split(row.get("evidence_sources")):
        up = upstream.get((stack, src))
        out.append(f"{esc(src)}: {_upstream_link(*up)}" if up else esc(src))
    return "<br>".join(out)


def op_rows(stack: str, rows: list[dict], upstream: dict) -> list[list[str]]:
    out = []
    for r in rows:
        n = r.get("n_reference_ops")
        if r.get("coverage_state") == "undocumented":
            out.append([esc(r["reference_set"]), esc(r["dtype"]), esc(r["device_scope"]), esc(n), "undocumented",
                        "", "", "", "", "", "", ""])  # the note follows the table
            continue
        decomposed = None if r.get("n_declared_supported") is None or r.get("n_via_decomposition") is None \
            else r["n_declared_supported"] + r["n_via_decomposition"]
        out.append([esc(r["reference_set"]), esc(r["dtype"]), esc(r["device_scope"]), esc(n),
                    count(r.get("n_declared_supported"), n), count(decomposed, n),
                    f"{esc(r.get('n_measured_pass'))} / {esc(r.get('n_measured_fail'))}",
                    esc(r.get("n_declared_unsupported")), esc(r.get("n_fallback")), count(r.get("n_unknown"), n),
                    esc(r.get("as_of_date") or r.get("source_versions") or ""), _evidence(stack, r, upstream)])
    return out


OP_HEADERS = ["reference", "dtype", "scope", "ops", "declared supported", "+ via decomposition", "measured pass / fail",
              "declared unsupported", "CPU fallback", "unknown", "as of / version", "evidence (upstream file)"]


def _caps(doc: dict) -> str:
    rows = [[esc(c.get("item")), esc(c.get("status")), esc(c.get("detail")),
             link(c.get("source"), c.get("source") or "") if c.get("source") else ""]
            for c in doc.get("capabilities") or []]
    return table(["item", "status", "detail", "source"], rows, cls="grid caps") if rows else \
        "<p>No capability checklist for this stack (no stack spec file): capabilities unknown.</p>"


def _via(doc: dict) -> str:
    rows = [[esc(v["backend"]), esc(v.get("black_list_tested") or "none published"),
             count(v.get("core_ops_offered"), v.get("n_reference_ops")), esc(v.get("core_ops_excluded"))]
            for v in doc.get("via_flaggems") or []]
    if not rows:
        return ""
    from harness.views.readiness import VIA_NOTE

    return ("<h4>Via FlagGems</h4>" + table(["backend", "black list tested", "core ops offered", "excluded"], rows)
            + f'<p class="small">{esc(VIA_NOTE)}</p>')


def _other(name: str, records: list[dict]) -> str:
    cols = [c for c in (records[0] if records else {}) if c not in SOURCE_COLS]
    has_src = any(any(r.get(c) for c in SOURCE_COLS) for r in records)
    rows = []
    for r in records[:ROW_LIMIT]:
        cells = [esc(r.get(c)) for c in cols]
        if has_src:
            if r.get("source_repo"):
                cells.append(_upstream_link(r.get("source_repo"), r.get("source_path"), r.get("source_commit")))
            else:
                cells.append(link(r.get("source_url"), r.get("source_title") or r.get("source_url") or ""))
        rows.append(cells)
    more = (f'<p class="small">First {ROW_LIMIT} of {len(records)} rows; all are in the <code>{esc(name)}</code> '
            'table (<a href="downloads.html">downloads</a>).</p>') if len(records) > ROW_LIMIT else ""
    return f"<h4>{esc(name)} ({len(records)} rows)</h4>" + table(cols + (["source"] if has_src else []), rows) + more


def stack_section(stack: str, doc: dict, upstream: dict, known_ids: set, *, full: bool, up: str = "") -> str:
    """One stack: op coverage (main rows; with ``full`` also per dtype/scope and other evidence)."""
    accs = ", ".join(f'<a href="{up}sku/{esc(slug(a))}.html">{esc(a)}</a>' if a in known_ids else esc(a)
                     for a in doc.get("accelerators") or [])
    cov = doc.get("op_coverage") or []
    main = [r for r in cov if r.get("dtype") == "*" and r.get("device_scope") == "*"]
    detail = [r for r in cov if (r.get("dtype") != "*" or r.get("device_scope") != "*")
              and r.get("reference_set") == "core"]
    title = f"{doc.get('name') or stack} ({stack})" + (f", {doc['vendor']}" if doc.get("vendor") else "")
    parts = [f'<section class="stack" id="stack-{esc(stack)}"><h3>{esc(title)}</h3>']
    if accs:
        parts.append(f"<p>Accelerators: {accs}</p>")
    parts.append("<h4>ATen op coverage</h4>" + (table(OP_HEADERS, op_rows(stack, main, upstream)) if main
                                                 else "<p>No op coverage rows.</p>"))
    notes = sorted({r["note"] for r in main if r.get("note")})
    parts += [f'<p class="small">note: {esc(n)}</p>' for n in notes]
    if full and detail:
        parts.append(f"<details><summary>Core ATen ops by dtype and product ({len(detail)} rows)</summary>"
                     + table(OP_HEADERS, op_rows(stack, detail, upstream)) + "</details>")
    parts.append(_via(doc))
    parts.append("<h4>Capabilities</h4>" + _caps(doc))
    if full and doc.get("other_evidence"):
        parts.append(f'<p class="small">{esc(doc.get("other_evidence_note"))}</p>')
        parts += [_other(k, v) for k, v in doc["other_evidence"].items()]
    if not full:
        parts.append(f'<p><a href="{up}readiness.html#stack-{esc(stack)}">All readiness evidence for {esc(stack)}'
                     "</a></p>")
    return "".join(parts) + "</section>"


def scorecard(docs: dict) -> str:
    """The one-screen scorecard of `accel readiness` (the same cells), stacks as columns."""
    with_card = {s: d["scorecard"] for s, d in docs.items() if d.get("scorecard")}
    if not with_card:
        return ""
    labels = list(next(iter(with_card.values())))
    headers = ["evidence (tier)", *with_card]
    rows = [[esc(label)] + [esc(card.get(label, "")) for card in with_card.values()] for label in labels]
    return ('<section id="scorecard"><h2>Scorecard</h2><p class="small">Stacks side by side, CUDA first; '
            "each cell names its tier and the counts its share comes from; \"undocumented\" = nothing "
            "published (never 0 %). Rules: specs/oplists/README.md in the repository.</p>"
            + table(headers, rows, cls="grid scorecard") + "</section>")


def render(docs: dict, upstream: dict, known_ids: set) -> str:
    from harness.site.html import page

    if not docs:
        body = "<h1>Software readiness</h1><p>This results folder has no readiness tables (results/coverage).</p>"
        return page("Readiness", body, active="readiness.html")
    toc = "".join(f'<li><a href="#stack-{esc(s)}">{esc(d.get("name") or s)}</a></li>' for s, d in docs.items())
    card = scorecard(docs)
    sections = "".join(stack_section(s, d, upstream, known_ids, full=True) for s, d in docs.items())
    body = f"""<h1>Software readiness</h1>
<p class="lede">How far each stack is from CUDA: the share of PyTorch's Core ATen operators each stack's
published lists declare supported, measured by our probes, falling back to the CPU, or unknown, each
tier counted apart; the capability checklist; other evidence with its own denominators. The same data as
<code>accel readiness --format json</code>. Every figure links to the upstream file and version it was read
from.</p>{card}<nav aria-label="Stacks"><ul class="toc">{toc}</ul></nav>{sections}"""
    return page("Readiness", body, active="readiness.html")
