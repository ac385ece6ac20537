"""`accel`: the command-line interface.

A command is a module of `harness.commands` (the folder is the registry, `harness.plugins`); only
the module of the command being run is imported, so `accel compare` does not pay for torch, pint
or matplotlib. A command module defines ``configure(parser)`` (add arguments; its docstring's
first line is the help text) and ``run(args) -> int``. Adding a command = one module.

Every `UserError` becomes one message on stderr and its exit code; never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from harness import __version__, plugins
from harness.errors import UserError

COMMANDS_PACKAGE = "harness.commands"  # one module per command: the folder is the registry


EPILOG = """examples:
  accel validate                    check every spec under specs/
  accel build                       rebuild results/dataset/
  accel compare h100 h20 p800 --baseline h100 --format github
"""


def _top_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="accel",
        description="AccelAtlas: sourced accelerator specs and software-readiness evidence.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"accel {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for name in plugins.names(COMMANDS_PACKAGE):
        sub.add_parser(name, help=plugins.summary(COMMANDS_PACKAGE, name), add_help=False)
    return p


def _escape_output() -> dict:
    """Route stdout and stderr through `safetext.terminal`: a control or bidi character in the
    data (a downloaded release, another --results folder) is shown as an escape, never obeyed.
    Returns the streams to put back."""
    from harness.safetext import EscapingWriter

    saved = {}
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, EscapingWriter):
            saved[name] = stream
            setattr(sys, name, EscapingWriter(stream))
    return saved


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = plugins.names(COMMANDS_PACKAGE)
    if not argv or argv[0].startswith("-") or argv[0] not in commands:
        parser = _top_parser()
        if argv and not argv[0].startswith("-"):
            from harness.problems import did_you_mean

            parser.print_usage(sys.stderr)
            print(f"accel: error: unknown command '{argv[0]}'{did_you_mean(argv[0], commands)}", file=sys.stderr)
            return 2
        parser.parse_args(argv)
        parser.print_help()
        return 0 if argv else 2
    name, rest = argv[0], argv[1:]
    saved = _escape_output()
    try:
        return _run(name, rest)
    finally:
        for stream_name, stream in saved.items():
            wrapper = getattr(sys, stream_name)
            try:
                wrapper.flush()
            except (OSError, ValueError):  # a closed pipe: nothing more can be said
                pass
            setattr(sys, stream_name, stream)


class _OneLineParser(argparse.ArgumentParser):
    """Argument errors as one line (``accel X: error: ...``), like every other error accel prints."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def _run(name: str, rest: list[str]) -> int:
    module = importlib.import_module(f"{COMMANDS_PACKAGE}.{name}")
    parser = _OneLineParser(
        prog=f"accel {name}",
        description=(module.__doc__ or name).strip(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    module.configure(parser)
    try:
        args = parser.parse_args(rest)
    except SystemExit as exc:  # argparse has printed the usage and its one-line error (or --help)
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return int(module.run(args) or 0)
    except UserError as exc:
        print(f"accel {name}: error: {exc}", file=sys.stderr)
        return exc.code
    except ModuleNotFoundError as exc:  # an install missing one of the project's dependencies
        print(f"accel {name}: error: the Python package '{exc.name}' is not installed; "
              "install the project with `pip install -e .` (extras: [probe], [plot])", file=sys.stderr)
        return 2
    except OSError as exc:  # an unwritable --out, a vanished file: the user's environment
        where = f": {exc.filename}" if exc.filename else ""
        print(f"accel {name}: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 2
    except Exception as exc:
        if type(exc).__module__.startswith("pyarrow"):  # a corrupt or truncated Parquet file
            print(f"accel {name}: error: unreadable table file: {exc}", file=sys.stderr)
            return 2
        raise
    except KeyboardInterrupt:
        print(f"accel {name}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
