"""Sample inputs: a generator driven by each op's schema, and the plumbing that places a sample.

A `Sample` is built once per (op, dtype) on the CPU, in the dtype under test, from a generator
seeded by the op and dtype (so a failure reproduces). It is then *materialised* twice: for the
device (tensors moved there) and for the reference (floating tensors upcast to float64, complex
to complex128, on the CPU). Because the reference sees exactly the dtype-rounded values the device
sees, a difference is the op's rounding, not the input's. Factory arguments are placeholders
(`DTYPE`, `DEVICE`, `OUT`) resolved at materialisation.

The schema-driven generator picks a value for each argument from its type and, where the type
says too little, its name (``dim``, ``size``, ``kernel_size``, ``indices``, ``mask`` ...). It is
right for pointwise ops, reductions and most views; the op families it cannot reach (convolution,
pooling, normalisation, indexing, embedding, ...) have explicit samples in `families.py`.
"""

from __future__ import annotations

import warnings
import zlib
from dataclasses import dataclass, field

BASE_SHAPE = (4, 5)  # non-square, so a transposition bug shows
# further shapes the schema-driven generator tries, in order, when the reference rejects the
# previous one: batched images (N, C, H, W) and volumes (N, C, D, H, W) for convolution, pooling,
# padding and upsampling ops whose schema says only "Tensor"
RANK_SHAPES = (BASE_SHAPE, (2, 3, 6, 7), (1, 2, 4, 5, 6))


class NoSample(Exception):
    """No valid sample input exists for this op and dtype (the row's outcome is ``no-sample``)."""


class _Placeholder:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


DTYPE = _Placeholder("DTYPE")    # the dtype under test (float64 in the reference)
DEVICE = _Placeholder("DEVICE")  # the device under test ("cpu" in the reference)
OUT = _Placeholder("OUT")        # an empty out= tensor in the dtype under test


@dataclass(frozen=True)
class Host:
    """A tensor that stays on the host in the device call too (to probe host-to-device copies)."""

    tensor: object


@dataclass(frozen=True)
class Exact:
    """A tensor both sides receive in its own dtype: for kernels with no float64 path at all (AMP
    scaling, fake quantisation, int8-weight matmuls take float32 only), the reference then runs
    at that dtype instead of float64, and the record's reason says so."""

    tensor: object


@dataclass
class Sample:
    args: tuple
    kwargs: dict = field(default_factory=dict)


INTEGRAL_FOR = {"float64": "int64", "float32": "int32", "bfloat16": "int16", "float16": "int16"}
COMPLEX_FOR = {"float64": "complex128", "float32": "complex64", "float16": "complex32"}


def dtype_of(name: str):
    import torch

    dt = getattr(torch, name, None)
    if not isinstance(dt, torch.dtype):
        raise ValueError(f"'{name}' is not a torch dtype")
    return dt


def integral_counterpart(name: str) -> str:
    """The integer dtype of the same width, for ops defined only on integers (bitwise ops)."""
    if not dtype_of(name).is_floating_point:
        return name
    return INTEGRAL_FOR.get(name, "int8")


