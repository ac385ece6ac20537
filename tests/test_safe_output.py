"""Output as an attack surface: terminals, GitHub workflow logs, spreadsheets.

Strings reach output from spec files (the validator refuses control and bidi characters there)
and from built tables that may come from elsewhere (a release, `--results DIR`), so every output
path escapes them anyway. These tests plant hostile strings on both paths.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from tests.conftest import DATA

ESC_TITLE = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"
RLO = "\u202e"


def _hostile_dataset(tmp_path):
    """A copy of a small built dataset whose names carry terminal sequences and formulas."""
    from harness.cli import main

    spec = (DATA / "bad_specs_multi" / "tier-conflict" / "accelerators" / "test" / "a.yaml").read_text()
    d = tmp_path / "specs" / "accelerators" / "test"
    d.mkdir(parents=True)
    (d / "a.yaml").write_text(spec)
    out = tmp_path / "dataset"
    assert main(["build", "--specs", str(tmp_path / "specs"), "--out", str(out), "--dataset-only"]) == 0
    hostile = tmp_path / "hostile"  # as if downloaded from elsewhere: no manifest, edited tables
    shutil.copytree(out, hostile)
    (hostile / "accel-manifest.json").unlink()
    acc = pd.read_parquet(hostile / "accelerators.parquet")
    acc.loc[0, "name"] = f"A{ESC_TITLE}{CLEAR}{RLO}gpj.exe"
    acc.loc[0, "vendor"] = '=HYPERLINK("http://evil.example","click")'
    acc.to_parquet(hostile / "accelerators.parquet")
    return hostile


def _no_raw_controls(text: str):
    assert "\x1b" not in text and "\x07" not in text and RLO not in text, repr(text[:300])


def test_list_and_show_escape_terminal_sequences(accel, tmp_path):
    hostile = _hostile_dataset(tmp_path)
    for args in (("list", "--results", hostile), ("list", "--results", hostile, "--format", "github"),
                 ("show", "test/a", "--results", hostile)):
        code, out, err = accel(*args)
        assert code == 0, err
        _no_raw_controls(out + err)
    code, out, _ = accel("list", "--results", hostile)
    assert "\\x1b]0;pwned\\x07" in out and "\\u202e" in out  # shown, not obeyed


def test_csv_output_neutralises_formulas(accel, tmp_path):
    hostile = _hostile_dataset(tmp_path)
    code, out, _ = accel("list", "--results", hostile, "--format", "csv")
    assert code == 0
    assert "'=HYPERLINK(" in out and ',=HYPERLINK(' not in out


def test_built_csv_tables_neutralise_formulas_and_parquet_keeps_the_value(accel, tmp_path):
    spec = (DATA / "bad_specs_multi" / "tier-conflict" / "accelerators" / "test" / "a.yaml").read_text()
    d = tmp_path / "specs" / "accelerators" / "test"
    d.mkdir(parents=True)
    (d / "a.yaml").write_text(spec.replace("name: A", 'name: "=cmd|\' /C calc\'!A0"'))
    out = tmp_path / "out"
    assert accel("build", "--specs", tmp_path / "specs", "--out", out, "--dataset-only")[0] == 0
    assert pd.read_parquet(out / "accelerators.parquet")["name"].tolist() == ["=cmd|' /C calc'!A0"]
    csv_text = (out / "accelerators.csv").read_text()
    assert "'=cmd|" in csv_text and ",=cmd|" not in csv_text


@pytest.fixture
def forged(tmp_path):
    """A spec whose enum value tries to start new workflow commands, in a path with , and :."""
    d = tmp_path / "a,b:c" / "accelerators" / "test"
    d.mkdir(parents=True)
    src = (DATA / "bad_specs_multi" / "tier-conflict" / "accelerators" / "test" / "a.yaml").read_text()
    src = src.replace("status: shipping", 'status: "x\\n::add-mask::secret\\n::error file=evil::forged %0A"')
    (d / "a.yaml").write_text(src)
    return d / "a.yaml"


def test_github_format_escapes_workflow_commands(accel, forged):
    code, out, _ = accel("validate", "--no-tables", "--format", "github", forged)
    assert code == 2
    lines = out.splitlines()
    commands = [ln for ln in lines if ln.startswith("::")]
    assert commands and len(commands) == len(lines)  # one command per problem, none forged
    assert all(ln.startswith(("::error ", "::warning ")) for ln in commands)
    assert "##[" not in out
    assert not any("::add-mask::" in ln.split("::", 2)[1] for ln in commands)
    joined = "\n".join(commands)
    assert "%0A::add-mask::secret" in joined and "%250A" in joined  # LF and % escaped
    assert "file=" in joined and "a%2Cb%3Ac" in joined  # , and : escaped in properties


def _commands(text: str) -> list[str]:
    """Lines GitHub's runner would obey: `::` after leading white space, or `##[` anywhere."""
    return [ln for ln in text.splitlines() if ln.lstrip().startswith("::") or "##[" in ln]


def test_plain_format_never_prints_a_workflow_command(accel, forged):
    code, out, err = accel("validate", "--no-tables", forged)
    assert code == 2
    assert _commands(out + err) == []
    assert "\\n::add-mask::secret" in out  # the newline shown as an escape, on the problem's own line


def test_user_input_in_error_messages_is_escaped(accel, tmp_path):
    hostile = _hostile_dataset(tmp_path)
    code, out, err = accel("show", f"x{CLEAR}\n::error::forged", "--results", hostile)
    assert code == 2
    _no_raw_controls(err)
    assert _commands(err) == []


def test_hostile_tables_print_no_workflow_command_in_any_format(accel, tmp_path):
    hostile = _hostile_dataset(tmp_path)
    import pandas as pd

    src = pd.read_parquet(hostile / "sources.parquet")
    src.loc[0, "title"] = "t\r\n::error::forged-title\n  ::add-mask::x ##[error]legacy"
    src.to_parquet(hostile / "sources.parquet")
    vals = pd.read_parquet(hostile / "spec_values.parquet")
    vals["locator"] = "loc\n\t::warning::forged-locator"
    vals.to_parquet(hostile / "spec_values.parquet")
    for args in (("show", "test/a"), ("show", "test/a", "--format", "json"), ("compare", "test/a"),
                 ("compare", "test/a", "--format", "github"), ("compare", "test/a", "--format", "html"),
                 ("compare", "test/a", "--format", "latex"), ("list",)):
        code, out, err = accel(*args, "--results", hostile)
        assert code == 0, (args, err)
        assert _commands(out + err) == [], args


def test_a_file_name_that_looks_like_a_command_is_escaped(accel, tmp_path, monkeypatch):
    d = tmp_path / "accelerators" / "test"
    d.mkdir(parents=True)
    (d / "::warning::x.yaml").write_text("id: [")
    monkeypatch.chdir(d)
    code, out, err = accel("validate", "--no-tables", "::warning::x.yaml")
    assert code == 2 and _commands(out + err) == []
