"""FlagPerf training-case READMEs (training/<vendor>/<case>/README.md) as rows.

A case README prints hardware and software bullets (``- 加速卡型号: ...``), often a 通用指标 table
(model, device) and one or more results tables whose first column is ``配置`` or ``训练资源``.
Layouts differ: CV/NLP cases print p_whole/p_train/p_core and an accuracy column, LLM cases
token/p/s and MFU, the oldest cases a config file and target/converged accuracy. Column names are
read from explicit lists; a column FlagPerf is not known to print is an `InputError`, so a new
layout is reviewed, not guessed. A README may describe several machines (``A800硬件环境``,
``H800硬件环境``): a row takes the section whose heading names its chip, else the last above it.
"""

from __future__ import annotations

import re
from pathlib import Path

from harness import listcol
from harness.readiness.errors import InputError
from harness.readiness.flagperf_maps import TIER, record, resolve
from harness.readiness.flagperf_readme import Table, bullets, norm, share, tables, text

ENV_KEYS = {  # bullet key as printed (spaces removed) -> column
    "机器型号": "machine_model", "加速卡型号": "card_model", "机器、加速卡型号": "card_model",
    "多机网络类型、带宽": "network", "os版本": "os_version", "oskernel版本": "os_kernel",
    "加速卡驱动版本": "driver_version", "docker镜像和版本": "container_version", "docker版本": "container_version",
    "训练框架版本": "framework_version", "训练编译器版本": "compiler_version", "依赖软件版本": "dependency_versions",
}
CONFIG_HEADERS = {"配置", "训练资源"}
SIMPLE = {"配置文件": "config_file", "config": "config_file", "precision": "training_precision",
          "parallel": "parallel_strategy", "parallel_strategy": "parallel_strategy",
          "fix_hp": "hyperparameters_printed",
          "e2e_time": "e2e_time_printed", "运行时长(s)": "e2e_time_printed", "运行时长(大约)": "e2e_time_printed",
          "mfu": "mfu", "mem": "memory_printed", "memory": "memory_printed"}
THROUGHPUT = ("p_core", "token/p/s", "throughput", "性能(samples/s)", "性能(ntokens/s)", "性能(samples/秒)",
              "p_train", "p_whole")  # first printed one wins: p_core is FlagPerf's headline (bold)
TARGETS = {"目标精度", "目标val_loss", "目标map精度(bbox&&segm)"}
ACCURACY = {"acc", "map", "final_acc1", "rouge1", "rouge2", "rougel", "rougelsum", "val_loss", "mlm_acc",
            "lambada_acc", "final_bleu", "ppl", "map_bbox&&map_segm", "mlm_accuracy", "final_nuv", "auc", "acc1",
            "loss", "lmlossvalue", "acc(mmmu)", "acc(mmlu)", "收敛精度", "收敛精度(map)", "收敛val_loss",
            "收敛map精度(bbox&&segm)", "精度"}
STATUS = {"是否精度对齐"}  # a status ('True', 'doing*'), kept with accuracy but not a measurement
IGNORED = {"steps数", "epoch数"}
PLACE = re.compile(r"^(?P<pre>.*?)(?P<n>单|两|双|二|三|四|八|十|\d+)\s*机")
SIZE = re.compile(r"[（(]\s*(\d+)\s*[x×X]\s*(\d+)")
CONFIG_CHIP = re.compile(r"config_(.+?)x(\d+)x(\d+)")


def _chip_label(config: str, nodes: int | None) -> str | None:
    """``'R300单机8卡（1x8）'`` -> ``'R300'``; ``'H1004机32卡（4x8）'`` -> ``'H100'`` (the node count
    printed in brackets tells where the label ends); ``'单机8卡'`` -> None."""
    m = PLACE.match(config)
    if not m:
        return None
    pre = m.group("pre")
    if m.group("n").isdigit():  # 'H1004机' with (4x8): the label is what precedes the node count
        head = config[: m.end("n")]
        pre = head[: -len(str(nodes))] if nodes is not None and head.endswith(str(nodes)) else pre
    label = pre.strip().rstrip("-").strip().strip("\\*/ ").strip()
    return label or None


