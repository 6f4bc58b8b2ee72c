"""Benchmark ``mitrm render`` on a generated repo: a full render, a re-render, and ``--check``.

Usage: python bench/bench_render.py [--items 10000] [--repeat 3] [--repo DIR]

Generates the repo with bench/generate.py unless --repo names an existing one,
then runs the real CLI in a subprocess and prints the median wall time of each
scenario. Target: all documents of 10,000 items in under 10 s, and
``--check`` on an unchanged tree no slower.
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
from pathlib import Path

# Measure mitrm as an installed package runs: with its bytecode cached. Some sandboxes
# set PYTHONDONTWRITEBYTECODE, which would make every run compile mitrm from source.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import machine_speed  # noqa: E402

SRC = HERE.parent / "src"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(repo: Path, *args: str) -> tuple[float, float]:
    """Run ``mitrm render ARGS``; return its wall time and CPU time (all its processes)."""
    env = dict(os.environ, PYTHONPATH=str(SRC))
    cpu = _cpu()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mitrm", "-C", str(repo), "render", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"mitrm render {' '.join(args)} failed:\n{done.stderr}")
    return elapsed, _cpu() - cpu


def main() -> None:
    """Generate (if needed), then time each scenario ``--repeat`` times and print medians."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--repo", type=Path, help="an existing data repo (default: generate one)")
    args = parser.parse_args()
    scratch = None
    repo = args.repo
    if repo is None:
        scratch = Path(tempfile.mkdtemp(prefix="mitrm-bench-render-"))
        repo = scratch / "repo"
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(repo), "--items", str(args.items)],
            check=True,
        )
    out = repo / "docs" / "generated"
    trash = Path(tempfile.mkdtemp(prefix="mitrm-bench-trash-", dir=repo))

    def empty_output() -> None:
        # Move the last output aside rather than delete it: on this machine's disk,
        # deleting 20,000 files slows every file created in the next seconds (by up
        # to 10 s for a render), which would measure the benchmark's own clean-up
        # rather than a render into an empty folder as on a fresh CI checkout.
        if out.exists():
            out.rename(trash / f"{len(list(trash.iterdir()))}")

    try:
        empty_output()
        # The first run also fills the parse caches (.git/mitrm or the user cache), as
        # the first CI run on a fresh clone does; it is reported on its own.
        results: dict[str, list[tuple[float, float]]] = {"first render (cold caches)": [_run(repo)]}
        results["render (empty output folder)"] = []
        for _ in range(args.repeat):
            empty_output()
            results["render (empty output folder)"].append(_run(repo))
        results["render (unchanged tree)"] = [_run(repo) for _ in range(args.repeat)]
        results["render --check (unchanged tree)"] = [
            _run(repo, "--check") for _ in range(args.repeat)
        ]
        documents = sum(1 for path in out.rglob("*.md"))
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"{documents} documents, {args.items} items, {os.cpu_count()} cores, load {load}")
        print(machine_speed())
        for name, runs in results.items():
            wall = statistics.median(t for t, _ in runs)
            cpu = statistics.median(c for _, c in runs)
            each = ", ".join(f"{t:.2f}" for t, _ in runs)
            print(f"{name:32} median {wall:6.2f} s wall, {cpu:6.2f} s cpu   ({each})")
    finally:
        shutil.rmtree(trash, ignore_errors=True)
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
