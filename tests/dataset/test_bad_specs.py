"""One fixture per validation rule: the rule id and the line are reported, with the right exit."""

from __future__ import annotations

import re

import pytest

from tests.conftest import DATA

BAD = DATA / "bad_specs" / "accelerators" / "test"
MULTI = DATA / "bad_specs_multi"
EXPECT = re.compile(r"#\s*expect:\s*(\S+)\s*@\s*line\s*(\d+)(?:\s+file\s+(\S+))?(\s+warning)?")


def _expectation(path):
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8", "replace")
    m = EXPECT.match(first)
    assert m, f"{path} has no '# expect:' header"
    return m.group(1), int(m.group(2)), m.group(3), bool(m.group(4))


SINGLE = sorted(p for p in BAD.glob("*.yaml") if p.stat().st_size and b"\x00" not in p.read_bytes())


@pytest.mark.parametrize("path", SINGLE, ids=lambda p: p.stem)
def test_rule_reported_with_line(accel, path):
    rule, line, _, is_warning = _expectation(path)
    code, out, err = accel("validate", "--no-tables", path)
    assert f"{path.name}:{line}:" in out and f"[{rule}]" in out, out
    reported = [ln for ln in out.splitlines() if f"[{rule}]" in ln]
    assert any(f":{line}:" in ln for ln in reported), reported
    assert "Traceback" not in out + err
    if is_warning:
        assert all(ln.startswith("warning:") for ln in reported)
        assert code == 0
        assert accel("validate", "--no-tables", "--strict", path)[0] == 2
    else:
        assert code == 2


def test_fixture_stem_names_its_rule():
    for path in SINGLE:
        assert _expectation(path)[0] == path.stem.split("--")[0]


@pytest.mark.parametrize("case", sorted(p.name for p in MULTI.iterdir()))
def test_cross_file_rules(accel, case):
    folder = MULTI / case
    b = next(folder.rglob("b.yaml"))
    rule, line, fname, is_warning = _expectation(b)
    code, out, _ = accel("validate", "--no-tables", folder)
    assert any(f"{fname}:{line}:" in ln and f"[{rule}]" in ln for ln in out.splitlines()), out
    assert code == (0 if is_warning else 2)


def test_empty_file(accel):
    code, out, err = accel("validate", BAD / "yaml-empty.yaml")
    assert code == 2 and "yaml-empty.yaml:1:" in out and "[yaml-empty]" in out


def test_binary_file(accel):
    code, out, err = accel("validate", BAD / "yaml-binary.yaml")
    assert code == 2 and "[yaml-binary]" in out and "Traceback" not in err


def test_ten_megabyte_file_refused_quickly(accel, tmp_path):
    big = tmp_path / "accelerators" / "x" / "big.yaml"
    big.parent.mkdir(parents=True)
    big.write_text("id: x/big\n" + "# padding\n" * 1_000_000)
    code, out, _ = accel("validate", big)
    assert code == 2 and "[yaml-too-large]" in out  # refused by size, before any parsing


def test_alias_bomb_refused_without_expanding(accel, tmp_path):
    levels = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        levels.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    bomb = tmp_path / "accelerators" / "x" / "bomb.yaml"
    bomb.parent.mkdir(parents=True)
    bomb.write_text("\n".join(levels) + "\n")
    code, out, err = accel("validate", bomb)
    # refused at the first alias, before anything is expanded
    assert code == 2 and "bomb.yaml:2:" in out and "[yaml-alias]" in out


def test_every_problem_reported_at_once(accel):
    code, out, _ = accel("validate", "--no-tables", BAD)
    rules = set(re.findall(r"\[([a-z0-9-]+)\]", out))
    expected = {_expectation(p)[0] for p in SINGLE} | {"yaml-empty", "yaml-binary"}
    assert expected <= rules, expected - rules
    assert code == 2


def test_missing_path_is_one_clear_message(accel, tmp_path):
    code, out, err = accel("validate", tmp_path / "nope")
    assert code == 2 and "no such file" in err and "Traceback" not in err


def test_allow_silences_a_ratio_warning(accel, tmp_path):
    src = (BAD / "ratio-int8-fp8.yaml").read_text()
    fixed = src.replace('int8_tops: {value: 50, basis: dense, unit: TOPS, source: ds, locator: "Table 1"}',
                        'int8_tops: {value: 50, basis: dense, unit: TOPS, source: ds, locator: "Table 1", '
                        'allow: {ratio-int8-fp8: "INT8 cut by design"}}')
    assert fixed != src
    d = tmp_path / "accelerators" / "test"
    d.mkdir(parents=True)
    (d / "ratio-int8-fp8.yaml").write_text(fixed)
    code, out, _ = accel("validate", "--strict", "--no-tables", tmp_path)
    assert code == 0, out


STACKS = sorted((DATA / "bad_specs" / "stacks").glob("*.yaml"))


@pytest.mark.parametrize("path", STACKS, ids=lambda p: p.stem)
def test_stack_file_rules(accel, path):
    rule, line, _, _ = _expectation(path)
    code, out, err = accel("validate", "--no-tables", path)
    assert any(f"{path.name}:{line}:" in ln and f"[{rule}]" in ln for ln in out.splitlines()), out
    assert code == 2


def test_shipped_stacks_link_back_to_accelerators():
    from harness.dataset.validate import validate_paths
    from tests.conftest import ROOT

    report = validate_paths([ROOT / "specs"], stack_dir=ROOT / "specs" / "stacks")
    assert report.stacks, "no stack files found"
    assert not [p for p in report.problems if p.rule in ("dangling-accelerator", "stack-link")]


def test_single_file_references_resolve_against_its_folder(accel):
    from tests.conftest import ROOT

    files = [p for p in (ROOT / "specs" / "accelerators").rglob("*.yaml") if "compared_to:" in p.read_text()]
    assert files, "no shipped spec has a claim with compared_to"
    code, out, _ = accel("validate", "--no-tables", files[0])
    assert code == 0 and "dangling-compared-to" not in out


@pytest.mark.parametrize("bad", [".nan", ".inf", "-.inf"])
def test_non_finite_numbers_are_refused(accel, tmp_path, bad):
    src = (BAD / "ratio-fp16-bf16.yaml").read_text().replace("fp16_tflops: {value: 200", f"fp16_tflops: {{value: {bad}")
    d = tmp_path / "accelerators" / "test"
    d.mkdir(parents=True)
    (d / "ratio-fp16-bf16.yaml").write_text(src)
    code, out, err = accel("validate", "--no-tables", tmp_path)
    assert code == 2 and "not finite" in out and "[yaml-number]" in out and "Traceback" not in err


def test_a_folder_without_specs_is_an_error_not_a_pass(accel, tmp_path):
    code, out, err = accel("validate", tmp_path)
    assert code == 2 and "nothing was checked" in err
