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
    """Escape the message part of a workflow command (`%`, CR, LF), per GitHub's toolkit."""
    return terminal(str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


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
        if out[col].dtype == object or str(out[col].dtype).startswith(("string", "str")):
            out[col] = out[col].map(csv_cell, na_action="ignore")
    return out


class EscapingWriter:
    """A text stream wrapper that passes everything through `terminal` (installed by the CLI),
    and puts a space before any line that would start with `::`, so that no output line of
    accel reads as a GitHub workflow command unless it writes one on purpose (to ``raw``)."""

    def __init__(self, stream):
        self._stream = stream
        self.raw = stream  # for the program's own control output (a progress bar's \r, ::error lines)
        self._at_line_start = True

    def write(self, text: str) -> int:
        out = terminal(text)
        if "::" in out:
            lines = out.split("\n")
            for i, line in enumerate(lines):
                if line.startswith("::") and (i > 0 or self._at_line_start):
                    lines[i] = " " + line
            out = "\n".join(lines)
        if out:
            self._at_line_start = out.endswith("\n")
        self._stream.write(out)
        return len(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)
