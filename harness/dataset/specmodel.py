"""The spec-file model: what an accelerator YAML may contain, checked key by key.

The allowed value fields, their units, bounds and dtypes come from the registry
(`schemas/fields.yaml`); the structural keys (identity, sources, value entries, claims) are
declared once here, and `harness/dataset/schemagen.py` turns both into the editor JSON Schema.
`parse_spec` never raises on bad content: it returns a `Spec` (possibly partial) and the list of
problems, each with its line, so `accel validate` can report everything at once.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from harness.dataset.registry import Field, registry
from harness.dataset.units import UnitError, factor
from harness.problems import Problem, did_you_mean
from harness.safetext import bad_chars
from harness.yamlload import Loaded

# key -> (type, required, description)
IDENTITY_KEYS: dict[str, tuple[str, bool, str]] = {
    "id": ("string", True, "`<vendor>/<sku>`, equal to the file's path under specs/accelerators/"),
    "name": ("string", True, "marketing name"),
    "vendor": ("string", True, "vendor slug, equal to the folder name"),
    "family": ("string", False, "product family"),
    "architecture": ("string", False, "micro-architecture"),
    "status": ("enum:status", True, "availability state"),
    "market": ("enum:market", True, "market the SKU is sold into"),
    "form_factor": ("string", False, "SXM, OAM, PCIe, ..."),
    "announced": ("date", False, "announcement date, YYYY[-MM[-DD]]"),
    "released": ("date", False, "general availability date, YYYY[-MM[-DD]]"),
    "aliases": ("list", False, "other names, Chinese names included"),
    "is_datacenter": ("boolean", False, "designed or marketed for data centres"),
    "stacks": ("list", False, "software stack ids (specs/stacks/)"),
    "notes": ("string", False, "free-text remarks"),
    "sources": ("mapping", True, "documents cited, by local key"),
    "values": ("mapping", True, "field -> value entry"),
    "claims": ("list", False, "comparison statements kept as claims"),
}
SOURCE_KEYS: dict[str, tuple[str, bool, str]] = {
    "title": ("string", True, "document title"),
    "publisher": ("string", False, "who published it"),
    "url": ("string", True, "original URL"),
    "published": ("date", False, "publication date"),
    "accessed": ("date", True, "date the source was read"),
    "version": ("string", False, "the version read: commit sha (GitHub), document revision or edition"),
    "superseded": ("boolean", False, "true: an older version cited on purpose; it backs only alternatives"),
    "tier": ("enum:tier", True, "official | reported | estimated"),
    "archive_url": ("string", False, "archived copy"),
    "language": ("string", False, "language of the document"),
    "note": ("string", False, "remark"),
}
FIGURE_KEYS: dict[str, tuple[str, bool, str]] = {
    "value": ("scalar", False, "the figure as printed"),
    "unit": ("string", False, "unit as printed; any unit of the field's dimension"),
    "basis": ("enum:basis", False, "dense | sparse | unstated: how the source printed a throughput figure"),
    "sparsity_factor": ("number", False, "sparse/dense ratio when not 2"),
    "aggregate_of": ("integer", False, "the printed figure covers N accelerators; the build divides"),
    "direction": ("enum:direction", False, "bidirectional | per-direction (interconnect)"),
    "granularity": ("enum:granularity", False, "what the printed figure covers"),
    "source": ("string", True, "key into `sources`"),
    "locator": ("string", False, "where in the source (table, page, footnote)"),
    "note": ("string", False, "remark"),
}
VALUE_KEYS: dict[str, tuple[str, bool, str]] = {
    **FIGURE_KEYS,
    "disclosed": ("boolean", False, "false: a known unknown, not published"),
    "supported": ("boolean", False, "false: the part lacks this capability"),
    "alternatives": ("list", False, "other values from other sources (disputes)"),
    "allow": ("mapping", False, "rule-id -> reason: a sourced exception to a ratio check"),
}
CLAIM_KEYS: dict[str, tuple[str, bool, str]] = {
    "claim": ("string", True, "the statement as the source makes it"),
    "compared_to": ("string", False, "accelerator id it compares with"),
    "source": ("string", True, "key into `sources`"),
    "locator": ("string", False, "where in the source"),
    "note": ("string", False, "remark"),
}
ALLOWABLE_RULES = (
    "ratio-fp8-bf16", "ratio-fp4-fp8", "ratio-fp16-bf16", "ratio-int8-fp8",
    "fp32-above-tf32", "identical-values", "alternative-far",
)


def enum(name: str) -> tuple[str, ...]:
    """A closed vocabulary, from the registry's `enums:` (the one place each is written)."""
    return registry().enums[name]
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", re.ASCII)
VERSION_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+#@/-]{0,79}", re.ASCII)
# free-text keys that may span lines (folded notes); every other string is one line
MULTILINE_KEYS = ("notes", "note", "description", "detail", "claim")


