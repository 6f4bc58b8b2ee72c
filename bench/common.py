"""Helpers for the benchmarks: build the benchmark repo once, time whole processes."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate, generate_like_example  # noqa: E402


def bench_repo(
    items: int, shard: int = 100, *, base: Path | None = None, style: str = "synthetic"
) -> Path:
    """The generated repo for ``items`` items (reused between runs; deterministic).

    ``style`` is ``synthetic`` (1 KB items) or ``example`` (copies of the bundled
    example's items, about 2 KB with comments and warnings).
    """
    suffix = "" if style == "synthetic" else f"-{style}"
    root = (base or Path(os.environ.get("MITRM_BENCH_DIR", "/tmp/mitrm-bench"))) / (
        f"repo-{items}-{shard}{suffix}"
    )
    marker = root / ".complete"
    if not marker.exists():
        shutil.rmtree(root, ignore_errors=True)
        if style == "example":
            generate_like_example(root, items, shard)
        else:
            generate(root, items, shard)
        marker.write_text("ok\n", encoding="utf-8")
    return root


def mitrm(*args: str, env: dict[str, str] | None = None) -> float:
    """Run ``mitrm ARGS`` as a whole process; return the wall time in seconds."""
    command = [sys.executable, "-m", "mitrm", *args]
    start = time.perf_counter()
    done = subprocess.run(
        command, capture_output=True, env={**os.environ, **(env or {})}, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.stderr.write(done.stderr.decode("utf-8", "replace"))
        raise SystemExit(f"{' '.join(args)} exited {done.returncode}")
    return elapsed


def median_of(
    runs: int, once: Callable[[], float], before: Callable[[], None] | None = None
) -> float:
    """Median wall time of ``runs`` calls of ``once`` (``before`` runs untimed first)."""
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        times.append(once())
    return statistics.median(times)


def report(name: str, seconds: float, target: float | None = None) -> None:
    """Print one result line."""
    verdict = "" if target is None else ("  ok" if seconds < target else "  OVER TARGET")
    goal = "" if target is None else f" (target < {target:g} s)"
    print(f"{name:<52} {seconds:7.3f} s{goal}{verdict}", flush=True)


def machine_speed() -> str:
    """A line on how fast this machine runs Python right now.

    Shared machines run at very different speeds from one hour to the next (the
    reference machine took from 0.64 s to 0.98 s for this same loop): read the
    medians beside this figure.
    """
    code = "s = 0\nfor i in range(5_000_000):\n    s += i\n"
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return f"reference loop (5 M additions, median of 3): {statistics.median(times):.2f} s"
