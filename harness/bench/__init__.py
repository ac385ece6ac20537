"""Micro-benchmarks on the local device (`accel bench`): GEMM per precision and memory bandwidth.

A suite is one module under `harness.bench.suites` (adding a benchmark = one module and one line
in its ``SUITES``); `timing` holds the honest-timing rules every suite shares, `buffers` the
cache-defeating buffer rotation, `peaks` the match from the detected device to its datasheet
peak in the accelerators table, and `runner` writes results/bench/ through the same partitioned
store as the probes (`harness.runs.store`).
"""
