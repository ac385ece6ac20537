from __future__ import annotations


def test_unknown_command_suggests(accel):
    code, out, err = accel("valdate")
    assert code == 2 and "did you mean 'validate'" in err


def test_help_lists_every_registered_command(capsys):
    import pytest

    from harness import plugins
    from harness.cli import COMMANDS_PACKAGE, main

    commands = plugins.names(COMMANDS_PACKAGE)
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    out = capsys.readouterr().out
    assert exc.value.code == 0
    assert all(name in out for name in commands) and "validate" in commands


def test_a_command_is_one_module_found_by_its_folder(tmp_path, monkeypatch, capsys):
    """Adding a command is adding a module to harness/commands: no list to edit."""
    import sys

    from harness import plugins
    from harness.cli import main

    pkg = tmp_path / "extra_commands"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "hello.py").write_text('"""Say hello. More text."""\n\ndef configure(parser):\n    pass\n\n'
                                  'def run(args):\n    print("hello from a plug-in")\n    return 0\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr("harness.cli.COMMANDS_PACKAGE", "extra_commands")
    plugins.names.cache_clear()
    try:
        assert main(["hello"]) == 0
        assert "hello from a plug-in" in capsys.readouterr().out
        assert plugins.summary("extra_commands", "hello") == "Say hello"
    finally:
        plugins.names.cache_clear()
        sys.modules.pop("extra_commands.hello", None)


def test_corrupt_table_file_is_one_clean_error(accel, tmp_path):
    (tmp_path / "accelerators.parquet").write_bytes(b"not parquet at all")
    code, out, err = accel("list", "--results", tmp_path)
    assert code == 2 and "unreadable table file" in err and "Traceback" not in err


def test_no_arguments_prints_help_and_fails(accel):
    code, out, _ = accel()
    assert code == 2 and "validate" in out
