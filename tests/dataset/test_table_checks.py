"""`quick_check` (used by `accel build`) and `check` (pandera: validate --tables, releases, CI)
reach the same verdict, column by column, on the shipped tables and on every kind of breakage."""

from __future__ import annotations

import pandas as pd
import pytest

from harness.dataset.tables import check, quick_check


@pytest.fixture(scope="module")
def shipped():
    from harness import paths
    from harness.dataset.build import build_tables
    from harness.dataset.validate import validate_paths

    report = validate_paths([paths.SPECS], stack_dir=paths.STACK_SPECS)
    assert not report.errors
    return build_tables(report.specs, report.prices)


def _columns(lines):
    return {line.split(": column ", 1)[1].split(":", 1)[0] for line in lines if ": column " in line}


def test_both_pass_the_shipped_tables(shipped):
    for name, df in shipped.items():
        assert quick_check(name, df) == [] and check(name, df) == [], name


def _breakages(acc: pd.DataFrame, values: pd.DataFrame):
    df = acc.copy()
    df.loc[0, "accelerator_id"] = None
    yield "accelerators", df, "accelerator_id"                                  # null where not nullable
    df = acc.copy()
    df.loc[1, "status"] = "rumoured"
    yield "accelerators", df, "status"                                          # outside the enum
    df = acc.copy()
    df.loc[2, "tdp_w"] = -5.0
    yield "accelerators", df, "tdp_w"                                           # below the bound
    df = acc.copy()
    df.loc[2, "tdp_w"] = 1e12
    yield "accelerators", df, "tdp_w"                                           # above the bound
    df = acc.copy()
    df["tdp_w"] = df["tdp_w"].astype("string")
    yield "accelerators", df, "tdp_w"                                           # wrong dtype
    yield "accelerators", acc.drop(columns=["vendor"]), "vendor"                # a column missing
    df = acc.copy()
    df["extra"] = 1
    yield "accelerators", df, "extra"                                           # an unregistered column
    yield "spec_values", pd.concat([values, values.iloc[[0]]], ignore_index=True), None  # a duplicate key


def test_both_find_every_breakage_in_the_same_column(shipped):
    for name, df, column in _breakages(shipped["accelerators"], shipped["spec_values"]):
        quick, reference = quick_check(name, df), check(name, df)
        assert quick and reference, (name, column, quick, reference)
        if column is not None:
            # pandera names a missing or extra column as the failing value of the table-level check
            assert column in _columns(quick) and column in " ".join(reference), (column, quick, reference)


def test_column_order_is_checked(shipped):
    acc = shipped["accelerators"]
    cols = list(acc.columns)
    swapped = acc[[cols[1], cols[0], *cols[2:]]]
    assert quick_check("accelerators", swapped) and check("accelerators", swapped)


def test_quick_check_is_at_least_as_strict_about_dtypes(shipped):
    """pandera lets numpy float64 pass as the registry's nullable Float64; the build's check does not
    (the build always writes the nullable dtypes, so this only ever catches a builder's slip)."""
    df = shipped["accelerators"].copy()
    df["tdp_w"] = df["tdp_w"].astype("float64")
    assert "tdp_w" in _columns(quick_check("accelerators", df))
