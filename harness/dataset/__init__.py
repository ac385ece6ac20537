"""The dataset: the spec-file models and their checks, the field registry, unit conversion, the
build from specs to tables, the derived metrics, and reading the built tables back.

Layer 1 (above the base utilities, below release, runs, readiness and views). `read` is the read
path and imports nothing heavy; `load_table` and `find_table` are re-exported here for callers
that only read.
"""

from harness.dataset.read import TABLE_DIRS, find_table, load_table

__all__ = ["TABLE_DIRS", "find_table", "load_table"]
