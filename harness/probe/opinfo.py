"""Sample inputs from torch's OpInfo database, turned into calls of one ATen overload.

OpInfo (``torch.testing._internal.common_methods_invocations.op_db``) describes torch's public
ops with sample-input generators that PyTorch's own tests use: several inputs per op, covering
broadcasting, scalars, empty and non-contiguous tensors, keyword options. It describes *torch*
functions (``torch.add``, ``nn.functional.conv2d``), not ATen overloads, so each OpInfo sample is
run on the CPU under a dispatch mode (`torch.utils._python_dispatch.TorchDispatchMode`) that
records the ATen calls it makes; the calls to the overload under probe are its samples. Matching:

* the OpInfos whose ``aten_name`` / ``name`` is the overload's base name (``add_.Tensor`` and
  ``add.out`` look for ``add``); a ``*_backward`` op looks for its forward op's OpInfos and records
  the calls made by a backward pass;
* an in-place overload (``add_``) takes the functional call's arguments; an ``out=`` overload
  takes them plus empty ``out`` tensors of the outputs' dtypes (placeholders for floating ones).

This module is optional by design: ``torch.testing._internal`` is a private test package (it
needs ``expecttest``) and may be missing or change; when it does not import, `samples` returns
nothing and the schema-driven generator is used. Loading ``op_db`` costs seconds once per worker,
so only ops without a record of their own ask for it.
"""

from __future__ import annotations

import functools
import itertools

MAX_SAMPLES = 4        # samples kept per (op, dtype)
MAX_TRIED = 24         # OpInfo samples run per OpInfo before giving up
MAX_ELEMENTS = 1 << 16  # skip huge samples: a probe is about correctness, not throughput
TRACED_SAMPLES = 30    # samples per OpInfo run to find which ops it reaches (once per torch version)


# (before, after) callables around the one-time load of op_db: the worker tells its parent, which
# then times the load like a start-up, not as the op's own time (`isolation.Worker.call`)
on_load: tuple | None = None


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, list] | None:
    """base op name -> OpInfos; None when OpInfo cannot be imported."""
    if on_load:
        on_load[0]()
    try:
        return _load()
    finally:
        if on_load:
            on_load[1]()


def _load() -> dict[str, list] | None:
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from torch.testing._internal.common_methods_invocations import op_db
    except Exception:  # noqa: BLE001 - any import failure means: no OpInfo here
        return None
    index: dict[str, list] = {}
    for info in op_db:
        for name in {getattr(info, "aten_name", None), info.name.split(".")[-1],
                     getattr(info, "decomp_aten_name", None)}:
            if name:
                index.setdefault(name, []).append(info)
    return index


def available() -> bool:
    return _index() is not None


def _base(overload) -> str:
    name = overload._schema.name.split("::")[-1]
    return name[:-1] if name.endswith("_") and not name.endswith("__") else name


def _packet_base(overload) -> tuple[str, bool]:
    """(forward base name, is a backward op)."""
    base = _base(overload)
    if base.endswith("_backward"):
        return base[: -len("_backward")].lstrip("_"), True
    return base, False


def _traced() -> dict[str, list[str]]:
    """aten overload (``op_id``) -> keys of the OpInfos whose first samples reach it, forward or
    backward: found by running them once under a recording dispatch mode, cached per torch version.
    It finds what names cannot (``nn.functional.interpolate`` reaches ``upsample_nearest2d``)."""
    import json

    d = cache_dir()
    path = d / "traced-index.json" if d else None
    if path is not None and path.is_file():
        try:
            data = json.loads(path.read_text())
            if isinstance(data, dict):
                return data
        except (OSError, ValueError):
            pass
    if on_load:
        on_load[0]()
    try:
        data = _trace_all()
    finally:
        if on_load:
            on_load[1]()
    if path is not None and data:
        import contextlib

        from harness.atomic import atomic_file

        with contextlib.suppress(Exception):
            with atomic_file(path, "w", encoding="utf-8") as fh:
                json.dump(data, fh, sort_keys=True)
    return data


def _key(info) -> str:
    return f"{info.name}|{info.variant_test_name}"


