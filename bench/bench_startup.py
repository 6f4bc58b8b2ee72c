"""Benchmark: start-up of ``mitrm --help`` in each interface language (target < 0.2 s)."""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from common import machine_speed, mitrm, report


def main() -> None:
    """Time ``mitrm --help`` outside a repo in English and Chinese, and inside a zh repo.

    The cases take turns run by run, so that the shared machine's changing speed
    weighs on each of them alike.
    """
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    print(machine_speed(), flush=True)
    mitrm("--help")  # bytecode cached, as an installed package runs
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        (repo / "mitrm.yaml").write_text("project: x\nlanguage: zh\n", encoding="utf-8")
        cases = {
            "mitrm --help (MITRM_LANG=en)": (["--help"], {"MITRM_LANG": "en"}),
            "mitrm --help (MITRM_LANG=zh)": (["--help"], {"MITRM_LANG": "zh"}),
            "mitrm -C <zh repo> --help": (["-C", str(repo), "--help"], {"MITRM_LANG": ""}),
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _run in range(args.runs):
            for name, (argv, env) in cases.items():
                times[name].append(mitrm(*argv, env=env))
    for name, seconds in times.items():
        report(name, statistics.median(seconds), 0.2)


if __name__ == "__main__":
    main()
