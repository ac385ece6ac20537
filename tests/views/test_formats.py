"""The one --format vocabulary and its table renderer: every command takes it, typos are caught,
and no format lets a value change on the way out."""

import argparse
import csv
import io
import json

import pytest

from harness import cli, plugins
from harness.views import formats


def _parser(*allowed, default="plain"):
    p = argparse.ArgumentParser(exit_on_error=False)
    formats.add_option(p, *allowed, default=default, command="accel test")
    return p


def test_a_typo_gets_a_did_you_mean_and_an_unavailable_format_says_so():
    p = _parser("plain", "github", "json")
    assert p.parse_args(["--format", "github"]).format == "github"
    with pytest.raises(argparse.ArgumentError, match="did you mean 'github'"):
        p.parse_args(["--format", "gihtub"])
    with pytest.raises(argparse.ArgumentError, match="'latex' is not available for accel test"):
        p.parse_args(["--format", "latex"])
    with pytest.raises(ValueError):
        formats.add_option(argparse.ArgumentParser(), "plain", "yaml")


def test_every_command_that_prints_takes_the_shared_vocabulary():
    """No command defines its own --format choices: each one's --format is formats.add_option's."""
    checked = 0
    for name in plugins.names(cli.COMMANDS_PACKAGE):
        mod = plugins.load(cli.COMMANDS_PACKAGE, name, "command")
        parser = argparse.ArgumentParser()
        mod.configure(parser)
        for action in parser._actions:
            if "--format" in action.option_strings:
                checked += 1
                assert isinstance(action.type, formats._Choice), name
                assert set(action.type.allowed) <= set(formats.FORMATS), name
    assert checked >= 8


ROWS = [["False", True, None, float("nan"), "a|b\nc", "=1+2"], ["x" * 60, False, 3, 2.5, "", "@x"]]
HEADERS = ["text", "flag", "n", "x", "pipe", "formula"]


@pytest.mark.parametrize("wrap", [None, 10])
def test_plain_never_turns_false_into_true_and_prints_no_nan(wrap):
    out = formats.table(ROWS, HEADERS, "plain", maxcolwidths=wrap)
    first = out.splitlines()[2]
    assert first.split()[0] == "False" and "True" not in out
    assert "nan" not in out and "None" not in out
    assert "yes" in first and "no" in out


def test_github_cells_escape_pipes_and_line_breaks():
    out = formats.table(ROWS, HEADERS, "github")
    lines = out.splitlines()
    assert all(line.count("|") - line.count("\\|") == len(HEADERS) + 1 for line in lines)
    assert "a\\|b<br>c" in out and "nan" not in out


def test_csv_round_trips_and_neutralises_formulas():
    out = formats.table(ROWS, HEADERS, "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == HEADERS and rows[1][0] == "False" and rows[1][4] == "a|b\nc"
    assert not rows[1][5].startswith("=") and not rows[2][5].startswith("@")


def test_json_keeps_raw_values():
    doc = json.loads(formats.table([[1, None, "False"]], ["a", "b", "c"], "json"))
    assert doc == [{"a": 1, "b": None, "c": "False"}]
