"""What the git history adds to other commands: churn, unapproved changes, flow metrics.

``validate`` only reads what a history run already cached (it never walks the
history itself); ``render`` and ``report`` build the history when git has it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mitrm.core.diagnostics import Diagnostic
from mitrm.core.models import Settings
from mitrm.errors import NotAGitRepoError

if TYPE_CHECKING:
    from mitrm.io.repository import CheckResult


@dataclass
class Digest:
    """History-based facts for the quality rules."""

    churn: dict[str, int]
    unapproved: list[Diagnostic] = field(default_factory=list)


def warm_digest(root: Path) -> Digest | None:
    """The digest cached for the current HEAD, or None (no git, no cache, or stale)."""
    from mitrm.io import git
    from mitrm.io.history_cache import HistoryCache

    try:
        info = git.repo_info(root)
    except NotAGitRepoError:
        return None
    if info.head is None:
        return None
    found = HistoryCache(root, info).digest(info.head)
    if found is None:
        return None
    churn, unapproved = found
    return Digest(churn=churn, unapproved=[d for d in unapproved if isinstance(d, Diagnostic)])


def check_with_history(
    root: Path,
    *,
    settings: Settings,
    today: dt.date | None = None,
    scores: Mapping[str, float] | None = None,
    use_cache: bool = True,
    jobs: int | None = None,
) -> CheckResult:
    """``check_files`` plus the history findings (MIT419, MIT601) cached for HEAD.

    The one way ``validate``, the portfolio and ``report`` all get their diagnostics,
    so the three always agree.
    """
    from mitrm.core.rules.policy import govern
    from mitrm.io.repository import check_files

    digest = warm_digest(root) if use_cache else None
    result = check_files(
        root,
        settings=settings,
        use_cache=use_cache,
        jobs=jobs,
        today=today,
        churn=digest.churn if digest else None,
        scores=scores,
    )
    if digest is not None and digest.unapproved:
        result.diagnostics = sorted(
            result.diagnostics + govern(digest.unapproved, settings), key=Diagnostic.sort_key
        )
    return result


@dataclass
class HistoryFacts:
    """Flow metrics for reports, or why there are none."""

    metrics: dict[str, Any] | None
    note: str | None = None
    shallow: bool = False


def history_facts(root: Path, settings: Settings, *, as_of: dt.date) -> HistoryFacts:
    """Flow metrics as of ``as_of`` from the git history; a note when git cannot give them."""
    from mitrm.core.metrics import flow_metrics
    from mitrm.io import git
    from mitrm.io.history import load_history

    try:
        info = git.repo_info(root)
    except NotAGitRepoError:
        return HistoryFacts(None, "not a git repository: no history, documents only")
    if info.head is None:
        return HistoryFacts(None, "the repository has no commits yet: no history")
    history = load_history(root, settings, info=info)
    moment = int(dt.datetime.combine(as_of, dt.time(), tzinfo=dt.timezone.utc).timestamp())
    flow = flow_metrics(history, today=moment)
    recent = list(flow.throughput.items())[-12:]
    metrics: dict[str, Any] = {
        "median lead time, submitted to released (days)": (
            None if flow.median_lead_time_days is None else round(flow.median_lead_time_days, 1)
        ),
        "released in the last 12 months with releases": sum(count for _, count in recent),
        "approved requirements changed after approval": len(flow.churn),
        "changes after approval (commits)": sum(flow.churn.values()),
    }
    note = None
    if info.shallow:
        note = (
            "shallow clone: the history is cut, so metrics are partial; "
            "fetch the full history (fetch-depth: 0 in CI)"
        )
    return HistoryFacts(metrics, note, shallow=info.shallow)
