"""Load a data repo: settings, discovery, cached and parallel parsing, then validation.

Two entry points share one pipeline. ``check_files`` (for ``mitrm validate``)
caches each file's verdict, so that a warm run reads the files, hashes them and
only re-checks the changed ones. ``load_repository`` (for commands that need the
models) caches parsed data and validates it into models.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import hashlib
import os
import pickle
from collections.abc import Callable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from mitrm import __version__, i18n
from mitrm.core.checking import (
    control_characters,
    crossref,
    errors_to_diagnostics,
    governed,
    quality_checks,
    validate_item,
)
from mitrm.core.checking.rules import repo as quality
from mitrm.core.diagnostics import Diagnostic
from mitrm.core.models import Settings
from mitrm.core.record import Record, Summary
from mitrm.core.repository import Repository
from mitrm.errors import DataError, SettingsError, UsageError
from mitrm.i18n import N_
from mitrm.io import crashpoints, progress, safefile
from mitrm.io.cache import Memo, ParseCache, content_key
from mitrm.io.discovery import SETTINGS_FILE, ItemFile, discover
from mitrm.io.keyplace import quick_place
from mitrm.io.orphans import die_with_parent, exit_if_orphaned
from mitrm.io.yamlfile import MAX_BYTES, locate, parse_bytes

# Below this many files to process, starting a worker process costs more than it saves.
_PARALLEL_THRESHOLD = 300

T = TypeVar("T")
R = TypeVar("R")
Verdict = tuple[bytes, list[Diagnostic]]
"""A file version's verdict: the digest of its summary, and its own diagnostics."""
Checked = tuple[bytes | None, Verdict, bytes]
"""What checking one file gives: its content key (None if unreadable), its verdict and
its summary, pickled (by the worker, on its core; the summary cache keeps it so)."""


def load_settings(root: Path) -> Settings:
    """Read and validate ``mitrm.yaml``; raise SettingsError with located diagnostics."""
    path = root / SETTINGS_FILE
    inside = os.path.realpath(root)
    if os.path.commonpath([inside, os.path.realpath(path)]) != inside:
        raise SettingsError(
            i18n._(
                "{path} is a symbolic link that leads outside the data repo; "
                "it is not read (copy the file in)"
            ).format(path=SETTINGS_FILE)
        )
    try:
        raw = safefile.read_bytes(path, MAX_BYTES)
    except OSError as exc:
        raise SettingsError(
            i18n._("cannot read {path}: {reason}").format(path=SETTINGS_FILE, reason=exc.strerror)
        ) from exc
    loaded = parse_bytes(raw, SETTINGS_FILE)
    if loaded.diagnostics and loaded.diagnostics[0].code == "MIT005":
        return Settings()
    if loaded.data is None:
        raise SettingsError(_invalid(), list(loaded.diagnostics))
    from pydantic import ValidationError

    try:
        settings = Settings.model_validate(loaded.data)
    except ValidationError as exc:
        found = errors_to_diagnostics(exc, Settings, SETTINGS_FILE, None)
        assert loaded.text is not None
        raise SettingsError(_invalid(), locate(found, {SETTINGS_FILE: loaded.text})) from exc
    from mitrm.core.checking import override_problems

    problems = override_problems(settings)
    if problems:
        assert loaded.text is not None
        found = [
            Diagnostic(SETTINGS_FILE, "MIT102", text, loc=loc, key=key)
            for loc, text, key in problems
        ]
        raise SettingsError(_invalid(), locate(found, {SETTINGS_FILE: loaded.text}))
    return settings


def _invalid() -> str:
    return i18n._("{path} is not valid").format(path=SETTINGS_FILE)


