"""Where specs, schemas and results live: in a checkout, or inside the installed package.

In a checkout (the folder holding `harness/` also holds `pyproject.toml` and `specs/`), everything
is read from and written to the checkout. Installed from a wheel, the dataset, the specs the
views read (not the raw upstream copies) and the field registry come with the package, under the
`accelatlas_data` package folder; they are read-only there, and the commands that write into the
repository (`build` without --specs/--out, `schema`, `upstream`) say in one line that they need a
checkout.
"""

import importlib.util
from pathlib import Path

CODE = Path(__file__).resolve().parent.parent  # the folder that holds the `harness` package


def _data_root() -> tuple[Path, bool]:
    if (CODE / "pyproject.toml").is_file() and (CODE / "specs" / "accelerators").is_dir():
        return CODE, True
    spec = importlib.util.find_spec("accelatlas_data")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations))), False
    return CODE, False


ROOT, IS_CHECKOUT = _data_root()
SPECS = ROOT / "specs"
ACCELERATOR_SPECS = SPECS / "accelerators"
STACK_SPECS = SPECS / "stacks"
OPLISTS = SPECS / "oplists"
SCHEMAS = ROOT / "schemas"
RESULTS = ROOT / "results"
DATASET = RESULTS / "dataset"
UPSTREAM = SPECS / "upstream"  # copied upstream files with their provenance (specs/upstream/PROVENANCE.yaml)


def need_checkout(what: str) -> None:
    """One clear error for a command that writes into the repository, run outside a checkout."""
    if not IS_CHECKOUT:
        from harness.errors import UserError

        raise UserError(f"{what} needs a checkout of the AccelAtlas repository (this is an installed package, "
                        f"whose data in {ROOT} is read-only)")
