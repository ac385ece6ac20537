import pytest

torch = pytest.importorskip("torch")

from harness.bench import buffers, timing  # noqa: E402
from harness.runs.device import resolve  # noqa: E402


def test_measure_warms_up_then_times_repeats_of_iterations():
    calls = []
    a = torch.randn(64, 64)

    def step(i):
        calls.append(i)
        return a @ a

    t = timing.measure(step, "cpu", repeats=5, target_s=0.002, warmup_s=0.01)
    assert t.repeats == 5 and t.iterations >= 1
    assert len(calls) >= 2 + t.repeats * t.iterations  # warm-up of at least two calls
    assert calls == list(range(len(calls)))  # a running index: buffers rotate across repeats
    assert 0 < t.min_s <= t.median_s


def test_slow_steps_get_fewer_repeats_but_never_under_three():
    t = timing.measure(lambda i: sum(range(20000)), "cpu", repeats=50, target_s=0.0, warmup_s=0.0, budget_s=0.0)
    assert t.repeats == 3 and t.iterations == 1


def test_rotation_covers_twice_the_cache_within_the_budget(monkeypatch):
    cpu = resolve("cpu")
    monkeypatch.setattr(buffers, "host_cache_bytes", lambda: 32 << 20)
    assert buffers.rotation(1 << 20, cpu) == 64  # 64 sets of 1 MiB = 2 x 32 MiB
    assert buffers.rotation(256 << 20, cpu) == 1  # large sets: one is enough
    assert buffers.rotation(1, cpu) == 64 << 20  # bounded by the budget (1 GiB of 1-byte sets)
    monkeypatch.setattr(buffers, "memory_budget", lambda device: 4 << 20)
    assert buffers.rotation(1 << 20, cpu) == 4


def test_cache_size_parsing_and_host_detection():
    assert buffers._parse_size("32768K") == 32 << 20
    assert buffers._parse_size("1M\n") == 1 << 20
    assert buffers.host_cache_bytes() > 0
