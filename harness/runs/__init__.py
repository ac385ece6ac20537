"""Stored probe and bench runs: the run store (hive-partitioned Parquet parts plus `_run.json`),
device detection, and the summaries `accel runs` prints. Shared by `harness.probe` and
`harness.bench` (layer 2: reads the dataset layer for table schemas and peaks).
"""
