"""Benchmark: a CI job in a fresh clone, with an empty cache and with the last run's cache restored.

Usage: python bench/bench_ci_cache.py [--items 10000] [--runs 3] [--style example]

Each run clones the benchmark repo afresh (new files, so nothing can be known
from their inodes and times, as on a CI runner), then times ``mitrm validate``
and ``mitrm report --out DIR`` with ``MITRM_CACHE_DIR`` pointing at either an
empty folder (cold) or a copy of the cache an earlier clone's run left behind
(what actions/cache or GitLab's cache restore). The two take turns run by run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

from common import bench_repo, machine_speed, mitrm, report

os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # measure as an installed package runs

_GIT_USER = {
    "GIT_AUTHOR_NAME": "B",
    "GIT_AUTHOR_EMAIL": "b@x",
    "GIT_COMMITTER_NAME": "B",
    "GIT_COMMITTER_EMAIL": "b@x",
}


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, **_GIT_USER}
    )


def _origin(items: int, style: str) -> Path:
    """The benchmark repo as a git repository with one commit (made once, reused)."""
    source = bench_repo(items, style=style)
    origin = source.parent / f"{source.name}-git"
    if not (origin / ".complete-git").exists():
        shutil.rmtree(origin, ignore_errors=True)
        shutil.copytree(source, origin, ignore=shutil.ignore_patterns(".complete"))
        _git("init", "-q", "-b", "main", cwd=origin)
        _git("add", "-A", cwd=origin)
        _git("commit", "-q", "-m", "items", cwd=origin)
        (origin / ".git" / "info" / "exclude").write_text(".complete-git\n", encoding="utf-8")
        (origin / ".complete-git").write_text("ok\n", encoding="utf-8")
    return origin


def main() -> None:
    """Time validate and report in fresh clones, cold and with a restored cache."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--style", choices=("synthetic", "example"), default="example")
    args = parser.parse_args()
    origin = _origin(args.items, args.style)
    print(f"repo: {origin} ({args.items} {args.style} items), median of {args.runs}")
    print(machine_speed(), flush=True)
    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="mitrm-bench-ci-") as tmp:
        work = Path(tmp)
        saved = work / "saved-cache"

        def job(name: str, cache: Path) -> None:
            clone = work / "clone"
            shutil.rmtree(clone, ignore_errors=True)
            _git("clone", "-q", str(origin), str(clone), cwd=work)
            env = {"MITRM_CACHE_DIR": str(cache)}
            for label, argv in (
                ("validate", ["-C", str(clone), "validate"]),
                ("report --out DIR", ["-C", str(clone), "report", "--out", str(work / "out")]),
            ):
                seconds = mitrm(*argv, env=env)
                times.setdefault(f"{label}, {name}", []).append(seconds)
            shutil.rmtree(work / "out", ignore_errors=True)

        # The "last CI run": its cache is what the next run restores.
        job("first run", saved)
        for _run in range(args.runs):
            cold = work / "cold-cache"
            shutil.rmtree(cold, ignore_errors=True)
            job("cold (empty cache)", cold)
            restored = work / "restored-cache"
            shutil.rmtree(restored, ignore_errors=True)
            shutil.copytree(saved, restored)
            job("cache restored", restored)
    for name, seconds in times.items():
        if not name.endswith("first run"):
            report(name, statistics.median(seconds))


if __name__ == "__main__":
    main()
