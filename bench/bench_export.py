"""Benchmark `mitrm export` and `mitrm import` on 10,000 requirements.

Usage: python bench/bench_export.py [--requirements 10000] [--runs 5] [--changed 100]

The generated repo is copied and put under git. Measured as whole processes
(median of RUNS, parse cache warm as in daily use):
- export of every requirement to XLSX, and to CSV;
- import of the unchanged XLSX export (every row read, compared, nothing to write);
- import --apply of the export with CHANGED titles and statuses edited (as in Excel),
  the repo reset before each run.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import bench_repo, machine_speed

os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one whole ``mitrm`` process.

    On a shared machine the wall time also counts waiting for a core; the CPU
    time shows the command's own cost.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mitrm", *args],
        capture_output=True,
        env={**os.environ, **env},
        check=False,
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.stderr.write(done.stderr.decode("utf-8", "replace"))
        raise SystemExit(f"mitrm {' '.join(args)} exited {done.returncode}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def _measure(
    name: str,
    runs: int,
    args: list[str],
    env: dict[str, str],
    before: Callable[[], None] | None = None,
) -> None:
    results = []
    for _ in range(runs):
        if before is not None:
            before()
        results.append(_run(args, env))
    wall = statistics.median(w for w, _c in results)
    cpu = statistics.median(c for _w, c in results)
    verdict = "ok" if wall < 5 else "OVER TARGET"
    spread = " ".join(f"{w:.2f}" for w, _c in results)
    print(
        f"{name:<50} {wall:6.2f} s (cpu {cpu:5.2f} s, target < 5 s) {verdict}   runs: {spread}",
        flush=True,
    )


def _edit_rows(source: Path, target: Path, changed: int) -> None:
    """Change the title and status of ``changed`` rows, as a person in Excel would."""
    import openpyxl

    workbook = openpyxl.load_workbook(source)
    sheet = workbook["Requirements"]
    header = [cell.value for cell in sheet[1]]
    title, status = header.index("title"), header.index("status")
    done = 0
    for row in sheet.iter_rows(min_row=2):
        if row[status].value == "draft":
            row[title].value = f"{row[title].value} (edited)"
            row[status].value = "cancelled"
            done += 1
            if done == changed:
                break
    workbook.save(target)


def main() -> None:
    """Run the export and import benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requirements", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--changed", type=int, default=100)
    args = parser.parse_args()
    # generate.py adds one plan and one change request per 52 items.
    items = args.requirements * 52 // 50
    work = Path(tempfile.mkdtemp(prefix="mitrm-bench-export-"))
    root = work / "repo"
    shutil.copytree(bench_repo(items), root, ignore=shutil.ignore_patterns(".complete"))
    for command in (
        ["init", "-q", "-b", "main"],
        ["config", "user.name", "Bench"],
        ["config", "user.email", "bench@example.com"],
        ["config", "commit.gpgSign", "false"],
        ["add", "-A"],
        ["commit", "-q", "-m", "base"],
    ):
        _git(root, *command)
    count = len(list((root / "requirements").rglob("*.yaml")))
    env = {"MITRM_CACHE_DIR": str(work / "cache")}
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"repo: {count} requirements, {os.cpu_count()} cores, load {load}, "
        f"median of {args.runs} whole-process runs"
    )
    print(machine_speed())
    book, sheet_csv = work / "all.xlsx", work / "all.csv"
    base = ["-C", str(root)]
    _run([*base, "list"], env)  # warm the parse cache, as any earlier command does
    runs = args.runs
    _measure(
        f"export {count} requirements to XLSX",
        runs,
        [*base, "export", "-k", "requirement", "-o", str(book)],
        env,
    )
    _measure(
        f"export {count} requirements to CSV (BOM)",
        runs,
        [*base, "export", "-k", "requirement", "-o", str(sheet_csv)],
        env,
    )
    _measure(
        "list (for comparison: load and print)", runs, [*base, "list", "-k", "requirement"], env
    )
    print(f"XLSX size: {book.stat().st_size / 1024 / 1024:.1f} MiB")
    _measure("import of the unchanged XLSX (diff only)", runs, [*base, "import", str(book)], env)
    _measure(
        "import of the unchanged CSV (diff only)", runs, [*base, "import", str(sheet_csv)], env
    )
    edited = work / "edited.xlsx"
    _edit_rows(book, edited, args.changed)

    def reset() -> None:
        _git(root, "checkout", "-q", "--", ".")

    _measure(
        f"import --apply, {args.changed} rows edited (title, status)",
        runs,
        [*base, "import", str(edited), "--apply"],
        env,
        before=reset,
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
