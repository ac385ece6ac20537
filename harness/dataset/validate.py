"""Validate spec files: per-file structure (harness/dataset/specmodel.py) plus the rules that compare
fields and files with each other.

Rule ids are stable; contributors search for them. Ratio rules are warnings, because some parts
break a pattern by design; a value silences one with `allow: {rule-id: reason}` (its own source
backs the exception). `--strict` turns warnings into errors.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from harness.dataset import speccache
from harness.dataset.specmodel import Spec, parse_spec
from harness.dataset.stackmodel import parse_stack
from harness.problems import Problem
from harness.yamlload import Loaded, LoadError, load_bytes, read_spec_bytes

RATIO_RULES = (
    # rule id, field, reference field, allowed ratios field/reference
    ("ratio-fp8-bf16", "fp8_tflops", "bf16_tflops", (1.0, 2.0)),
    ("ratio-fp4-fp8", "fp4_tflops", "fp8_tflops", (1.0, 2.0)),
    ("ratio-fp16-bf16", "fp16_tflops", "bf16_tflops", (1.0,)),
    ("ratio-int8-fp8", "int8_tops", "fp8_tflops", (1.0,)),
)
RATIO_TOLERANCE = 0.03
# the most dense TFLOPS (or TOPS) per watt of board power a b-bit path can plausibly reach is
# EFFICIENCY_BOUND / b (20 TFLOPS/W at 16 bits: about ten times the best shipping part); above it a
# figure is a unit slip, a system figure without aggregate_of, or a board power of the wrong part
EFFICIENCY_BOUND = 320.0


@dataclass
class Report:
    specs: list[Spec] = field(default_factory=list)
    stacks: list[dict] = field(default_factory=list)
    prices: list = field(default_factory=list)  # harness.dataset.prices.PriceFile
    problems: list[Problem] = field(default_factory=list)
    n_cached: int = 0  # accelerator files taken from the cache, not parsed

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


SPEC_SUFFIX = ".yaml"


def _walk_yaml(root: Path, problems: list[Problem]) -> list[Path]:
    """The `*.yaml` files below ``root``, never through symbolic links; a file that looks meant
    as a spec but will not be read (`.yml`, `.YAML`, hidden) is reported, never skipped silently."""
    found = []
    for folder, dirs, files in os.walk(root):
        for d in sorted(dirs):
            sub = Path(folder) / d
            if sub.is_symlink():
                problems.append(Problem(_display(sub), 1, "", "is a symbolic link to a folder; its specs are not "
                                        "read (move the folder here instead)", "file-not-regular"))
            elif d.startswith((".", "__")) and d != "__pycache__" and any(
                    f.lower().endswith((".yaml", ".yml")) for _, _, fs in os.walk(sub) for f in fs):
                problems.append(Problem(_display(sub), 1, "", "hidden folder: the spec files in it are not read",
                                        "spec-file-name", "warning"))
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__")) and not (Path(folder) / d).is_symlink())
        for name in sorted(files):
            path = Path(folder) / name
            lower = name.lower()
            if not lower.endswith((".yaml", ".yml")):
                continue
            if name.startswith("."):
                problems.append(Problem(_display(path), 1, "", "hidden file is not read as a spec; rename it "
                                        "without the leading dot, or move it out of the specs folder",
                                        "spec-file-name", "warning"))
            elif not name.endswith(SPEC_SUFFIX):
                problems.append(Problem(_display(path), 1, "", f"spec files end in '{SPEC_SUFFIX}' (lower case); "
                                        f"rename it to {Path(name).stem}{SPEC_SUFFIX} or it is not read",
                                        "spec-file-name"))
            else:
                found.append(path)
    return found


def discover(paths: list[Path], problems: list[Problem] | None = None) -> list[tuple[Path, Path, str]]:
    """(file, root, kind) for every YAML under ``paths``; kind is `accelerator` or `stack`.

    A folder holding `accelerators/` (the specs root) contributes its accelerator and stack files;
    any other folder is read as a folder of accelerator specs. A single file is a stack file when
    its folder is named `stacks`. Misnamed files are reported into ``problems``.
    """
    problems = [] if problems is None else problems
    found = []
    for p in paths:
        if p.is_dir() and not p.is_symlink():
            root = p / "accelerators" if (p / "accelerators").is_dir() else p
            found.extend((f, root, "accelerator") for f in _walk_yaml(root, problems))
            stacks = p / "stacks"
            if root != p and stacks.is_dir():
                found.extend((f, stacks, "stack") for f in _walk_yaml(stacks, problems)
                             if f.parent == stacks and _is_stack_file(f))
            prices = p / "prices"
            if root != p and prices.is_dir():
                found.extend((f, prices, "price") for f in _walk_yaml(prices, problems) if f.parent == prices)
        elif p.is_dir():
            problems.append(Problem(_display(p), 1, "", "is a symbolic link to a folder; give the folder itself",
                                    "file-not-regular"))
        elif p.absolute().parent.name == "stacks":
            found.append((p, p.absolute().parent, "stack"))
        elif p.absolute().parent.name == "prices":
            found.append((p, p.absolute().parent, "price"))
        else:
            root = next((a for a in p.absolute().parents if a.name == "accelerators"), p.absolute().parent.parent)
            found.append((p, root, "accelerator"))
    return found


def _is_stack_file(path: Path) -> bool:
    # published CUDA-API coverage counts live beside the stacks; they are not stack files
    return not path.name.endswith("-cuda-api.yaml")


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _cache_key(raw: bytes, shown: str, file: Path, root: Path) -> str:
    try:
        below = file.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        below = None
    return speccache.key(raw, shown, below)


def _check_identity(spec: Spec, file: Path, root: Path, problems: list[Problem]):
    ident, loaded = spec.identity, spec.loaded
    if "id" in ident:
        try:
            expected = file.absolute().relative_to(root.absolute()).with_suffix("").as_posix()
        except ValueError:
            expected = None
        if expected is not None and ident["id"] != expected:
            problems.append(Problem(spec.path, loaded.line("id"), "id",
                                    f"id '{ident['id']}' does not match the file path (expected '{expected}')",
                                    "id-path-mismatch"))
        if "vendor" in ident and not ident["id"].startswith(ident["vendor"] + "/"):
            problems.append(Problem(spec.path, loaded.line("vendor"), "vendor",
                                    f"vendor '{ident['vendor']}' is not the id's folder", "id-path-mismatch"))
    released = ident.get("released")
    if ident.get("status") == "shipping" and released and released > dt.date.today().isoformat()[: len(released)]:
        problems.append(Problem(spec.path, loaded.line("released"), "released",
                                f"status is shipping but the release date {released} is in the future",
                                "future-release"))


def _check_ratios(spec: Spec, problems: list[Problem]):
    vals = {k: v for k, v in spec.values.items() if v.state == "known" and isinstance(v.figure.canonical, (int, float))}

    def warn(v, rule, message, severity="warning"):
        if rule not in v.allow:
            problems.append(Problem(spec.path, v.line, v.field, message, rule, severity))

    for rule, fld, ref, ratios in RATIO_RULES:
        if fld in vals and ref in vals and vals[ref].figure.canonical > 0:
            r = vals[fld].figure.canonical / vals[ref].figure.canonical
            if not any(abs(r - want) <= RATIO_TOLERANCE * want for want in ratios):
                allowed = " or ".join(f"{x:g}x" for x in ratios)
                warn(vals[fld], rule, f"dense {fld} is {r:.2f}x {ref} (expected {allowed}); "
                     "a sparse figure marked dense? silence with `allow` if by design", )
    tdp = vals.get("tdp_w")
    if tdp is not None and tdp.figure.canonical > 0:
        from harness.dataset.registry import registry

        for name, fdef in registry().peak_fields.items():
            if name in vals and fdef.bits:
                per_w = vals[name].figure.canonical / tdp.figure.canonical
                bound = EFFICIENCY_BOUND / fdef.bits
                if per_w > bound:
                    problems.append(Problem(spec.path, vals[name].line, name,
                                            f"{vals[name].figure.canonical:g} at {tdp.figure.canonical:g} W is "
                                            f"{per_w:.1f} per watt, above the plausible {bound:g} for {fdef.bits}-bit "
                                            "math: a unit slip, a system figure without aggregate_of, or the "
                                            "power of another part?", "implausible-efficiency"))
    if "fp32_tflops" in vals and "tf32_tflops" in vals:
        if vals["fp32_tflops"].figure.canonical > vals["tf32_tflops"].figure.canonical * (1 + RATIO_TOLERANCE):
            warn(vals["fp32_tflops"], "fp32-above-tf32", "FP32 vector throughput exceeds TF32 tensor throughput",
                 severity="error")


def _check_cross(specs: list[Spec], problems: list[Problem], stack_ids: set[str] | None,
                 known_ids: set[str] = frozenset()):
    by_id: dict[str, Spec] = {}
    names: dict[str, tuple[Spec, str]] = {}
    for spec in specs:
        sid = spec.id
        if not sid:
            continue
        if sid in by_id:
            problems.append(Problem(spec.path, spec.loaded.line("id"), "id",
                                    f"duplicate id '{sid}' (also in {by_id[sid].path})", "duplicate-id"))
            continue
        by_id[sid] = spec
        own = {sid.lower(), str(spec.identity.get("name", "")).lower()}
        for i, alias in enumerate(spec.identity.get("aliases", [])):
            key = str(alias).strip().lower()
            if key in names and names[key][0] is not spec:
                problems.append(Problem(spec.path, spec.loaded.line("aliases", i), "aliases",
                                        f"alias '{alias}' also names {names[key][0].id}", "duplicate-alias"))
            names.setdefault(key, (spec, "alias"))
        for key in own:
            if key in names and names[key][0] is not spec:
                problems.append(Problem(spec.path, spec.loaded.line("name"), "name",
                                        f"name '{key}' also names {names[key][0].id}", "duplicate-alias"))
            names.setdefault(key, (spec, "name"))
    for spec in specs:
        for c in spec.claims:
            target = c.get("compared_to")
            if target and target not in by_id and target not in known_ids:
                from harness.problems import did_you_mean

                problems.append(Problem(spec.path, c["_line"], "claims.compared_to",
                                        f"compared_to '{target}' is not an accelerator id{did_you_mean(target, by_id)}",
                                        "dangling-compared-to"))
        if stack_ids is not None:
            for i, st in enumerate(spec.identity.get("stacks", [])):
                if st not in stack_ids:
                    problems.append(Problem(spec.path, spec.loaded.line("stacks", i), "stacks",
                                            f"stack '{st}' has no specs/stacks/{st}.yaml", "unknown-stack", "warning"))
    # identical value vectors: a copy-paste error unless both parts really share silicon and specs
    seen: dict[tuple, Spec] = {}
    for spec in by_id.values():
        vec = tuple(sorted((k, round(v.figure.canonical, 6)) for k, v in spec.values.items()
                           if v.state == "known" and isinstance(v.figure.canonical, (int, float))))
        if len(vec) >= 3:
            if vec in seen and not any("identical-values" in v.allow for v in spec.values.values()):
                problems.append(Problem(spec.path, spec.loaded.line("values"), "values",
                                        f"every numeric value equals those of {seen[vec].id}", "identical-values",
                                        "warning"))
            seen.setdefault(vec, spec)


def _check_price_links(report: Report, known_ids: set[str]):
    """Every price names an accelerator that exists."""
    from harness.problems import did_you_mean

    ids = {s.id for s in report.specs if s.id} | set(known_ids)
    for pf in report.prices:
        for p in pf.prices:
            acc = p.get("accelerator")
            if acc and acc not in ids:
                report.problems.append(Problem(pf.path, p["_line"], "accelerator",
                                               f"'{acc}' is not an accelerator id{did_you_mean(acc, ids)}",
                                               "dangling-accelerator"))


def _check_tiers(report: Report):
    """One document, one tier: the sources table keeps one row per URL, so a URL cited as
    `official` in one file and `estimated` in another is an error where it is cited second."""
    first: dict[str, tuple[str, str]] = {}
    cited = [(spec.path, spec.loaded, spec.sources) for spec in report.specs]
    cited += [(st["_path"], st["_loaded"], st.get("sources", {})) for st in report.stacks if "_loaded" in st]
    cited += [(pf.path, pf.loaded, pf.sources) for pf in report.prices]
    for path, loaded, sources in cited:
        for key, src in sources.items():
            url, tier = str(src.get("url", "")).strip(), src.get("tier")
            if not url or not tier:
                continue
            if url in first and first[url][0] != tier:
                report.problems.append(Problem(path, loaded.line("sources", key, "tier"), f"sources.{key}.tier",
                                               f"{url} is cited as '{tier}' here but as '{first[url][0]}' in "
                                               f"{first[url][1]}: one document has one tier", "tier-conflict"))
            first.setdefault(url, (tier, path))


_GITHUB = re.compile(r"^https?://(?:www\.)?github\.com/([^/]+)/([^/]+)/(?:blob|tree|raw)/([^/]+)/(.+)$")
_RAW = re.compile(r"^https?://raw\.githubusercontent\.com/([^/]+)/([^/]+)/([^/]+)/(.+)$")


def document_of(url: str, version: str | None) -> tuple[str, str | None]:
    """(the document, the version cited): a GitHub file at two commits is one document."""
    m = _GITHUB.match(url) or _RAW.match(url)
    if m:
        owner, repo, ref, path = m.groups()
        return f"github.com/{owner}/{repo}/{path}".lower(), version or ref
    return url.strip(), version


def _check_versions(report: Report):
    """Two SKUs citing different versions of one document read different figures: warn, so the
    older citation is re-read (or the difference explained), as the re-verification policy asks."""
    seen: dict[str, tuple[str, str]] = {}
    for spec in report.specs:
        for key, src in spec.sources.items():
            if not src.get("url") or src.get("superseded") is True:
                continue
            doc, version = document_of(str(src["url"]), src.get("version"))
            if version is None:
                continue
            if doc in seen and seen[doc][0] != version:
                report.problems.append(Problem(spec.path, spec.loaded.line("sources", key), f"sources.{key}",
                                               f"cites {doc} at version {version}, while {seen[doc][1]} cites "
                                               f"version {seen[doc][0]}: re-read the older one, or keep both "
                                               "versions on purpose (a superseded figure as an alternative)",
                                               "version-drift", "warning"))
            seen.setdefault(doc, (version, spec.path))


def _check_stack_links(report: Report):
    """A stack's `accelerators` must exist and agree with the accelerators' own `stacks`."""
    if not report.specs:
        return
    ids = {s.id: s for s in report.specs if s.id}
    for stack in report.stacks:
        sid = stack.get("id")
        for i, acc in enumerate(stack.get("accelerators", [])):
            line = stack["_loaded"].line("accelerators", i)
            if acc not in ids:
                from harness.problems import did_you_mean

                report.problems.append(Problem(stack["_path"], line, "accelerators",
                                               f"'{acc}' is not an accelerator id{did_you_mean(acc, ids)}",
                                               "dangling-accelerator"))
            elif sid not in ids[acc].identity.get("stacks", []):
                report.problems.append(Problem(stack["_path"], line, "accelerators",
                                               f"{acc} does not list stack '{sid}' in its `stacks:`",
                                               "stack-link", "warning"))


# the keys whose lines the cross-file checks cite (`_check_cross`, `_check_tiers`, `_check_versions`)
_KEPT_LINES = ("id", "vendor", "name", "values")
# raw sections of the file that the parsed spec already holds in checked form
_RAW_SECTIONS = ("sources", "values", "claims")


def _release(spec: Spec) -> None:
    """Drop what the per-file checks needed and nothing after them does: the file's line map
    (every key's line) and the raw YAML. The lines the cross-file checks cite are kept, so a
    validation of 5,000 specs holds about a parsed spec per file, not a document and its map."""
    lines = spec.loaded.lines
    kept = {k: lines[k] for k in lines
            if (len(k) == 1 and k[0] in _KEPT_LINES) or (len(k) == 2 and k[0] in ("aliases", "stacks", "sources"))
            or (len(k) == 3 and k[0] == "sources" and k[2] == "tier")}
    spec.loaded = Loaded(spec.loaded.path, None, kept)
    spec.identity = {k: v for k, v in spec.identity.items() if k not in _RAW_SECTIONS}


def validate_paths(paths: list[Path], stack_dir: Path | None = None, cache_dir: Path | None = None,
                   *, cache_read: bool = True) -> Report:
    """Check every file under ``paths``, then the rules across files; see `Report`. With
    ``cache_dir``, an accelerator file whose bytes, path, day, code and schemas are those of a cached
    entry is not parsed again (`speccache`; ``cache_read=False`` parses every file and refreshes
    the entries); the rules across files always run on every spec.

    The cyclic garbage collector is paused while files are read: parsed specs are long-lived
    and acyclic, so each collection would only re-walk everything read so far (a third of the
    time at thousands of specs)."""
    import gc

    paused = gc.isenabled()
    gc.disable()
    try:
        return _validate_paths(paths, stack_dir, cache_dir, cache_read)
    finally:
        if paused:
            gc.enable()


def _validate_paths(paths: list[Path], stack_dir: Path | None, cache_dir: Path | None = None,
                    cache_read: bool = True) -> Report:
    report = Report()
    found = discover(paths, report.problems)
    # ids are paths, so a single file's references resolve against its whole specs folder
    known_ids = {f.relative_to(root).with_suffix("").as_posix()
                 for root in {r for _, r, kind in found if kind == "accelerator"} if root.is_dir()
                 for f in _walk_yaml(root, [])}
    for file, root, kind in found:
        shown = _display(file)
        try:
            raw = read_spec_bytes(file, shown)
            if kind == "accelerator" and cache_dir is not None:
                k = _cache_key(raw, shown, file, root)
                hit = speccache.load(cache_dir, k) if cache_read else None
                if hit is not None:
                    report.specs.append(hit[0])
                    report.problems.extend(hit[1])
                    report.n_cached += 1
                    continue
            loaded = load_bytes(raw, shown)
        except LoadError as exc:
            report.problems.append(Problem(exc.path, exc.line, "", exc.message, exc.rule))
            continue
        if kind == "stack":
            stack, problems = parse_stack(loaded, file.stem)
            report.problems.extend(problems)
            report.stacks.append(stack)
            continue
        if kind == "price":
            from harness.dataset.prices import parse_prices

            pf, problems = parse_prices(loaded, file.stem)
            report.problems.extend(problems)
            report.prices.append(pf)
            continue
        spec, problems = parse_spec(loaded)
        _check_identity(spec, file, root, problems)
        _check_ratios(spec, problems)
        _release(spec)
        if cache_dir is not None:
            speccache.save(cache_dir, k, spec, problems)
        report.problems.extend(problems)
        report.specs.append(spec)
    stack_ids = None
    if stack_dir is not None and stack_dir.is_dir():
        stack_ids = {p.stem for p in stack_dir.glob("*.yaml") if _is_stack_file(p)}
    _check_cross(report.specs, report.problems, stack_ids, known_ids)
    _check_stack_links(report)
    _check_tiers(report)
    _check_versions(report)
    _check_price_links(report, known_ids)
    report.problems.sort(key=lambda p: (p.severity != "error", p.path, p.line, p.rule))
    return report
