import pytest

torch = pytest.importorskip("torch")

from harness.probe import records, samples  # noqa: E402
from harness.probe.execute import build_sample, run_task  # noqa: E402
from harness.probe.opset import core_ops, resolve  # noqa: E402


def test_a_valid_sample_for_at_least_95_percent_of_the_core_set():
    """Valid = built, and accepted by the float64 CPU reference."""
    valid = []
    for name in core_ops():
        op = resolve(name)
        try:
            sdt, sample = build_sample(name, op, "float32")
            dt = samples.dtype_of(sdt)
            args = samples.materialize(sample.args, "cpu", dt, reference=True)
            kwargs = samples.materialize(sample.kwargs, "cpu", dt, reference=True)
            op(*args, **kwargs)
        except Exception:  # noqa: BLE001 - counted, not raised
            continue
        valid.append(name)
    assert len(valid) >= 0.95 * len(core_ops())


def test_samples_are_reproducible_per_op_and_dtype():
    a = samples.Ctx("abs", "float32").t(3, 4)
    b = samples.Ctx("abs", "float32").t(3, 4)
    c = samples.Ctx("neg", "float32").t(3, 4)
    assert torch.equal(a, b) and not torch.equal(a, c)


def test_tensor_makers_respect_their_promises():
    ctx = samples.Ctx("x", "bfloat16")
    d = ctx.distinct(6, 7)
    assert d.dtype == torch.bfloat16 and d.unique().numel() == 42
    nz = ctx.nonzero(100)
    assert bool((nz.abs() >= 0.25).all())
    z = ctx.with_zeros(100)
    assert 0 < int((z == 0).sum()) < 100
    s = ctx.specials(2, 3)
    assert bool(s.isnan().any()) and int(s.isinf().sum()) == 2
    assert ctx.perm(10, 4).unique().numel() == 4
    with pytest.raises(samples.NoSample):
        ctx.distinct(20, 20)
    with pytest.raises(samples.NoSample, match="no complex counterpart"):
        ctx.complex(2)


def test_schema_driven_sample_uses_types_names_and_defaults():
    s = samples.schema_sample(torch.ops.aten.cumsum.default, samples.Ctx("cumsum", "float32"))
    assert s.args[0].shape == samples.BASE_SHAPE and s.args[1] == 1 and s.kwargs == {"dtype": None}
    f = samples.schema_sample(torch.ops.aten.full.default, samples.Ctx("full", "float32"))
    assert f.args[0] == list(samples.BASE_SHAPE)
    assert f.kwargs["dtype"] is samples.DTYPE and f.kwargs["device"] is samples.DEVICE
    o = samples.schema_sample(torch.ops.aten.atan2.out, samples.Ctx("atan2.out", "float32"))
    assert o.kwargs["out"] is samples.OUT
    w = samples.schema_sample(torch.ops.aten.where.self, samples.Ctx("where", "float32"))
    assert w.args[0].dtype == torch.bool


def test_unknown_argument_type_is_no_sample():
    # a required argument of a type the generator cannot make: the row says no-sample, not error
    row = run_task("record_stream", "float32", "cpu")
    assert row["probe_outcome"] == "no-sample" and "no generator for argument 's' of type Stream" in row["message"]


def test_materialize_upcasts_the_reference_and_always_copies():
    x = torch.tensor([1.5, 2.5], dtype=torch.bfloat16)
    idx = torch.tensor([0, 1])
    ref = samples.materialize((x, idx, samples.DTYPE, samples.DEVICE), "cpu", torch.bfloat16, reference=True)
    assert ref[0].dtype == torch.float64 and ref[1].dtype == torch.int64
    assert ref[2] == torch.float64 and ref[3] == "cpu"
    dev = samples.materialize((x,), "cpu", torch.bfloat16, reference=False)
    assert dev[0].dtype == torch.bfloat16 and dev[0].data_ptr() != x.data_ptr()
    ints = samples.materialize((idx, samples.DTYPE), "cpu", torch.int32, reference=True)
    assert ints[1] == torch.int32  # integer ops: the reference keeps the op's own dtype


def test_integer_only_ops_use_the_same_width_integer_dtype():
    assert samples.integral_counterpart("float32") == "int32"
    assert samples.integral_counterpart("bfloat16") == "int16"
    assert samples.integral_counterpart("int64") == "int64"
    row = run_task("bitwise_and.Tensor", "float32", "cpu")
    assert row["sample_dtype"] == "int32" and row["probe_outcome"] == "pass"


