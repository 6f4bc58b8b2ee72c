"""Benchmark: start-up of ``mitrm --help`` in each interface language (target < 0.2 s)."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from common import machine_speed, median_of, mitrm, report


def main() -> None:
    """Time ``mitrm --help`` outside a repo, in English and in Chinese, and inside a zh repo."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    print(machine_speed(), flush=True)
    mitrm("--help")  # bytecode cached, as an installed package runs
    for lang in ("en", "zh"):
        seconds = median_of(args.runs, lambda lang=lang: mitrm("--help", env={"MITRM_LANG": lang}))
        report(f"mitrm --help (MITRM_LANG={lang})", seconds, 0.2)
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        (repo / "mitrm.yaml").write_text("project: x\nlanguage: zh\n", encoding="utf-8")
        seconds = median_of(
            args.runs, lambda: mitrm("-C", str(repo), "--help", env={"MITRM_LANG": ""})
        )
        report("mitrm -C <zh repo> --help", seconds, 0.2)


if __name__ == "__main__":
    main()