def settings_folder(root: Path, settings: Settings, field: tuple[str, ...]) -> Path:
    """The folder a ``mitrm.yaml`` setting names (``("render", "out")``), which must lie
    inside the repo, links followed: SettingsError at its line and column if not.

    mitrm.yaml comes with the repo; a folder outside it would let a pull request make
    mitrm read or write anywhere. A folder given on the command line is the user's own.
    """
    value: Any = settings
    for name in field:
        value = getattr(value, name)
    folder = root / str(value)
    inside = os.path.realpath(root)
    real = os.path.realpath(folder)
    if os.path.commonpath([inside, real]) == inside:
        return folder
    if os.path.commonpath([inside, os.path.normpath(folder)]) == inside:
        raise DataError(
            i18n._(
                "{path}: symbolic link leads outside the data repo; mitrm does not follow it"
            ).format(path=_first_link(root, folder)),
            hint=i18n._("replace the link with a real folder"),
        )
    where = ".".join(field)
    message = (
        i18n._(
            "field '{field}' leads outside the data repo ('{value}'); name a folder inside it "
            "(an explicit --out may go anywhere)"
        )
        if field == ("render", "out")
        else i18n._(
            "field '{field}' leads outside the data repo ('{value}'); name a folder inside it"
        )
    )
    problem = Diagnostic(
        SETTINGS_FILE, "MIT102", message.format(field=where, value=value), loc=field
    )
    try:
        text = safefile.read_text(root / SETTINGS_FILE, MAX_BYTES)
        placed = locate([problem], {SETTINGS_FILE: text})
    except (OSError, UnicodeDecodeError):
        placed = [problem]
    raise SettingsError(_invalid(), placed)


def _first_link(root: Path, folder: Path) -> str:
    """The first symbolic link on the way from ``root`` to ``folder``, repo-relative."""
    rel = Path(os.path.normpath(folder)).relative_to(root)
    for n in range(1, len(rel.parts) + 1):
        if os.path.islink(root.joinpath(*rel.parts[:n])):
            return Path(*rel.parts[:n]).as_posix()
    return rel.as_posix()


def _code_stamp() -> str:
    """Names this exact mitrm code, so that an upgrade (even unversioned) drops old verdicts."""
    package = Path(__file__).resolve().parent.parent
    parts = [__version__]
    folders = [package]
    # core/ and io/ are packages of packages: every module in them can change a verdict.
    for layer in ("core", "io"):
        folders += sorted(Path(d) for d, _, _ in os.walk(package / layer) if "__pycache__" not in d)
    for folder in folders:
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.name.endswith(".py") or entry.is_dir():
                    name = Path(entry.path).relative_to(package).as_posix()
                    parts.append(f"{name}:{entry.stat().st_mtime_ns}")
    return "|".join(parts)


def _stamp_hash() -> str:
    return hashlib.blake2b(_code_stamp().encode("utf-8"), digest_size=12).hexdigest()


def _calendar_stamp(settings: Settings) -> str:
    """The versions of the calendar libraries, when a calendar counts working days.

    A new release of chinese-calendar or holidays may move a holiday: verdicts
    cached under the old one must not be served.
    """
    if settings.calendar is None:
        return ""
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for name in ("chinesecalendar", "holidays"):
        try:
            parts.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name}=none")
    return "|" + "|".join(parts)


def settings_fingerprint(settings: Settings) -> str:
    """Identifies everything a per-file verdict depends on besides the file itself."""
    # Messages are cached in the language they were made in.
    text = settings.model_dump_json() + _code_stamp() + _calendar_stamp(settings) + i18n.language()
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


@contextmanager
def _bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read(root: Path, item: ItemFile) -> bytes | Diagnostic:
    if item.problem is not None:
        return Diagnostic(item.path, "MIT012", item.problem)
    if item.outside:
        return Diagnostic(
            item.path,
            "MIT010",
            i18n._("symbolic link leads outside the data repo; copy the file in"),
        )
    try:
        # By a plain string path: half the cost of Path.read_bytes.
        return safefile.read_bytes(f"{root}/{item.path}", MAX_BYTES)
    except safefile.RefusedFileError as exc:
        return Diagnostic(item.path, exc.code, str(exc.strerror))
    except OSError as exc:
        return Diagnostic(
            item.path, "MIT012", i18n._("cannot read file: {reason}").format(reason=exc.strerror)
        )


@dataclass
class _ShareOut:
    """The share-out in progress. Forked workers inherit it rather than have it pickled:
    each runs ``task`` on its slice of ``work`` and returns the results through the pool.
    Everything else a task needs is bound into the task itself (see ``_file_checker``)."""

    work: list[Any] = field(default_factory=list)
    task: Callable[[Any], Any] | None = None
    # Set while ``beside`` runs: work shared out from inside it stays in this process
    # rather than fork while the pool's threads run; the workers use the other cores.
    busy: bool = False


