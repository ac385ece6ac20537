"""Scorecard rows for readiness evidence beyond op coverage, one module per built table, found by
listing this folder. Each module defines ``rows(tables, stacks) -> [(label, {stack id: cell})]``:
``tables`` are the built readiness tables, ``stacks`` maps each shown stack to its accelerator ids.
A stack missing from a row's cells prints as "undocumented". Adding a row = one module here.
"""
