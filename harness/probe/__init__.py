"""Runtime probes (`accel probe`): run the reference ATen ops on the local device and record what
works, how accurately and how fast.

The flow, one module per step:

* `opset`: the reference op sets, read from the installed torch (``core``, ``cuda-backed``);
* `samples` (schema-driven generator and placement), `opinfo` (torch's OpInfo sample inputs,
  traced down to ATen overloads and cached per torch version), `records` (the registry of
  per-op records and per-device quirks), `recordkit` (the record type and helpers: a leaf),
  `families` / `families_nn` (the built-in records per op family);
* `execute`: one (op, dtype) task: samples, float64 CPU reference (by decomposition where the CPU
  has no kernel), device call per valid sample, `compare` (tolerances per dtype, in one table);
* `isolation`: the worker process that runs tasks, so a crash or hang costs one task;
* `runner`: the run loop, appending results through `harness.runs.store` (an append-only log
  compacted into the partitioned Parquet store, shared with the benchmarks) and resuming killed
  runs; runs are filed by software stack (`harness.runs.device.stack_of`: ROCm is `rocm`).

torch is an optional dependency (the ``probe`` extra): no module here imports it at import time,
so `import harness.probe` and `accel --help` stay cheap and work without it.
"""