_SHARE_OUT = _ShareOut()


def _run_slice(bounds: tuple[int, int]) -> list[Any]:
    gc.disable()
    task = _SHARE_OUT.task
    assert task is not None  # set before the pool starts, cleared after it ends
    done = []
    for job in _SHARE_OUT.work[bounds[0] : bounds[1]]:
        exit_if_orphaned()  # a killed command's worker must not go on writing
        done.append(task(job))
        if len(done) == 1:
            crashpoints.pause(f"worker: first item done: {task.__name__}")
    return done


def _counted(task: Callable[[Any], T]) -> Callable[[Any], T]:
    """``task``, counting each job done for the progress shown on a terminal."""

    @functools.wraps(task)
    def run(job: Any) -> T:
        result = task(job)
        progress.tick()
        return result

    return run


def _map(task: Callable[[Any], T], work: list[Any], jobs: int) -> list[T]:
    """``[task(w) for w in work]`` on ``jobs`` cores; this process takes the first share."""
    return _share_out(task, work, jobs, None)[0]


def map_beside(
    task: Callable[[Any], T], work: list[Any], jobs: int, beside: Callable[[], R]
) -> tuple[list[T], R]:
    """``[task(w) for w in work]`` in worker processes while this one runs ``beside()``.

    For work that has a serial part of its own (the portfolio report beside the
    documents): the operating system shares the cores between the workers and
    this process, instead of the serial part waiting for the rest.
    """
    results, side = _share_out(task, work, jobs, beside)
    return results, side  # type: ignore[return-value]


