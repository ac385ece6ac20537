"""Which device a probe or benchmark runs on, and the few device-generic calls both need.

A device is named by its torch device type (`cpu`, `cuda`, `xpu`, `npu`, `mps`, `meta`, or the
name an out-of-tree PrivateUse1 backend registered), optionally with an index (`cuda:1`).
Everything goes through the generic entry points (`torch.get_device_module`, `torch.Event`) so
CUDA, ROCm (which presents itself as `cuda`), XPU, NPU, MPS and PrivateUse1 backends share one
code path; no helper here calls a CUDA-only function. An unknown or absent device is a
`UserError` with one sentence saying why, never a traceback from deep inside torch.

Runs are filed by **software stack**, not by device type (`stack_of`): several stacks present
themselves as the same torch device type. A ROCm build of torch is ``cuda`` with
``torch.version.hip`` set, and files under ``rocm``; an out-of-tree PrivateUse1 backend files
under the stack its registered name maps to in `DEVICE_STACKS` (``npu`` -> ``cann``), or under
its own name when the table does not know it. Stacks that ship a CUDA-compatible torch build
(Alibaba PPU, MetaX MACA, Hygon DTK) are indistinguishable from CUDA or ROCm by torch alone: their
runs are filed with ``accel probe --stack ID``.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass

from harness.errors import UserError

KNOWN_TYPES = ("cpu", "cuda", "xpu", "npu", "mps", "meta")
# torch device type (or a PrivateUse1 backend's registered name) -> stack id (specs/stacks/<id>.yaml
# where the stack has one). Reviewed by hand; a name not listed files under itself.
DEVICE_STACKS = {"cpu": "cpu", "meta": "meta", "cuda": "cuda", "mps": "mps", "xpu": "xpu", "npu": "cann",
                 "musa": "musa", "mlu": "cambricon-neuware", "hpu": "gaudi", "gcu": "gcu"}
PLUGINS = {"npu": "torch_npu (Ascend)", "musa": "torch_musa (Moore Threads)", "mlu": "torch_mlu (Cambricon)",
           "gcu": "torch_gcu (Enflame)", "hpu": "habana_frameworks.torch (Gaudi)"}


@dataclass(frozen=True)
class DeviceInfo:
    """A resolved, available device."""

    type: str
    index: int | None
    name: str
    runtime: str | None  # driver / runtime versions, as the backend reports them
    stack: str = ""      # the software stack the run is filed under (`stack_of`); "" means by type

    @property
    def stack_id(self) -> str:
        return self.stack or stack_of(self.type)

    @property
    def torch_device(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"


def _module(device_type: str):
    import torch

    try:
        return torch.get_device_module(device_type)
    except (RuntimeError, AttributeError):
        return None


def _parse(spec: str) -> tuple[str, int | None]:
    kind, _, idx = spec.strip().partition(":")
    if not kind:
        raise UserError("empty device name")
    if idx and not idx.isdigit():
        raise UserError(f"bad device index in '{spec}' (expected TYPE or TYPE:N)")
    return kind.lower(), int(idx) if idx else None


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "cpu"


def _runtime(device_type: str) -> str | None:
    import torch

    if device_type == "cpu":
        return f"ATen CPU capability {torch.backends.cpu.get_cpu_capability()}; {torch.get_num_threads()} threads"
    if device_type == "cuda":
        parts = []
        if torch.version.cuda:
            parts.append(f"CUDA runtime {torch.version.cuda}")
        if getattr(torch.version, "hip", None):
            parts.append(f"HIP {torch.version.hip}")
        driver = getattr(torch._C, "_cuda_getDriverVersion", None)
        if driver is not None:
            v = driver()
            parts.append(f"driver API {v // 1000}.{v % 1000 // 10}")
        return "; ".join(parts) or None
    if device_type == "xpu":
        return f"XPU runtime {torch.version.xpu}" if getattr(torch.version, "xpu", None) else None
    mod = _module(device_type)
    version = getattr(mod, "version", None) if mod is not None else None
    return str(version) if isinstance(version, str) else None


def resolve(spec: str) -> DeviceInfo:
    """Resolve ``spec`` to an available device, or raise `UserError` saying why it is not."""
    import torch

    kind, index = _parse(spec)
    if kind == "meta":
        return DeviceInfo("meta", None, "meta (shapes only, no data)", None)
    if kind == "cpu":
        return DeviceInfo("cpu", None, _cpu_name(), _runtime("cpu"))
    try:
        torch.device(kind)
    except RuntimeError:
        from harness.problems import did_you_mean

        custom = torch._C._get_privateuse1_backend_name()
        builtin = [t for t in KNOWN_TYPES if t in ("cpu", "cuda", "xpu", "mps", "meta")]
        known = builtin + ([custom] if custom != "privateuseone" else [])
        hint = "" if kind in KNOWN_TYPES else did_you_mean(kind, known + list(KNOWN_TYPES))
        if hint:
            raise UserError(f"unknown device type '{kind}'{hint}; known here: {', '.join(known)}") from None
        plugin = PLUGINS.get(kind, "its out-of-tree backend (a PrivateUse1 plugin)")
        raise UserError(f"torch {torch.__version__} does not know the device type '{kind}': "
                        f"{plugin} is not installed (torch loads installed backends itself; or pass "
                        f"--import MODULE). Known here: {', '.join(known)}") from None
    mod = _module(kind)
    available = getattr(mod, "is_available", None)
    if mod is None or available is None or not available():
        build = f"torch {torch.__version__}"
        raise UserError(f"no {kind} device is available to {build} ({kind}.is_available() is False)")
    count = mod.device_count() if hasattr(mod, "device_count") else 1
    if index is not None and index >= count:
        raise UserError(f"device {kind}:{index} does not exist ({count} {kind} device(s) present)")
    name = kind
    if hasattr(mod, "get_device_name"):
        name = mod.get_device_name(index or 0)
    return DeviceInfo(kind, index, str(name), _runtime(kind))


def is_rocm() -> bool:
    """True when the installed torch is a ROCm (HIP) build: its ``cuda`` device is an AMD GPU."""
    import torch

    return bool(getattr(torch.version, "hip", None))


def privateuse1_name() -> str | None:
    """The name an out-of-tree backend registered for PrivateUse1 (``npu``, ``musa``), or None."""
    import torch

    name = torch._C._get_privateuse1_backend_name()
    return None if name == "privateuseone" else name


def stack_of(device_type: str) -> str:
    """The software stack a run on ``device_type`` is filed under (see the module docstring)."""
    if device_type == "cuda" and is_rocm():
        return "rocm"
    if device_type == "privateuseone":  # the generic name: the backend's registered one says more
        device_type = privateuse1_name() or device_type
    return DEVICE_STACKS.get(device_type, device_type)


def synchronize(device_type: str) -> None:
    """Wait for the device's queued work (a no-op on CPU and meta)."""
    if device_type in ("cpu", "meta"):
        return
    mod = _module(device_type)
    if mod is not None and hasattr(mod, "synchronize"):
        mod.synchronize()


def has_timing_events(device_type: str) -> bool:
    """True when the backend supports ``torch.Event(device, enable_timing=True)``."""
    if device_type in ("cpu", "meta"):
        return False
    import torch

    try:
        torch.Event(device=device_type, enable_timing=True)
    except (RuntimeError, TypeError, ValueError, NotImplementedError):
        return False
    return True
