"""Property-based attacks on the spec input boundary (hypothesis).

Valid spec files are mutated — structurally (values swapped for other types, keys dropped or
added, numbers made huge, tiny, negative or non-finite, strings given control characters) and as
text (bytes inserted, spans deleted, lines duplicated) — and fed to `accel validate` and
`accel build`. Properties: the exit is 0 or 2, never a traceback; every reported problem names
`PATH:LINE`; nothing hangs (an alarm bounds each example); a failed build leaves the previous
output byte-identical and no debris beside it.
"""

from __future__ import annotations

import contextlib
import re
import signal

import pytest
import yaml

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.conftest import ROOT  # noqa: E402

SEEDS = sorted((ROOT / "specs" / "accelerators").rglob("*.yaml"))[:12]
_IDS = {p.relative_to(ROOT / "specs" / "accelerators").with_suffix("").as_posix() for p in SEEDS}


def seed_text(path) -> str:
    """A seed spec, self-contained: claims about parts outside the seed set lose `compared_to`."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    for c in doc.get("claims") or []:
        if c.get("compared_to") not in _IDS:
            c.pop("compared_to", None)
    doc.pop("stacks", None)
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
PROBLEM = re.compile(r"^(warning: )?(?P<path>[^\n]+?):(?P<line>\d+): .+ \[[a-z0-9-]+\]$")
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40),
    st.sampled_from(["", " ", "0", "-0.0", "1e400", "0x10", "1:36", "0140", "2025-02-30", "2099-01-01",
                     "javascript:alert(1)", "file:///etc/passwd", "https://u:p@x.example/", "\x1b[2J",
                     "a\u202eb", "line\n::error::x", "=HYPERLINK(1)", "GiB", "percent", "TOPS", "sparse"]),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                      st.dictionaries(st.text(max_size=12), inner, max_size=3)),
                      max_leaves=6)


@contextlib.contextmanager
def deadline(seconds: int):
    """Fail the example if it runs longer than ``seconds`` (a hang, not a slow machine)."""
    def boom(signum, frame):
        raise AssertionError(f"no answer within {seconds} s: a hang")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _paths(d: dict, prefix=()):
    """Every key path in a parsed spec (for structural mutations)."""
    for k, v in d.items():
        yield prefix + (k,)
        if isinstance(v, dict):
            yield from _paths(v, prefix + (k,))


@st.composite
def mutated_spec(draw):
    seed = draw(st.sampled_from(SEEDS))
    text = seed_text(seed)
    if draw(st.booleans()):  # structural: edit the parsed document, dump it back
        doc = yaml.safe_load(text)
        for _ in range(draw(st.integers(1, 4))):
            paths = list(_paths(doc))
            path = draw(st.sampled_from(paths))
            parent = doc
            for k in path[:-1]:
                parent = parent[k]
            action = draw(st.sampled_from(["replace", "delete", "add"]))
            if action == "replace":
                parent[path[-1]] = draw(VALUES)
            elif action == "delete":
                del parent[path[-1]]
            else:
                parent[draw(st.text(min_size=1, max_size=12))] = draw(VALUES)
        text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    else:  # textual: break the YAML itself
        for _ in range(draw(st.integers(1, 3))):
            pos = draw(st.integers(0, len(text)))
            action = draw(st.sampled_from(["insert", "delete", "dupline"]))
            if action == "insert":
                text = text[:pos] + draw(st.sampled_from(
                    [":", "{", "[", "&a ", "*a", "!!python/object:os.system ", "\t", "\x00", "\x1b", "- ", "'",
                     '"', "\n  ", "<<: ", "? ", "0o17", "..."] + [draw(st.text(max_size=4))])) + text[pos:]
            elif action == "delete":
                text = text[:pos] + text[pos + draw(st.integers(1, 40)):]
            else:
                lines = text.split("\n")
                i = draw(st.integers(0, max(0, len(lines) - 1)))
                lines.insert(i, lines[i] if lines else "")
                text = "\n".join(lines)
    return seed, text


@pytest.fixture(scope="module")
def previous_output(tmp_path_factory):
    """A build of the seeds, the output every failed build must leave untouched."""
    from harness.cli import main

    root = tmp_path_factory.mktemp("fuzz")
    specs = root / "specs" / "accelerators"
    for s in SEEDS:
        dst = specs / s.parent.name / s.name
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_text(seed_text(s), encoding="utf-8")
    out = root / "out" / "dataset"
    assert main(["build", "--specs", str(root / "specs"), "--out", str(out), "--dataset-only"]) == 0
    return root, out


def _snapshot(d):
    return {p.name: p.read_bytes() for p in d.iterdir()}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(case=mutated_spec())
def test_a_mutated_spec_is_reported_or_accepted_never_a_crash(accel, previous_output, case):
    root, out = previous_output
    seed, text = case
    target = root / "specs" / "accelerators" / seed.parent.name / seed.name
    before = _snapshot(out)
    try:
        target.write_text(text, encoding="utf-8", errors="surrogatepass")
        with deadline(30):
            code, stdout, stderr = accel("validate", "--no-tables", root / "specs")
        assert code in (0, 2), (code, stderr)
        assert "Traceback" not in stdout + stderr
        for line in stdout.splitlines():
            m = PROBLEM.match(line)
            assert m, f"not a PATH:LINE problem line: {line!r}"
            assert int(m.group("line")) >= 1
        if code == 2:
            assert stdout.strip(), "a failing validate must say what failed"
            with deadline(30):
                bcode, _, berr = accel("build", "--specs", root / "specs", "--out", out, "--dataset-only")
            assert bcode == 2 and "nothing was written" in berr, berr[-500:]
            assert _snapshot(out) == before
            assert [p.name for p in out.parent.iterdir()] == ["dataset"]
    finally:
        target.write_text(seed_text(seed), encoding="utf-8")
