"""`accel build` rebuilds only what changed, says so, and ends with the bytes a full build writes."""

from __future__ import annotations

import textwrap

import pytest

from harness.dataset import inputs

SPEC = textwrap.dedent("""\
    id: demo/{sku}
    name: Demo {sku}
    vendor: demo
    status: shipping
    market: global
    stacks: [{stack}]
    sources:
      ds: {{title: Demo datasheet, url: "https://example.com/{sku}", accessed: "2026-11-28", tier: official}}
    values:
      tdp_w: {{value: {tdp}, unit: W, source: ds, locator: "Table 1"}}
      memory_bandwidth_tbps: {{value: 3350, unit: GB/s, source: ds, locator: "Table 1"}}
    """)


@pytest.fixture
def specs(tmp_path):
    d = tmp_path / "specs" / "accelerators" / "demo"
    d.mkdir(parents=True)
    for sku, tdp in (("x1", 700), ("x2", 500)):
        (d / f"{sku}.yaml").write_text(SPEC.format(sku=sku, tdp=tdp, stack="cuda"))
    return tmp_path / "specs"


def _tree(d):
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


def _build(accel, specs, out, *more):
    return accel("build", "--specs", specs, "--out", out, "--dataset-only", *more)


def test_no_change_is_not_rebuilt_and_says_so(accel, specs, tmp_path):
    out = tmp_path / "out"
    code, _, err = _build(accel, specs, out)
    assert code == 0 and f"built {out}" in err and "rebuilt: no earlier build" in err
    first = _tree(out)
    code, _, err = _build(accel, specs, out)
    assert code == 0 and f"up to date {out}" in err and "not rebuilt" in err and "2 accelerators" in err
    assert _tree(out) == first
    code, _, err = _build(accel, specs, out, "--force")
    assert code == 0 and "rebuilt: --force" in err
    assert _tree(out) == first  # deterministic: a forced rebuild writes the same bytes


def test_incremental_after_a_change_equals_a_forced_full_build(accel, specs, tmp_path):
    out, full = tmp_path / "out", tmp_path / "full"
    assert _build(accel, specs, out)[0] == 0
    before = _tree(out)
    spec = specs / "accelerators" / "demo" / "x2.yaml"
    spec.write_text(spec.read_text().replace("value: 500", "value: 550"))
    code, _, err = _build(accel, specs, out)
    assert code == 0 and "rebuilt: changed: specs" in err
    assert _tree(out) != before
    assert _build(accel, specs, full, "--force")[0] == 0
    assert _tree(out) == _tree(full)  # tables, _fields.json and the manifest


def test_every_table_records_the_digest_of_its_inputs(accel, specs, tmp_path):
    out = tmp_path / "out"
    assert _build(accel, specs, out)[0] == 0
    built = inputs._load_state(out)
    assert built["manifest_sha256"] == inputs._manifest_digest(out)  # tied to what the folder holds
    parts = inputs.dataset_parts(specs)
    assert built["parts"] == parts and set(parts) == {"code", "versions", "schemas", "specs"}
    tables = {p.stem for p in out.glob("*.parquet")}
    assert set(built["tables"]) == tables
    assert {t["inputs"] for t in built["tables"].values()} == {inputs.digest(parts)}
    assert built["tables"]["accelerators"]["rows"] == 2


def test_a_changed_output_folder_is_not_trusted(accel, specs, tmp_path):
    out = tmp_path / "out"
    assert _build(accel, specs, out)[0] == 0
    (out / "accelerators.csv").write_text("edited by hand\n")
    code, _, err = _build(accel, specs, out)  # not skipped: the folder is not what accel wrote
    assert code == 2 and "refusing to replace" in err and "changed since accel wrote it" in err


def test_a_new_problem_fails_the_build_even_when_no_spec_changed(accel, specs, tmp_path):
    out = tmp_path / "out"
    assert _build(accel, specs, out)[0] == 0
    (specs / "accelerators" / "demo" / "x3.yml").write_text("id: demo/x3\n")
    code, _, err = _build(accel, specs, out)
    assert code == 2 and "[spec-file-name]" in err


def test_readiness_inputs_follow_stacks_not_figures(specs, tmp_path):
    probes = tmp_path / "probes"
    (specs / "stacks").mkdir()
    (specs / "stacks" / "cuda.yaml").write_text("id: cuda\n")
    parts, memo = inputs.readiness_parts(specs, probes)
    spec = specs / "accelerators" / "demo" / "x1.yaml"
    spec.write_text(spec.read_text().replace("value: 700", "value: 650"))
    figures, memo2 = inputs.readiness_parts(specs, probes, earlier=memo)
    assert figures == parts and memo2["accelerator_files"] != memo["accelerator_files"]
    spec.write_text(spec.read_text().replace("stacks: [cuda]", "stacks: [rocm]"))
    stacks, _ = inputs.readiness_parts(specs, probes, earlier=memo2)
    assert stacks["accelerator_stacks"] != parts["accelerator_stacks"] and stacks["specs"] == parts["specs"]
    (specs / "stacks" / "cuda.yaml").write_text("id: cuda\nname: CUDA\n")
    assert inputs.readiness_parts(specs, probes)[0]["specs"] != parts["specs"]
    probes.mkdir()
    (probes / "run.json").write_text("{}")
    assert inputs.readiness_parts(specs, probes)[0]["probes"] != parts["probes"]


def test_stacks_read_by_validation_give_the_digest_of_a_fresh_parse(specs, tmp_path):
    from harness.dataset.validate import validate_paths

    report = validate_paths([specs])
    known = {f"{s.id}.yaml": s.identity.get("stacks") for s in report.specs}
    assert inputs.readiness_parts(specs, tmp_path / "probes", known_stacks=known)[0] == \
        inputs.readiness_parts(specs, tmp_path / "probes")[0]


def test_the_record_lives_outside_the_output_and_a_lost_one_means_a_rebuild(accel, specs, tmp_path):
    out = tmp_path / "out"
    assert _build(accel, specs, out)[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "specs"]  # nothing beside the output
    inputs._state_path(out).unlink()
    code, _, err = _build(accel, specs, out)
    assert code == 0 and "rebuilt: no input record" in err
    inputs._state_path(out).write_text("{not json")
    code, _, err = _build(accel, specs, out)
    assert code == 0 and "rebuilt: no input record" in err


def test_a_folder_rewritten_by_another_build_is_not_taken_as_up_to_date(accel, specs, tmp_path):
    out = tmp_path / "out"
    assert _build(accel, specs, out)[0] == 0
    other = tmp_path / "other"
    other.mkdir()
    (other / "accelerators" / "demo").mkdir(parents=True)
    (other / "accelerators" / "demo" / "x1.yaml").write_text(
        (specs / "accelerators" / "demo" / "x1.yaml").read_text().replace("value: 700", "value: 600"))
    assert accel("build", "--specs", other, "--out", out, "--dataset-only", "--force")[0] == 0
    record = inputs._load_state(out)
    assert record["parts"] == inputs.dataset_parts(other)  # the record follows the last write
    code, _, err = _build(accel, specs, out)
    assert code == 0 and "rebuilt: changed: specs" in err
