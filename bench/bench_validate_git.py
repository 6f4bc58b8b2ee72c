"""Benchmark ``mitrm validate`` inside git, where it reads the history for MIT419 and MIT601.

Usage: python bench/bench_validate_git.py [--work DIR] [--runs 3]

Uses the history benchmark's repo (10,000 requirements, 20,000 commits, built
once by ``bench_history.build``) and prints medians of fresh CLI runs:

- a fresh clone's first run: no cache at all, so the whole history is read;
- a warm run, nothing changed;
- a run after one new commit (the history cache is brought up to date);
- the pre-commit hook's run (``--hook`` with one staged file), warm.
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
from collections.abc import Callable
from pathlib import Path

os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # measure as an installed package runs

sys.path.insert(0, str(Path(__file__).parent))
from bench_history import SRC, build  # the sibling benchmark, found through sys.path
from common import machine_speed

_GIT_USER = {
    "GIT_AUTHOR_NAME": "B",
    "GIT_AUTHOR_EMAIL": "b@x",
    "GIT_COMMITTER_NAME": "B",
    "GIT_COMMITTER_EMAIL": "b@x",
}


def validate(repo: Path, *args: str) -> float:
    """Seconds for one ``mitrm validate ARGS`` in a fresh process (exit 0 or 1 expected)."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "NO_COLOR": "1"}
    env.pop("MITRM_CACHE_DIR", None)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mitrm", "validate", *args],
        cwd=repo,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"mitrm validate failed: {done.stderr.decode('utf-8', 'replace')}")
    return elapsed


def timed(label: str, runs: int, task: Callable[[], float]) -> float:
    """Run ``task`` ``runs`` times; print and return the median."""
    samples = [task() for _ in range(runs)]
    median = statistics.median(samples)
    spread = ", ".join(f"{s:.2f}" for s in samples)
    print(f"{label}: median {median:.2f} s over {runs} runs [{spread}]", flush=True)
    return median


def _fresh(repo: Path) -> float:
    shutil.rmtree(repo / ".git" / "mitrm", ignore_errors=True)
    return validate(repo)


def _one_more_commit(repo: Path, counter: list[int]) -> float:
    counter[0] += 1
    target = next((repo / "requirements").rglob("REQ-00042-*.yaml"))
    with target.open("a", encoding="utf-8") as handle:
        handle.write(f"# touched {counter[0]}\n")
    env = {**os.environ, **_GIT_USER}
    subprocess.run(
        ["git", "commit", "-q", "-am", f"Touch {counter[0]}"], cwd=repo, check=True, env=env
    )
    return validate(repo)


def main() -> None:
    """Build (or reuse) the repo and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "mitrm-bench")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(machine_speed(), flush=True)
    source = build(args.work / "sharded", items=10_000, commits=20_000, shard=100)
    repo = args.work / "validate-git"
    if not (repo / ".git").is_dir():
        subprocess.run(["git", "clone", "-q", str(source), str(repo)], check=True)
    timed(
        "validate, fresh clone (no cache: history read from git)", args.runs, lambda: _fresh(repo)
    )
    validate(repo)
    timed("validate, warm, nothing changed", args.runs, lambda: validate(repo))
    counter = [0]
    timed("validate after one new commit", args.runs, lambda: _one_more_commit(repo, counter))
    staged = next((repo / "requirements").rglob("REQ-00043-*.yaml"))
    with staged.open("a", encoding="utf-8") as handle:
        handle.write("# staged\n")
    subprocess.run(["git", "add", str(staged)], cwd=repo, check=True)
    timed(
        "validate --hook, one staged file (warm)",
        args.runs,
        lambda: validate(repo, "--hook", str(staged)),
    )
    subprocess.run(["git", "checkout", "-q", "HEAD", "--", str(staged)], cwd=repo, check=True)


if __name__ == "__main__":
    main()
