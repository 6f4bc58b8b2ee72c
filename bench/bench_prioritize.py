"""Time ``mitrm prioritize`` and ``mitrm prioritize --budget`` as whole processes; print medians.

Usage: python bench/bench_prioritize.py [REPO] [--items 10000] [--runs 5] [--budget 500000]
       [--large-budget 50000000]

Without REPO, a repo is generated with bench/generate.py in a temporary folder.
The first run of each command warms the parse cache and is reported apart
("cold"); the median is over the next ``--runs`` runs (warm cache). Targets:
prioritize under 2 s, --budget under 3 s on the 10,000-item repo.
Each budget run also prints the solver's word on its answer (HiGHS's status,
proven optimal or the gap), read from one ``--format json`` run; a large budget
(thousands of items chosen) is timed too. The last line is the reference loop:
read the medians beside it on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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
SRC = HERE.parent / "src"
sys.path.insert(0, str(HERE))

from common import machine_speed  # noqa: E402


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run of ``mitrm ARGS``; a failure stops the benchmark.

    CPU time (user + system of the child) shows the cost apart from other load on
    a shared machine; wall-clock time is what a user waits.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mitrm", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"mitrm {' '.join(args)} failed ({done.returncode}): {done.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def bench(name: str, args: list[str], runs: int, env: dict[str, str]) -> None:
    """Print the cold run and the medians of ``runs`` warm runs (wall-clock and CPU)."""
    cold, _ = timed(args, env)
    warm = [timed(args, env) for _ in range(runs)]
    walls = [wall for wall, _ in warm]
    cpus = [cpu for _, cpu in warm]
    spread = ", ".join(f"{t:.2f}" for t in walls)
    print(
        f"{name:<28} cold {cold:5.2f} s   warm median {statistics.median(walls):5.2f} s"
        f" (cpu {statistics.median(cpus):4.2f} s)   runs: {spread}"
    )


def solver_status(args: list[str], env: dict[str, str]) -> str:
    """What the solver said about the budget run's answer (from its JSON output)."""
    done = subprocess.run(
        [sys.executable, "-m", "mitrm", *args, "--format", "json"],
        env=env,
        capture_output=True,
        check=True,
    )
    selection = json.loads(done.stdout)["selection"]
    proof = (
        "proven optimal"
        if selection["optimal"]
        else f"stopped by {selection['stopped_by']}, gap {selection['gap']}"
    )
    chosen, left = len(selection["chosen"]), len(selection["left_out"])
    return (
        f"  solver: {selection['method']}, status {selection['solver_status']} ({proof}); "
        f"{chosen} chosen of {chosen + left}, total score {selection['total_score']:g} "
        f"(greedy {selection['greedy_score']:g})"
    )


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("repo", type=Path, nargs="?")
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--budget", default="500000")
    parser.add_argument("--large-budget", default="50000000")
    options = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    with tempfile.TemporaryDirectory(prefix="mitrm-bench-") as scratch:
        repo = options.repo
        if repo is None:
            repo = Path(scratch) / "repo"
            subprocess.run(
                [
                    sys.executable,
                    str(HERE / "generate.py"),
                    str(repo),
                    "--items",
                    str(options.items),
                ],
                check=True,
            )
        common = ["-C", str(repo), "prioritize", "--today", "2026-11-22"]
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"repo {repo}, {options.runs} warm runs each, {os.cpu_count()} cores, load {load}")
        bench("prioritize", common, options.runs, env)
        for amount in (options.budget, options.large_budget):
            budget_run = [*common, "--budget", amount]
            bench(f"prioritize --budget {amount}", budget_run, options.runs, env)
            print(solver_status(budget_run, env))
        bench("prioritize --format json", [*common, "--format", "json"], options.runs, env)
        print(machine_speed())


if __name__ == "__main__":
    main()
