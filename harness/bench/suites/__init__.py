"""The benchmark suites, by name, and the row every case produces.

A suite module defines ``PRECISIONS`` (those it can run), ``DEFAULT_PRECISIONS`` (when none of
the requested ones applies), ``default_sizes(device_type)`` and
``run(device, precisions, sizes, *, repeats) -> list[dict]`` (rows built with `case`); it is
imported only when selected.
"""

from __future__ import annotations

import importlib

SUITES = {"gemm": "harness.bench.suites.gemm", "bandwidth": "harness.bench.suites.bandwidth"}


def precisions() -> dict:
    """The registry's precision table (short name -> torch dtype, bits, peak fields)."""
    from harness.dataset.fieldinfo import load as fields

    return fields()["precisions"]


def bench_precisions() -> tuple[str, ...]:
    """The precisions a bench row may carry (the registry's `bench_precision` enum)."""
    from harness.dataset.fieldinfo import load as fields

    return tuple(fields()["enums"]["bench_precision"])


def load(name: str):
    return importlib.import_module(SUITES[name])


def case(suite: str, kernel: str, precision: str, size: int, flop_count: int, bytes_moved: int,
         timing=None, outcome: str = "ok", message: str | None = None) -> dict:
    """One result row (peaks are attached by the runner)."""
    row = {"bench_suite": suite, "kernel": kernel, "precision": precision, "size": int(size),
           "flop_count": int(flop_count), "bytes_moved": int(bytes_moved), "repeats": 0, "iterations": 0,
           "median_ms": None, "min_ms": None, "measured_tflops": None, "measured_tbps": None,
           "bench_outcome": outcome, "message": message}
    if timing is not None:
        row.update(repeats=timing.repeats, iterations=timing.iterations, median_ms=timing.median_s * 1e3,
                   min_ms=timing.min_s * 1e3)
        if suite == "gemm":
            row["measured_tflops"] = flop_count / timing.median_s / 1e12
        else:
            row["measured_tbps"] = bytes_moved / timing.median_s / 1e12
    return row
