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
import shutil
import subprocess
import tempfile
from pathlib import Path

from common import bench_repo, machine_speed, median_of, mitrm, report

os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


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
    print(
        f"repo: {count} requirements, {os.cpu_count()} cores, median of {args.runs} "
        "whole-process runs"
    )
    print(machine_speed())
    book, sheet_csv = work / "all.xlsx", work / "all.csv"
    base = ["-C", str(root)]
    mitrm(*base, "list", env=env)  # warm the parse cache, as any earlier command does
    seconds = median_of(
        args.runs, lambda: mitrm(*base, "export", "-k", "requirement", "-o", str(book), env=env)
    )
    report(f"export {count} requirements to XLSX", seconds, 5)
    seconds = median_of(
        args.runs,
        lambda: mitrm(*base, "export", "-k", "requirement", "-o", str(sheet_csv), env=env),
    )
    report(f"export {count} requirements to CSV (BOM)", seconds, 5)
    print(f"XLSX size: {book.stat().st_size / 1024 / 1024:.1f} MiB")
    seconds = median_of(args.runs, lambda: mitrm(*base, "import", str(book), env=env))
    report("import of the unchanged XLSX (diff only)", seconds, 5)
    seconds = median_of(args.runs, lambda: mitrm(*base, "import", str(sheet_csv), env=env))
    report("import of the unchanged CSV (diff only)", seconds, 5)
    edited = work / "edited.xlsx"
    _edit_rows(book, edited, args.changed)

    def reset() -> None:
        _git(root, "checkout", "-q", "--", ".")

    seconds = median_of(
        args.runs, lambda: mitrm(*base, "import", str(edited), "--apply", env=env), before=reset
    )
    report(f"import --apply, {args.changed} rows edited (title, status)", seconds, 5)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
