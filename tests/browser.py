"""A headless Chromium driven over the DevTools protocol, with the network off (site tests)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """The browser to use: ``MITRM_CHROMIUM``, else the first one on the PATH."""
    chosen = os.environ.get("MITRM_CHROMIUM")
    if chosen:
        return chosen
    return next((found for name in NAMES if (found := shutil.which(name))), None)


@dataclass
class Visit:
    """What one page load showed: script errors, console errors and every request made."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


class Browser:
    """One page target of a headless Chromium, commands sent over its websocket."""

    def __init__(self, socket: Any, session: str) -> None:
        self._socket = socket
        self._session = session
        self._next = 0
        self._events: list[dict[str, Any]] = []

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Run one DevTools command in the page and return its result."""
        self._next += 1
        ident = self._next
        message = {"id": ident, "method": method, "params": params, "sessionId": self._session}
        self._socket.send(json.dumps(message))
        while True:
            reply = json.loads(self._socket.recv())
            if reply.get("id") == ident:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            self._events.append(reply)

    def _wait_for(self, method: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == method for e in self._events):
            if time.monotonic() > deadline:
                raise TimeoutError(method)
            self._socket.settimeout(max(deadline - time.monotonic(), 0.1))
            self._events.append(json.loads(self._socket.recv()))
        self._socket.settimeout(None)

    def visit(self, url: str) -> Visit:
        """Load ``url``, wait for its load event, and report what went wrong."""
        self._events.clear()
        self.send("Page.navigate", url=url)
        self._wait_for("Page.loadEventFired")
        self.evaluate("1")  # let pending console and script events arrive
        visit = Visit()
        for event in self._events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                visit.errors.append(json.dumps(params["exceptionDetails"])[:500])
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                visit.errors.append(params["entry"]["text"])
            elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
                visit.errors.append(json.dumps(params["args"])[:500])
            elif method == "Network.requestWillBeSent":
                visit.requests.append(params["request"]["url"])
        return visit

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (returned by value)."""
        result = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(json.dumps(result["exceptionDetails"])[:500])
        return result["result"].get("value")

    def screenshot(self) -> bytes:
        """A PNG of the whole page."""
        import base64

        data = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        return base64.b64decode(data["data"])

    def pdf(self) -> bytes:
        """The page printed to PDF (with the print stylesheet)."""
        import base64

        data = self.send("Page.printToPDF", printBackground=True)
        return base64.b64decode(data["data"])


@contextmanager
def chromium(executable: str) -> Iterator[Browser]:
    """A headless Chromium with no network (a dead proxy, no name resolution)."""
    import websocket

    with tempfile.TemporaryDirectory(prefix="mitrm-chromium-") as profile:
        process = subprocess.Popen(
            [
                executable,
                "--headless=new",
                "--no-sandbox",  # CI containers run as root
                "--disable-gpu",
                "--no-first-run",
                "--disable-extensions",
                "--disable-background-networking",
                "--proxy-server=127.0.0.1:9",
                "--host-resolver-rules=MAP * ~NOTFOUND",
                "--window-size=1280,900",
                f"--user-data-dir={profile}",
                "--remote-debugging-port=0",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            # Chromium writes its DevTools port and path here once it listens.
            port_file = os.path.join(profile, "DevToolsActivePort")
            deadline = time.monotonic() + 30
            while not _complete(port_file):
                if process.poll() is not None:
                    raise RuntimeError(f"{executable} exited with {process.returncode}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{executable} did not start its DevTools endpoint")
                time.sleep(0.05)
            with open(port_file, encoding="utf-8") as handle:
                port, path = handle.read().split()[:2]
            url = f"ws://127.0.0.1:{port}{path}"
            socket = websocket.create_connection(url, timeout=30, suppress_origin=True)
            try:
                socket.send(
                    json.dumps(
                        {"id": 1, "method": "Target.createTarget", "params": {"url": "about:blank"}}
                    )
                )
                target = _reply(socket, 1)["targetId"]
                socket.send(
                    json.dumps(
                        {
                            "id": 2,
                            "method": "Target.attachToTarget",
                            "params": {"targetId": target, "flatten": True},
                        }
                    )
                )
                session = _reply(socket, 2)["sessionId"]
                browser = Browser(socket, session)
                browser._next = 10
                for domain in ("Page", "Runtime", "Log", "Network"):
                    browser.send(f"{domain}.enable")
                yield browser
            finally:
                socket.close()
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _reply(socket: Any, ident: int) -> dict[str, Any]:
    while True:
        reply = json.loads(socket.recv())
        if reply.get("id") == ident:
            result: dict[str, Any] = reply["result"]
            return result


def _complete(path: str) -> bool:
    try:
        with open(path, encoding="utf-8") as handle:
            return len(handle.read().split()) >= 2
    except OSError:
        return False
