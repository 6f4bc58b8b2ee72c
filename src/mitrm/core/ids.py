"""Item ids: read the number from an id or file name, pick the next free id, shard folders."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from mitrm.core.models.settings import IdScheme, Shard

_SLUG_DROP = re.compile(r"[^\w]+", re.UNICODE)
SLUG_MAX = 48
_NUMBER = re.compile(r"^(.*?)(\d+)$")
_MAX_DIGITS = 18  # no real id has more; int() of thousands of digits is slow or refused


@lru_cache(maxsize=1 << 16)
def id_key(item_id: str) -> tuple[str, int, str]:
    """Sort ids by prefix then number, so REQ-9 comes before REQ-10 whatever the padding."""
    match = _NUMBER.match(item_id)
    if match is None:
        return (item_id, -1, item_id)
    digits = match.group(2).lstrip("0")
    if len(digits) > _MAX_DIGITS:
        # int() of thousands of digits is refused (and slow): such ids sort after all
        # others, by length, then as text, which is the same order for digits.
        return (match.group(1), 10**_MAX_DIGITS + len(digits), item_id)
    return (match.group(1), int(digits or "0"), item_id)


def format_id(scheme: IdScheme, number: int) -> str:
    """``REQ-0007`` for number 7 in a 4-digit REQ scheme."""
    return f"{scheme.prefix}-{number:0{scheme.digits}d}"


@lru_cache(maxsize=32)
def _leading_id(prefix: str) -> re.Pattern[str]:
    return re.compile(rf"({re.escape(prefix)}-([0-9]+))(?=$|[-._])")


def id_number(text: str, prefix: str) -> int | None:
    """The number of the id at the start of ``text`` (an id or a file name), if it has ``prefix``.

    ``REQ-0012-fast-checkout.yaml`` gives 12; ``PLAN-0001`` gives None for prefix REQ.
    """
    match = _leading_id(prefix).match(text)
    if match is None or len(match.group(2)) > _MAX_DIGITS:
        return None
    return int(match.group(2))


def id_of_name(name: str, prefix: str) -> str | None:
    """The id at the start of a file name (``REQ-0012-x.yaml`` -> ``REQ-0012``)."""
    match = _leading_id(prefix).match(name)
    return match.group(1) if match else None


def highest_number(names: Iterable[str], prefix: str) -> int:
    """The highest id number among ids or file names (base names or paths); 0 if none."""
    best = 0
    for name in names:
        number = id_number(name.rsplit("/", 1)[-1], prefix)
        if number is not None and number > best:
            best = number
    return best


def next_id(scheme: IdScheme, taken: Iterable[str]) -> str:
    """The id after the highest one in ``taken`` (ids or file names, any branch)."""
    return format_id(scheme, highest_number(taken, scheme.prefix) + 1)


def fits_scheme(item_id: str, scheme: IdScheme) -> bool:
    """Whether ``item_id`` has the scheme's prefix and at least its digit count."""
    return (
        re.fullmatch(rf"{re.escape(scheme.prefix)}-[0-9]{{{scheme.digits},}}", item_id) is not None
    )


def shard_folder(shard: Shard, number: int, today: dt.date) -> str | None:
    """The subfolder a new item goes into: ``2026`` (year), ``000`` (hundred) or None."""
    if shard is Shard.YEAR:
        return f"{today.year:04d}"
    if shard is Shard.HUNDRED:
        return f"{number // 100:03d}"
    return None


def slugify(title: str, *, limit: int = SLUG_MAX) -> str:
    """A file-name slug from a title: lower case, words joined by '-', Chinese kept as is."""
    text = unicodedata.normalize("NFKC", title).lower()
    slug = _SLUG_DROP.sub("-", text).replace("_", "-").strip("-")
    slug = re.sub(r"-{2,}", "-", slug)
    if len(slug) > limit:
        cut = slug[:limit]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[limit // 2 :] else cut
    return slug.strip("-") or "item"


def file_name(item_id: str, slug: str) -> str:
    """The item's file name: id, slug, ``.yaml``."""
    return f"{item_id}-{slug}.yaml"


def renamed(name: str, old: str, new: str) -> str:
    """The file name after ``old`` becomes ``new``, keeping the slug after the id."""
    if name.startswith(old) and name[len(old) : len(old) + 1] in ("-", ".", "_"):
        return new + name[len(old) :]
    return f"{new}-{name}"