class Ctx:
    """Makes the tensors of one sample: CPU, the dtype under test, a seeded generator."""

    def __init__(self, op_name: str, dtype: str, low: float = -2.0, high: float = 2.0,
                 shape: tuple[int, ...] = BASE_SHAPE):
        import torch

        self.shape = tuple(shape)  # the schema-driven generator's tensor shape
        self.torch = torch
        self.dtype_name = dtype
        self.dtype = dtype_of(dtype)
        self.low, self.high = low, high
        self.gen = torch.Generator().manual_seed(zlib.crc32(f"{op_name}|{dtype}".encode()))

    # -- tensors in the dtype under test -------------------------------------------------------
    def t(self, *shape, low: float | None = None, high: float | None = None, dtype=None):
        """Uniform values in [low, high) (ints in [low, high) for integer dtypes)."""
        torch, dt = self.torch, dtype or self.dtype
        lo = self.low if low is None else low
        hi = self.high if high is None else high
        if dt == torch.bool:
            return self.mask(*shape)
        if not (dt.is_floating_point or dt.is_complex):
            lo, hi = (-100, 100) if (lo, hi) == (self.low, self.high) else (lo, hi)
            return torch.randint(int(lo), int(hi), shape, generator=self.gen, dtype=torch.int64).to(dt)
        if dt.is_complex:
            real = torch.rand(shape + (2,), generator=self.gen, dtype=torch.float64) * (hi - lo) + lo
            with warnings.catch_warnings():  # "ComplexHalf support is experimental": that is the point
                warnings.simplefilter("ignore")
                return torch.view_as_complex(real).to(dt)
        x = torch.rand(shape, generator=self.gen, dtype=torch.float64) * (hi - lo) + lo
        return self._cast(x, dt)

    def _cast(self, x, dt):
        if dt.itemsize == 1 and dt.is_floating_point:  # float8: no CPU rounding kernel on old torch
            return x.float().to(dt)
        return x.to(dt)

    def nonzero(self, *shape, low: float = 0.25, high: float = 2.0):
        """Magnitudes in [low, high) with random signs: safe divisors."""
        torch = self.torch
        mag = torch.rand(shape, generator=self.gen, dtype=torch.float64) * (high - low) + low
        sign = torch.randint(0, 2, shape, generator=self.gen).to(torch.float64) * 2 - 1
        return self._cast(mag * sign, self.dtype)

    def distinct(self, *shape):
        """Pairwise-distinct values exact in every float dtype: ties would make index outputs
        (argmax, sort, max-pool indices) legitimately differ between backends."""
        torch = self.torch
        n = 1
        for s in shape:
            n *= s
        if n > 240:
            raise NoSample(f"distinct values need <= 240 elements, not {n}")
        perm = torch.randperm(n, generator=self.gen, dtype=torch.int64).to(torch.float64)
        return self._cast(((perm - n // 2) / 8).reshape(shape), self.dtype)

    def quantized(self, *shape, step: float = 0.25):
        """Values on a coarse grid, so comparisons and equalities actually occur."""
        return self._cast((self.t(*shape, dtype=self.torch.float64) / step).round() * step, self.dtype)

    def with_zeros(self, *shape):
        """Random values with about half of them exactly zero (logical ops, any, nonzero)."""
        x = self.t(*shape, dtype=self.torch.float64)
        keep = self.torch.rand(shape, generator=self.gen) < 0.5
        return self._cast(x * keep, self.dtype)

    def specials(self, *shape):
        """Random values with nan, inf and -inf planted (isnan, isinf)."""
        x = self.t(*shape, dtype=self.torch.float64).flatten()
        x[0], x[1], x[2] = float("nan"), float("inf"), float("-inf")
        return self._cast(x.reshape(shape), self.dtype)

    # -- tensors of fixed dtype --------------------------------------------------------------------
    def index(self, *shape, high: int):
        """int64 indices in [0, high)."""
        return self.torch.randint(0, high, shape, generator=self.gen, dtype=self.torch.int64)

    def perm(self, n: int, k: int | None = None):
        """k distinct int64 indices below n (unique, so scatter/index_put stay deterministic)."""
        return self.torch.randperm(n, generator=self.gen, dtype=self.torch.int64)[: k or n]

    def mask(self, *shape):
        return self.torch.rand(shape, generator=self.gen) < 0.5

    def complex(self, *shape):
        name = COMPLEX_FOR.get(self.dtype_name)
        if name is None:
            raise NoSample(f"{self.dtype_name} has no complex counterpart")
        return self.t(*shape, dtype=dtype_of(name))


# -- the schema-driven generator -------------------------------------------------------------------

INT_BY_NAME = {"dim": 1, "dim1": 0, "dim2": 1, "index": 1, "n": 64, "k": 2, "groups": 1, "group": 1,
               "padding_idx": -1, "offset": 0, "start": 1, "end": 3, "step": 1, "num_weights": 10}
LIST_BY_NAME = {"dim": [1], "dims": [1], "pad": [1, 1], "repeats": [2, 1], "normalized_shape": [BASE_SHAPE[-1]]}
FLOAT_BY_NAME = {"p": 0.5, "eps": 1e-5, "momentum": 0.1}
STR_BY_NAME = {"reduce": "sum", "rounding_mode": "floor", "approximate": "none"}


def _base(real_type: str) -> tuple[str, bool]:
    if real_type.startswith("Optional[") and real_type.endswith("]"):
        return real_type[9:-1], True
    return real_type, False


def is_factory(schema) -> bool:
    return not any("Tensor" in str(a.real_type) for a in schema.arguments)


def schema_sample(op, ctx: Ctx, tensor=None) -> Sample:
    """A sample built from ``op``'s schema alone; `NoSample` when an argument type is unknown.

    ``tensor(ctx, shape)`` makes the plain floating inputs (default: ``ctx.t``), so a record can
    ask for non-zero, distinct or quantized values without writing the whole sample.
    """
    schema = op._schema
    factory = is_factory(schema)
    make = tensor or (lambda c, shape: c.t(*shape))
    args, kwargs = [], {}
    for a in schema.arguments:
        value = _value(a, ctx, make, factory)
        if a.kwarg_only:
            kwargs[a.name] = value
        else:
            args.append(value)
    return Sample(tuple(args), kwargs)


def _value(a, ctx: Ctx, make, factory: bool):
    t, optional = _base(str(a.real_type))
    n = a.N or 2
    if a.kwarg_only and a.alias_info is not None and a.alias_info.is_write and t == "Tensor":
        return OUT
    if t == "Tensor":
        if a.name in ("mask", "condition"):
            return ctx.mask(*ctx.shape)
        if a.name in ("index", "indices"):
            return ctx.index(*ctx.shape, high=ctx.shape[-1])
        return None if optional else make(ctx, ctx.shape)
    if t == "ScalarType":
        if a.has_default_value() and a.default_value is not None:
            return a.default_value
        return DTYPE if factory or not optional else None
    if t == "Device":
        return DEVICE if factory or not optional else None
    if a.has_default_value():
        return a.default_value
    if t == "List[Tensor]":
        return [make(ctx, ctx.shape), make(ctx, ctx.shape)]
    if t == "List[Optional[Tensor]]":
        return [ctx.index(3, high=ctx.shape[0])]
    if t in ("int", "SymInt"):
        return INT_BY_NAME.get(a.name, 1)
    if t in ("List[int]", "List[SymInt]"):
        if a.name == "size":
            return list(ctx.shape)
        if a.name == "output_size":  # spatial sizes: the last N dimensions, grown (upsampling)
            k = a.N or min(2, len(ctx.shape))
            return [d + 2 for d in ctx.shape[-k:]]
        return list(LIST_BY_NAME.get(a.name, [1] * n))
    if optional:  # an optional without default, not named above: leave it out
        return None
    if t == "float":
        return FLOAT_BY_NAME.get(a.name, 0.5)
    if t == "number":
        integral = not (ctx.dtype.is_floating_point or ctx.dtype.is_complex)
        return 3 if integral or a.name == "exponent" else 1.5
    if t == "bool":
        return False
    if t == "str":
        if a.name in STR_BY_NAME:
            return STR_BY_NAME[a.name]
    if t == "List[bool]":
        return [True] * (a.N or 1)
    if t in ("List[number]", "List[float]"):  # one per tensor of a List[Tensor] (foreach ops)
        return [1.5, 0.5]
    raise NoSample(f"no generator for argument '{a.name}' of type {a.real_type}")


# -- placing a sample --------------------------------------------------------------------------------

def reference_dtype(dt):
    """The reference dtype of a tensor: float64 / complex128 for floating ones, else unchanged."""
    import torch

    if dt.is_complex:
        return torch.complex128
    if dt.is_floating_point:
        return torch.float64
    return dt


def materialize(obj, device: str, dtype, *, reference: bool):
    """Copy a sample structure for ``device`` (or for the float64 CPU reference).

    Every tensor is copied, so an in-place op can never reach the sample or the other side.
    """
    import torch

    if isinstance(obj, Host):
        return materialize(obj.tensor, "cpu", dtype, reference=reference)
    if isinstance(obj, Exact):
        return obj.tensor.to(device="cpu" if reference else device, copy=True)
    if isinstance(obj, torch.Tensor):
        if reference:
            return obj.to(dtype=reference_dtype(obj.dtype) if dtype.is_floating_point else obj.dtype,
                          copy=True)
        return obj.to(device=device, copy=True)
    if obj is DTYPE:
        return torch.float64 if reference and dtype.is_floating_point else dtype
    if obj is DEVICE:
        return "cpu" if reference else device
    if obj is OUT:
        out_dtype = torch.float64 if reference and dtype.is_floating_point else dtype
        return torch.empty(0, dtype=out_dtype, device="cpu" if reference else device)
    if isinstance(obj, (list, tuple)):
        return type(obj)(materialize(x, device, dtype, reference=reference) for x in obj)
    if isinstance(obj, dict):
        return {k: materialize(v, device, dtype, reference=reference) for k, v in obj.items()}
    return obj


def written_args(op, args: tuple, kwargs: dict) -> list:
    """The arguments the schema marks as mutated (``Tensor(a!)``), out= tensors excluded."""
    found = []
    for i, a in enumerate(op._schema.arguments):
        if a.alias_info is None or not a.alias_info.is_write or a.kwarg_only:
            continue
        if i < len(args):
            found.append(args[i])
    return found
