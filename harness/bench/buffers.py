"""Buffer rotation: enough distinct input sets that a kernel never finds its operands in cache.

A benchmark that reuses one small buffer set measures the cache, not the memory system or the
cold-operand kernel. Each case allocates ``k`` sets, ``k * set_bytes >= 2 x last-level cache``,
and iteration ``i`` uses set ``i % k``. Large problems need one set; ``k`` is also capped so the
sets fit a memory budget (a quarter of device memory, 1 GiB on the host).

Cache sizes: on the host, the largest ``/sys/devices/system/cpu/cpu0/cache/index*/size``; on a
device, ``get_device_properties().L2_cache_size`` where the backend reports it, never taken as
less than 256 MiB, because some parts have a last-level cache the property does not report
(AMD's Infinity Cache is 256 MB on MI300X).
"""

from __future__ import annotations

import math
from pathlib import Path

HOST_FALLBACK = 32 << 20
DEVICE_FLOOR = 256 << 20


def _parse_size(text: str) -> int:
    text = text.strip().upper()
    scale = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(text[-1:], 1)
    return int(text.rstrip("KMG") or 0) * scale


def host_cache_bytes() -> int:
    sizes = []
    for f in Path("/sys/devices/system/cpu/cpu0/cache").glob("index*/size"):
        try:
            sizes.append(_parse_size(f.read_text()))
        except (OSError, ValueError):
            continue
    return max(sizes) if sizes else HOST_FALLBACK


def _props(device):
    import torch

    try:
        mod = torch.get_device_module(device.type)
        return mod.get_device_properties(device.index or 0)
    except (RuntimeError, AttributeError, AssertionError):
        return None


def cache_bytes(device) -> int:
    if device.type == "cpu":
        return host_cache_bytes()
    reported = getattr(_props(device), "L2_cache_size", 0) or 0
    return max(int(reported), DEVICE_FLOOR)


def memory_budget(device) -> int:
    if device.type == "cpu":
        return 1 << 30
    total = getattr(_props(device), "total_memory", 0) or (16 << 30)
    return int(total) // 4


def rotation(set_bytes: int, device) -> int:
    """How many buffer sets to rotate through for sets of ``set_bytes``."""
    want = math.ceil(2 * cache_bytes(device) / max(set_bytes, 1))
    fits = max(1, memory_budget(device) // max(set_bytes, 1))
    return max(1, min(want, fits))
