"""Fault injection for the probe tests (loaded with ``--import tests/probe/faulty_ops.py``).

Custom ops with a CPU kernel: ``faultinj::crash`` dereferences a null pointer (SIGSEGV, as
``_native_batch_norm_legit.no_stats`` does with naive inputs in torch 2.13.0), ``faultinj::hang``
never returns, and ``faultinj::sticky`` fails (outside the float64 reference) the way a CUDA
device-side assert does, after which a real device context is unusable. The probe's
schema-driven sample works for all three.
"""

import ctypes
import time

import torch

LIB = torch.library.Library("faultinj", "DEF")
LIB.define("crash(Tensor x) -> Tensor")
LIB.define("hang(Tensor x) -> Tensor")
LIB.define("sticky(Tensor x) -> Tensor")


def _crash(x):
    ctypes.string_at(0)  # segfault
    return x


def _hang(x):
    while True:
        time.sleep(0.5)


def _sticky(x):
    if x.dtype != torch.float64:
        raise RuntimeError("CUDA error: device-side assert triggered")
    return x.clone()


LIB.impl("crash", _crash, "CompositeExplicitAutograd")
LIB.impl("sticky", _sticky, "CompositeExplicitAutograd")
LIB.impl("hang", _hang, "CompositeExplicitAutograd")
