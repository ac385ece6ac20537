"""Honest timing of a device kernel: warm-up, synchronisation, median of repeats.

* Warm-up runs the step until ``warmup_s`` has passed (at least twice): first-call costs (kernel
  selection, autotuning, lazy initialisation, page faults) stay out of the measurement, and the
  warm-up's pace sizes the timed repeats.
* Each repeat times ``iterations`` back-to-back steps, chosen so one repeat lasts about
  ``target_s``: long enough that timer resolution and launch latency of the first step do not
  matter, short enough that the run stays quick.
* On a backend with timing events (``torch.Event(device, enable_timing=True)``: CUDA, XPU and
  others) the repeat is bracketed by events recorded on the device's stream, so host-side
  overhead that overlaps with device work is not counted; elsewhere the device is synchronised
  before and after and the host clock (``perf_counter``) is read. CPU ops are synchronous.
* The result is the median over repeats (robust to a stray preemption) and the minimum beside it.
* The step receives a running index so callers can rotate buffers (``harness.bench.buffers``);
  the timed region holds nothing but the steps.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from harness.runs.device import has_timing_events, synchronize


@dataclass(frozen=True)
class Timing:
    median_s: float
    min_s: float
    repeats: int
    iterations: int


def measure(step: Callable[[int], object], device_type: str, *, repeats: int = 10, target_s: float = 0.05,
            warmup_s: float = 0.1, max_iterations: int = 10_000, budget_s: float = 3.0) -> Timing:
    """Time ``step(i)``; seconds per step as the median (and min) over ``repeats`` repeats.

    Fewer repeats (never under 3) run when one step is so slow that ``repeats`` would exceed
    ``budget_s``.
    """
    i = 0
    t0 = time.perf_counter()
    while True:
        step(i)
        i += 1
        synchronize(device_type)
        elapsed = time.perf_counter() - t0
        if i >= 2 and elapsed >= warmup_s:
            break
    per_step = elapsed / i
    iterations = max(1, min(max_iterations, math.ceil(target_s / per_step)))
    repeats = max(3, min(repeats, int(budget_s / (per_step * iterations))))
    events = has_timing_events(device_type)
    times = []
    for _ in range(repeats):
        if events:
            import torch

            start = torch.Event(device=device_type, enable_timing=True)
            end = torch.Event(device=device_type, enable_timing=True)
            synchronize(device_type)
            start.record()
            for _ in range(iterations):
                step(i)
                i += 1
            end.record()
            end.synchronize()
            seconds = start.elapsed_time(end) / 1e3
        else:
            synchronize(device_type)
            t = time.perf_counter()
            for _ in range(iterations):
                step(i)
                i += 1
            synchronize(device_type)
            seconds = time.perf_counter() - t
        times.append(seconds / iterations)
    return Timing(statistics.median(times), min(times), repeats, iterations)
