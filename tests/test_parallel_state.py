"""A check owns its state: two checks of different repos in one process do not mix."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from conftest import DRAFT_REQUIREMENT, MINIMAL_SETTINGS
from mitrm.io.repository import check_files, load_settings


def _repo(root: Path, prefix: str, extra: str) -> Path:
    root.mkdir()
    (root / "mitrm.yaml").write_text(MINIMAL_SETTINGS, encoding="utf-8")
    for folder in ("plans", "changes"):
        (root / folder).mkdir()
    folder = root / "requirements"
    folder.mkdir()
    for n in range(1, 121):
        item_id = f"REQ-{prefix}{n:03d}"
        text = DRAFT_REQUIREMENT.format(id=item_id, title=f"Item {n}") + extra
        (folder / f"{item_id}-item.yaml").write_text(text, encoding="utf-8")
    return root


def _seen(root: Path) -> list[tuple[str, str, int]]:
    result = check_files(root, settings=load_settings(root), use_cache=False, jobs=1)
    return [(d.path, d.code, d.line) for d in result.diagnostics]


def test_checks_running_side_by_side_each_see_their_own_repo(tmp_path: Path) -> None:
    clean = _repo(tmp_path / "clean", "1", "")
    broken = _repo(tmp_path / "broken", "2", "colour: blue\n")
    expected = {clean: _seen(clean), broken: _seen(broken)}
    assert expected[clean] == [] and len(expected[broken]) == 120

    got: dict[Path, list[list[tuple[str, str, int]]]] = {clean: [], broken: []}

    def run(root: Path) -> None:
        for _ in range(3):
            got[root].append(_seen(root))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, to interleave the checks
    try:
        threads = [threading.Thread(target=run, args=(root,)) for root in (clean, broken)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert got == {root: [seen] * 3 for root, seen in expected.items()}
