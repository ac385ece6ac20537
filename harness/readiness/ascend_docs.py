"""Parse torch_npu's per-API support pages (``docs/zh/api/native_api/pytorch_2-13-0/*.md``).

Each page lists public PyTorch APIs under ``### <api>`` headings, each with a table of products
(Atlas A2 / Atlas A3 training series, Ascend 950DT) marked ✔ (runs) or ✘ (not yet supported),
and sometimes a ``**限制与说明**`` ("limitations") block. In that block ``仅支持`` ("only
supports") introduces a dtype list for an argument; ``不支持`` ("does not support") a dtype list
that is excluded; a ``<term>product</term>`` prefix restricts a line to those products.

Decisions:

* An API not listed is *unknown* (the pages say "not yet verified"), never unsupported.
* Dtype limits are kept only for the primary tensor argument (``input``/``self``/``tensor``);
  limits on ``indices``, ``lr`` and other arguments stay as text in ``detail``.
* An API maps to ATen by name only where the name is exact: ``torch.X``, ``torch.Tensor.X`` and
  ``torch.nn.functional.X`` -> ATen base ``X``; ``torch.linalg.X``/``special.X``/``fft.X`` ->
  ``linalg_X``/``special_X``/``fft_X``; the APIs statement then covers the base's functional
  overloads (its in-place ones for a trailing ``_``). Classes, modules and APIs whose name is not
  an ATen base are returned as unmapped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from harness.readiness import dtypes

PRODUCTS = {"Atlas A2": "Atlas A2", "Atlas A3": "Atlas A3", "Ascend 950DT": "Ascend 950DT"}
_HEADING = re.compile(r"^###\s+(?:<code>.*?</code>\s*)?([\w.]+)\s*$")
_ROW = re.compile(r"^\|\s*<term>([^<]+)</term>\s*\|\s*([✔✘])\s*\|")
_TERM = re.compile(r"<term>([^<]+)</term>")
_ONLY = re.compile(r"`(input|self|tensor)`\s*仅支持(?:输出)?\s*([A-Za-z0-9_，,、 ]+)")
_NOT = re.compile(r"不支持\s*([A-Za-z0-9_，,、 ]+)")
_NAMESPACES = {"linalg": "linalg_", "special": "special_", "fft": "fft_"}


@dataclass
class ApiEntry:
    """One ``### api`` section of a page."""

    api: str
    page: str
    support: dict[str, bool] = field(default_factory=dict)        # product -> ✔
    only: dict[str, set[str]] = field(default_factory=dict)       # product -> dtypes allowed
    excluded: dict[str, set[str]] = field(default_factory=dict)   # product -> dtypes excluded
    limits: list[str] = field(default_factory=list)               # raw limitation lines


def product(term: str) -> str | None:
    """``Atlas A2 训练系列产品`` -> ``Atlas A2``; products outside PRODUCTS -> None."""
    for key, name in PRODUCTS.items():
        if term.strip().startswith(key):
            return name
    return None


def _dtype_list(text: str) -> set[str]:
    parts = re.split(r"[，,、\s]+", text)
    return {d for d in (dtypes.normalise(p) for p in parts if p) if d}


def parse_page(text: str, page: str) -> list[ApiEntry]:
    """All API sections of one page."""
    entries: list[ApiEntry] = []
    cur: ApiEntry | None = None
    in_limits = False
    for line in text.splitlines():
        m = _HEADING.match(line)
        if m:
            cur = ApiEntry(m.group(1), page)
            entries.append(cur)
            in_limits = False
            continue
        if cur is None:
            continue
        row = _ROW.match(line.strip())
        if row:
            p = product(row.group(1))
            if p:
                cur.support[p] = row.group(2) == "✔"
            continue
        if "限制与说明" in line:
            in_limits = True
        if line.strip().startswith("</div>"):
            in_limits = False
        if in_limits and line.strip():
            _limit_line(cur, line)
    return entries


def _limit_line(entry: ApiEntry, line: str) -> None:
    text = line.replace("**限制与说明**：", "").strip(" -")
    if not text:
        return
    entry.limits.append(_TERM.sub(r"\1", text))
    named = [p for p in (product(t) for t in _TERM.findall(text)) if p]
    unknown_product = bool(_TERM.findall(text)) and not named  # e.g. Atlas 训练系列产品 (older)
    if unknown_product:
        return
    scope = named or list(PRODUCTS.values())
    only = _ONLY.search(text)
    if only:
        allowed = _dtype_list(only.group(2))
        if allowed:
            for p in scope:
                entry.only[p] = entry.only.get(p, set()) | allowed
    excl = _NOT.search(text)
    if excl and not only:
        banned = _dtype_list(excl.group(1))
        for p in scope if banned else ():
            entry.excluded[p] = entry.excluded.get(p, set()) | banned


def aten_base(api: str) -> str | None:
    """The ATen base name a public API maps to by name, or None (see module docstring)."""
    parts = api.split(".")
    if len(parts) < 2 or parts[0] != "torch":
        return None
    rest = parts[1:]
    if rest[0] == "Tensor" and len(rest) == 2:
        return rest[1]
    if rest[:2] == ["nn", "functional"] and len(rest) == 3:
        return rest[2]
    if rest[0] in _NAMESPACES and len(rest) == 2:
        return _NAMESPACES[rest[0]] + rest[1]
    if len(rest) == 1:
        return rest[0]
    return None


def evidence(entries: list[ApiEntry], ops_by_base: dict[str, list[tuple[str, str]]],
             scored: tuple[str, ...] = dtypes.SCORED_DTYPES) -> tuple[list[dict], list[str]]:
    """Snapshot entries (product-scoped) and the unmapped API names.

    ``ops_by_base`` maps an ATen base name to its ``(overload, kind)`` pairs. The first API that
    maps to an (op, dtype, product) wins; later APIs on the same op are named in its detail.
    """
    out: dict[tuple, dict] = {}
    unmapped: list[str] = []
    for e in entries:
        base = aten_base(e.api)
        targets = ops_by_base.get(base or "", [])
        want = "inplace" if base and base.endswith("_") else "functional"
        targets = [name for name, kind in targets if kind == want]
        if not targets or not e.support:
            unmapped.append(e.api)
            continue
        limits = "; ".join(e.limits) or None
        for op in targets:
            for prod, ok in e.support.items():
                rows = [("*", "declared_supported" if ok else "declared_unsupported", limits)]
                if ok and prod in e.only:
                    note = f"{e.api}: 仅支持 (only supports) list"
                    rows += [(d, "declared_supported" if d in e.only[prod]
                              else "declared_unsupported", note) for d in scored]
                if ok and prod in e.excluded:
                    note = f"{e.api}: 不支持 (does not support) list"
                    rows += [(d, "declared_unsupported", note) for d in sorted(e.excluded[prod])]
                for dt, status, detail in rows:
                    key = (op, dt, prod)
                    if key in out:
                        out[key]["detail"] = (out[key].get("detail") or "") + f" (also {e.api})"
                        continue
                    row = {"op": op, "status": status, "source": "api-docs", "scope": prod}
                    if dt != "*":
                        row["dtype"] = dt
                    row["detail"] = detail if dt != "*" else (f"{e.api} [{e.page}]"
                                                              + (f": {limits}" if limits else ""))
                    out[key] = row
    return list(out.values()), sorted(set(unmapped))
