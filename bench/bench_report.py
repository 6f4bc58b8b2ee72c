"""Benchmark ``mitrm report``: the Markdown documents and the HTML site for 10,000 items.

Usage: python bench/bench_report.py [--items 10000] [--repeat 3] [--repo DIR]

Generates the repo with bench/generate.py (committed to a fresh git repository,
as CI checks it out) unless --repo names an existing one, then runs the real CLI
in a subprocess and prints the median wall time of a report into an empty
folder, and the size of the site (HTML pages and assets) for that repo and for
the example repo. Target: the site of 10,000 items in under 15 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # measure with bytecode cached

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import machine_speed  # noqa: E402

SRC = HERE.parent / "src"
EXAMPLE = HERE.parent / "examples" / "acme"


def _report(repo: Path, out: Path, *args: str) -> float:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mitrm", "-C", str(repo), *args, "--out", str(out)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"mitrm {' '.join(args)} failed:\n{done.stderr}")
    return elapsed


def _size(folder: Path, *suffixes: str) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and p.suffix in suffixes]
    return len(files), sum(p.stat().st_size for p in files)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def main() -> None:
    """Generate (if needed), time each scenario ``--repeat`` times, print medians and sizes."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--repo", type=Path, help="an existing data repo (default: generate one)")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="mitrm-bench-report-"))
    repo = args.repo
    try:
        if repo is None:
            repo = scratch / "repo"
            subprocess.run(
                [sys.executable, str(HERE / "generate.py"), str(repo), "--items", str(args.items)],
                check=True,
            )
            _git(repo, "init", "-q", "-b", "main")
            _git(repo, "add", "-A")
            _git(
                repo,
                "-c",
                "user.name=Bench",
                "-c",
                "user.email=bench@example.com",
                "-c",
                "commit.gpgSign=false",
                "commit",
                "-q",
                "-m",
                "import",
            )
        runs = 0

        def fresh() -> Path:
            # A new folder each time (never one just deleted: deleting 40,000 files
            # slows the disk for the next seconds, see bench_render.py).
            nonlocal runs
            runs += 1
            return scratch / f"public-{runs}"

        results = {"first report (cold caches)": [_report(repo, fresh(), "report")]}
        results["report (empty folder)"] = [
            _report(repo, fresh(), "report") for _ in range(args.repeat)
        ]
        results["render, Markdown only (empty folder)"] = [
            _report(repo, fresh(), "render") for _ in range(args.repeat)
        ]
        site = scratch / f"public-{runs - args.repeat}"
        example = scratch / "example"
        shutil.copytree(EXAMPLE, example)
        _report(example, scratch / "example-public", "report")
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"{args.items} items, {os.cpu_count()} cores, load {load}")
        print(machine_speed())
        for name, times in results.items():
            each = ", ".join(f"{t:.2f}" for t in times)
            print(f"{name:38} median {statistics.median(times):6.2f} s   ({each})")
        for name, folder in (
            ("example", scratch / "example-public"),
            (f"{args.items} items", site),
        ):
            pages, html = _size(folder, ".html", ".css", ".js")
            files, everything = _size(folder, ".html", ".css", ".js", ".md", ".json")
            print(
                f"site of the {name}: {pages} files, {html / 1e6:.2f} MB "
                f"(whole report folder: {files} files, {everything / 1e6:.2f} MB)"
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
