"""Points where crash tests stop a write command, so that they can kill it there.

With ``MITRM_TEST_PAUSE=N`` in the environment, every point prints
``mitrm-pause: NAME`` on standard error, and the N-th one of the process
(counted from 1) then sleeps for a minute; a test waits for that line and sends
SIGKILL. ``N=0`` only prints the points; a value that is not a number stops at
every point whose name starts with it. Unset (always, outside tests), a point
costs one lookup.
"""

from __future__ import annotations

import os
import sys
import time

_SEEN = [0]


def pause(name: str) -> None:
    """Report this point, and stop here if a crash test asks for it."""
    value = os.environ.get("MITRM_TEST_PAUSE")
    if not value:
        return
    _SEEN[0] += 1
    sys.stderr.write(f"mitrm-pause: {name}\n")
    sys.stderr.flush()
    value = value.strip()
    if value == str(_SEEN[0]) or (not value.isdigit() and name.startswith(value)):
        time.sleep(60)
