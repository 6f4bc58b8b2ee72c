"""Benchmark `mitrm new`, `set`, `status` and `renumber` on a generated repo with many branches.

Usage: python bench/bench_edit.py [--items 10000] [--branches 50] [--runs 5]

The repo is copied, put under git and given BRANCHES branches that each add
one requirement, so that id allocation reads every branch. Prints medians of
whole-process wall times.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from common import bench_repo, median_of, mitrm, report

# Measure mitrm as an installed package runs: with its bytecode cached. Some sandboxes
# set PYTHONDONTWRITEBYTECODE, which would make every run compile mitrm from source.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True)
    return done.stdout


def main() -> None:
    """Run the drafting and editing benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--branches", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mitrm-bench-edit-"))
    root = work / "repo"
    shutil.copytree(bench_repo(args.items), root, ignore=shutil.ignore_patterns(".complete"))
    for command in (
        ["init", "-q", "-b", "main"],
        ["config", "user.name", "Bench"],
        ["config", "user.email", "bench@example.com"],
        ["config", "commit.gpgSign", "false"],
        ["add", "-A"],
        ["commit", "-q", "-m", "base"],
    ):
        _git(root, *command)
    for n in range(args.branches):
        _git(root, "checkout", "-q", "-b", f"b{n}", "main")
        path = root / "requirements" / f"REQ-{90000 + n}-branch.yaml"
        path.write_text(f"id: REQ-{90000 + n}\n", encoding="utf-8")
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", f"b{n}")
    _git(root, "checkout", "-q", "main")
    env = {"MITRM_CACHE_DIR": str(work / "cache")}
    print(
        f"repo: {args.items} items, {args.branches} branches, {os.cpu_count()} cores, "
        f"median of {args.runs}"
    )
    new_args = [
        "-C", str(root), "new", "requirement", "--no-input", "--title", "Bench item",
        "--type", "feature", "--channel", "internal", "--description", "Benchmark.",
    ]  # fmt: skip
    report("new requirement --no-input", median_of(args.runs, lambda: mitrm(*new_args, env=env)))
    item = sorted((root / "requirements").rglob("REQ-0001*.yaml"))[0]
    item_id = "-".join(item.name.split("-")[:2])
    dates = iter(range(1, 29))
    report(
        "set ID due=... tags+=...",
        median_of(
            args.runs,
            lambda: mitrm(
                "-C",
                str(root),
                "set",
                item_id,
                f"due=2099-01-{next(dates):02d}",
                "tags+=x",
                env=env,
            ),
        ),
    )
    mitrm("-C", str(root), "validate", env=env)  # warm the cache, as after any earlier command
    numbers = iter(range(80000, 80100))
    current = [item_id]

    def renumber_once() -> float:
        new = f"REQ-{next(numbers)}"
        seconds = mitrm("-C", str(root), "renumber", current[0], new, env=env)
        current[0] = new
        return seconds

    report("renumber OLD NEW (warm cache)", median_of(args.runs, renumber_once))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
