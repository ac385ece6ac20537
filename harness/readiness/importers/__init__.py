"""Readiness importers, one module each, found by listing this folder (`harness.readiness.registry`).

A module registers itself with one decorator from `harness.readiness.registry`:
``@importer(...)`` for a table importer (copy ``ppu.py``, the smallest) or
``@snapshot_importer(...)`` for an op-list importer that writes ``specs/oplists/<stack>/``
snapshots (copy ``intel.py``). Adding one is one module plus the data file it reads, with its
provenance in ``specs/upstream/PROVENANCE.yaml``.
"""