def test_every_record_has_a_reason_and_quirks_filter_by_dtype():
    records.lookup("abs")  # loads the built-ins
    assert all(r.reason for r in records._RECORDS.values())
    with pytest.raises(ValueError, match="reason"):
        records.OpRecord("x", "")
    assert records.quirk("cuda", "convolution", "float32") is not None
    assert records.quirk("cuda", "convolution", "bfloat16") is None
    assert records.quirk("cpu", "convolution", "float32") is None


def test_a_plugin_record_replaces_the_built_in_one():
    before = records.lookup("abs")
    try:
        records.register(records.OpRecord("abs", "test", domain=(1.0, 2.0)))
        assert records.lookup("abs").domain == (1.0, 2.0)
    finally:
        if before is None:
            records._RECORDS.pop("abs", None)
        else:
            records.register(before)


def test_an_input_the_reference_rejects_is_the_harness_s_failure():
    before = records.lookup("mm")
    try:
        records.register(records.OpRecord("mm", "test: shapes that cannot be multiplied",
                                          sample=lambda c: samples.Sample((c.t(4, 5), c.t(4, 5)))))
        row = run_task("mm", "float32", "cpu")
    finally:
        records.register(before)
    assert row["probe_outcome"] == "reference-failed" and "cannot be multiplied" in row["message"]


def test_no_cpu_kernel_is_no_reference_or_a_reference_by_decomposition():
    flash = run_task("_flash_attention_backward", "float32", "cpu")
    assert flash["probe_outcome"] == "no-reference" and "no CPU kernel" in flash["message"]
    fwd = run_task("_flash_attention_forward", "float32", "cpu")  # its record writes it with other ops
    assert fwd["probe_outcome"] == "unsupported" and "reference by the op's record" in fwd["note"]
    rms = run_task("_fused_rms_norm_backward", "float32", "cpu")  # CUDA-only kernel, decomposable
    assert "reference by torch's decomposition" in rms["note"]
    assert rms["probe_outcome"] == "unsupported"  # the CPU as the device lacks the kernel: measured, not failed


def test_integer_only_ops_fall_back_to_the_integer_dtype():
    row = run_task("gcd", "float32", "cpu")
    assert row["sample_dtype"] == "int32" and row["probe_outcome"] == "pass"


def test_opinfo_samples_when_torch_s_test_package_imports():
    from harness.probe import opinfo

    if not opinfo.available():
        pytest.skip("torch.testing._internal does not import here (it needs expecttest)")
    row = run_task("add.Tensor", "float32", "cpu")
    assert row["probe_outcome"] == "pass" and row["n_samples"] > 1 and "from opinfo" in row["note"]
    out = run_task("cumsum.out", "float32", "cpu")  # an out= overload: the functional call's inputs + out
    assert out["probe_outcome"] == "pass" and "from opinfo" in out["note"]


def test_16_bit_dtypes_borrow_opinfo_s_float32_samples_cast_where_it_lists_none():
    from harness.probe import opinfo
    from harness.probe.execute import build_samples

    if not opinfo.available():
        pytest.skip("torch.testing._internal does not import here (it needs expecttest)")
    op = resolve("cholesky")
    assert opinfo.samples(op, "bfloat16") == []  # OpInfo declares cholesky for float32/64 only
    sdt, found = build_samples("cholesky", op, "bfloat16")
    assert sdt == "bfloat16" and found and {src for src, _ in found} == {"opinfo-float32"}
    assert all(s.args[0].dtype == torch.bfloat16 for _, s in found)
    row = run_task("cholesky", "bfloat16", "cpu")  # valid inputs; the CPU has no bfloat16 kernel
    assert row["probe_outcome"] == "unsupported" and "from opinfo-float32" in row["note"]
    # a sample with no float32 tensor to cast (complex only) would not exercise bfloat16: not borrowed
    _, fft = build_samples("_fft_c2c", resolve("_fft_c2c"), "bfloat16")
    assert all(src != "opinfo-float32" for src, _ in fft)


def test_schema_samples_try_image_shapes_when_the_reference_wants_them():
    from harness.probe.execute import build_samples

    _, found = build_samples("adaptive_avg_pool2d.out", resolve("adaptive_avg_pool2d.out"), "float32", fallback=True)
    assert [(src, s.args[0].dim()) for src, s in found] == [("schema", 2), ("schema", 4), ("schema", 5)]
    two_d = samples.Ctx("x", "float32", shape=(2, 3, 6, 7))
    s = samples.schema_sample(torch.ops.aten.upsample_nearest2d.default, two_d)
    assert s.args[0].shape == (2, 3, 6, 7) and s.args[1] == [8, 9]


def test_samples_schema_leaves_opinfo_out():
    row = run_task("add.Tensor", "float32", "cpu", samples="schema")
    assert row["probe_outcome"] == "pass" and row["n_samples"] == 1 and "from schema" in row["note"]
