"""The built tables seen as cells: one `Cell` per (accelerator, column), with state, tier and source.

A value field's cell comes from `spec_values` (absent there = unknown). A derived metric's cell
comes from `accelerators`; it inherits the weakest tier of its inputs and the derived-from-sparse
flag of any input, so a machine balance computed from a press figure is not shown as official.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from harness import listcol
from harness.errors import UserError
from harness.views import fields as F


def clean(v):
    """pandas NA / NaN -> None; numpy scalars -> Python scalars."""
    if v is None:
        return None
    try:
        import pandas as pd

        if v is pd.NA:
            return None
    except ImportError:  # pragma: no cover
        pass
    if isinstance(v, float) and math.isnan(v):
        return None
    return v.item() if hasattr(v, "item") else v


@dataclass
class Cell:
    accelerator_id: str
    field: str
    state: str = "unknown"          # known | undisclosed | unsupported | unknown
    value: float | None = None      # canonical, dense
    text: str | None = None         # text fields and derived classes
    tier: str | None = None
    is_derived: bool = False        # computed by the build (conversion, sparse->dense, metric)
    from_sparse: bool = False       # a dense value derived from a sparse figure (or from such an input)
    basis_unstated: bool = False    # the source does not say dense or sparse (or an input's did not)
    lower_bound: bool = False       # TPP when an unknown precision could raise it
    disputed: bool = False          # an alternative source gives a different value
    source_ids: tuple[str, ...] = ()
    row: dict = field(default_factory=dict)   # the spec_values row, when there is one

    @property
    def numeric(self) -> float | None:
        return self.value if self.state == "known" else None


class Atlas:
    """The dataset tables of one results folder, indexed for views."""

    def __init__(self, results_dir=None):
        from harness.dataset.read import load_table

        self.acc = load_table("accelerators", results_dir=results_dir, require=("accelerator_id", "name"))
        self.values = load_table("spec_values", results_dir=results_dir,
                                 require=("accelerator_id", "field", "state", "value"))
        self.sources = load_table("sources", results_dir=results_dir, require=("source_id", "url", "tier"))
        self.results_dir = results_dir
        self._claims = None
        self.by_id = {r["accelerator_id"]: {k: clean(v) for k, v in r.items()}
                      for r in self.acc.to_dict("records")}
        self._vals: dict[tuple[str, str], dict] = {}
        for r in self.values.to_dict("records"):
            self._vals[(r["accelerator_id"], r["field"])] = {k: clean(v) for k, v in r.items()}
        self.source_by_id = {r["source_id"]: {k: clean(v) for k, v in r.items()}
                             for r in self.sources.to_dict("records")}

    @property
    def claims(self):
        if self._claims is None:
            from harness.dataset.read import load_table

            self._claims = load_table("claims", results_dir=self.results_dir, require=("accelerator_id", "claim"))
        return self._claims

    @property
    def columns(self) -> list[str]:
        return list(self.acc.columns)

    @property
    def value_fields(self) -> list[str]:
        """The spec value fields this dataset has, in the registry's order (`_fields.json`)."""
        return [c for c in self.acc.columns if (F.FIELDS.get(c) or {}).get("value_field")]

    def name(self, acc_id: str) -> str:
        return self.by_id[acc_id].get("name") or acc_id

    def cell(self, acc_id: str, fld: str) -> Cell:
        if fld in F.DERIVED:
            return self._derived(acc_id, fld)
        if fld in F.IDENTITY:
            v = self.by_id[acc_id].get(fld)
            if v is None:
                return Cell(acc_id, fld)
            if isinstance(v, bool):
                v = "yes" if v else "no"
            return Cell(acc_id, fld, state="known", text=str(v))
        r = self._vals.get((acc_id, fld))
        if r is None:
            return Cell(acc_id, fld)
        disputed = bool(r.get("is_disputed"))  # written by the build (harness.dataset.derived)
        return Cell(acc_id, fld, state=r["state"], value=r["value"], text=r.get("value_text"), tier=r.get("tier"),
                    is_derived=bool(r.get("is_derived")), from_sparse=r.get("basis") == "sparse",
                    basis_unstated=r.get("basis") == "unstated",
                    disputed=disputed, source_ids=(r["source_id"],) if r.get("source_id") else (), row=r)

    @property
    def derived(self) -> dict:
        """`derived_values` rows by (accelerator, metric): tier and flags the build wrote."""
        if getattr(self, "_derived_rows", None) is None:
            from harness.dataset import load_table

            try:
                df = load_table("derived_values", results_dir=self.results_dir, require=("accelerator_id", "field"))
                self._derived_rows = {(r["accelerator_id"], r["field"]): {k: clean(v) for k, v in r.items()}
                                      for r in df.to_dict("records")}
            except UserError:  # a dataset built before the build wrote them: no markers
                self._derived_rows = {}
        return self._derived_rows

    def _derived(self, acc_id: str, fld: str) -> Cell:
        v = self.by_id[acc_id].get(fld)
        if v is None:
            return Cell(acc_id, fld)
        d = self.derived.get((acc_id, fld), {})
        cell = Cell(acc_id, fld, state="known", tier=d.get("tier"), is_derived=True,
                    from_sparse=bool(d.get("is_from_sparse")), basis_unstated=bool(d.get("is_basis_unstated")),
                    lower_bound=bool(d.get("is_lower_bound")),
                    source_ids=tuple(listcol.split(d.get("source_ids"))), row=d)
        if isinstance(v, bool):
            cell.text = "yes" if v else "no"
        elif isinstance(v, str):
            cell.text = v
        else:
            cell.value = float(v)
        return cell
