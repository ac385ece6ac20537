"""AccelAtlas: a sourced dataset of AI accelerators and a software-readiness harness.

`load(table)` returns a built table as a pandas DataFrame; the heavy imports happen inside it so
that `import harness` stays cheap for the CLI.
"""

__version__ = "0.1.0"


def load(table: str = "accelerators", *, version: str | None = None, results_dir=None,
         fallback_local: bool = False, manifest_sha256: str | None = None):
    """Return a built table (``accelerators``, ``spec_values``, ``sources``, ``claims``, ...).

    With ``version`` the table comes from a downloaded release verified against the digest this
    package pins (or ``manifest_sha256``; see ``accel download``); a version that cannot be had
    raises, unless ``fallback_local`` (then this installation's dataset is used, said on stderr).
    Without ``version``, from the dataset of this installation's ``results/``.

    Raises ``ValueError`` (`harness.errors.UserError`) for a bad name, version or release.

    >>> from harness import load
    >>> df = load("accelerators")            # doctest: +SKIP
    """
    from harness.dataset.read import load_table

    if version is not None:
        from harness.release.download import ensure_release

        results_dir = ensure_release(version, fallback=fallback_local, manifest_sha256=manifest_sha256)
    return load_table(table, results_dir=results_dir)