def _share_out(
    task: Callable[[Any], T], work: list[Any], jobs: int, beside: Callable[[], R] | None
) -> tuple[list[T], R | None]:
    if progress.active():
        task = _counted(task)
    if jobs <= 1 or len(work) < _PARALLEL_THRESHOLD or _SHARE_OUT.busy:
        return [task(job) for job in work], beside() if beside is not None else None
    # Imported here: a warm run has nothing to share out, and these cost 10 ms to import.
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    try:
        context = get_context("fork")
    except ValueError:  # pragma: no cover - platforms without fork
        return [task(job) for job in work], beside() if beside is not None else None
    _SHARE_OUT.work = work
    _SHARE_OUT.task = task
    try:
        workers = jobs - 1 if beside is None else jobs
        share = -(-len(work) // jobs)
        first = share if beside is None else 0  # this process's own share
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=die_with_parent,
            initargs=(os.getpid(),),
        ) as pool:
            bounds = range(first, len(work), -(-(len(work) - first) // workers))
            step = bounds.step
            futures = [pool.submit(_run_slice, (start, start + step)) for start in bounds]
            side = None
            if beside is not None:
                _SHARE_OUT.busy = True
                try:
                    side = beside()
                finally:
                    _SHARE_OUT.busy = False
            with _bulk():  # the workers run without it too (see _run_slice)
                results = [task(job) for job in work[:first]]
            if progress.active():
                _wait_showing_progress(futures)
            for future in futures:
                results.extend(future.result())
        return results, side
    finally:
        _SHARE_OUT.work = []
        _SHARE_OUT.task = None


def _wait_showing_progress(futures: list[Any]) -> None:
    from concurrent.futures import wait

    while wait(futures, timeout=0.1).not_done:
        progress.refresh()


def default_jobs() -> int:
    """Worker processes to use: the cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


# --- mitrm validate --------------------------------------------------------------


@dataclass
class CheckResult:
    """The outcome of checking a repo: located diagnostics and how many files were read."""

    diagnostics: list[Diagnostic]
    files: int
    notes: list[str] = field(default_factory=list)


def _packed(summary: Summary) -> tuple[bytes, bytes]:
    """A summary pickled, and a digest that identifies it by its content (equal
    summaries almost always give equal digests; a rare miss only means that the
    rules across files run again)."""
    blob = pickle.dumps(summary, protocol=5)
    return hashlib.blake2b(blob, digest_size=16).digest(), blob


def _file_checker(root: Path, settings: Settings) -> Callable[[ItemFile], Checked]:
    """The check of one item file in ``root`` under ``settings``, for ``_map``'s workers."""

    def _check_one(item: ItemFile) -> Checked:
        raw = _read(root, item)
        if isinstance(raw, Diagnostic):
            digest, blob = _packed(Summary(item.path, item.kind, None, None))
            return None, (digest, [raw]), blob
        loaded = parse_bytes(raw, item.path)
        record = Record(path=item.path, kind=item.kind, data=loaded.data)
        record.diagnostics = list(loaded.diagnostics)
        validate_item(record, settings=settings)
        if loaded.text is not None and "\\" in loaded.text:
            # YAML refuses raw control characters; only a double-quoted escape makes one.
            record.diagnostics += control_characters(item.path, loaded.data)
        if record.model is not None:
            # Quality rules run here, not in FILE_CHECKS: only validate's cached verdicts
            # need them, and commands that merely load the models should not pay for them.
            record.diagnostics += quality_checks(record, record.model, settings)
        diagnostics = record.diagnostics
        pending = record.pending
        if loaded.text is not None and (pending or any(not d.line for d in diagnostics)):
            # Dated quality findings are located now too, so that they are cached placed.
            placed = _place(diagnostics + [p[2] for p in pending], item.path, loaded.text)
            diagnostics = placed[: len(diagnostics)]
            dated = placed[len(diagnostics) :]
            record.pending = [(p[0], p[1], d) for p, d in zip(pending, dated, strict=True)]
        digest, blob = _packed(record.summary())
        return content_key(item.path, raw), (digest, diagnostics), blob

    return _check_one


def today() -> dt.date:
    """Today's date, or ``MITRM_TODAY`` (YYYY-MM-DD) for tests and reproducible reports.

    Every command takes "today" from here, so that one setting fixes it everywhere.
    """
    fixed = os.environ.get("MITRM_TODAY")
    if fixed:
        try:
            return dt.date.fromisoformat(fixed)
        except ValueError as exc:
            raise UsageError(
                i18n._("MITRM_TODAY must be a date written YYYY-MM-DD (got '{value}')").format(
                    value=fixed
                )
            ) from exc
    return dt.date.today()


_today = today  # for functions whose ``today`` parameter hides the name


def _place(diagnostics: list[Diagnostic], path: str, text: str) -> list[Diagnostic]:
    """Locate diagnostics in one file: quality rules' simple paths by a line scan, the rest
    by the full locator (which also adds YAML-trap hints)."""
    placed: list[Diagnostic | None] = []
    rest: list[Diagnostic] = []
    for diagnostic in diagnostics:
        if not diagnostic.line and governed(diagnostic.code):
            where = quick_place(text, diagnostic.loc)
            if where is not None:
                d = diagnostic  # the constructor is much cheaper than dataclasses.replace
                placed.append(
                    Diagnostic(d.path, d.code, d.message, d.severity, *where, d.item, d.loc, d.key)
                )
                continue
        placed.append(None)
        rest.append(diagnostic)
    located = iter(locate(rest, {path: text}) if rest else [])
    return [d if d is not None else next(located) for d in placed]


def _cached_key(cache: ParseCache, item: ItemFile) -> bytes | None:
    """The content key of an unchanged file, by its stat; None means "read it"."""
    known = cache.stats.get(item.path)
    if known is not None and item.stat is not None and known[:3] == item.stat:
        return known[3]
    return None


def _known_by_content(
    root: Path,
    cache: ParseCache,
    keys: set[bytes],
    verdicts: dict[str, Verdict],
    items: list[ItemFile],
) -> list[ItemFile]:
    """Take the cached verdicts of files whose stat changed but whose content did not;
    return the files still to check.

    A fresh clone (a CI job with its cache restored) gives every file a new inode
    and mtime: reading and hashing it costs far less than parsing and checking it.
    """
    left: list[ItemFile] = []
    for item in items:
        raw = _read(root, item)
        if isinstance(raw, Diagnostic):  # checked again, to report it as usual
            left.append(item)
            continue
        key = content_key(item.path, raw)
        hit = cache.entries.get(key)
        if hit is None:
            left.append(item)
            continue
        keys.add(key)
        verdicts[item.path] = hit
        if item.stat is not None:
            cache.stats[item.path] = (*item.stat, key)
            cache.dirty = True
    return left


def check_files(
    root: Path,
    *,
    settings: Settings,
    use_cache: bool = True,
    jobs: int | None = None,
    today: dt.date | None = None,
    churn: Mapping[str, int] | None = None,
    scores: Mapping[str, float] | None = None,
    within: AbstractSet[str] | None = None,
) -> CheckResult:
    """Check every item file: per-file verdicts (cached) then the rules across files.

    ``today`` (default: the real date) decides which dated quality findings
    hold; ``churn`` (id -> changes after approval, from git history) and
    ``scores`` (id -> score) feed the repo-level quality rules when known.
    ``within`` (repo-relative paths) leaves out every item file not in it: the
    repo as a commit will hold it, without files git does not track.

    A file whose size, mtime and inode match the cache's record is not read
    again; any other file is read and checked again, in parallel when there are
    many. The rules across files run again only when a summary or their other
    inputs changed.
    """
    files = discover(root)
    if within is not None:
        files = [item for item in files if item.path in within]
    fingerprint = settings_fingerprint(settings)
    cache = ParseCache(root, name=f"verdicts-{fingerprint}.pickle")
    with _bulk():
        if use_cache:
            cache.load()
        verdicts: dict[str, Verdict] = {}
        keys: set[bytes] = set()
        pending: list[ItemFile] = []
        for item in files:
            key = _cached_key(cache, item)
            hit = cache.entries.get(key) if key is not None else None
            if hit is None:
                pending.append(item)
            else:
                keys.add(key)  # type: ignore[arg-type]
                verdicts[item.path] = hit
        if pending and cache.entries:
            pending = _known_by_content(root, cache, keys, verdicts, pending)
        fresh = _check(root, settings, pending, jobs)
        for item in pending:
            _record(cache, keys, verdicts, item, fresh[item.path])
        # The rules across files read the summaries only; when every summary and the
        # other inputs are as in the last run, so are their findings (an edit to a
        # description, say), and the summaries need not even be loaded.
        when = today or _today()
        inputs = repr((when, sorted((churn or {}).items()), sorted((scores or {}).items())))
        memo = Memo(root, name=f"across-{fingerprint}.pickle")
        now = _inputs_key(inputs, files, verdicts)
        across = memo.get(now) if use_cache else None
        if across is None:
            summaries, again = _summaries(root, settings, files, verdicts, fresh, jobs, use_cache)
            if again:  # files checked again for a lost summary: their verdicts are new
                for item in files:
                    if item.path in again:
                        _record(cache, keys, verdicts, item, again[item.path])
                now = _inputs_key(inputs, files, verdicts)
            across = crossref.check_repository(summaries, settings=settings)
            across += quality.check_repository(
                summaries, settings=settings, today=when, churn_counts=churn, scores=scores
            )
        if use_cache:
            cache.save(keys)
            memo.put(now, across)
    diagnostics = [d for item in files for d in verdicts[item.path][1]]
    diagnostics += _locate_from_disk(root, across)
    diagnostics.sort(key=Diagnostic.sort_key)
    return CheckResult(diagnostics=diagnostics, files=len(files))


def _check(
    root: Path, settings: Settings, items: list[ItemFile], jobs: int | None
) -> dict[str, Checked]:
    """Read and check ``items`` (on every core when there are many), by path."""
    if not items:
        return {}
    with progress.stage(N_("checking files"), len(items)):
        checked = _map(_file_checker(root, settings), items, jobs or default_jobs())
    return {item.path: result for item, result in zip(items, checked, strict=True)}


def _record(
    cache: ParseCache,
    keys: set[bytes],
    verdicts: dict[str, Verdict],
    item: ItemFile,
    checked: Checked,
) -> None:
    """Take a file's fresh check into this run's verdicts and the verdict cache."""
    key, verdict, _ = checked
    verdicts[item.path] = verdict
    if key is not None:
        keys.add(key)
        cache.entries[key] = verdict
        if item.stat is not None:
            cache.stats[item.path] = (*item.stat, key)
    cache.dirty = True


def _inputs_key(inputs: str, files: list[ItemFile], verdicts: Mapping[str, Verdict]) -> bytes:
    """The key of all the rules across files read: every summary's digest, and more."""
    digests = [verdicts[item.path][0] for item in files]
    return hashlib.blake2b(b"\0".join([inputs.encode("utf-8"), *digests]), digest_size=20).digest()


def _summaries(
    root: Path,
    settings: Settings,
    files: list[ItemFile],
    verdicts: Mapping[str, Verdict],
    fresh: dict[str, Checked],
    jobs: int | None,
    use_cache: bool,
) -> tuple[list[Summary], dict[str, Checked]]:
    """Every file's summary: from this run's checks, else the summary cache (by digest,
    pickled); and the files checked again because the cache had lost theirs.

    A file checked again may have changed in place without its stat changing:
    its summary is taken from that check, and the caller takes its new verdict.
    """
    cache = ParseCache(root, name=f"summaries-{settings_fingerprint(settings)}.pickle")
    if use_cache:
        cache.load()
    for _, (digest, _), blob in fresh.values():
        cache.entries[digest] = blob
    lost = [
        item
        for item in files
        if item.path not in fresh and verdicts[item.path][0] not in cache.entries
    ]
    again = _check(root, settings, lost, jobs)
    for _, (digest, _), blob in again.values():
        cache.entries[digest] = blob
    if fresh or lost:
        cache.dirty = True
    digests = [
        again[item.path][1][0] if item.path in again else verdicts[item.path][0] for item in files
    ]
    summaries = [pickle.loads(cache.entries[digest]) for digest in digests]
    if use_cache:
        cache.save(set(digests))
    return summaries, again


def _locate_from_disk(root: Path, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    texts: dict[str, str] = {}
    for path in {d.path for d in diagnostics if not d.line}:
        try:
            texts[path] = safefile.read_text(root / path, MAX_BYTES)
        except (OSError, UnicodeDecodeError):
            continue
    return locate(diagnostics, texts)


# --- commands that need models ----------------------------------------------------


def _parse_one(job: tuple[ItemFile, bytes]) -> tuple[Any, list[Diagnostic]]:
    item, raw = job
    loaded = parse_bytes(raw, item.path)
    return loaded.data, list(loaded.diagnostics)


def load_repository(
    root: Path,
    *,
    settings: Settings | None = None,
    use_cache: bool = True,
    jobs: int | None = None,
    checks: bool = True,
) -> Repository:
    """Load every item under ``root`` into models; invalid files keep their diagnostics.

    ``checks=False`` skips the per-file rules (models only, for read-only commands).

    ``Repository.diagnostics`` lists the per-file problems, unlocated: commands
    that need the full, located report call ``check_files``.
    """
    settings = settings or load_settings(root)
    files = discover(root)
    cache = ParseCache(root, name=f"parsed-{_stamp_hash()}.pickle")
    records: list[Record] = []
    with _bulk():
        if use_cache:
            cache.load()
        keys: set[bytes] = set()
        pending: list[tuple[ItemFile, bytes]] = []
        pending_records: list[tuple[Record, bytes]] = []
        for item in files:
            record = Record(path=item.path, kind=item.kind)
            records.append(record)
            # A file whose stat matches the cache's record is not read again: on a warm
            # cache, reading 10,000 files would cost more than checking them.
            known = _cached_key(cache, item)
            if known is not None and (hit := cache.entries.get(known)) is not None:
                keys.add(known)
                record.data, record.diagnostics = hit[0], list(hit[1])
                continue
            raw = _read(root, item)
            if isinstance(raw, Diagnostic):
                record.diagnostics.append(raw)
                continue
            key = content_key(item.path, raw)
            keys.add(key)
            if item.stat is not None and cache.stats.get(item.path) != (*item.stat, key):
                cache.stats[item.path] = (*item.stat, key)
                cache.dirty = True
            hit = cache.entries.get(key)
            if hit is None:
                pending.append((item, raw))
                pending_records.append((record, key))
            else:
                record.data, record.diagnostics = hit[0], list(hit[1])
        if pending:
            with progress.stage(N_("reading items"), len(pending)):
                parsed = _map(_parse_one, pending, jobs or default_jobs())
            for (record, key), entry in zip(pending_records, parsed, strict=True):
                record.data, record.diagnostics = entry[0], list(entry[1])
                cache.entries[key] = entry
            cache.dirty = True
        for record in records:
            validate_item(record, settings=settings, checks=checks)
        if use_cache:
            cache.save(keys)
    repository = Repository(root=root, settings=settings, records=records)
    repository.diagnostics = [d for record in records for d in record.diagnostics]
    return repository
