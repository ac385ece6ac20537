"""The layer map in ARCHITECTURE.md holds: no module imports from a layer above its own, no two
packages import each other, and every file ARCHITECTURE.md tells newcomers to copy exists."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HARNESS = ROOT / "harness"


def layer_map() -> dict[str, int]:
    """``{package or top-level module name: layer}`` from ARCHITECTURE.md's layer table."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    out = {}
    for m in re.finditer(r"^\| (\d) \| ([^|]+) \|", text, re.M):
        for name in re.findall(r"`([^`]+)`", m.group(2)):
            out[name] = int(m.group(1))
    return out


def unit_of(module: str) -> str:
    """``harness.dataset.build`` -> ``dataset``; ``harness.paths`` -> ``paths``; ``harness`` -> ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports(path: Path, module: str) -> list[tuple[str, int]]:
    """Every harness module ``path`` imports (top-level and inside functions), with its line."""
    found = []
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names if a.name.startswith("harness")]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            if not base.startswith("harness"):
                continue
            for a in node.names:
                sub = f"{base}.{a.name}"
                where = ROOT / Path(*sub.split("."))
                is_module = where.with_suffix(".py").exists() or where.is_dir()
                found.append((sub if is_module else base, node.lineno))
    return found


def modules():
    for path in sorted(HARNESS.rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield path, ".".join(parts)


def test_every_package_has_a_layer():
    layers = layer_map()
    units = {unit_of(m) for _, m in modules()}
    assert sorted(units - set(layers)) == [], "add these to ARCHITECTURE.md's layer table"


def test_no_module_imports_from_a_layer_above():
    layers = layer_map()
    bad = []
    for path, module in modules():
        mine = layers[unit_of(module)]
        for target, line in imports(path, module):
            if target == "harness":
                continue
            theirs = layers.get(unit_of(target))
            if theirs is not None and theirs > mine:
                bad.append(f"{path.relative_to(ROOT)}:{line} (layer {mine}) imports {target} (layer {theirs})")
    assert bad == []


def test_no_two_packages_import_each_other():
    edges = set()
    for path, module in modules():
        for target, _ in imports(path, module):
            a, b = unit_of(module), unit_of(target)
            if a != b and target != "harness":
                edges.add((a, b))
    assert sorted((a, b) for a, b in edges if (b, a) in edges and a < b) == []


def test_the_files_to_copy_exist():
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    section = text.split("## Where each addition goes", 1)[1].split("\n## ", 1)[0]
    named = [p for p in re.findall(r"`([\w./-]+\.(?:py|yaml))`", section) if "<" not in p]
    assert named and [p for p in named if not (ROOT / p).is_file()] == []


def test_the_checker_sees_an_upward_import(tmp_path):
    """The test above can fail: a dataset module importing a view is reported."""
    layers = layer_map()
    probe = tmp_path / "x.py"
    probe.write_text("def f():\n    from harness.views import formats\n")
    found = imports(probe, "harness.dataset.x")
    assert [(t, n) for t, n in found] == [("harness.views.formats", 2)]
    assert layers[unit_of("harness.views.formats")] > layers[unit_of("harness.dataset.x")]
