"""FlagPerf operator READMEs (operation/benchmarks/<op>/<vendor>/<chip>/[<DTYPE>_]README.md) as rows.

Each README prints a core-results table (mean relative error or correctness, TFLOPS, FLOPS
utilisation), an other-results table (times, latency) and a power table, each with one row per
implementation (``nativetorch``, ``flaggems``); `op_rows` joins them into one row per
implementation. The dtype comes from the file name; a plain ``README.md`` does not state one.
"""

from __future__ import annotations

import re
from pathlib import Path

from harness import listcol
from harness.readiness.errors import InputError
from harness.readiness.flagperf_maps import TIER, record, resolve
from harness.readiness.flagperf_readme import Table, bullets, norm, number, share, tables, text

DTYPES = {"FP64": "float64", "FP32": "float32", "TF32": "float32", "FP16": "float16", "BF16": "bfloat16",
          "INT8": "int8", "INT16": "int16", "INT32": "int32", "INT64": "int64"}
IMPLEMENTATIONS = {"nativetorch": "native", "flaggems": "flaggems"}


def _find(tabs: list[Table], first: str, having: str) -> Table | None:
    for t in tabs:
        if norm(t.header[0]) == norm(first) and t.column(having) is not None:
            return t
    return None


def _by_impl(path: Path, t: Table | None, suffix: str = "") -> dict[str, tuple[int, list[str]]]:
    out: dict[str, tuple[int, list[str]]] = {}
    for line, cells in t.rows if t else []:
        label = norm(cells[0])
        if suffix and label.endswith(suffix):
            label = label[: -len(suffix)]
        if label not in IMPLEMENTATIONS:
            raise InputError(path, line, f"row label {cells[0]!r} is not one of {sorted(IMPLEMENTATIONS)}")
        if label in out:
            raise InputError(path, line, f"second {cells[0]!r} row (first at line {out[label][0]})")
        out[label] = (line, cells)
    return out


def _cell(t: Table | None, row: tuple[int, list[str]] | None, header: str) -> tuple[int, str | None]:
    if t is None or row is None:
        return 0, None
    i = t.column(header)
    return row[0], (row[1][i] if i is not None else None)


def op_rows(path: Path, rel: str, chips: dict, ops: dict, rec=None) -> tuple[list[dict], str | None]:
    """Rows of one operator README (``rel`` = its path in the FlagPerf repository), or ([], why)."""
    parts = rel.split("/")
    if len(parts) != 6 or parts[:2] != ["operation", "benchmarks"]:
        return [], "not an operation/benchmarks/<op>/<vendor>/<chip>/ README"
    op, vendor, chip, fname = parts[2:]
    m = re.fullmatch(r"(?:([A-Z0-9]+)_)?README\.md", fname)
    if not m:
        return [], f"file name {fname!r} is not [<DTYPE>_]README.md"
    if m.group(1) and m.group(1) not in DTYPES:
        raise InputError(path, None, f"dtype {m.group(1)!r} in the file name is not one of {sorted(DTYPES)}")
    lines = path.read_text(encoding="utf-8").splitlines()
    tabs = tables(path, lines)
    core = _find(tabs, "评测项", "TFLOPS(cpu wall clock)")
    if core is None:
        return [], "no 核心评测结果 table (评测项 | ... | TFLOPS(cpu wall clock))"
    other = _find(tabs, "评测项", "cputime")
    power = _find(tabs, "监控项", "单卡平均功耗")
    info = {k: (n, v) for n, k, v in bullets(lines)}
    model = text(info.get("产品型号", (0, None))[1])
    rows_core = _by_impl(path, core)
    rows_other, rows_power = _by_impl(path, other), _by_impl(path, power, suffix="监控结果")
    lib = _library_version(lines)
    aten, op_note = ops["mapped"].get(op, (None, ops["unmapped"].get(op, "not in the reviewed op map")))
    rec = rec or record()
    out = []
    for impl, core_row in sorted(rows_core.items()):
        o, p = rows_other.get(impl), rows_power.get(impl)

        def num(t, row, header, units=("",)):
            line, c = _cell(t, row, header)
            return number(path, line, c, units)

        line_e, err = _cell(core, core_row, "平均相对误差(with FP64-CPU)")
        _, correctness = _cell(core, core_row, "correctness")
        line_s, fu_cpu = _cell(core, core_row, "FU(FLOPS Utilization)-cputime")
        _, fu_kernel = _cell(core, core_row, "FU-kerneltime")
        locs = [f"核心评测结果 line {core_row[0]}"] + ([f"其他评测结果 line {o[0]}"] if o else []) + \
               ([f"能耗监控结果 line {p[0]}"] if p else [])
        out.append({
            "flagperf_result_id": f"{rel}#{impl}",
            "flagperf_op": op,
            "aten_op_packets": listcol.join(aten) if aten else None,
            "op_mapping_note": op_note,
            "flagperf_vendor": vendor,
            "accelerator_name": chip,
            "card_model": model,
            **resolve(chips, chip, model),
            "implementation": IMPLEMENTATIONS[impl],
            "measured_dtype": DTYPES.get(m.group(1)) if m.group(1) else None,
            "correctness_printed": text(correctness),
            "mean_relative_error": number(path, line_e, err),
            "relative_error_std": num(other, o, "相对误差(with FP64-CPU)标准差"),
            "cputime_tflops": num(core, core_row, "TFLOPS(cpu wall clock)", ("TFLOPS", "")),
            "kerneltime_tflops": num(core, core_row, "TFLOPS(kernel clock)", ("TFLOPS", "")),
            "flops_utilisation_cputime_share": share(path, line_s, fu_cpu),
            "flops_utilisation_kerneltime_share": share(path, line_s, fu_kernel),
            "cputime_us": num(other, o, "cputime", ("us", "")),
            "kerneltime_us": num(other, o, "kerneltime", ("us", "")),
            "latency_cold_us": num(other, o, "无预热时延", ("us", "")),
            "latency_warm_us": num(other, o, "预热后时延", ("us", "")),
            "card_power_avg_w": num(power, p, "单卡平均功耗", ("W", "")),
            "card_power_max_w": num(power, p, "单卡最大功耗", ("W", "")),
            "card_tdp_w": num(power, p, "单卡TDP", ("W", "")),
            "operator_library_version": lib,
            "readiness_tier": TIER,
            "source_repo": rec.repo,
            "source_path": rel,
            "source_commit": rec.commit,
            "source_url": rec.blob_url(rel),
            "locator": f"{rel}: " + "; ".join(locs),
        })
    return out, None


def _library_version(lines: list[str]) -> str | None:
    """The text under ``# 算子库版本`` as printed (a FlagGems commit, or how to obtain it)."""
    out, inside = [], False
    for raw in lines:
        s = raw.strip()
        if s.startswith("#"):
            if inside:
                break
            inside = s.lstrip("#").strip() == "算子库版本"
            continue
        if inside and s:
            out.append(s)
    return " ".join(out) or None
