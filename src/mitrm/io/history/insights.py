"""What the git history adds to other commands: churn, unapproved changes, flow metrics.

Whenever git holds a history and a history rule is on, ``validate``, ``render``
and ``report`` read it (through the history cache, which only saves time), so
their findings never depend on which command ran before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mitrm.core.diagnostics import Diagnostic
from mitrm.core.models import Settings
from mitrm.errors import NotAGitRepoError
from mitrm.i18n import N_, _

if TYPE_CHECKING:
    from mitrm.io.repository import CheckResult


# Marked here, translated where shown: a report's notes follow its language, not the user's.
SHALLOW_NOTE = N_(
    "shallow clone: the history is cut, so the history findings (MIT419, MIT601) and "
    "metrics cover only the fetched commits; fetch the full history (fetch-depth: 0 in CI)"
)


@dataclass
class Digest:
    """History-based facts for the quality rules, and whether the history was complete."""

    churn: dict[str, int]
    unapproved: list[Diagnostic] = field(default_factory=list)
    shallow: bool = False


def history_rules_on(settings: Settings) -> bool:
    """Whether any rule fed by the git history (MIT419, MIT6xx) is selected."""
    from mitrm.core.checking import policy_for, selected

    rules = settings.rules
    return policy_for(settings).on("MIT419") or selected("MIT601", rules.select, rules.ignore)


def history_digest(root: Path, settings: Settings, *, use_cache: bool = True) -> Digest | None:
    """The history findings' inputs for HEAD, computed from git; the cache only saves time.

    None when no history rule is selected, outside git, or before the first
    commit: then there is no history to judge by, on every machine alike.
    """
    from mitrm.core.history import approved_churn, unapproved_changes
    from mitrm.io.git import adapter as git
    from mitrm.io.history.cache import HistoryCache
    from mitrm.io.history.loading import load_history

    if not history_rules_on(settings):
        return None
    try:
        info = git.repo_info(root)
    except NotAGitRepoError:
        return None
    if info.head is None:
        return None
    found = HistoryCache(root, info).digest(info.head) if use_cache else None
    if found is not None:
        churn, unapproved = found
        warnings = [d for d in unapproved if isinstance(d, Diagnostic)]
    else:
        history = load_history(root, settings, info=info, cache=use_cache)
        churn, warnings = approved_churn(history), unapproved_changes(history)
    return Digest(churn=churn, unapproved=warnings, shallow=info.shallow)


def check_with_history(
    root: Path,
    *,
    settings: Settings,
    today: dt.date | None = None,
    scores: Mapping[str, float] | None = None,
    use_cache: bool = True,
    jobs: int | None = None,
    within: AbstractSet[str] | None = None,
) -> CheckResult:
    """``check_files`` plus the history findings (MIT419, MIT601) for HEAD.

    The one way ``validate``, the portfolio and ``report`` all get their diagnostics,
    so the three always agree; and the history is read from git whenever the
    cache does not hold it, so a fresh clone gives the same findings as a warm one.
    """
    from mitrm.core.checking import govern
    from mitrm.io.repository import check_files

    digest = history_digest(root, settings, use_cache=use_cache)
    result = check_files(
        root,
        settings=settings,
        use_cache=use_cache,
        jobs=jobs,
        today=today,
        churn=digest.churn if digest else None,
        scores=scores,
        within=within,
    )
    if digest is not None and digest.unapproved:
        result.diagnostics = sorted(
            result.diagnostics + govern(digest.unapproved, settings), key=Diagnostic.sort_key
        )
    if digest is not None and digest.shallow:
        result.notes.append(_(SHALLOW_NOTE))
    return result


@dataclass
class HistoryFacts:
    """Flow metrics for reports, or why there are none."""

    metrics: dict[str, Any] | None
    note: str | None = None
    """Why the history is missing or partial, in English: translate it where it is shown."""
    shallow: bool = False


def history_facts(root: Path, settings: Settings, *, as_of: dt.date) -> HistoryFacts:
    """Flow metrics as of ``as_of`` from the git history; a note when git cannot give them."""
    from mitrm.core.history import flow_metrics
    from mitrm.io.git import adapter as git
    from mitrm.io.history.loading import load_history

    try:
        info = git.repo_info(root)
    except NotAGitRepoError:
        return HistoryFacts(None, N_("not a git repository: no history, documents only"))
    if info.head is None:
        return HistoryFacts(None, N_("the repository has no commits yet: no history"))
    history = load_history(root, settings, info=info)
    moment = int(dt.datetime.combine(as_of, dt.time(), tzinfo=dt.timezone.utc).timestamp())
    flow = flow_metrics(history, today=moment)
    recent = list(flow.throughput.items())[-12:]
    metrics: dict[str, Any] = {
        # Names marked here, translated into the document's language where it is made.
        N_("median lead time, submitted to released (days)"): (
            None if flow.median_lead_time_days is None else round(flow.median_lead_time_days, 1)
        ),
        N_("released in the last 12 months with releases"): sum(count for _n, count in recent),
        N_("approved requirements changed after approval"): len(flow.churn),
        N_("changes after approval (commits)"): sum(flow.churn.values()),
    }
    note = SHALLOW_NOTE if info.shallow else None
    return HistoryFacts(metrics, note, shallow=info.shallow)
