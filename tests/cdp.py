"""A headless Chromium driven over the DevTools protocol through a pipe (``--remote-debugging-pipe``: commands on
fd 3, replies on fd 4, NUL-separated JSON), with the standard library only: evaluate script in a page, watch
every request it makes, print it to PDF, take screenshots."""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any


def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    assert exe, "Debian's chromium is required for this test (.ci/run installs it: apt-get install chromium)"
    return exe


class Browser:
    """One headless Chromium with one page. Use as a context manager."""

    def __init__(self, profile: Path, width: int = 1280, height: int = 900) -> None:
        cmd_r, cmd_w = os.pipe()
        out_r, out_w = os.pipe()
        hi_cmd = fcntl.fcntl(cmd_r, fcntl.F_DUPFD_CLOEXEC, 10)
        hi_out = fcntl.fcntl(out_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(cmd_r)
        os.close(out_w)

        def child() -> None:
            os.dup2(hi_cmd, 3)
            os.dup2(hi_out, 4)

        args = [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--autoplay-policy=no-user-gesture-required",
            "--remote-debugging-pipe",
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            "about:blank",
        ]
        self.proc = subprocess.Popen(
            args, preexec_fn=child, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        os.close(hi_cmd)
        os.close(hi_out)
        self._w, self._r = cmd_w, out_r
        self._buf = b""
        self._id = 0
        self.events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Network"):
            self.call(f"{domain}.enable", session=True)
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
            session=True,
        )

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.call("Browser.close", timeout=5)
        except Exception:  # noqa: BLE001 - closing a browser that already went is fine
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._w)
        os.close(self._r)

    def _read(self, timeout: float) -> dict[str, Any]:
        end = time.monotonic() + timeout
        while b"\0" not in self._buf:
            left = end - time.monotonic()
            assert left > 0, "chromium did not answer in time"
            ready, _, _ = select.select([self._r], [], [], left)
            if ready:
                chunk = os.read(self._r, 1 << 20)
                assert chunk, "chromium closed the pipe"
                self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def call(
        self, method: str, params: dict[str, Any] | None = None, session: bool = False, timeout: float = 60
    ) -> dict[str, Any]:
        """Send a command and return its result (events seen meanwhile are kept in ``events``)."""
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self.session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._read(timeout)
            if reply.get("id") == self._id:
                assert "error" not in reply, f"{method}: {reply['error']}"
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method: str, timeout: float = 30) -> dict[str, Any]:
        for ev in self.events:
            if ev.get("method") == method:
                self.events.remove(ev)
                return ev
        end = time.monotonic() + timeout
        while True:
            ev = self._read(max(end - time.monotonic(), 0.01))
            if ev.get("method") == method:
                return ev
            self.events.append(ev)

    def open(self, url: str) -> None:
        self.call("Page.navigate", {"url": url}, session=True)
        self.wait_event("Page.loadEventFired")

    def js(self, expression: str, timeout: float = 30) -> Any:
        """The value of ``expression`` in the page (promises awaited)."""
        res = self.call(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
            session=True,
            timeout=timeout,
        )
        assert "exceptionDetails" not in res, res["exceptionDetails"]
        return res["result"].get("value")

    def requests(self) -> list[str]:
        """Every URL the page asked for so far."""
        return [ev["params"]["request"]["url"] for ev in self.events if ev.get("method") == "Network.requestWillBeSent"]

    def console_errors(self) -> list[str]:
        out = []
        for ev in self.events:
            if ev.get("method") == "Runtime.exceptionThrown":
                out.append(json.dumps(ev["params"])[:300])
            if ev.get("method") == "Runtime.consoleAPICalled" and ev["params"].get("type") in ("error", "warning"):
                out.append(json.dumps(ev["params"])[:300])
        return out

    def pdf(self, width_in: float, height_in: float) -> bytes:
        res = self.call(
            "Page.printToPDF",
            {"paperWidth": width_in, "paperHeight": height_in, "printBackground": True, "preferCSSPageSize": False},
            session=True,
        )
        return base64.b64decode(res["data"])

    def screenshot(self, full_page: bool = True) -> bytes:
        return base64.b64decode(
            self.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": full_page}, session=True)[
                "data"
            ]
        )