def is_date(v) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a real calendar day or month."""
    m = DATE_RE.fullmatch(v) if isinstance(v, str) else None
    if not m:
        return False
    year, month, day = (int(g) if g else None for g in m.groups())
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return False
    return year >= 1950


def url_problem(url: str) -> str | None:
    """Why ``url`` is not a plain public http(s) URL, or None."""
    from urllib.parse import urlsplit

    if any(c.isspace() for c in url):
        return "holds white space (percent-encode it)"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError as exc:
        return f"is malformed ({exc})"
    if parts.scheme not in ("http", "https"):
        return "is not an http(s) URL"
    if not parts.hostname:
        return "has no host"
    if parts.username is not None or parts.password is not None:
        return "carries credentials (user:password@); cite the public address"
    return None


@dataclass(slots=True)
class Figure:
    """A number (or text) as one source printed it, and what it means in canonical units."""

    printed: object
    unit: str | None
    source: str | None
    locator: str | None = None
    note: str | None = None
    basis: str | None = None
    sparsity_factor: float | None = None
    aggregate_of: int | None = None
    direction: str | None = None
    granularity: str | None = None
    canonical: float | str | None = None
    derivation: str | None = None


@dataclass(slots=True)
class Value:
    field: str
    state: str  # known | undisclosed | unsupported
    figure: Figure
    alternatives: list[Figure] = field(default_factory=list)
    allow: dict[str, str] = field(default_factory=dict)
    line: int = 1


@dataclass
class Spec:
    path: str
    loaded: Loaded
    identity: dict = field(default_factory=dict)
    sources: dict[str, dict] = field(default_factory=dict)
    values: dict[str, Value] = field(default_factory=dict)
    claims: list[dict] = field(default_factory=list)

    @property
    def id(self) -> str | None:
        return self.identity.get("id")


class _Checker:
    def __init__(self, loaded: Loaded):
        self.loaded = loaded
        self.problems: list[Problem] = []

    def add(self, keys: tuple, message: str, rule: str, severity: str = "error", field_: str | None = None):
        fld = field_ if field_ is not None else ".".join(str(k) for k in keys)
        self.problems.append(Problem(self.loaded.path, self.loaded.line(*keys), fld, message, rule, severity))

    def mapping(self, obj, keys: tuple, model: dict, what: str) -> dict:
        """Check ``obj`` is a mapping with only ``model`` keys and all required ones."""
        if not isinstance(obj, dict):
            self.add(keys, f"{what} must be a mapping, got {type(obj).__name__}", "bad-type")
            return {}
        for k in obj:
            if k not in model:
                self.add(keys + (k,), f"unknown key '{k}' in {what}{did_you_mean(k, model)}", "unknown-key")
        for k, (_, required, _) in model.items():
            if required and obj.get(k) in (None, ""):
                self.add(keys, f"{what} is missing required key '{k}'", "missing-field")
        out = {}
        for k, v in obj.items():
            if k in model and v is not None:
                ok = self.typed(v, keys + (k,), model[k][0])
                if ok:
                    out[k] = v
        return out

    def typed(self, v, keys: tuple, kind: str) -> bool:
        bad = None
        if isinstance(v, float) and not math.isfinite(v):  # YAML's .nan / .inf
            self.add(keys, f"must be a finite number, got {v}", "bad-type")
            return False
        if kind == "string" and not isinstance(v, str):
            bad = "a string"
        elif kind == "boolean" and not isinstance(v, bool):
            bad = "true or false"
        elif kind == "list" and not isinstance(v, list):
            bad = "a list"
        elif kind == "mapping" and not isinstance(v, dict):
            bad = "a mapping"
        elif kind == "number" and (isinstance(v, bool) or not isinstance(v, (int, float))):
            bad = "a number"
        elif kind == "integer" and (isinstance(v, bool) or not isinstance(v, int)):
            bad = "an integer"
        elif kind == "scalar" and (isinstance(v, (list, dict)) or isinstance(v, bool)):
            bad = "a number or text"
        elif kind == "date" and not is_date(v):
            self.add(keys, f"'{v}' is not a calendar date (YYYY, YYYY-MM or YYYY-MM-DD)", "bad-date")
            return False
        elif kind.startswith("enum:"):
            options = enum(kind[5:])
            if v not in options:
                self.add(keys, f"'{v}' is not one of {', '.join(options)}{did_you_mean(v, options)}", "bad-enum")
                return False
        if bad:
            self.add(keys, f"must be {bad}, got {v!r}", "bad-type")
            return False
        return True

    def text(self, obj, keys: tuple = ()):
        """Report every string (keys included) holding control or bidi characters; newlines and
        tabs only in the free-text keys (`notes`, `note`, ...)."""
        if isinstance(obj, dict):
            for k, v in obj.items():
                self.text(k, keys + (k,)) if isinstance(k, str) else None
                self.text(v, keys + (k,))
        elif isinstance(obj, list):
            for i, v in enumerate(obj):
                self.text(v, keys + (i,))
        elif isinstance(obj, str):
            if obj.isprintable():  # every unsafe character (control, bidi, TAB, LF) is non-printable
                return
            named = [k for k in keys if isinstance(k, str)]
            multiline = bool(named) and named[-1] in MULTILINE_KEYS
            chars = bad_chars(obj, multiline=multiline)
            if chars:
                what = "control or bidi characters" if multiline else "control, bidi, tab or newline characters"
                self.add(keys, f"text holds {what} ({', '.join(chars)}); they change how output reads in "
                         "terminals and logs", "bad-text")

    def url(self, v, keys: tuple):
        problem = url_problem(v)
        if problem:
            self.add(keys, f"url {v!r}: {problem}", "bad-url")

    def locator(self, raw: dict, keys: tuple, name: str, known: bool, what: str = "a value"):
        """A known figure needs a locator; a known unknown needs a locator or a note."""
        if str(raw.get("locator") or "").strip():
            return
        if known:
            self.add(keys, f"{what} needs a `locator`: where in the source it is printed (table, page, footnote)",
                     "missing-locator", field_=name)
        elif not str(raw.get("note") or "").strip():
            self.add(keys, "say where the source states this, with `locator` or `note`", "missing-locator",
                     field_=name)


def _figure(ck: _Checker, raw: dict, keys: tuple, fdef: Field, sources: dict) -> Figure | None:
    """Check one printed figure and compute its canonical value."""
    fig = Figure(printed=raw.get("value"), unit=raw.get("unit"), source=raw.get("source"),
                 locator=raw.get("locator"), note=raw.get("note"), basis=raw.get("basis"),
                 sparsity_factor=raw.get("sparsity_factor"), aggregate_of=raw.get("aggregate_of"),
                 direction=raw.get("direction"), granularity=raw.get("granularity"))
    name = fdef.name
    if fig.source is not None and fig.source not in sources:
        ck.add(keys + ("source",), f"source '{fig.source}' is not defined under sources"
               f"{did_you_mean(fig.source, sources)}", "dangling-source", field_=name)
    if fig.basis is not None and not fdef.peak:
        ck.add(keys + ("basis",), "basis applies only to peak-throughput fields", "basis-not-peak", field_=name)
    if fig.sparsity_factor is not None and fig.basis != "sparse":
        ck.add(keys + ("sparsity_factor",), "sparsity_factor needs basis: sparse", "bad-state", field_=name)
    if fig.direction is not None and not fdef.direction:
        ck.add(keys + ("direction",), "direction applies only to interconnect fields", "bad-state", field_=name)
    if fdef.direction and fig.printed is not None and fig.direction is None:
        ck.add(keys, "interconnect bandwidth must state direction: bidirectional or per-direction",
               "missing-direction", field_=name)
    if fig.printed is None:
        return fig
    if fdef.dtype == "string":
        if fig.unit is not None:
            ck.add(keys + ("unit",), "a text field takes no unit", "bad-unit", field_=name)
        fig.canonical = str(fig.printed)
        return fig
    if isinstance(fig.printed, str):
        ck.add(keys + ("value",), f"'{fig.printed}' is not a number; put units in `unit:`", "bad-type", field_=name)
        return None
    if fig.unit is not None and not fig.unit.strip():
        ck.add(keys + ("unit",), "unit is empty: give the unit as printed, or leave `unit` out for the "
               f"canonical {fdef.unit}", "bad-unit", field_=name)
        return None
    if fdef.unit == "dimensionless" and fig.unit not in (None, "dimensionless"):
        ck.add(keys + ("unit",), f"{name} is a count and takes no unit (got '{fig.unit}')", "bad-unit", field_=name)
        return None
    unit = fig.unit or fdef.unit
    try:
        value = fig.printed * factor(unit, fdef.unit)
    except UnitError as exc:
        ck.add(keys + ("unit",), str(exc), "bad-unit", field_=name)
        return None
    steps = []
    if fig.unit and fig.unit != fdef.unit:
        steps.append(f"{fig.printed} {fig.unit} -> {fdef.unit}")
    if fig.basis == "sparse":
        sf = 2 if fig.sparsity_factor is None else fig.sparsity_factor
        if not sf > 1:
            ck.add(keys + ("sparsity_factor",), f"sparsity_factor must be above 1 (got {sf:g}); a figure "
                   "without sparsity is basis: dense", "out-of-bounds", field_=name)
            return None
        value /= sf
        steps.append(f"sparse / {sf:g}" + (" (2:4 structured sparsity)" if fig.sparsity_factor is None else ""))
    if fig.aggregate_of is not None:
        if fig.aggregate_of < 1:
            ck.add(keys + ("aggregate_of",), "aggregate_of must be >= 1", "out-of-bounds", field_=name)
            return None
        if fig.aggregate_of > 1:
            value /= fig.aggregate_of
            steps.append(f"/ {fig.aggregate_of} (printed for {fig.aggregate_of} units)")
    if fdef.direction and fig.direction == "per-direction":
        value *= 2
        steps.append("x 2 (per-direction -> bidirectional)")
    if fdef.dtype == "integer":
        if float(value) != int(value):
            ck.add(keys + ("value",), f"{value} is not a whole number", "bad-type", field_=name)
            return None
        value = int(value)
    fig.canonical = value
    fig.derivation = "; ".join(steps) or None
    return fig


def _bounds(ck: _Checker, fig: Figure, keys: tuple, fdef: Field):
    v = fig.canonical
    if not isinstance(v, (int, float)):
        return
    if v == 0 and fdef.peak:
        ck.add(keys + ("value",), "0 is not a peak figure: use `disclosed: false` or `supported: false`",
               "zero-peak", field_=fdef.name)
    elif (fdef.min is not None and v < fdef.min) or (fdef.max is not None and v > fdef.max):
        ck.add(keys + ("value",), f"{v:g} {fdef.unit} is outside the plausible range "
               f"[{fdef.min:g}, {fdef.max:g}] {fdef.unit}", "out-of-bounds", field_=fdef.name)


FAR_RATIO = 1.9  # an alternative this far from the value is a sparse/dense or unit slip more often than a dispute


def _far(ck: _Checker, fig: Figure, alt: Figure, keys: tuple, name: str, allow: dict):
    a, b = fig.canonical, alt.canonical
    if "alternative-far" in allow or isinstance(a, (str, bool)) or isinstance(b, (str, bool)) or not a or not b:
        return
    r = max(a, b) / min(a, b)
    if r >= FAR_RATIO:
        ck.add(keys, f"alternative means {b:g} against the value's {a:g} ({r:.1f}x apart): a sparse figure "
               "marked dense, or a unit slip? silence with `allow: {alternative-far: reason}` if it is a real "
               "dispute", "alternative-far", "warning", field_=name)


def _value(ck: _Checker, name: str, raw, sources: dict) -> Value | None:
    keys = ("values", name)
    reg = registry()
    if name not in reg.value_fields:
        ck.add(keys, f"unknown field '{name}'{did_you_mean(name, reg.value_fields)}", "unknown-key", field_=name)
        return None
    fdef = reg.value_fields[name]
    if not isinstance(raw, dict):  # shorthand `field: 80` is refused: every value needs a source
        ck.add(keys, "a value must be a mapping with at least `value` (or disclosed/supported) and `source`",
               "bad-type", field_=name)
        return None
    for k in raw:
        if k not in VALUE_KEYS:
            ck.add(keys + (k,), f"unknown key '{k}' in value entry{did_you_mean(k, VALUE_KEYS)}",
                   "unknown-key", field_=name)
    ok = {k: v for k, v in raw.items()
          if k in VALUE_KEYS and v is not None and ck.typed(v, keys + (k,), VALUE_KEYS[k][0])}
    if "source" not in ok:
        ck.add(keys, "value has no source", "missing-source", field_=name)
    disclosed, supported = ok.get("disclosed", True), ok.get("supported", True)
    has_value = "value" in ok
    if sum([has_value, disclosed is False, supported is False]) != 1:
        ck.add(keys, "give exactly one of `value`, `disclosed: false` or `supported: false`", "bad-state", field_=name)
        return None
    state = "known" if has_value else ("undisclosed" if disclosed is False else "unsupported")
    fig = _figure(ck, ok, keys, fdef, sources)
    if fig is None:
        return None
    ck.locator(ok, keys, name, known=state == "known")
    src = sources.get(fig.source)
    if isinstance(src, dict) and src.get("superseded") is True:
        ck.add(keys + ("source",), f"source '{fig.source}' is marked superseded: it may back only alternatives, "
               "not the value", "superseded-value", field_=name)
    if state == "known":
        _bounds(ck, fig, keys, fdef)
        if fdef.sparsable and fig.basis is None:
            ck.add(keys, "state the basis of this throughput figure: basis: dense, sparse, or unstated "
                   "(when the source does not say)", "missing-basis", field_=name)
    alts = []
    for i, alt in enumerate(ok.get("alternatives", [])):
        akeys = keys + ("alternatives", i)
        alt_ok = ck.mapping(alt, akeys, FIGURE_KEYS, "alternative")
        if "value" not in alt_ok:
            ck.add(akeys, "an alternative needs a value", "missing-field", field_=name)
            continue
        afig = _figure(ck, alt_ok, akeys, fdef, sources)
        if afig is not None:
            ck.locator(alt_ok, akeys, name, known=True, what="an alternative")
            _bounds(ck, afig, akeys, fdef)
            alts.append(afig)
            if fdef.peak:
                _far(ck, fig, afig, akeys, name, ok.get("allow", {}))
    allow = ok.get("allow", {})
    for rule, reason in allow.items():
        if rule not in ALLOWABLE_RULES:
            ck.add(keys + ("allow", rule), f"'{rule}' is not a rule that can be allowed"
                   f"{did_you_mean(rule, ALLOWABLE_RULES)}", "unknown-key", field_=name)
        elif not isinstance(reason, str) or not reason.strip():
            ck.add(keys + ("allow", rule), "an exception needs a reason", "missing-field", field_=name)
    return Value(name, state, fig, alts, {k: v for k, v in allow.items() if k in ALLOWABLE_RULES},
                 ck.loaded.line(*keys))


def _dates(ck: _Checker, obj: dict, keys: tuple[str, ...], at: tuple = ()):
    """No date in the future; dates given in order (announced before released)."""
    today = dt.date.today().isoformat()
    shown = [(k, obj[k]) for k in keys if isinstance(obj.get(k), str) and is_date(obj[k])]
    for k, v in shown:
        if k != "released" and v > today[: len(v)]:
            ck.add(at + (k,), f"{k} date {v} is in the future (today is {today})", "future-date")
    if len(shown) == 2:
        (k1, v1), (k2, v2) = shown
        n = min(len(v1), len(v2))
        if v2[:n] < v1[:n]:
            ck.add(at + (k2,), f"{k2} {v2} is before {k1} {v1}", "date-order")


def check_sources(ck: _Checker, raw_sources: dict) -> dict[str, dict]:
    """The well-formed sources of a spec or stack file: keys, URLs, dates."""
    out = {}
    for key, src in raw_sources.items():
        at = ("sources", key)
        s = ck.mapping(src, at, SOURCE_KEYS, f"source '{key}'")
        if not s:
            continue
        for k in ("url", "archive_url"):
            if k in s:
                ck.url(s[k], at + (k,))
        if "version" in s and not VERSION_RE.fullmatch(s["version"]):
            ck.add(at + ("version",), f"version {s['version'][:60]!r} is not a version identifier (a commit sha, "
                   "'v2.9.1', 'DS-11120-001_v05'); put prose in `note`", "bad-version")
        _dates(ck, s, ("published", "accessed"), at)
        out[key] = s
    return out


def parse_spec(loaded: Loaded) -> tuple[Spec, list[Problem]]:
    ck = _Checker(loaded)
    spec = Spec(loaded.path, loaded)
    if not isinstance(loaded.data, dict):
        ck.add((), "a spec file must be a YAML mapping", "yaml-not-mapping", field_="")
        return spec, ck.problems
    spec.identity = ck.mapping(loaded.data, (), IDENTITY_KEYS, "spec")
    for list_key in ("aliases", "stacks"):
        for i, item in enumerate(spec.identity.get(list_key, [])):
            if not isinstance(item, str) or not item.strip():
                ck.add((list_key, i), f"{list_key} entries must be non-empty strings", "bad-type")
    ck.text(loaded.data)
    _dates(ck, spec.identity, ("announced", "released"))
    raw_sources = spec.identity.get("sources", {})
    spec.sources = check_sources(ck, raw_sources)
    for name, raw in spec.identity.get("values", {}).items():
        v = _value(ck, name, raw, raw_sources)
        if v is not None:
            spec.values[name] = v
    for i, claim in enumerate(spec.identity.get("claims", [])):
        c = ck.mapping(claim, ("claims", i), CLAIM_KEYS, "claim")
        if c:
            ck.locator(c, ("claims", i), "claims", known=True, what="a claim")
        if c.get("source") is not None and c["source"] not in raw_sources:
            ck.add(("claims", i, "source"), f"source '{c['source']}' is not defined under sources"
                   f"{did_you_mean(c['source'], raw_sources)}", "dangling-source")
        if c:
            c["_line"] = loaded.line("claims", i)
            spec.claims.append(c)
    # sources missing url/accessed get their own rule id, as contributors search for it
    ck.problems = [
        Problem(p.path, p.line, p.field, p.message, "source-incomplete", p.severity)
        if p.rule == "missing-field" and p.field.startswith("sources.") and
        ("'url'" in p.message or "'accessed'" in p.message) else p
        for p in ck.problems
    ]
    return spec, ck.problems
