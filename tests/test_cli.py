from __future__ import annotations


def test_unknown_command_suggests(accel):
    code, out, err = accel("valdate")
    assert code == 2 and "did you mean 'validate'" in err


def test_help_lists_every_registered_command(capsys):
    import pytest

    from harness.cli import COMMANDS, main

    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    out = capsys.readouterr().out
    assert exc.value.code == 0
    assert all(name in out for name in COMMANDS) and "validate" in COMMANDS


def test_corrupt_table_file_is_one_clean_error(accel, tmp_path):
    (tmp_path / "accelerators.parquet").write_bytes(b"not parquet at all")
    code, out, err = accel("list", "--results", tmp_path)
    assert code == 2 and "unreadable table file" in err and "Traceback" not in err


def test_no_arguments_prints_help_and_fails(accel):
    code, out, _ = accel()
    assert code == 2 and "validate" in out
