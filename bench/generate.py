"""Generate a realistic data repo of N items for the benchmarks.

Usage: python bench/generate.py OUT_DIR [--items 10000] [--shard 100] [--style synthetic|example]

``synthetic`` (the default): about 1 KB per requirement, with dependencies, KPIs
and scoring inputs; one plan and one change request for every 50 requirements.
Deterministic (seeded).

``example``: copies of the bundled example's items (``examples/acme``), about
2 KB each with their comments and their quality warnings, renumbered copy by
copy so that every reference stays inside its copy.
"""

from __future__ import annotations

import argparse
import random
import re
from datetime import date, timedelta
from pathlib import Path

TYPES = ["feature", "improvement", "defect", "security", "compliance", "data", "integration"]
CHANNELS = ["internal", "customer", "partner", "survey", "hotline"]
DEPTS = ["Brand", "E-commerce", "CRM", "Growth", "Events", "市场部"]
WORDS = [
    "checkout",
    "campaign",
    "loyalty",
    "coupon",
    "landing",
    "page",
    "email",
    "segment",
    "funnel",
    "conversion",
    "dashboard",
    "attribution",
    "partner",
    "feed",
    "catalogue",
    "search",
    "mobile",
    "app",
    "会员",
    "积分",
    "优惠券",
    "活动",
]


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def requirement(rng: random.Random, number: int, total: int) -> tuple[str, str]:
    """Return (file name, YAML text) of one requirement."""
    rid = f"REQ-{number:05d}"
    status = rng.choice(["draft", "submitted", "analysis", "approved", "approved", "planned"])
    created = date(2026, 6, 1) + timedelta(days=rng.randrange(170))
    due = created + timedelta(days=rng.randrange(180, 540))
    deps = (
        sorted({f"REQ-{rng.randrange(1, number):05d}" for _ in range(rng.randrange(3))})
        if number > 1
        else []
    )
    cost = rng.randrange(5, 500) * 1000
    lines = [
        "# yaml-language-server: $schema=../../schemas/requirement.schema.json",
        f"id: {rid}",
        f"title: Improve {_words(rng, 4)}",
        f"type: {rng.choice(TYPES)}",
        f"status: {status}",
        "source:",
        f"  channel: {rng.choice(CHANNELS)}",
        f"  department: {rng.choice(DEPTS)}",
        "  requester: Li Wei",
        "owners:",
        "  business: Zhang Min",
        "  it: Wang Fang",
        f"created: {created.isoformat()}",
        f"due: {due.isoformat()}",
        "description: >-",
        f"  {_words(rng, 18)}",
        f"business_goal: Raise {_words(rng, 3)} conversion by {rng.randrange(2, 20)}%",
        "kpis:",
        "  - name: Conversion rate",
        f"    baseline: {rng.randrange(1, 5)}.{rng.randrange(10)}",
        f"    target: {rng.randrange(5, 9)}.{rng.randrange(10)}",
        "    unit: '%'",
        "    measurement: Web analytics, weekly",
        "acceptance_criteria:",
        f"  - Page loads in under {rng.randrange(1, 3)} s on 4G",
        f"  - {_words(rng, 6)}",
        "feasibility:",
        "  technical: high",
        "  economic: medium",
        "  operational: high",
        "estimate:",
        f"  effort_days: {rng.randrange(2, 120)}",
        f"  cost: {cost}",
        f"  benefit: {cost * rng.randrange(12, 40) // 10}",
        "scoring:",
        f"  value: {rng.randrange(1, 6)}",
        f"  urgency: {rng.randrange(1, 6)}",
        f"  difficulty: {rng.randrange(1, 6)}",
        f"  risk_reduction: {rng.randrange(1, 6)}",
        "testing: {functional: true, security: true}",
        f"depends_on: [{', '.join(deps)}]",
        "tags: [web, q3]",
    ]
    if status in ("approved", "planned"):
        lines += [
            "approval:",
            "  by: Chen Jie",
            f"  date: {(created + timedelta(days=20)).isoformat()}",
        ]
    return f"{rid}-improve-{number}.yaml", "\n".join(lines) + "\n"


