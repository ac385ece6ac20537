"""Matching a device name to its datasheet peaks (no torch needed)."""

import pandas as pd
import pytest

from harness.bench import peaks

ACC = pd.DataFrame([
    {"accelerator_id": "nvidia/h200-sxm", "name": "H200 SXM 141GB", "vendor": "nvidia",
     "aliases": "H200 | H200 SXM | 英伟达 H200", "bf16_tflops": 989.0, "fp32_tflops": 67.0,
     "fp8_tflops": 1979.0, "fp64_tflops": 34.0, "fp64_tensor_tflops": 67.0, "memory_bandwidth_tbps": 4.8},
    {"accelerator_id": "nvidia/h100-sxm5", "name": "H100 SXM5", "vendor": "nvidia",
     "aliases": "H100 SXM | H100 80GB HBM3 | H100", "bf16_tflops": 989.0, "fp32_tflops": 67.0,
     "fp8_tflops": None, "fp64_tflops": 34.0, "fp64_tensor_tflops": None, "memory_bandwidth_tbps": 3.35},
    {"accelerator_id": "nvidia/h100-pcie", "name": "H100 PCIe", "vendor": "nvidia", "aliases": "H100",
     "bf16_tflops": 756.0, "fp32_tflops": 51.0, "fp8_tflops": 1513.0, "fp64_tflops": 26.0,
     "fp64_tensor_tflops": 51.0, "memory_bandwidth_tbps": 2.0},
    {"accelerator_id": "amd/mi300x", "name": "Instinct MI300X OAM", "vendor": "amd",
     "aliases": "MI300X | AMD Instinct MI300X", "bf16_tflops": 1307.4, "fp32_tflops": 163.4, "fp8_tflops": 2614.9,
     "fp64_tflops": 81.7, "fp64_tensor_tflops": 163.4, "memory_bandwidth_tbps": 5.3},
])


@pytest.mark.parametrize("device_name, expected", [
    ("NVIDIA H200", "nvidia/h200-sxm"),             # vendor word dropped, then an alias
    ("NVIDIA H100 80GB HBM3", "nvidia/h100-sxm5"),  # a full alias
    ("NVIDIA H100 PCIe", "nvidia/h100-pcie"),       # the name without the vendor
    ("AMD Instinct MI300X", "amd/mi300x"),
    ("h200 sxm", "nvidia/h200-sxm"),                # case and spacing do not matter
])
def test_device_names_match_through_names_and_aliases(device_name, expected):
    assert peaks.match(device_name, ACC) == (expected, None)


def test_names_resolve_as_accel_show_resolves_them():
    # a bare "H100" is the SXM part, as `accel show h100` says (harness.resolve.DEFAULT_VARIANT)
    assert peaks.match("NVIDIA H100", ACC) == ("nvidia/h100-sxm5", None)
    assert peaks.match("NVIDIA H200-SXM", ACC) == ("nvidia/h200-sxm", None)  # an id's tail
    assert peaks.match("英伟达 H200", ACC) == ("nvidia/h200-sxm", None)
    assert peaks.resolve_as("h200", ACC) == "nvidia/h200-sxm"
    assert peaks.resolve_as("mi300", ACC) == "amd/mi300x"


def test_peaks_has_no_matcher_of_its_own():
    assert not hasattr(peaks, "normalise") and not hasattr(peaks, "VENDOR_WORDS")


def test_ambiguous_and_unknown_names_leave_the_peak_unknown():
    twins = pd.DataFrame([{"accelerator_id": f"demo/chip-{x}", "name": f"Chip {x.upper()}", "vendor": "demo",
                           "aliases": "Chip"} for x in "ab"])
    acc, note = peaks.match("Chip", twins)
    assert acc is None and "demo/chip-a, demo/chip-b" in note and "--as" in note
    acc, note = peaks.match("AMD EPYC 9654", ACC)
    assert acc is None and "no accelerator named" in note
    acc, note = peaks.match("NVIDIA H200", None)
    assert acc is None and "not built" in note


def test_peak_per_precision_with_fallback_and_unknowns():
    assert peaks.peak(ACC, "nvidia/h200-sxm", "bf16") == 989.0
    assert peaks.peak(ACC, "nvidia/h200-sxm") == 4.8  # bandwidth
    assert peaks.peak(ACC, "nvidia/h200-sxm", "fp64") == 67.0  # tensor-core fp64 first
    assert peaks.peak(ACC, "nvidia/h100-sxm5", "fp64") == 34.0  # falls back to vector fp64
    assert peaks.peak(ACC, "nvidia/h100-sxm5", "fp8") is None  # unknown stays unknown, never 0
    assert peaks.peak(ACC, "nvidia/h200-sxm", "tf32") is None  # column absent
    assert peaks.peak(None, "nvidia/h200-sxm", "bf16") is None
    assert peaks.peak(ACC, None, "bf16") is None


def test_attach_peak_computes_the_fraction():
    from harness.bench.runner import attach_peak

    row = {"bench_suite": "gemm", "precision": "bf16", "measured_tflops": 494.5, "measured_tbps": None}
    out = attach_peak(row, ACC, "nvidia/h200-sxm")
    assert out["peak_tflops"] == 989.0 and out["fraction_of_peak"] == pytest.approx(0.5)
    row = {"bench_suite": "bandwidth", "precision": "fp32", "measured_tflops": None, "measured_tbps": 2.4}
    out = attach_peak(row, ACC, "nvidia/h200-sxm")
    assert out["peak_tbps"] == 4.8 and out["fraction_of_peak"] == pytest.approx(0.5)
    out = attach_peak(dict(row), None, None)
    assert out["peak_tbps"] is None and out["fraction_of_peak"] is None
