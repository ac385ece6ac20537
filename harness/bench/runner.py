"""A benchmark run: the selected suites, their rows beside the datasheet peaks, one part per suite.

The run's ``_run.json`` is written with its first part, not before, and a run that fails before
any part leaves no folder (`RunStore.finish`): results/ never holds a run with metadata and no rows.
"""

from __future__ import annotations

from harness import __version__
from harness.bench import peaks, suites
from harness.runs import store as st

TABLE = st.KINDS["bench"][1]


def resolve_peaks(device, as_id: str | None):
    """(accelerators table or None, accelerator id or None, note)."""
    table = peaks.load_accelerators()
    if as_id:
        if table is None:  # nothing to resolve against: keep the id as given, its peaks unknown
            return None, as_id, peaks.NOT_BUILT
        return table, peaks.resolve_as(as_id, table), None
    acc_id, note = peaks.match(device.name, table)
    return table, acc_id, note


def attach_peak(row: dict, table, acc_id: str | None) -> dict:
    row["peak_accelerator_id"] = acc_id
    row["peak_tflops"] = row["peak_tbps"] = row["fraction_of_peak"] = None
    if suites.measures(row["bench_suite"]) == "flop":
        row["peak_tflops"] = peaks.peak(table, acc_id, row["precision"])
        measured, top = row["measured_tflops"], row["peak_tflops"]
    else:
        row["peak_tbps"] = peaks.peak(table, acc_id)
        measured, top = row["measured_tbps"], row["peak_tbps"]
    if measured is not None and top:
        row["fraction_of_peak"] = measured / top
    return row


def bench(device, suite_names, precisions, root, *, sizes: dict | None = None, as_id: str | None = None,
          repeats: int = 10, save: bool = True, argv=None, progress=None) -> tuple[dict, list[dict]]:
    """Run the suites on ``device``; returns (run metadata, rows). Writes a run under ``root``."""
    import torch

    table, acc_id, note = resolve_peaks(device, as_id)
    run_id = st.new_run_id()
    meta = st.run_metadata("bench", run_id, device, {
        "suites": list(suite_names), "precisions": list(precisions), "sizes": sizes or {},
        "as": as_id, "repeats": repeats}, argv)
    meta.update(peak_accelerator_id=acc_id, peak_note=note)
    store = st.RunStore(root, TABLE, device.type, run_id) if save else None
    fixed = {"device_name": device.name, "torch_version": torch.__version__, "harness_version": __version__}
    rows: list[dict] = []
    status = "interrupted"
    try:
        for name in suite_names:
            mod = suites.load(name)
            wanted = [p for p in precisions if p in mod.PRECISIONS] or list(mod.DEFAULT_PRECISIONS)
            size_list = (sizes or {}).get(name) or mod.default_sizes(device.type)
            if progress:
                progress(f"bench: {name} on {device.torch_device} ({', '.join(wanted)}; sizes {size_list})")
            suite_rows = [attach_peak({**r, **fixed}, table, acc_id)
                          for r in mod.run(device, wanted, size_list, repeats=repeats)]
            if store:
                if store.append(suite_rows) and len(store.parts()) == 1:
                    store.write_meta(meta)  # the run's folder exists from its first part on
            rows += suite_rows
        status = "complete"
    finally:
        meta.update(status=status, end_time=st.utc_now())
        if store:
            store.finish(meta, compact=status == "complete")
    meta["dir"] = str(store.dir) if store and store.dir.exists() else None
    return meta, rows

