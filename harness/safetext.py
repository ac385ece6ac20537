"""Text that is safe where it lands: a terminal, a GitHub workflow log, a spreadsheet.

Data in AccelAtlas comes from hand-edited YAML, downloaded releases and upstream files, so a
string may carry bytes that mean something to whatever displays it:
- C0/C1 control characters (ESC starts terminal sequences that clear the screen or retitle the
  window; BEL, backspace and CR rewrite what was shown) and Unicode bidi overrides/isolates
  (U+202A..U+202E, U+2066..U+2069) that make text read differently from what it is;
- a newline inside a `::error ...::` line forges further workflow commands;
- a CSV cell starting with `=`, `+`, `-`, `@` (or tab/CR) is run as a formula by spreadsheets.

The validator rejects the first kind in spec files (`bad_chars`); output paths escape all three
regardless, because tables may come from elsewhere (a release, `--results DIR`).
"""

from __future__ import annotations

import re

# C0 controls except TAB and LF, DEL, C1 controls, bidi embeddings/overrides/isolates, and the
# Arabic letter mark: everything that changes how *other* text is shown
_UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE_RE = re.compile(f"[{_UNSAFE}]")
_UNSAFE_TEXT_RE = re.compile(f"[{_UNSAFE}\t\n]")  # in one-line fields, TAB and LF are unsafe too
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _escape(m: re.Match) -> str:
    c = m.group(0)
    return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"


def bad_chars(text: str, *, multiline: bool = True) -> list[str]:
    """The unsafe characters in ``text``, each as an escape (`\\x1b`, `\\u202e`); empty when clean.

    ``multiline`` allows newlines and tabs (folded YAML notes contain them)."""
    rx = _UNSAFE_RE if multiline else _UNSAFE_TEXT_RE
    return sorted({_escape(m) for m in rx.finditer(text)})


def terminal(text: str) -> str:
    """``text`` with every control and bidi character shown as an escape; LF and TAB kept."""
    return _UNSAFE_RE.sub(_escape, text)


def one_line(text: str) -> str:
    """``text`` for one line of output: `terminal`, with LF, CR and TAB shown as escapes."""
    return terminal(str(text)).replace("\n", "\\n").replace("\t", "\\t")


def github_data(text: str) -> str:
    """Escape the message part of a workflow command (`%`, CR, LF, per GitHub's toolkit), and
    break any legacy `##[` command inside it."""
    return terminal(str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")).replace("##[", "##\\[")


def github_property(text: str) -> str:
    """Escape a property value of a workflow command (`file=`, `title=`): also `:` and `,`."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def csv_cell(value):
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_frame(df):
    """A copy of ``df`` whose text cells are `csv_cell`-safe (numbers are left as numbers)."""
    out = df.copy()
    for col in out.columns:
        if str(out[col].dtype).startswith(("string", "str")):  # text only: one vectorised pass
            risky = out[col].str.startswith(FORMULA_START).fillna(False).to_numpy(dtype=bool)
            if risky.any():
                out.loc[risky, col] = "'" + out.loc[risky, col]
        elif out[col].dtype == object:
            out[col] = out[col].map(csv_cell, na_action="ignore")
    return out


def no_workflow_command(line: str) -> str:
    """One output line that GitHub's runner will not read as a workflow command: it trims
    leading white space before looking for `::` (so a leading space is no defence) and finds the
    legacy `##[command]` anywhere in a line; both get a backslash that breaks the pattern."""
    stripped = line.lstrip()
    if stripped.startswith("::"):
        line = line[: len(line) - len(stripped)] + "\\" + stripped
    return line.replace("##[", "##\\[")


class EscapingWriter:
    """A text stream wrapper (installed by the CLI) that writes whole lines, each through
    `terminal` and `no_workflow_command`, so that no output of accel obeys a control character
    or reads as a GitHub workflow command unless accel writes one on purpose (to ``raw``)."""

    def __init__(self, stream):
        self._stream = stream
        self.raw = stream  # for the program's own control output (a progress bar's \\r, ::error lines)
        self._pending = ""

    def _emit(self, text: str) -> None:
        try:
            self._stream.write(text)
        except UnicodeEncodeError:  # a stream that cannot show some characters (PYTHONIOENCODING=ascii)
            enc = getattr(self._stream, "encoding", None) or "ascii"
            self._stream.write(text.encode(enc, "backslashreplace").decode(enc))

    def write(self, text: str) -> int:
        data = self._pending + text
        lines = data.split("\n")
        self._pending = lines.pop()
        if lines:
            self._emit("".join(no_workflow_command(terminal(ln)) + "\n" for ln in lines))
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._emit(no_workflow_command(terminal(self._pending)))
            self._pending = ""
        self._stream.flush()

    def __getattr__(self, name):
        return getattr(self._stream, name)