def _trace_all() -> dict[str, list[str]]:
    import torch
    from torch.utils._python_dispatch import TorchDispatchMode
    from torch.utils._pytree import tree_flatten

    if _index() is None:
        return {}
    from torch.testing._internal.common_methods_invocations import op_db

    reached: dict[str, set[str]] = {}
    current = [""]

    class Record(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            reached.setdefault(func.name().removeprefix("aten::"), set()).add(current[0])
            return func(*args, **(kwargs or {}))

    for info in op_db:
        current[0] = _key(info)
        dtype = torch.float32 if torch.float32 in info.supported_dtypes("cpu") else None
        if dtype is None:
            continue
        try:
            grad = info.supports_autograd
            for s in itertools.islice(info.sample_inputs("cpu", dtype, requires_grad=grad), TRACED_SAMPLES):
                with Record():
                    out = info.op(s.input, *s.args, **s.kwargs)
                    leaves = [o for o in tree_flatten(out)[0] if isinstance(o, torch.Tensor) and o.requires_grad]
                    if grad and leaves:
                        torch.autograd.backward(leaves, [torch.ones_like(o) for o in leaves])
        except Exception:  # noqa: BLE001 - an OpInfo whose samples fail here reaches nothing
            continue
    return {op: sorted(keys) for op, keys in reached.items()}


def _infos(overload) -> list:
    index = _index() or {}
    base, backward = _packet_base(overload)
    found = list(index.get(base, []))
    if not found:  # no OpInfo by name: those whose samples reach the op or its functional form
        by_key = {_key(i): i for infos in index.values() for i in infos}
        traced = _traced()
        name = overload.name().removeprefix("aten::")
        packet = name.split(".")[0]
        families = {packet, packet.rstrip("_")}
        if backward:  # a backward op: also the OpInfos that reach its forward op
            families |= {base, packet.removesuffix("_backward")}
        forms = [n for n in traced if n.split(".")[0] in families]
        for form in [name, *forms]:
            found += [by_key[k] for k in traced.get(form, []) if k in by_key and by_key[k] not in found]
        if found:
            return found[:6]
    if base.startswith("_"):
        found += index.get(base.lstrip("_"), [])
    if not found and backward:  # max_pool2d_with_indices_backward -> max_pool2d, native_layer_norm -> layer_norm
        for cut in (base.replace("_with_indices", ""), base.replace("native_", ""), base.split("_")[0]):
            found += index.get(cut, []) + index.get(f"nn.functional.{cut}", [])
            if found:
                break
    return found


def _out_args(schema) -> list:
    return [a for a in schema.arguments if a.kwarg_only and a.alias_info is not None and a.alias_info.is_write]


def _same_inputs(target_schema, other_schema) -> bool:
    """Same input arguments, by name and type (``clamp.out`` takes numbers, ``clamp.Tensor`` tensors)."""
    def inputs(schema):
        outs = {a.name for a in _out_args(schema)}
        return [(a.name, str(a.real_type)) for a in schema.arguments if a.name not in outs]

    return inputs(target_schema) == inputs(other_schema)


def samples(overload, dtype: str) -> list:
    """Up to `MAX_SAMPLES` `Sample`s for ``overload`` in ``dtype`` from OpInfo; [] when there are none.

    Harvested samples are cached per torch version (`cache_dir`), so only the first run on a
    machine pays for loading ``op_db`` and tracing; the cache holds tensors and plain values only
    and is read with ``torch.load(weights_only=True)``, which runs no code from the file.
    """
    if overload.namespace != "aten":  # OpInfo describes torch's own ops only
        return []
    path = _cache_path(overload, dtype)
    cached = _read_cache(path) if path else None
    if cached is not None:
        return cached
    if _index() is None:
        return []
    try:
        found = _harvest(overload, dtype)
    except Exception:  # noqa: BLE001 - OpInfo is a best-effort source; the schema generator remains
        return []
    if path:
        _write_cache(path, found)
    return found


# -- the sample cache ------------------------------------------------------------------------------
CACHE_VERSION = 4  # bump when the harvest or the traced index changes what they keep


def cache_dir():
    """``$ACCEL_CACHE_DIR`` or ``$XDG_CACHE_HOME/accelatlas`` (``~/.cache/accelatlas``), per torch
    version; None when caching is off (``ACCEL_CACHE_DIR=off``)."""
    import os
    from pathlib import Path

    import torch

    root = os.environ.get("ACCEL_CACHE_DIR")
    if root == "off":
        return None
    base = Path(root) if root else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "accelatlas"
    return base / f"opinfo-samples-v{CACHE_VERSION}" / torch.__version__.replace("/", "_")


def _cache_path(overload, dtype: str):
    d = cache_dir()
    if d is None:
        return None
    return d / f"{overload.name().replace('::', '.').replace('/', '_')}.{dtype}.pt"


_MARK = "__accel_placeholder__"


def _encode(obj):
    import torch

    from harness.probe import samples as smp

    for name in ("OUT", "DTYPE", "DEVICE"):
        if obj is getattr(smp, name):
            return (_MARK, name)
    if isinstance(obj, torch.memory_format):
        return (_MARK, "memory_format", str(obj).removeprefix("torch."))
    if isinstance(obj, (list, tuple)):
        return type(obj)(_encode(x) for x in obj)
    if isinstance(obj, dict):
        return {k: _encode(v) for k, v in obj.items()}
    return obj


def _decode(obj):
    import torch

    from harness.probe import samples as smp

    if isinstance(obj, tuple) and len(obj) >= 2 and obj[0] == _MARK:
        return getattr(torch, obj[2]) if obj[1] == "memory_format" else getattr(smp, obj[1])
    if isinstance(obj, (list, tuple)):
        return type(obj)(_decode(x) for x in obj)
    if isinstance(obj, dict):
        return {k: _decode(v) for k, v in obj.items()}
    return obj


def _read_cache(path):
    import torch

    from harness.probe.samples import Sample

    try:
        data = torch.load(path, weights_only=True)
        return [Sample(tuple(_decode(a)), _decode(k)) for a, k in data]
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - an unreadable cache entry is harvested again
        return None


def _write_cache(path, found) -> None:
    import contextlib

    import torch

    from harness.atomic import atomic_file

    with contextlib.suppress(Exception):  # a cache that cannot be written costs time, nothing else
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(path, "wb") as fh:
            torch.save([(_encode(list(s.args)), _encode(dict(s.kwargs))) for s in found], fh)


def _harvest(overload, dtype_name: str) -> list:
    import torch
    from torch.utils._python_dispatch import TorchDispatchMode
    from torch.utils._pytree import tree_flatten, tree_map

    from harness.probe.samples import DEVICE, DTYPE, OUT, Sample

    dtype = getattr(torch, dtype_name)
    infos = [i for i in _infos(overload) if dtype in i.supported_dtypes("cpu")]
    if not infos:
        return []
    _, backward = _packet_base(overload)
    target_schema = overload._schema
    outs = _out_args(target_schema)
    inplace = target_schema.name.endswith("_") and not outs
    packet = overload.overloadpacket
    related = {getattr(packet, n) for n in packet.overloads()}
    functional_name = target_schema.name.split("::")[-1].rstrip("_")
    try:
        functional = getattr(torch.ops.aten, functional_name)
        related |= {getattr(functional, n) for n in functional.overloads()}
    except AttributeError:
        pass
    found: list = []

    def detach(x):
        return x.detach().clone() if isinstance(x, torch.Tensor) else x

    class Capture(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            kwargs = kwargs or {}
            if len(found) < MAX_SAMPLES and func in related:
                call = (func, tree_map(detach, args), tree_map(detach, kwargs))
                out = func(*args, **kwargs)
                found_call(call, out)
                return out
            return func(*args, **kwargs)

    def found_call(call, out):
        func, args, kwargs = call
        if func == overload:
            sample = Sample(tuple(args), dict(kwargs))
        elif outs and not _out_args(func._schema) and _same_inputs(target_schema, func._schema):
            leaves = [o for o in tree_flatten(out)[0] if isinstance(o, torch.Tensor)]
            if len(leaves) != len(outs):
                return
            extra = {a.name: (OUT if o.is_floating_point() else torch.empty(0, dtype=o.dtype))
                     for a, o in zip(outs, leaves, strict=True)}
            kw = {k: v for k, v in kwargs.items() if k not in extra}
            sample = Sample(tuple(args), {**kw, **extra})
        elif inplace and func._schema.name.split("::")[-1] == functional_name and \
                _same_inputs(target_schema, func._schema):
            sample = Sample(tuple(args), dict(kwargs))
        else:
            return
        # factories: the traced call names the CPU and the dtype under test; the probe places them
        if isinstance(sample.kwargs.get("device"), torch.device | str):
            sample.kwargs["device"] = DEVICE
        if sample.kwargs.get("dtype") == dtype:
            sample.kwargs["dtype"] = DTYPE
        sizes = [t.numel() for t in tree_flatten((sample.args, sample.kwargs))[0] if isinstance(t, torch.Tensor)]
        if sum(sizes) <= MAX_ELEMENTS:
            found.append(sample)

    for info in infos:
        gen = info.sample_inputs("cpu", dtype, requires_grad=backward)
        for s in itertools.islice(gen, MAX_TRIED):
            if len(found) >= MAX_SAMPLES:
                return found
            try:
                with Capture():
                    result = info.op(s.input, *s.args, **s.kwargs)
                    if backward:
                        leaves = [r for r in tree_flatten(result)[0]
                                  if isinstance(r, torch.Tensor) and r.requires_grad]
                        if leaves:
                            torch.autograd.backward(leaves, [torch.ones_like(r) for r in leaves])
            except Exception:  # noqa: BLE001 - a sample this op rejects on this build: try the next
                continue
        if len(found) >= MAX_SAMPLES:
            break
    return found