def _sections(lines: list[str]) -> list[tuple[int, str, dict]]:
    """``(line, heading label, env)`` per hardware section: a line with ``硬件环境`` starts one
    (``- ##### A800硬件环境`` is labelled ``A800``), and the bullets up to the next one fill it."""
    starts = [(n, raw.split("硬件环境")[0].strip(" -#*\t")) for n, raw in enumerate(lines, 1) if "硬件环境" in raw]
    if not starts or starts[0][0] > 1:
        starts.insert(0, (1, ""))
    found = bullets(lines)
    out = []
    for i, (start, label) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(lines) + 1
        env = {}
        for n, key, value in found:
            col = ENV_KEYS.get(norm(key))
            if col and start <= n < end:
                env[col] = (n, value)
        out.append((start, label, env))
    return out


def _env(sections: list[tuple[int, str, dict]], upto: int, label: str | None) -> dict:
    """The hardware section a results row belongs to: the one above the table whose heading names
    the row's chip label, else the last one above the table."""
    above = [s for s in sections if s[0] < upto]
    named = [s for s in above if label and s[1] and norm(s[1]) == norm(label)]
    chosen = (named or above or [(0, "", {})])[-1]
    return chosen[2]


def _general(tabs: list[Table], upto: int) -> dict[str, str]:
    """The 通用指标 table (指标名称 | 指标值) nearest above line ``upto``, as {name: value}."""
    found: dict[str, str] = {}
    for t in tabs:
        if t.line < upto and norm(t.header[0]) == "指标名称":
            found = {norm(c[0]): c[1] for _, c in t.rows if len(c) > 1}
    return found


def training_rows(path: Path, rel: str, chips: dict, rec=None) -> tuple[list[dict], str | None]:
    """Rows of one training case README, or ([], why) when it has no results table."""
    parts = rel.split("/")
    vendor, case = parts[1], parts[2]
    lines = path.read_text(encoding="utf-8").splitlines()
    if not any(s.strip() for s in lines):
        return [], "empty file"
    tabs = [t for t in tables(path, lines) if norm(t.header[0]) in CONFIG_HEADERS]
    if not tabs:
        first = next(s.strip() for s in lines if s.strip())
        return [], f"no results table (配置 / 训练资源); first line: {first[:60]!r}"
    rec = rec or record()
    model_dir, _, framework = case.partition("-")
    sections = _sections(lines)
    out = []
    for t in tabs:
        cols = _columns(path, t)
        general = _general(tables(path, lines), t.line)
        variant = None
        for line, cells in t.rows:
            rest = [c.strip() for c in cells[1:]]
            if all(not c or set(c) <= set("-:") for c in rest):
                variant = text(cells[0])  # a sub-heading row ('GPT3-13B | ------- | ...')
                continue
            out.append(_training_row(path, rel, vendor, case, model_dir, framework, t, cols, line, cells,
                                     sections, general, variant, chips, rec))
    return out, None


def _columns(path: Path, t: Table) -> dict:
    cols: dict = {"throughput": [], "accuracy": [], "target": []}
    for i, h in enumerate(t.header[1:], 1):
        k = norm(h)
        if k in SIMPLE:
            cols[SIMPLE[k]] = i
        elif k in THROUGHPUT:
            cols["throughput"].append((THROUGHPUT.index(k), h.strip(), i))
        elif k in TARGETS:
            cols["target"].append((h.strip(), i))
        elif k in ACCURACY or k in STATUS:
            cols["accuracy"].append((h.strip(), i))
        elif k not in IGNORED:
            raise InputError(path, t.line, f"results table column {h.strip()!r} is not one FlagPerf is "
                                           f"known to print; add it to the importer's column lists")
    cols["throughput"].sort()
    return cols


def _plain_number(cell: str | None) -> float | None:
    c = text(cell)
    m = re.fullmatch(r"[+-]?\d+(\.\d+)?", c or "")
    return float(c) if m else None


