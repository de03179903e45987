"""Run the whole course in one kernel, as a learner would, and measure it.

Prints JSON: seconds per notebook, the total, and the kernel's resident memory (now and
peak, from /proc) after each notebook. Targets (issue 5): all notebooks in under 90 s on
a 2-core machine; the kernel under 250 MB resident after the whole course.

    .venv/bin/python benchmarks/notebooks.py
"""
import json
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import start_new_kernel

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
CELL_TIMEOUT = 120


def memory_mb(pid):
    """(resident now, peak resident) of a process, in MB, from /proc."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return tuple(round(int(fields[k].split()[0]) / 1024, 1) for k in ("VmRSS", "VmHWM"))


def run_cell(kc, source):
    """Execute one cell; return the error name, or None."""
    errors = []

    def hook(msg):
        if msg["msg_type"] == "error":
            errors.append(msg["content"]["ename"])
    kc.execute_interactive(source, timeout=CELL_TIMEOUT, output_hook=hook)
    return errors[0] if errors else None


def main():
    km, kc = start_new_kernel(kernel_name="python3")
    pid = km.provisioner.process.pid
    try:
        run_cell(kc, f"import os; os.chdir({str(NOTEBOOKS)!r})")
        rows, start = [], time.perf_counter()
        for path in sorted(NOTEBOOKS.glob("*.ipynb")):
            notebook = nbformat.read(path, as_version=4)
            began = time.perf_counter()
            errors = [e for cell in notebook.cells if cell.cell_type == "code"
                      for e in [run_cell(kc, cell.source)] if e]
            rss, peak = memory_mb(pid)
            rows.append({"notebook": path.name, "seconds": round(time.perf_counter() - began, 2),
                         "rss_mb": rss, "peak_rss_mb": peak, "errors": errors})
        total = round(time.perf_counter() - start, 2)
        rss, peak = memory_mb(pid)
        print(json.dumps({"notebooks": rows, "total_seconds": total, "final_rss_mb": rss,
                          "peak_rss_mb": peak, "targets": {"total_seconds": 90, "rss_mb": 250}},
                         indent=2))
        return 0 if not any(r["errors"] for r in rows) else 1
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    sys.exit(main())
