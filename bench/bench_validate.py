"""Benchmark `mitrm validate` on a generated repo, as whole processes; prints medians.

Usage: python bench/bench_validate.py [--items 10000] [--runs 5] [--style synthetic|example]

``--style example`` measures copies of the bundled example's items (about 2 KB,
comments, warnings): the cold target is 3 s there and 2 s on the synthetic 1 KB items.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

from common import bench_repo, machine_speed, median_of, mitrm, report

# Measure mitrm as an installed package runs: with its bytecode cached. Some sandboxes
# set PYTHONDONTWRITEBYTECODE, which would make every run compile mitrm from source.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


def main() -> None:
    """Run the validate benchmarks."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--style", choices=("synthetic", "example"), default="synthetic")
    args = parser.parse_args()
    root = bench_repo(args.items, style=args.style)
    cache = Path(tempfile.mkdtemp(prefix="mitrm-bench-cache-"))
    env = {"MITRM_CACHE_DIR": str(cache)}
    print(
        f"repo: {root} ({args.items} {args.style} items), {os.cpu_count()} cores, "
        f"median of {args.runs}"
    )
    print(machine_speed())

    def drop_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    cold = median_of(args.runs, lambda: mitrm("-C", str(root), "validate", env=env), drop_cache)
    report(
        "validate, cold (no cache, every file new)", cold, 3.0 if args.style == "example" else 2.0
    )

    mitrm("-C", str(root), "validate", env=env)
    target = next((root / "requirements").rglob("*.yaml"))
    original = target.read_text(encoding="utf-8")
    counter = iter(range(10_000))

    def touch_one() -> None:
        target.write_text(original + f"# edit {next(counter)}\n", encoding="utf-8")

    try:
        warm = median_of(args.runs, lambda: mitrm("-C", str(root), "validate", env=env), touch_one)
    finally:
        target.write_text(original, encoding="utf-8")
    report("validate, one file changed since the last run", warm, 0.5)

    unchanged = median_of(args.runs, lambda: mitrm("-C", str(root), "validate", env=env))
    report("validate, nothing changed", unchanged)

    helps = median_of(args.runs, lambda: mitrm("--help"))
    report("mitrm --help", helps, 0.15)
    example = Path(__file__).resolve().parent.parent / "examples" / "acme"
    small = median_of(args.runs, lambda: mitrm("-C", str(example), "validate", env=env))
    report("validate, the 24-file example (warm)", small, 0.25)
    shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
