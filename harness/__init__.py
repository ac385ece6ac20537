"""AccelAtlas: a sourced dataset of AI accelerators and a software-readiness harness.

`load(table)` returns a built table as a pandas DataFrame; the heavy imports happen inside it so
that `import harness` stays cheap for the CLI.
"""

__version__ = "0.1.0"


def load(table: str = "accelerators", *, version: str | None = None, results_dir=None):
    """Return a built table (``accelerators``, ``spec_values``, ``sources``, ``claims``, ...).

    With ``version`` the table comes from a downloaded, checksum-verified release (see
    ``accel download``); otherwise from the dataset embedded in this checkout's ``results/``.

    >>> from harness import load
    >>> df = load("accelerators")            # doctest: +SKIP
    """
    from harness.dataset import load_table

    return load_table(table, version=version, results_dir=results_dir)