def _training_row(path, rel, vendor, case, model_dir, framework, t, cols, line, cells, sections, general,
                  variant, chips, rec) -> dict:
    def cell(key):
        i = cols.get(key)
        return text(cells[i]) if isinstance(i, int) else None

    config = text(cells[0]) or ""
    config_file = cell("config_file")
    size = SIZE.search(config)
    from_file = CONFIG_CHIP.search(config_file or "")
    nodes = int(size.group(1)) if size else int(from_file.group(2)) if from_file else None
    per_node = int(size.group(2)) if size else int(from_file.group(3)) if from_file else None
    row_label = _chip_label(config, nodes) or (from_file.group(1) if from_file else None)
    env = _env(sections, t.line, row_label)
    card = text(env.get("card_model", (0, None))[1])
    label = row_label or card
    memory = re.search(r"\*\s*(\d+)\s*G\b", config)
    metric = value_printed = None
    for _, header, i in cols["throughput"]:
        if text(cells[i]) is not None:
            metric, value_printed = header, text(cells[i])
            break
    acc = [(h, text(cells[i])) for h, i in cols["accuracy"]]
    measured_acc = [(h, v) for h, v in acc if v is not None and norm(h) not in STATUS]
    target = [(h, text(cells[i])) for h, i in cols["target"] if text(cells[i]) is not None]
    mfu_cell = cell("mfu")
    mfu = share(path, line, mfu_cell) if mfu_cell and re.fullmatch(r"[\d.]+\s*%?", mfu_cell) else None
    e2e = cell("e2e_time_printed")
    general_model = text(general.get("模型"))
    return {
        "flagperf_result_id": f"{rel}#L{line}",
        "flagperf_vendor": vendor,
        "flagperf_case": case,
        "flagperf_model": general_model or model_dir,
        "flagperf_framework": framework or None,
        "case_variant": variant,
        "accelerator_name": label,
        "card_model": card,
        "machine_model": text(env.get("machine_model", (0, None))[1]),
        **resolve(chips, label, card, f"{label}*{memory.group(1)}G" if memory and label else None),
        "configuration": config or None,
        "config_file": config_file,
        "n_nodes": nodes,
        "accelerators_per_node": per_node,
        "training_precision": cell("training_precision"),
        "parallel_strategy": cell("parallel_strategy"),
        "hyperparameters_printed": cell("hyperparameters_printed"),
        "throughput_metric": metric,
        "throughput_printed": value_printed,
        "throughput_value": _plain_number(value_printed),
        "mfu_printed": mfu_cell,
        "mfu_share": mfu,
        "accuracy_metric": listcol.join(h for h, _ in acc) if acc else None,
        "accuracy_printed": listcol.join(f"{h}={v}" for h, v in acc if v is not None) if len(acc) > 1
        else (acc[0][1] if acc else None),
        "accuracy_target_printed": listcol.join(f"{h}={v}" for h, v in target) if target else None,
        "memory_printed": cell("memory_printed"),
        "e2e_time_printed": e2e,
        "has_published_result": bool(value_printed or mfu_cell or e2e or measured_acc),
        "network": text(env.get("network", (0, None))[1]),
        "os_version": text(env.get("os_version", (0, None))[1]),
        "os_kernel": text(env.get("os_kernel", (0, None))[1]),
        "driver_version": text(env.get("driver_version", (0, None))[1]),
        "container_version": text(env.get("container_version", (0, None))[1]),
        "framework_version": text(env.get("framework_version", (0, None))[1]),
        "compiler_version": text(env.get("compiler_version", (0, None))[1]),
        "dependency_versions": text(env.get("dependency_versions", (0, None))[1]),
        "readiness_tier": TIER,
        "source_repo": rec.repo,
        "source_path": rel,
        "source_commit": rec.commit,
        "source_url": rec.blob_url(rel),
        "locator": f"{rel}: results table at line {t.line}, row line {line}",
    }
