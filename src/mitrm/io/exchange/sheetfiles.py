"""Spreadsheet files: write CSV with a BOM; read XLSX and CSV back safely (XLSX is
written by ``xlsxfile``).

Reading takes untrusted files: the size is checked before anything is parsed,
an XLSX's zip directory is checked before anything is unpacked (zip bombs),
and formulas are read as the values the spreadsheet saved, never evaluated
(python-calamine does not evaluate them).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from mitrm.core.exchange.exporting import Sheet
from mitrm.core.exchange.importplan import Table
from mitrm.core.exchange.sheets import CellValue, Column, Shape, canonical, escape_text
from mitrm.errors import UsageError
from mitrm.i18n import _

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest spreadsheet read, as stored (an export of 10,000 requirements is about 3 MiB)."""

MAX_UNPACKED_BYTES = 512 * 1024 * 1024
"""Largest total an XLSX may unpack to, by its own zip directory."""

MAX_RATIO = 500
"""Largest unpacked-to-packed ratio of one entry; zip bombs reach thousands."""

MAX_ENTRIES = 10_000

_NUMBER = Column("number", (), Shape.NUMBER)


def write_output(path: Path, payload: bytes) -> None:
    """Replace ``path`` with ``payload`` in one step (a reader never sees half a file).

    Unlike item files, an export is not flushed to disk before the rename: it can
    be made again from the repo, and on a busy disk the flush took seconds.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_csv(target: IO[bytes], sheet: Sheet) -> None:
    """UTF-8 with a byte order mark (Excel reads Chinese correctly), RFC 4180 quoting, CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(sheet.headers)
    for row in sheet.rows:
        writer.writerow([_csv_text(cell) for cell in row])
    target.write(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))


def _csv_text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        # Numbers are written as numbers: a '-' in front is a sign, not a formula.
        return canonical(_NUMBER, value)
    return escape_text(value)


# --- reading ---------------------------------------------------------------------


def read_tables(path: Path, shown: str) -> tuple[list[Table], bool]:
    """The sheets of an XLSX or the one table of a CSV; (tables, escaped).

    ``escaped`` is True for CSV, whose text cells carry the apostrophe an export
    put before a leading ``=``, ``+``, ``-`` or ``@``.
    """
    size = _size(path, shown)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".ods"):
        # OpenDocument spreadsheets (LibreOffice) are zip archives too.
        _check_zip(path, shown, size)
        return _read_xlsx(path, shown), False
    if suffix in (".csv", ".txt"):
        return [Table(None, _read_csv(path, shown))], True
    raise UsageError(
        _("{path}: not a spreadsheet mitrm reads (.xlsx, .ods, .csv or .reqif)").format(path=shown),
        hint=_("save it from Excel as 'Excel Workbook (*.xlsx)' or 'CSV UTF-8'"),
    )


def _size(path: Path, shown: str) -> int:
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        raise UsageError(
            _("{path}: cannot read the file: {reason}").format(path=shown, reason=exc.strerror)
        ) from exc
    if not path.is_file():
        raise UsageError(_("{path}: not a file").format(path=shown))
    if size > MAX_FILE_BYTES:
        raise UsageError(
            _("{path}: {size} MiB is more than mitrm reads ({limit} MiB); nothing was read").format(
                path=shown, size=f"{size / 1024 / 1024:.0f}", limit=MAX_FILE_BYTES // 1024 // 1024
            ),
            hint=_("split the file, or import fewer rows at a time"),
        )
    return size


def _check_zip(path: Path, shown: str, size: int) -> None:
    """Refuse, by its zip directory alone, a workbook that would unpack to too much."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _unreadable(path, shown, exc) from None
    if len(entries) > MAX_ENTRIES:
        raise UsageError(
            _("{path}: the workbook holds {count} parts; refused unread").format(
                path=shown, count=len(entries)
            )
        )
    total = 0
    for entry in entries:
        total += entry.file_size
        packed = max(entry.compress_size, 1)
        if entry.file_size > 1024 * 1024 and entry.file_size / packed > MAX_RATIO:
            raise UsageError(
                _(
                    "{path}: '{part}' would unpack to {size} bytes from {packed} "
                    "(a zip bomb?); refused unread"
                ).format(
                    path=shown,
                    part=entry.filename,
                    size=entry.file_size,
                    packed=entry.compress_size,
                )
            )
    if total > MAX_UNPACKED_BYTES:
        raise UsageError(
            _(
                "{path}: the workbook would unpack to {size} MiB, more than mitrm reads "
                "({limit} MiB); refused unread"
            ).format(
                path=shown, size=total // 1024 // 1024, limit=MAX_UNPACKED_BYTES // 1024 // 1024
            )
        )


def _unreadable(path: Path, shown: str, exc: Exception) -> UsageError:
    kind = path.suffix.lower().lstrip(".")
    return UsageError(
        _("{path}: not a readable .{kind} workbook ({reason})").format(
            path=shown, kind=kind, reason=exc
        )
    )


def _read_xlsx(path: Path, shown: str) -> list[Table]:
    from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        tables = []
        for meta in workbook.sheets_metadata:
            # Hidden sheets hold the drop-down lists, not rows.
            if meta.visible != SheetVisibleEnum.Visible:
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            tables.append(Table(meta.name, [list(row) for row in rows]))
    except (CalamineError, ValueError, OSError) as exc:
        raise _unreadable(path, shown, exc) from None
    return tables


def _read_csv(path: Path, shown: str) -> list[list[Any]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Chinese Windows saves "CSV (comma delimited)" in GB 18030.
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise UsageError(
                _("{path}: not UTF-8 or GB 18030 text").format(path=shown),
                hint=_("save it from Excel as 'CSV UTF-8 (comma delimited)'"),
            ) from None
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise UsageError(
            _("{path}: not readable as CSV ({reason})").format(path=shown, reason=exc)
        ) from None
