"""Deprecated: the old name of `accel coverage` (build, ls, import-ggml), kept for existing scripts.

The readiness pipeline is one command now: `accel coverage build` writes every readiness table
(op coverage and published evidence), `accel coverage ls` lists every importer. This name prints
one line saying so on stderr and runs the same action.
"""

from __future__ import annotations

import argparse
import sys

from harness.commands import coverage


def configure(parser: argparse.ArgumentParser) -> None:
    coverage.configure(parser)


def run(args: argparse.Namespace) -> int:
    print(f"accel evidence is deprecated: use `accel coverage {args.action}`", file=sys.stderr)
    return coverage.run(args)
