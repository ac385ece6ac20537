"""Runtime probes (`accel probe`): run the reference ATen ops on the local device and record what
works, how accurately and how fast.

The flow, one module per step:

* `opset`: the reference op sets, read from the installed torch (``core``, ``cuda-backed``);
* `samples` (schema-driven generator and placement), `records` (declarative per-op records and
  per-device quirks), `families` / `families_nn` (the built-in records per op family);
* `execute`: one (op, dtype) task: sample, float64 CPU reference, device call, `compare`;
* `isolation`: the worker process that runs tasks, so a crash or hang costs one task;
* `runner`: the run loop, appending results through `store` (the partitioned Parquet store,
  shared with the benchmarks) and resuming killed runs;
* `device`: resolving ``--device`` and the device-generic calls (synchronise, timing events).

torch is an optional dependency (the ``probe`` extra): no module here imports it at import time,
so `import harness.probe` and `accel --help` stay cheap and work without it.
"""
