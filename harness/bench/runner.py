"""A benchmark run: the selected suites, their rows beside the datasheet peaks, one part per suite."""

from __future__ import annotations

from harness import __version__
from harness.bench import peaks, suites
from harness.errors import UserError
from harness.probe import store as st

TABLE = "bench_results"


def resolve_peaks(device, as_id: str | None):
    """(accelerators table or None, accelerator id or None, note)."""
    table = peaks.load_accelerators()
    if as_id:
        if table is not None and as_id not in set(table["accelerator_id"]):
            from harness.problems import did_you_mean

            raise UserError(f"--as: no accelerator '{as_id}' in the dataset"
                            f"{did_you_mean(as_id, table['accelerator_id'])}")
        note = None if table is not None else "the accelerators table is not built (accel build)"
        return table, as_id, note
    acc_id, note = peaks.match(device.name, table)
    return table, acc_id, note


def attach_peak(row: dict, table, acc_id: str | None) -> dict:
    row["peak_accelerator_id"] = acc_id
    row["peak_tflops"] = row["peak_tbps"] = row["fraction_of_peak"] = None
    if row["bench_suite"] == "gemm":
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
    if store:
        store.write_meta(meta)
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
                store.append(suite_rows)
            rows += suite_rows
        status = "complete"
    finally:
        meta.update(status=status, end_time=st.utc_now())
        if store:
            store.write_meta(meta)
            if status == "complete":
                store.compact()
    meta["dir"] = str(store.dir) if store else None
    return meta, rows
