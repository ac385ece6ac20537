"""Names the explorer derives from an accelerator: its page's file name, its search keys, the
grouping of free-text form factors and a year to filter by.

File names: an id `vendor/sku` of the spec-id alphabet becomes `vendor--sku` (one folder level,
so every SKU page links to the site root with one `../`); any other id (a table from elsewhere
may hold anything) becomes a hash, so no id can name a path outside `sku/`.

Search keys are `harness.resolve.normalise` of the id, its tail, the name and every alias (NFKC,
case-folded, without spaces, hyphens, underscores, slashes, dots), the rule `accel compare`
reads names by; the page's script normalises what is typed the same way and matches substrings,
so "昆仑芯", "p800" and "Kunlun P800" all find the Kunlunxin P800.

Form factors are free text in the specs ("SXM module on the 8-GPU HGX B200 baseboard"); the
filter groups them by the first keyword found, in the order of `FORM_GROUPS`, and the column
keeps the full text.
"""

from __future__ import annotations

import hashlib
import re

from harness import listcol
from harness.resolve import normalise

_ID = re.compile(r"^[a-z0-9][a-z0-9.]*(?:-[a-z0-9.]+)*/[a-z0-9][a-z0-9.]*(?:-[a-z0-9.]+)*$")
FORM_GROUPS = (("oam", "OAM"), ("sxm", "SXM"), ("superchip", "superchip"), ("wafer", "wafer-scale"),
               ("instances", "cloud instances only"), ("module", "module or board"), ("board", "module or board"),
               ("pcie", "PCIe card"), ("card", "PCIe card"))


def slug(acc_id: str) -> str:
    """The file name stem of an accelerator's page (and of its JSON and CSV)."""
    if _ID.match(acc_id) and ".." not in acc_id:
        return acc_id.replace("/", "--")
    return "id-" + hashlib.sha256(acc_id.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def search_key(row: dict) -> str:
    """Every name of a row, normalised, joined with '|'."""
    acc_id = str(row.get("accelerator_id"))
    words = [acc_id, acc_id.split("/", 1)[-1], row.get("name"), *listcol.split(row.get("aliases"))]
    return "|".join(dict.fromkeys(normalise(w).replace("|", "") for w in words if isinstance(w, str) and w))


def form_group(text) -> str:
    if not isinstance(text, str) or not text.strip():
        return "not stated"
    low = text.casefold()
    return next((label for key, label in FORM_GROUPS if key in low), "other")


def year(row: dict) -> tuple[str, str]:
    """(four-digit year to filter by, text shown): the release year, else the announcement year."""
    for key, suffix in (("released_date", ""), ("announced_date", " (ann.)")):
        v = row.get(key)
        if isinstance(v, str) and re.match(r"^\d{4}", v):
            return v[:4], v[:4] + suffix
    return "", ""
