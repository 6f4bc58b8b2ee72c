"""MIT401: vague expectations, words that cannot be measured, with no quantity or date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from mitrm.core.checking.rules.engine import Context, Finding
from mitrm.core.models import Item, Requirement
from mitrm.i18n import _

ENGLISH = (
    "more",
    "better",
    "best",
    "attract",
    "attractive",
    "appealing",
    "engaging",
    "user-friendly",
    "user friendly",
    "intuitive",
    "seamless",
    "fast",
    "faster",
    "quick",
    "quicker",
    "quickly",
    "easy",
    "easier",
    "simple",
    "simpler",
    "nice",
    "nicer",
    "modern",
    "cool",
    "great",
    "improve",
    "improved",
    "enhance",
    "enhanced",
    "optimise",
    "optimize",
    "optimised",
    "optimized",
    "boost",
    "significant",
    "significantly",
    "a lot",
    "lots of",
    "something",
    "as soon as possible",
    "asap",
    "high quality",
    "world-class",
    "best-in-class",
    "state of the art",
)
"""Unmeasurable English words and phrases (matched as whole words, any case)."""

CHINESE = (
    "更多",
    "更好",
    "更快",
    "更高",
    "更强",
    "吸引",
    "有吸引力",
    "提升体验",
    "用户体验",
    "尽快",
    "尽早",
    "友好",
    "美观",
    "好看",
    "高大上",
    "显著",
    "大幅",
    "大量",
    "优化",
    "提升",
    "增强",
    "改善",
    "酷炫",
    "年轻化",
    "一些",
    "某种",
    "流畅",
    "便捷",
    "易用",
)
"""Unmeasurable Chinese words and phrases (matched anywhere in the text)."""

_NUMBER = r"[0-9０-９]+(?:[.,．][0-9０-９]+)*"
_ENGLISH_UNITS = (
    "percent|pct|pp|percentage points?|basis points?|bps"
    "|ms|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|d|days?|wks?|weeks?|months?|yrs?|years?"
    "|x|times|k|m|bn|thousand|million|billion"
    "|kb|mb|gb|tb|qps|rps|tps|fps|px|mm|cm|km|inch|inches"
    "|cny|rmb|usd|eur|gbp|yuan|dollars?|euros?"
    # Things counted, in the plural only: '618 page' names a page, '3 pages' counts them.
    "|users|customers|members|visitors|visits|orders|clicks|leads|sign-ups|signups"
    "|downloads|sessions|requests|transactions|people|persons|staff|stores|shops"
    "|items|pages|steps|screens|points|pts|stars|tickets|calls|emails|messages"
)
_CHINESE_UNITS = (
    "个百分点|百分点|毫秒|秒|分钟|小时|天|日|周|个月|月|年|季度|倍|成|人次|人|位|名|个|次|单|笔"
    "|件|元|块|万|亿|千|家|条|张|篇|台|项|页|步|分|星|点|岁"
)
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"

# A statement is measurable when it holds a quantity: a number with a unit or a
# percentage, an amount of money, a date, or a number word. A bare number is a
# name ('双11', '618', 'H5', 'iOS 17'), not a measure.
_MEASURABLE = re.compile(
    rf"(?<![0-9A-Za-z])(?:{_NUMBER})\s*(?:[%％‰]|{_CHINESE_UNITS}"
    rf"|(?:(?:more|fewer|less|extra|additional|new|active|paying)\s+)?(?:{_ENGLISH_UNITS})\b)"
    rf"|[¥￥$€£]\s*{_NUMBER}"
    r"|\b(?:19|20)[0-9]{2}[-/.][01]?[0-9](?:[-/.][0-3]?[0-9])?\b"
    rf"|\b(?:{_MONTHS})[a-z]*\.?\s+[0-3]?[0-9]\b|\b[0-3]?[0-9]\s+(?:{_MONTHS})[a-z]*\b"
    r"|\bq[1-4]\b|\bh[12]\s+(?:19|20)[0-9]{2}\b"
    r"|\b(?:by|before|until|till|in|during|end of)\s+(?:19|20)[0-9]{2}\b"
    r"|百分之|[零一二两三四五六七八九十百千万]+\s*"
    r"(?:倍|成|天|周|个月|月|年|秒|分钟|小时|个百分点)"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twice|double|triple|half"
    r"|percent)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Lexicon:
    """The vague terms split for fast matching: English words, English phrases, Chinese."""

    words: frozenset[str]
    phrases: tuple[str, ...]
    others: re.Pattern[str] | None
    # Finds a substring that every English match needs (each word, and the longest
    # word of each phrase), so that most texts are cleared without splitting them.
    needed: re.Pattern[str] | None = None


@lru_cache(maxsize=8)
def lexicon(extra: tuple[str, ...] = ()) -> Lexicon:
    """The built-in terms plus ``extra`` ones from mitrm.yaml (rules.vague_words)."""
    terms = {t.strip().lower() for t in (*ENGLISH, *CHINESE, *extra) if t.strip()}
    ascii_terms = {t for t in terms if t.isascii()}
    words = frozenset(t for t in ascii_terms if _WORD.fullmatch(t))
    phrases = tuple(sorted(ascii_terms - words))
    others = sorted(terms - ascii_terms, key=len, reverse=True)
    # Longest first, so that '提升体验' wins over '提升' at the same place.
    pattern = re.compile("|".join(re.escape(t) for t in others)) if others else None
    needed = sorted(words | {max(p.split(), key=len) for p in phrases}, key=len, reverse=True)
    screen = re.compile("|".join(re.escape(t) for t in needed)) if needed else None
    return Lexicon(words, phrases, pattern, screen)


_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def vague_terms(text: str, lexicon: Lexicon) -> list[str]:
    """The distinct vague terms in ``text`` when nothing in it is measurable, else []."""
    lowered = text.lower()
    found: list[str] = []
    if lexicon.needed is not None and lexicon.needed.search(lowered):
        tokens = _WORD.findall(lowered)
        found = [t for t in dict.fromkeys(tokens) if t in lexicon.words]
        if lexicon.phrases:
            joined = f" {' '.join(tokens)} "
            found += [p for p in lexicon.phrases if f" {p} " in joined]
    if lexicon.others is not None and not text.isascii():
        found += [t for t in dict.fromkeys(lexicon.others.findall(lowered)) if t not in found]
    # Most texts hold no vague word: look for numbers only in those that do.
    if found and _MEASURABLE.search(text):
        return []
    return found


def _finding(loc: tuple[str | int, ...], where: str, terms: list[str]) -> Finding:
    quoted = ", ".join(f"'{t}'" for t in terms)
    return Finding(
        "MIT401",
        loc,
        _("vague wording in {where} ({terms}) with no number or unit").format(
            where=where, terms=quoted
        ),
    )


def check(item: Item, context: Context) -> list[Finding]:
    """Vague title, business goal or acceptance criterion (see docs/rules.md, MIT401)."""
    if not isinstance(item, Requirement) or not context.open:
        return []
    terms_of = lexicon(tuple(context.settings.rules.vague_words))
    found = []
    # KPIs with targets make a goal written in words measurable.
    measured = any(kpi.target is not None for kpi in item.kpis)
    # A title names the request: one adjective is fine, a title made of them is not.
    # Without a goal or KPI, the description is the only expectation: it counts too.
    title = vague_terms(item.title, terms_of)
    described: list[str] = []
    if not (item.business_goal or measured) and item.description:
        described = [t for t in vague_terms(item.description, terms_of) if t not in title]
    if len(title) + len(described) >= 2:
        # Name only the fields that hold vague words, and point at the first of them.
        named = [name for name, terms in (("title", title), ("description", described)) if terms]
        where = _(" and ").join(f"'{name}'" for name in named)
        found.append(_finding((named[0],), where, title + described))
    if item.business_goal and not measured:
        terms = vague_terms(item.business_goal, terms_of)
        if terms:
            found.append(_finding(("business_goal",), "'business_goal'", terms))
    for index, criterion in enumerate(item.acceptance_criteria):
        terms = vague_terms(criterion, terms_of)
        if terms:
            where = f"'acceptance_criteria.{index}'"
            found.append(_finding(("acceptance_criteria", index), where, terms))
    return found
