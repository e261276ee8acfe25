"""Drive Debian's headless Chromium over the DevTools protocol, standard library only.

Chromium is started with ``--remote-debugging-pipe``: it reads protocol
messages (JSON, each ended by a NUL byte) from its fd 3 and writes replies and
events to fd 4. `load_page` opens a file, waits for the load event, and
returns what a test needs: console errors and uncaught exceptions, every
network request, the results of some JavaScript expressions, and PNG
screenshots.

    python tests/chromium.py report.html out.png [width]   # a full-page screenshot
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from base64 import b64decode
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-pipe",
]


class CDPError(RuntimeError):
    pass


class CDP:
    """One Chromium process and its DevTools pipe."""

    def __init__(self, proc: subprocess.Popen[bytes], to_chrome: int, from_chrome: int) -> None:
        self.proc = proc
        self.to_chrome = to_chrome
        self.from_chrome = from_chrome
        self.buf = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CDPError("timed out waiting for Chromium")
            ready, _, _ = select.select([self.from_chrome], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.from_chrome, 1 << 20)
            if not chunk:
                raise CDPError(f"Chromium closed the pipe (exit {self.proc.poll()})")
            self.buf += chunk
        raw, self.buf = self.buf.split(b"\0", 1)
        return json.loads(raw)

    def send(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        session: str | None = None,
        timeout: float = 30.0,
    ) -> dict[str, Any]:
        self.next_id += 1
        msg: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise CDPError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_event(self, name: str, session: str | None, timeout: float = 30.0) -> None:
        for ev in self.events:
            if ev["method"] == name and ev.get("sessionId") == session:
                return
        deadline = time.monotonic() + timeout
        while True:
            msg = self._read_message(deadline)
            if "method" in msg:
                self.events.append(msg)
                if msg["method"] == name and msg.get("sessionId") == session:
                    return


@contextmanager
def chromium(exe: Path = CHROMIUM) -> Iterator[CDP]:
    """Start a fresh headless Chromium (own profile directory); stop it afterwards."""
    profile = tempfile.mkdtemp(prefix="planner-chromium-")
    to_chrome_r, to_chrome_w = os.pipe()
    from_chrome_r, from_chrome_w = os.pipe()

    def child_fds() -> None:  # runs in the child: its fd 3 reads, fd 4 writes
        a = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10)
        b = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
        os.dup2(a, 3)
        os.dup2(b, 4)

    proc = subprocess.Popen(
        [str(exe), *FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        pass_fds=(3, 4) if _fds_open(3, 4) else (),
        preexec_fn=child_fds,
    )
    os.close(to_chrome_r)
    os.close(from_chrome_w)
    cdp = CDP(proc, to_chrome_w, from_chrome_r)
    try:
        yield cdp
    finally:
        with suppress(CDPError, OSError):
            cdp.send("Browser.close", timeout=5)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        os.close(to_chrome_w)
        os.close(from_chrome_r)
        shutil.rmtree(profile, ignore_errors=True)


def _fds_open(*fds: int) -> bool:
    try:
        for fd in fds:
            os.fstat(fd)
    except OSError:
        return False
    return True


@dataclass
class Page:
    url: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    width: int = 0
    height: int = 0
    screenshots: dict[str, bytes] = field(default_factory=dict)


def load_page(
    path: Path,
    *,
    width: int = 1280,
    expressions: dict[str, str] | None = None,
    shots: dict[str, tuple[int, int] | None] | None = None,
    exe: Path = CHROMIUM,
    print_media: bool = False,
) -> Page:
    """Open ``path`` and report on it. ``shots`` maps a name to (top, height) in CSS pixels
    (None: the whole page)."""
    url = path.resolve().as_uri()
    page = Page(url)
    with chromium(exe) as cdp:
        target = cdp.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = cdp.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log", "Network"):
            cdp.send(f"{domain}.enable", session=session)
        cdp.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        if print_media:
            cdp.send("Emulation.setEmulatedMedia", {"media": "print"}, session=session)
        cdp.send("Page.navigate", {"url": url}, session=session)
        cdp.wait_event("Page.loadEventFired", session)
        for name, expr in (expressions or {}).items():
            res = cdp.send(
                "Runtime.evaluate", {"expression": expr, "returnByValue": True}, session=session
            )
            if "exceptionDetails" in res:
                page.errors.append(f"evaluating {name}: {res['exceptionDetails']}")
            page.values[name] = res.get("result", {}).get("value")
        metrics = cdp.send("Page.getLayoutMetrics", session=session)
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        page.width, page.height = int(size["width"]), int(size["height"])
        for name, clip in (shots or {}).items():
            top, height = clip if clip is not None else (0, page.height)
            height = max(1, min(height, page.height - top))
            shot = cdp.send(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "captureBeyondViewport": True,
                    "clip": {"x": 0, "y": top, "width": page.width, "height": height, "scale": 1},
                },
                session=session,
                timeout=60,
            )
            page.screenshots[name] = b64decode(shot["data"])
        # let late errors (timers, CSP reports) arrive
        with suppress(CDPError):
            cdp.send("Runtime.evaluate", {"expression": "1"}, session=session)
        for ev in cdp.events:
            if ev.get("sessionId") != session:
                continue
            m, p = ev["method"], ev.get("params", {})
            if m == "Runtime.exceptionThrown":
                d = p.get("exceptionDetails", {})
                page.errors.append(
                    "exception: " + str(d.get("exception", {}).get("description") or d.get("text"))
                )
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                page.errors.append(
                    "console.error: "
                    + " ".join(
                        str(a.get("value", a.get("description", ""))) for a in p.get("args", [])
                    )
                )
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                page.errors.append("log: " + p["entry"].get("text", ""))
            elif m == "Network.requestWillBeSent":
                page.requests.append(p.get("request", {}).get("url", ""))
    return page


@dataclass
class PngStats:
    width: int
    height: int
    colours: int  # distinct colours among the sampled pixels
    ink: float  # share of sampled pixels that are not (near) white


def png_stats(data: bytes, rows: int = 400) -> PngStats:
    """Decode the first ``rows`` rows of an 8-bit RGB/RGBA PNG (what Chromium writes), enough
    to tell that it is not blank; ``colours`` and ``ink`` describe those rows."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height = int.from_bytes(header[0:4], "big"), int.from_bytes(header[4:8], "big")
    depth, colour_type, interlace = header[8], header[9], header[12]
    if depth != 8 or colour_type not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour_type})")
    bpp = 3 if colour_type == 2 else 4
    raw = zlib.decompressobj().decompress(idat, min(rows, height) * (width * bpp + 1))
    stride = width * bpp
    prev = bytearray(stride)
    colours: set[bytes] = set()
    sampled = inked = 0
    for y in range(min(rows, height)):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 0xFF
            elif f == 2:
                line[i] = (line[i] + b) & 0xFF
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        if y % 2 == 0:
            for x in range(0, width, 2):
                px = bytes(line[x * bpp : x * bpp + 3])
                colours.add(px)
                sampled += 1
                inked += min(px) < 235
        prev = line
    return PngStats(width, height, len(colours), inked / max(1, sampled))


if __name__ == "__main__":
    html_file, png = Path(sys.argv[1]), Path(sys.argv[2])
    w = int(sys.argv[3]) if len(sys.argv) > 3 else 1280
    result = load_page(html_file, width=w, shots={"page": None})
    png.write_bytes(result.screenshots["page"])
    print(
        f"{png}: {result.width}x{result.height}; errors: {result.errors or 'none'}; "
        f"requests: {result.requests}"
    )


def require_chromium() -> None:
    """Skip, saying why, without Chromium; fail instead when CI demands the browser test
    (PLANNER_REQUIRE_CHROMIUM=1, set by .ci/run)."""
    import pytest

    if CHROMIUM.exists():
        return
    why = f"{CHROMIUM} not found: install Debian's chromium package to run the browser tests"
    if os.environ.get("PLANNER_REQUIRE_CHROMIUM") == "1":
        pytest.fail(why + " (PLANNER_REQUIRE_CHROMIUM=1)")
    pytest.skip(why)
