"""Evidence importers, one module each, found by listing this folder (see `harness.evidence.registry`).

A module here registers itself with ``@importer(...)`` from `harness.evidence.registry`; adding one
is one module plus the data file it reads (copy ``ppu.py``, the smallest).
"""