def plan(rng: random.Random, number: int, reqs: list[str]) -> tuple[str, str]:
    """Return (file name, YAML text) of one plan."""
    pid = f"PLAN-{number:05d}"
    lines = [
        f"id: {pid}",
        f"title: Plan {number}",
        "status: draft",
        "owner: Wang Fang",
        "requirements: [" + ", ".join(reqs) + "]",
        "start: 2025-01-01",
        "end: 2025-12-31",
        "budget:",
        "  total: 500000",
        "  lines:",
        "    - {category: software, amount: 200000}",
        "    - {category: people, amount: 250000}",
    ]
    return f"{pid}-plan.yaml", "\n".join(lines) + "\n"


def change(number: int, target: str) -> tuple[str, str]:
    """Return (file name, YAML text) of one change request."""
    cid = f"CR-{number:05d}"
    lines = [
        f"id: {cid}",
        f"title: Change {number}",
        "status: draft",
        f"targets: [{target}]",
        "reason: competitor",
    ]
    return f"{cid}-change.yaml", "\n".join(lines) + "\n"


def generate(out: Path, items: int, shard: int) -> None:
    """Write the repo: settings, requirements sharded ``shard`` per folder, plans, changes."""
    rng = random.Random(20261122)
    out.mkdir(parents=True, exist_ok=True)
    (out / "mitrm.yaml").write_text(
        "project: Bench\ncurrency: CNY\nids:\n  requirement: {prefix: REQ, digits: 5}\n"
        "  plan: {prefix: PLAN, digits: 5}\n  change: {prefix: CR, digits: 5}\n",
        encoding="utf-8",
    )
    n_req = items - 2 * (items // 52)
    for number in range(1, n_req + 1):
        name, text = requirement(rng, number, n_req)
        folder = (
            out / "requirements" / f"{(number - 1) // shard:03d}" if shard else out / "requirements"
        )
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    for number in range(1, items // 52 + 1):
        reqs = [f"REQ-{rng.randrange(1, n_req + 1):05d}" for _ in range(3)]
        name, text = plan(rng, number, sorted(set(reqs)))
        (out / "plans").mkdir(exist_ok=True)
        (out / "plans" / name).write_text(text, encoding="utf-8")
        name, text = change(number, reqs[0])
        (out / "changes").mkdir(exist_ok=True)
        (out / "changes" / name).write_text(text, encoding="utf-8")


EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "acme"
_ID = re.compile(r"\b(REQ|PLAN|CR)-(\d{4})\b")
_KINDS = {"REQ": "requirements", "PLAN": "plans", "CR": "changes"}


def generate_like_example(out: Path, items: int, shard: int) -> None:
    """Write ``items`` items copied from the bundled example, renumbered per copy."""
    sources = {
        prefix: sorted((EXAMPLE / folder).rglob("*.yaml")) for prefix, folder in _KINDS.items()
    }
    per_copy = {prefix: len(files) for prefix, files in sources.items()}
    block = sum(per_copy.values())
    out.mkdir(parents=True, exist_ok=True)
    settings = (EXAMPLE / "mitrm.yaml").read_text(encoding="utf-8")
    (out / "mitrm.yaml").write_text(re.sub(r"digits: 4", "digits: 6", settings), encoding="utf-8")
    copies = -(-items // block)
    written = 0
    for copy in range(copies):

        def renumber(match: re.Match[str], copy: int = copy) -> str:
            prefix, number = match.group(1), int(match.group(2))
            return f"{prefix}-{copy * per_copy[prefix] + number:06d}"

        for prefix, files in sources.items():
            for source in files:
                if written == items:
                    return
                text = _ID.sub(renumber, source.read_text(encoding="utf-8"))
                # Copies sit one folder deeper than the example's files.
                text = text.replace("$schema=../../", "$schema=../../../")
                name = _ID.sub(renumber, source.name)
                folder = out / _KINDS[prefix]
                if shard:
                    folder = folder / f"{(copy * per_copy[prefix]) // shard:03d}"
                folder.mkdir(parents=True, exist_ok=True)
                (folder / name).write_text(text, encoding="utf-8")
                written += 1


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--shard", type=int, default=100, help="items per folder; 0 = one folder")
    parser.add_argument("--style", choices=("synthetic", "example"), default="synthetic")
    args = parser.parse_args()
    if args.style == "example":
        generate_like_example(args.out, args.items, args.shard)
    else:
        generate(args.out, args.items, args.shard)


if __name__ == "__main__":
    main()
