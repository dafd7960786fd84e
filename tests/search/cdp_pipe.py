"""A minimal Chrome DevTools Protocol client over --remote-debugging-pipe (stdlib only).

Playwright enables the Network domain on every page, which makes the renderer report each
request to DevTools and inflates main-thread time per loaded file. For CPU measurements we
drive Chromium with only the Target, Runtime and Performance domains."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile

CHROMIUM = "/usr/bin/chromium"


class Chromium:
    def __init__(self, executable: str = CHROMIUM):
        self._r_browser, self._w_ours = os.pipe()  # we write, browser reads (its fd 3)
        self._r_ours, self._w_browser = os.pipe()  # browser writes (its fd 4), we read
        self._tmp = tempfile.mkdtemp(prefix="hb-cdp-")

        def fds():
            os.dup2(self._r_browser, 3)
            os.dup2(self._w_browser, 4)

        self.proc = subprocess.Popen(
            [executable, "--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--no-first-run",
             "--disable-gpu", "--disable-extensions", f"--user-data-dir={self._tmp}", "about:blank"],
            close_fds=False, preexec_fn=fds,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(self._r_browser)
        os.close(self._w_browser)
        self._buf = b""
        self._id = 0

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._w_ours, json.dumps(msg).encode() + b"\0")
        while True:
            m = self._read()
            if m.get("id") == self._id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})

    def _read(self) -> dict:
        while b"\0" not in self._buf:
            chunk = os.read(self._r_ours, 1 << 16)
            if not chunk:
                raise RuntimeError("browser closed the pipe")
            self._buf += chunk
        raw, _, self._buf = self._buf.partition(b"\0")
        return json.loads(raw)

    def new_page(self, url: str, ready: str = "typeof HBSearch !== 'undefined'") -> "Page":
        """A page in a fresh browser context (empty cache) at ``url``, returned once it has loaded
        and the JavaScript condition ``ready`` holds (default: our search client is there)."""
        ctx = self.send("Target.createBrowserContext")["browserContextId"]
        tid = self.send("Target.createTarget", {"url": "about:blank", "browserContextId": ctx})["targetId"]
        sid = self.send("Target.attachToTarget", {"targetId": tid, "flatten": True})["sessionId"]
        page = Page(self, sid, tid, ctx)
        page.send("Page.navigate", {"url": url})
        page.wait(f"document.readyState === 'complete' && ({ready})")
        return page

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except Exception:
            pass
        self.proc.wait(timeout=10)
        os.close(self._w_ours)
        os.close(self._r_ours)
        shutil.rmtree(self._tmp, ignore_errors=True)  # the browser profile


class Page:
    def __init__(self, browser: Chromium, sid: str, tid: str, ctx: str):
        self.b, self.sid, self.tid, self.ctx = browser, sid, tid, ctx

    def send(self, method: str, params: dict | None = None) -> dict:
        return self.b.send(method, params, self.sid)

    def eval(self, expression: str):
        r = self.send("Runtime.evaluate", {"expression": expression, "awaitPromise": True, "returnByValue": True})
        if "exceptionDetails" in r:
            raise RuntimeError(r["exceptionDetails"].get("exception", {}).get("description", r["exceptionDetails"]))
        return r["result"].get("value")

    def wait(self, condition: str, tries: int = 400) -> None:
        import time

        for _ in range(tries):
            try:
                if self.eval(condition):
                    return
            except RuntimeError:
                pass
            time.sleep(0.025)
        raise TimeoutError(condition)

    def metrics(self) -> dict[str, float]:
        return {m["name"]: m["value"] for m in self.send("Performance.getMetrics")["metrics"]}

    def close(self) -> None:
        self.b.send("Target.closeTarget", {"targetId": self.tid})
        self.b.send("Target.disposeBrowserContext", {"browserContextId": self.ctx})
