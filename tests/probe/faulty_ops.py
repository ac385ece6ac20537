"""Fault injection for the probe tests (loaded with ``--import tests/probe/faulty_ops.py``).

Custom ops with a CPU kernel. Outside the float64 reference (that is, in the device call):
``faultinj::crash`` dereferences a null pointer (SIGSEGV), ``faultinj::hang`` never returns, and
``faultinj::sticky`` fails the way a CUDA device-side assert does, after which a real device
context is unusable. ``faultinj::refcrash`` segfaults in the float64 reference itself, as
``_native_batch_norm_legit.no_stats`` does with naive inputs in torch 2.13.0: a harness failure,
never the device's. The probe's schema-driven sample works for all four.
"""

import ctypes
import time

import torch

LIB = torch.library.Library("faultinj", "DEF")
LIB.define("crash(Tensor x) -> Tensor")
LIB.define("hang(Tensor x) -> Tensor")
LIB.define("sticky(Tensor x) -> Tensor")
LIB.define("refcrash(Tensor x) -> Tensor")


def _crash(x):
    if x.dtype != torch.float64:
        ctypes.string_at(0)  # segfault
    return x.clone()


def _refcrash(x):
    ctypes.string_at(0)  # segfault, in the reference first
    return x


def _hang(x):
    while x.dtype != torch.float64:
        time.sleep(0.5)
    return x.clone()


def _sticky(x):
    if x.dtype != torch.float64:
        raise RuntimeError("CUDA error: device-side assert triggered")
    return x.clone()


LIB.impl("crash", _crash, "CompositeExplicitAutograd")
LIB.impl("sticky", _sticky, "CompositeExplicitAutograd")
LIB.impl("hang", _hang, "CompositeExplicitAutograd")
LIB.impl("refcrash", _refcrash, "CompositeExplicitAutograd")
