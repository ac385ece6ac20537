"""The records' own references (ops with no CPU kernel, written with other ops) and the sample
formats that are not dense floating tensors: each reference is checked against an independent
computation that torch runs on the CPU, so a wrong reference fails here, not on someone's GPU."""

import pytest

torch = pytest.importorskip("torch")

from harness.probe import compare, families_fused, records, samples  # noqa: E402
from harness.probe.execute import build_sample, run_task  # noqa: E402
from harness.probe.opset import resolve  # noqa: E402

WITH_REFERENCE = [r for r in families_fused.FAMILY.records if r.reference is not None]


def _reference_outputs(rec):
    op = resolve(rec.op)
    sdt, sample = build_sample(rec.op, op, "float32", rec)
    dt = samples.dtype_of(sdt)
    args = samples.materialize(sample.args, "cpu", dt, reference=True)
    kwargs = samples.materialize(sample.kwargs, "cpu", dt, reference=True)
    return op, rec.reference(*args, **kwargs), args


@pytest.mark.parametrize("rec", WITH_REFERENCE, ids=lambda r: r.op)
def test_every_reference_runs_and_returns_what_the_schema_returns(rec):
    op, out, _ = _reference_outputs(rec)
    n_returns = len(op._schema.returns)
    leaves = compare.flatten(out)
    assert len(leaves) == n_returns, (rec.op, len(leaves), n_returns)
    compared = rec.outputs if rec.outputs is not None else range(n_returns)
    assert all(isinstance(leaves[i], torch.Tensor) and leaves[i].dtype == torch.float64 for i in compared)
    assert rec.reason and len(rec.reason) > 20


def test_attention_references_equal_torch_s_math_attention():
    q, k, v = (torch.randn(2, 3, 8, 16, dtype=torch.float64) for _ in range(3))
    want = torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True)
    got = families_fused._attention(q, k, v, True)
    torch.testing.assert_close(got, want)
    # the [batch, length, heads, dim] kernels: the same, transposed
    got = families_fused._blhe_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2), True)
    torch.testing.assert_close(got.transpose(1, 2), want)
    # a wrong mask would be caught: non-causal attention differs
    assert not torch.allclose(families_fused._attention(q, k, v, False), want)


def test_sync_batch_norm_pieces_equal_batch_norm_over_the_whole_batch():
    x = torch.randn(6, 4, 5, 2, dtype=torch.float64)
    w = torch.rand(4, dtype=torch.float64) + 0.5
    eps = 1e-5
    parts = x.chunk(3)  # three processes, 20 elements per channel each
    stats = [families_fused._bn_train(p, None, None, eps)[1:] for p in parts]
    mean, invstd = torch.stack([s[0] for s in stats]), torch.stack([s[1] for s in stats])
    g_mean, g_invstd = families_fused._gather(x, mean, invstd, None, None, 0.1, eps, torch.tensor([20.0] * 3))
    _, full_mean, full_invstd = families_fused._bn_train(x, None, None, eps)
    torch.testing.assert_close(g_mean, full_mean)
    torch.testing.assert_close(g_invstd, full_invstd)
    # backward: local sums, then the element-wise grad, equal the CPU batch-norm backward kernel
    dy = torch.randn_like(x)
    sum_dy, sum_dy_xmu, grad_w, grad_b = families_fused._reduce(dy, x, full_mean, full_invstd, w, True, True, True)
    dx = families_fused._elemt(dy, x, full_mean, full_invstd, w, sum_dy, sum_dy_xmu,
                               torch.tensor([x.numel() // 4], dtype=torch.int32))
    want = torch.ops.aten.native_batch_norm_backward(dy, x, w, None, None, full_mean, full_invstd, True, eps,
                                                     [True, True, True])
    torch.testing.assert_close(dx, want[0])
    torch.testing.assert_close(grad_w, want[1])
    torch.testing.assert_close(grad_b, want[2])


def test_fused_rnn_cell_references_equal_torch_s_cells():
    x, h, c = torch.randn(3, 6, dtype=torch.float64), torch.randn(3, 5, dtype=torch.float64), torch.randn(3, 5, dtype=torch.float64)
    w_ih, w_hh = torch.randn(20, 6, dtype=torch.float64), torch.randn(20, 5, dtype=torch.float64)
    b_ih, b_hh = torch.randn(20, dtype=torch.float64), torch.randn(20, dtype=torch.float64)
    hy, cy, _ = families_fused._lstm_cell(x @ w_ih.T, h @ w_hh.T, c, b_ih, b_hh)
    want_h, want_c = torch.lstm_cell(x, (h, c), w_ih, w_hh, b_ih, b_hh)
    torch.testing.assert_close(hy, want_h)
    torch.testing.assert_close(cy, want_c)
    g_ih, g_hh = torch.randn(15, 6, dtype=torch.float64), torch.randn(15, 5, dtype=torch.float64)
    gb_ih, gb_hh = torch.randn(15, dtype=torch.float64), torch.randn(15, dtype=torch.float64)
    hy, _ = families_fused._gru_cell(x @ g_ih.T, h @ g_hh.T, h, gb_ih, gb_hh)
    torch.testing.assert_close(hy, torch.gru_cell(x, h, g_ih, g_hh, gb_ih, gb_hh))


def test_a_wrong_reference_is_a_mismatch_not_a_pass():
    before = records.lookup("_masked_scale")
    try:
        records.register(records.OpRecord(
            "_masked_scale", "test: a reference that forgets the scale", sample=before.sample,
            reference=lambda x, mask, scale: x * mask))
        # on the CPU the kernel is absent, so check the comparison the device would get
        _, out, args = _reference_outputs(records.lookup("_masked_scale"))
        right = before.reference(*args)
        assert not compare.compare(right.float(), (out,), torch.float32, atol=1e-5, rtol=1e-5).ok
    finally:
        records.register(before)


def test_exact_tensors_keep_their_dtype_in_the_reference():
    x = torch.ones(3, dtype=torch.float32)
    ref = samples.materialize((samples.Exact(x), x), "cpu", torch.float32, reference=True)
    assert ref[0].dtype == torch.float32 and ref[1].dtype == torch.float64
    row = run_task("_amp_update_scale_", "bfloat16", "cpu")  # float32-only kernel
    assert row["probe_outcome"] == "pass", row


def test_quantized_outputs_compare_by_their_codes():
    x = torch.rand(4, 5) * 2 - 1
    q = torch.quantize_per_tensor(x, 0.02, 100, torch.quint8)
    assert compare.compare(q, q.clone(), torch.float32, atol=0, rtol=0).ok
    off = torch.quantize_per_tensor(x + 0.05, 0.02, 100, torch.quint8)
    v = compare.compare(off, q, torch.float32, atol=0, rtol=0)
    assert not v.ok and "exact match" in v.message


def test_nested_outputs_compare_padded():
    a = torch.nested.nested_tensor([torch.ones(2, 4), torch.zeros(3, 4)])
    b = torch.nested.nested_tensor([torch.ones(2, 4), torch.full((3, 4), 0.5)])
    assert compare.compare(a, torch.nested.nested_tensor([torch.ones(2, 4), torch.zeros(3, 4)]),
                           torch.float32, atol=1e-6, rtol=1e-6).ok
    assert not compare.compare(b, a, torch.float32, atol=1e-6, rtol=1e-6).ok
    v = compare.compare(torch.zeros(2, 4), a, torch.float32, atol=1e-6, rtol=1e-6)
    assert not v.ok and "nested" in v.message
