"""Run ``mitrm`` in a forked process (a real process, started in milliseconds) and kill it."""

from __future__ import annotations

import os
import signal
import sys
from dataclasses import dataclass
from typing import IO

from mitrm.cli.app import main

PAUSE = "mitrm-pause: "


@dataclass
class Forked:
    """A forked ``mitrm`` run; its standard error is readable as it goes."""

    pid: int
    stderr: IO[str]

    def wait(self) -> int:
        """The exit status (negative: the signal that ended it)."""
        _pid, status = os.waitpid(self.pid, 0)
        return os.waitstatus_to_exitcode(status)

    def kill_at(self, point: int) -> str:
        """Wait until the run stops at its ``point``-th pause, SIGKILL it; the point's name."""
        seen = 0
        name = ""
        while seen < point:
            line = self.stderr.readline()
            assert line, f"the run ended before pause {point}"
            if line.startswith(PAUSE):
                seen += 1
                name = line.removeprefix(PAUSE).strip()
        os.kill(self.pid, signal.SIGKILL)
        assert self.wait() == -signal.SIGKILL
        self.stderr.close()
        return name

    def finish(self) -> tuple[int, str]:
        """Wait for the run to end; its exit status and standard error."""
        err = self.stderr.read()
        self.stderr.close()
        return self.wait(), err


def fork_mitrm(args: list[str], *, pause: int | None = None) -> Forked:
    """Start ``mitrm ARGS`` in a forked child; with ``pause``, it stops at that pause point
    (see ``mitrm.io.crashpoints``) and reports every point on its standard error."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run the command with its stderr into the pipe
        try:
            os.close(read)
            os.dup2(write, 2)
            os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
            sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115 - the child's whole life
            sys.stderr = open(2, "w", buffering=1, closefd=False)  # noqa: SIM115
            if pause is not None:
                os.environ["MITRM_TEST_PAUSE"] = str(pause)
            main(args)
        except SystemExit as exc:
            os._exit(exc.code if isinstance(exc.code, int) else 3)
        finally:
            os._exit(3)
    os.close(write)
    return Forked(pid, os.fdopen(read, "r"))
