"""Releases: writing one (tables, metadata for every ecosystem, the manifest a package pins),
comparing two, downloading one against a pinned digest, and the Epoch cross-check.

Layer 2: reads the dataset layer, never the views. `versions` is a leaf (no imports of its own
beyond the error type), so the read path can parse a version without importing any writer.
"""
