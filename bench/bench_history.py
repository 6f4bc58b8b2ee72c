"""Benchmark ``mitrm history`` and ``mitrm changelog`` on a large generated git history.

Usage: python bench/bench_history.py [--work DIR] [--runs 5] [--one-folder-runs 1]

Builds (once, with ``git fast-import``) a data repo of 10,000 requirements and
20,000 commits: 5,000 commits adding two items each, then 15,000 commits each
changing two items (a status step, a cost, a description line or a tag), so
about 40,000 file versions. Items are sharded 100 per folder; a second repo
keeps all of them in one folder. Every timing runs the real CLI in a fresh
process and prints the median of the runs.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# Measure mitrm as an installed package runs: with its bytecode cached. Some sandboxes
# set PYTHONDONTWRITEBYTECODE, which would make every run compile mitrm from source.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

sys.path.insert(0, str(Path(__file__).parent))
from generate import requirement  # the sibling generator, found through sys.path

SRC = Path(__file__).resolve().parent.parent / "src"
STATUSES = ["submitted", "analysis", "approved", "planned", "in_progress", "testing", "released"]
START = 1704067200  # 2024-01-01 UTC
SETTINGS = (
    "project: Bench\ncurrency: CNY\nids:\n  requirement: {prefix: REQ, digits: 5}\n"
    "  plan: {prefix: PLAN, digits: 5}\n  change: {prefix: CR, digits: 5}\n"
)


def _data(text: str) -> bytes:
    raw = text.encode("utf-8")
    return b"data %d\n" % len(raw) + raw + b"\n"


def _mutate(rng: random.Random, text: str, step: int) -> str:
    lines = text.split("\n")
    choice = rng.randrange(4)
    for index, line in enumerate(lines):
        if choice == 0 and line.startswith("status: "):
            current = line.split(": ", 1)[1]
            position = STATUSES.index(current) if current in STATUSES else -1
            if position + 1 < len(STATUSES):
                lines[index] = f"status: {STATUSES[position + 1]}"
                return "\n".join(lines)
            choice = 1
        if choice == 1 and line.startswith("  cost: "):
            lines[index] = f"  cost: {rng.randrange(5, 500) * 1000}"
            return "\n".join(lines)
        if choice == 2 and line.startswith("description: "):
            lines[index + 1] = f"  revised in step {step}: {lines[index + 1].strip()}"
            return "\n".join(lines)
        if choice == 3 and line.startswith("tags: ["):
            lines[index] = line[:-1] + f", t{step}]"
            return "\n".join(lines)
    return "\n".join(lines) + f"# step {step}\n"


def build(out: Path, *, items: int, commits: int, shard: int) -> Path:
    """Create the repo with git fast-import (skipped if it is already there)."""
    if (out / ".git" / "bench-done").is_file():
        return out
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(out)], check=True)
    rng = random.Random(6)
    texts: dict[int, tuple[str, str]] = {}
    adding = items // 2
    proc = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=out, stdin=subprocess.PIPE)
    assert proc.stdin is not None
    write = proc.stdin.write
    number = 0
    for step in range(commits):
        when = START + step * 3600
        message = f"Step {step}"
        files: list[tuple[str, str]] = []
        if step < adding:
            for _ in range(2):
                number += 1
                name, text = requirement(rng, number, items)
                text = text.replace(
                    text[text.index("status: ") : text.index("\n", text.index("status: "))],
                    "status: submitted",
                )
                folder = f"requirements/{(number - 1) // shard:03d}" if shard else "requirements"
                texts[number] = (f"{folder}/{name}", text)
                files.append(texts[number])
            message = f"Add REQ-{number - 1:05d} and REQ-{number:05d}"
        else:
            for _ in range(2):
                pick = rng.randrange(1, items + 1)
                path, text = texts[pick]
                texts[pick] = (path, _mutate(rng, text, step))
                files.append(texts[pick])
        write(b"commit refs/heads/main\n")
        write(f"author Li Wei <li@example.com> {when} +0000\n".encode())
        write(f"committer Li Wei <li@example.com> {when} +0000\n".encode())
        write(_data(message))
        if step == 0:
            write(b"M 100644 inline mitrm.yaml\n" + _data(SETTINGS))
        for path, text in files:
            write(f"M 100644 inline {path}\n".encode() + _data(text))
        write(b"\n")
    proc.stdin.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=out, check=True)
    (out / ".git" / "bench-done").write_text("ok\n")
    return out


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC)
    env.pop("MITRM_CACHE_DIR", None)
    env["NO_COLOR"] = "1"
    return env


CPU: list[float] = []  # CPU seconds (user + system) of the last runs, children included


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def mitrm(repo: Path, *args: str) -> float:
    """Seconds for one ``mitrm ARGS`` run in a fresh process (output discarded)."""
    cpu = _cpu()
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mitrm", *args],
        cwd=repo,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    elapsed = time.perf_counter() - start
    CPU.append(_cpu() - cpu)
    if done.returncode != 0:
        raise SystemExit(f"mitrm {' '.join(args)} failed: {done.stderr.decode()}")
    return elapsed


def timed(label: str, runs: int, task: Callable[[], float], target: float | None) -> float:
    """Run ``task`` ``runs`` times; print and return the median."""
    CPU.clear()
    samples = [task() for _ in range(runs)]
    median = statistics.median(samples)
    goal = f" (target < {target:g} s)" if target else ""
    spread = ", ".join(f"{s:.2f}" for s in samples)
    cpu = f"; CPU median {statistics.median(CPU):.2f} s" if CPU else ""
    print(f"{label}: median {median:.2f} s over {runs} runs [{spread}]{cpu}{goal}", flush=True)
    return median


def _drop_cache(repo: Path) -> None:
    (repo / ".git" / "mitrm" / "history.pickle").unlink(missing_ok=True)


def _cold(repo: Path) -> float:
    _drop_cache(repo)
    return mitrm(repo, "history", "--metrics", "--format", "json")


def _git_log(repo: Path) -> float:
    cpu = _cpu()
    start = time.perf_counter()
    subprocess.run(
        [
            "git",
            "log",
            "-z",
            "--raw",
            "-c",
            "-M",
            "--no-abbrev",
            "--topo-order",
            "--reverse",
            "--format=%H%x00%P%x00%an%x00%ae%x00%at%x00%B",
            "--",
            "requirements",
            "plans",
            "changes",
        ],
        cwd=repo,
        stdout=subprocess.DEVNULL,
        check=True,
    )
    elapsed = time.perf_counter() - start
    CPU.append(_cpu() - cpu)
    return elapsed


def _one_more_commit(repo: Path, counter: list[int]) -> float:
    counter[0] += 1
    target = next((repo / "requirements").rglob("REQ-00042-*.yaml"))
    with target.open("a", encoding="utf-8") as handle:
        handle.write(f"# touched {counter[0]}\n")
    text = target.read_text(encoding="utf-8")
    cost_line = next(line for line in text.split("\n") if line.startswith("  cost: "))
    target.write_text(
        text.replace(cost_line, f"  cost: {1000 * (counter[0] + 7)}"), encoding="utf-8"
    )
    subprocess.run(
        ["git", "commit", "-q", "-am", f"Bench change {counter[0]}"],
        cwd=repo,
        check=True,
        env={
            **os.environ,
            "GIT_AUTHOR_NAME": "B",
            "GIT_AUTHOR_EMAIL": "b@x",
            "GIT_COMMITTER_NAME": "B",
            "GIT_COMMITTER_EMAIL": "b@x",
        },
    )
    return mitrm(repo, "history", "REQ-00042")


def main() -> None:
    """Build the repos and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "mitrm-bench")
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--one-folder-runs", type=int, default=1)
    args = parser.parse_args()

    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores", flush=True)
    start = time.perf_counter()
    sharded = build(args.work / "sharded", items=args.items, commits=args.commits, shard=100)
    print(f"sharded repo ready in {time.perf_counter() - start:.1f} s: {sharded}", flush=True)
    runs = args.runs
    timed("git log pass alone (sharded)", runs, lambda: _git_log(sharded), None)
    timed("history of all items, cold cache (history --metrics)", runs, lambda: _cold(sharded), 6)
    mitrm(sharded, "history", "REQ-00042")
    timed("mitrm history ID, warm cache", runs, lambda: mitrm(sharded, "history", "REQ-00042"), 0.5)
    counter = [0]
    timed(
        "mitrm history ID after one new commit (cache update)",
        runs,
        lambda: _one_more_commit(sharded, counter),
        1,
    )
    timed(
        "mitrm changelog HEAD~1000..HEAD, warm cache",
        runs,
        lambda: mitrm(sharded, "changelog", "HEAD~1000..HEAD"),
        2,
    )
    timed("mitrm --help", runs, lambda: mitrm(sharded, "--help"), 0.2)

    if args.one_folder_runs:
        start = time.perf_counter()
        flat = build(args.work / "one-folder", items=args.items, commits=args.commits, shard=0)
        print(f"one-folder repo ready in {time.perf_counter() - start:.1f} s: {flat}", flush=True)
        ofr = args.one_folder_runs
        timed("git log pass alone (one folder)", ofr, lambda: _git_log(flat), None)
        timed(
            "one folder: history of all items, cold cache (first run)",
            ofr,
            lambda: _cold(flat),
            None,
        )
        mitrm(flat, "history", "REQ-00042")
        timed(
            "one folder: mitrm history ID, warm cache",
            runs,
            lambda: mitrm(flat, "history", "REQ-00042"),
            0.5,
        )
    print(f"load average at end: {os.getloadavg()[0]:.2f}", flush=True)


if __name__ == "__main__":
    main()
