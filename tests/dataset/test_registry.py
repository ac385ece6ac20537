"""The registry is the one source of truth: generated files are fresh, schemas follow it."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from harness.dataset.registry import parse_registry, registry
from harness.dataset.tableschemas import schema_for
from tests.conftest import ROOT


def test_generated_files_are_fresh(accel):
    code, out, err = accel("schema", "--check")
    assert code == 0, err


def test_json_schema_accepts_shipped_specs_and_rejects_typos():
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    schema = json.loads((ROOT / "schemas" / "accelerator.schema.json").read_text())
    # `jsonschema.validate` checks the schema itself and builds a validator on every call;
    # check it once and reuse one validator (the same verdicts, a hundredth of the time)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    specs = sorted((ROOT / "specs" / "accelerators").rglob("*.yaml"))
    assert specs
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in specs:
        validator.validate(yaml.load(path.read_text(), Loader=loader))
    bad = yaml.load(specs[0].read_text(), Loader=loader)
    bad["values"]["bf16_tflop"] = {"value": 1, "source": "x"}
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(bad)


def test_every_table_column_is_registered_and_schemas_follow():
    reg = registry()
    for name, table in reg.tables.items():
        schema = schema_for(name)
        assert list(schema.columns) == list(table.columns)


def test_table_schema_rejects_out_of_registry_values():
    import pandera.errors as pe

    from harness.dataset.tableschemas import coerce

    df = coerce("claims", [{"claim_id": "a#1", "accelerator_id": "a", "claim": "x", "tier": "rumour"}])
    with pytest.raises(pe.SchemaErrors):
        schema_for("claims").validate(df, lazy=True)


def test_registry_refuses_unregistered_table_columns():
    raw = {"value_fields": {}, "columns": {"a": {"dtype": "string"}},
           "tables": {"t": {"key": ["a"], "columns": ["a", "b"]}}}
    with pytest.raises(ValueError, match="unregistered"):
        parse_registry(raw)


def test_load_returns_registry_columns():
    from harness import load

    df = load("accelerators")
    assert isinstance(df, pd.DataFrame) and len(df) > 0
    assert list(df.columns) == list(registry().tables["accelerators"].columns)


def test_load_unknown_table_suggests(accel):
    from harness import load
    from harness.errors import UserError

    with pytest.raises(UserError, match="did you mean 'accelerators'"):
        load("accelerator")


def test_registry_refuses_unknown_field_keys():
    raw = {"value_fields": {}, "columns": {"a": {"dtype": "string", "requred": True}}, "tables": {}}
    with pytest.raises(ValueError, match="requred"):
        parse_registry(raw)
