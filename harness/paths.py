"""Where the checkout's specs, schemas and results live (resolved from this package's location)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
ACCELERATOR_SPECS = SPECS / "accelerators"
STACK_SPECS = SPECS / "stacks"
OPLISTS = SPECS / "oplists"
SCHEMAS = ROOT / "schemas"
RESULTS = ROOT / "results"
DATASET = RESULTS / "dataset"
UPSTREAM = SPECS / "upstream"  # copied upstream files with their provenance (specs/upstream/PROVENANCE.yaml)
