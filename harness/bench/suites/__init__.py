"""The benchmark suites, by name, and the row every case produces.

A suite is a module of this package (the folder is the registry: `harness.plugins`). It declares
what it measures and how its sizes read, so nothing elsewhere branches on a suite's name:

- ``MEASURES``: ``"flop"`` (rates in TFLOPS against the precision's peak) or ``"bytes"`` (rates in
  TB/s against the memory bandwidth);
- ``SIZE_OPTION``: ``(flag, metavar, help, scale)``, the command-line option that sets its sizes
  (each given number is multiplied by ``scale``), and ``size_label(size)`` to print one;
- ``PRECISIONS`` (those it can run), ``DEFAULT_PRECISIONS`` (when none of the requested applies),
  ``default_sizes(device_type)`` and ``run(device, precisions, sizes, *, repeats) -> list[dict]``
  (rows built with `case`).
"""

from __future__ import annotations

PACKAGE = "harness.bench.suites"


def precisions() -> dict:
    """The registry's precision table (short name -> torch dtype, bits, peak fields)."""
    from harness.dataset.fieldinfo import load as fields

    return fields()["precisions"]


def bench_precisions() -> tuple[str, ...]:
    """The precisions a bench row may carry (the registry's `bench_precision` enum)."""
    from harness.dataset.fieldinfo import load as fields

    return tuple(fields()["enums"]["bench_precision"])


def names() -> tuple[str, ...]:
    from harness import plugins

    return plugins.names(PACKAGE)


def load(name: str):
    from harness import plugins

    return plugins.load(PACKAGE, name, "bench suite")


def measures(name: str) -> str:
    """What suite ``name`` measures: "flop" or "bytes"."""
    return load(name).MEASURES


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
        if measures(suite) == "flop":
            row["measured_tflops"] = flop_count / timing.median_s / 1e12
        else:
            row["measured_tbps"] = bytes_moved / timing.median_s / 1e12
    return row
