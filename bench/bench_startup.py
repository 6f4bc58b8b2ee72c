"""Benchmark: start-up of `mitrm --help` (target < 0.15 s) and `validate` on the example (0.25 s).

Usage: python bench/bench_startup.py [--runs 15] [--before SRC]

``--before SRC`` also times the ``src`` folder of another checkout (e.g. from
``git archive main src | tar -x -C /tmp/before``), run by run in turn with this one.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from pathlib import Path

from common import machine_speed, mitrm, report

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "acme"

# Measure mitrm as an installed package runs: with its bytecode cached.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


def main() -> None:
    """Time ``mitrm --help`` in each language and ``validate`` on the example.

    The cases take turns run by run, so that the shared machine's changing speed
    weighs on each of them alike.
    """
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--before", type=Path, help="the src folder of the code to compare with")
    args = parser.parse_args()
    print(machine_speed(), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "zh"
        repo.mkdir()
        (repo / "mitrm.yaml").write_text("project: x\nlanguage: zh\n", encoding="utf-8")
        cases: dict[str, tuple[list[str], dict[str, str], float]] = {
            "mitrm --help (MITRM_LANG=en)": (["--help"], {"MITRM_LANG": "en"}, 0.15),
            "mitrm --help (MITRM_LANG=zh)": (["--help"], {"MITRM_LANG": "zh"}, 0.15),
            "mitrm -C <zh repo> --help": (["-C", str(repo), "--help"], {"MITRM_LANG": ""}, 0.15),
            "mitrm -C examples/acme validate (cache warm)": (
                ["-C", str(EXAMPLE), "validate"],
                {"MITRM_CACHE_DIR": str(Path(tmp) / "cache")},
                0.25,
            ),
        }
        if args.before is not None:
            before = {"PYTHONPATH": str(args.before.resolve())}
            for name, (argv, env, target) in list(cases.items()):
                extra = {**env, **before}
                if "MITRM_CACHE_DIR" in env:
                    extra["MITRM_CACHE_DIR"] = env["MITRM_CACHE_DIR"] + "-before"
                cases[f"{name} [before]"] = (argv, extra, target)
        for argv, env, _target in cases.values():
            mitrm(*argv, env=env)  # bytecode and cache written, as in everyday use
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _run in range(args.runs):
            for name, (argv, env, _target) in cases.items():
                times[name].append(mitrm(*argv, env=env))
    print(f"medians of {args.runs} whole processes, cases interleaved")
    for name, seconds in times.items():
        report(name, statistics.median(seconds), cases[name][2])


if __name__ == "__main__":
    main()
