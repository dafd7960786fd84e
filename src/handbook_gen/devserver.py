"""The preview server behind `handbook serve`: serves the in-memory site of a LiveSite,
rebuilds on change batches, and reloads the browser.

- Only the built site is served, from memory: no path reaches the disk, so traversal
  and symlinks cannot escape; dot-files and `..` segments are 404.
- Requests whose Host header is not the bound address are refused (DNS rebinding).
- HTML responses get the live-reload script injected here, at serve time; built files
  never contain it. The script long-polls ``/__handbook/poll?epoch=N``; every finished
  rebuild (good or bad) bumps the epoch and the page reloads.
- After a failed rebuild the last good site keeps being served with an overlay listing
  the diagnostics; the next good rebuild clears it. Nothing a user saves can crash it.

Imports: incremental, report (for the overlay), watch.
"""
from __future__ import annotations

import html
import json
import mimetypes
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from handbook_gen.diagnostics import Severity
from handbook_gen.incremental import Change, LiveSite

PREFIX = "/__handbook/"
POLL_SECONDS = 25
DEFERRED_QUIET_SECONDS = 1.0

RELOAD_JS = b"""// handbook serve: reload when the site has been rebuilt (injected, never built)
(function () {
  var script = document.currentScript;
  var epoch = Number(script.getAttribute("data-epoch"));
  function poll() {
    fetch("/__handbook/poll?epoch=" + epoch, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (d) { if (d.epoch !== epoch) { location.reload(); } else { poll(); } })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"""

OVERLAY_CSS = b"""#handbook-overlay { position: fixed; inset: 0 0 auto 0; max-height: 70vh; overflow: auto;
  z-index: 9999; background: #2b1014; color: #fff; font: 14px/1.5 ui-monospace, Menlo, monospace;
  padding: 16px 20px; box-shadow: 0 4px 24px rgba(0,0,0,.4); }
#handbook-overlay h2 { margin: 0 0 8px; font-size: 16px; color: #ffb3bd; border: 0; }
#handbook-overlay li { margin: 6px 0; white-space: pre-wrap; }
#handbook-overlay .loc { color: #ffd479; }
#handbook-overlay .warning { color: #ffe6a6; }
"""


class DevServer:
    """Owns the LiveSite, the epoch and the HTTP server."""

    def __init__(self, site: LiveSite, host: str = "127.0.0.1", port: int = 8000):
        self.site = site
        self.host = host
        self.epoch = 0
        self.closing = False
        self.cond = threading.Condition()
        self.build_lock = threading.Lock()
        self.last_rebuild_seconds = 0.0
        self.last_counters: dict[str, int] = {}
        handler = type("Handler", (_Handler,), {"dev": self})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{self.port}/"

    def rebuild(self, changes: list[Change] | None) -> None:
        """Rebuild and bump the epoch; any exception is reported as a failed build."""
        started = time.perf_counter()
        with self.build_lock:
            try:
                self.last_counters = self.site.rebuild(changes, defer=True).counters
            except Exception as exc:  # the server must survive anything a save produces
                self.site.ok = False
                from handbook_gen.diagnostics import Diagnostic
                self.site.diagnostics = [Diagnostic("HB401", Severity.ERROR,
                                                    f"internal error during rebuild: {exc!r}")]
            self.last_rebuild_seconds = time.perf_counter() - started
            with self.cond:
                self.epoch += 1
                self.cond.notify_all()
        if self.site.ok and self.site.pending:
            self._schedule_deferred()

    def _schedule_deferred(self) -> None:
        """Build the search index (in a worker process) and whole-site pages once edits
        have been quiet for a moment, so neither the reload nor the next rebuild waits."""
        epoch = self.epoch

        def run():
            time.sleep(DEFERRED_QUIET_SECONDS)
            if self.epoch != epoch or self.closing:
                return  # a newer rebuild will schedule its own; or the server is stopping
            try:
                outputs = self.site.deferred_outputs(_index_in_worker)
            except Exception:  # the preview keeps its previous index and edition
                return
            with self.build_lock:
                if self.epoch == epoch and outputs is not None:
                    self.site.apply_deferred(outputs)
        threading.Thread(target=run, daemon=True).start()

    def wait_for_epoch(self, seen: int, timeout: float) -> int:
        with self.cond:
            self.cond.wait_for(lambda: self.epoch != seen or self.closing, timeout)
            return self.epoch

    def serve_forever(self) -> None:
        self.httpd.serve_forever(poll_interval=0.2)

    def shutdown(self) -> None:
        global _INDEX_POOL
        with self.cond:
            self.closing = True  # release long polls before the interpreter goes away
            self.cond.notify_all()
        self.httpd.shutdown()
        self.httpd.server_close()
        if _INDEX_POOL is not None:
            _INDEX_POOL.terminate()
            _INDEX_POOL.join()
            _INDEX_POOL = None

    def allowed_host(self, header: str | None) -> bool:
        if not header:
            return False
        host = header.rsplit(":", 1)[0] if not header.endswith("]") else header
        host = host.strip("[]").lower()
        if self.host in ("0.0.0.0", "::", ""):
            return True  # the user asked to be reachable under any name
        allowed = {self.host.lower(), "localhost"} | (
            {"127.0.0.1", "::1"} if self.host in ("127.0.0.1", "localhost", "::1") else set())
        return host in allowed


_INDEX_POOL = None


def _index_in_worker(records):
    """Build the search index in a long-lived worker process. It is started by a
    forkserver, not forked from this (large, multi-threaded) process: a forked copy
    would make every page the server touches a copy-on-write fault while it runs."""
    global _INDEX_POOL
    import multiprocessing
    from handbook_gen.search import build_search_index
    if _INDEX_POOL is None:
        _INDEX_POOL = multiprocessing.get_context("forkserver").Pool(1)
    return _INDEX_POOL.apply(build_search_index, (records,))


def overlay_html(diagnostics) -> str:
    items = []
    for d in diagnostics:
        cls = "warning" if d.severity != Severity.ERROR else "error"
        loc = f'<span class="loc">{html.escape(str(d.location))}</span>: ' if d.location else ""
        hint = f"\n  = help: {html.escape(d.hint)}" if d.hint else ""
        items.append(f'<li class="{cls}">{loc}{d.severity.label}[{d.code}]: '
                     f"{html.escape(d.message)}{hint}</li>")
    errors = sum(1 for d in diagnostics if d.severity == Severity.ERROR)
    return (f'<div id="handbook-overlay" role="alert"><h2>构建失败：{errors} 个错误，'
            f"正在显示上一次成功构建的页面</h2><ol>{''.join(items)}</ol></div>")


def safe_site_path(url_path: str) -> str | None:
    """Map a request path to a site file path, or None for anything suspicious."""
    path = unquote(url_path)
    if "\\" in path or "\0" in path:
        return None
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") or p.startswith(".") for p in parts):
        return None
    rel = "/".join(parts)
    if not rel or path.endswith("/"):
        rel = (rel + "/index.html").lstrip("/")
    return rel


class _Handler(BaseHTTPRequestHandler):
    dev: DevServer
    server_version = "handbook-serve"
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_HEAD(self) -> None:
        self.do_GET(head=True)

    def do_GET(self, head: bool = False) -> None:
        if not self.dev.allowed_host(self.headers.get("Host")):
            return self._send(403, b"Forbidden: unexpected Host header\n", "text/plain")
        url = urlsplit(self.path)
        if url.path.startswith(PREFIX):
            return self._internal(url, head)
        rel = safe_site_path(url.path)
        files = self.dev.site.files
        if rel is None or rel not in files:
            body = files.get("404.html", b"<!DOCTYPE html><title>404</title><h1>404</h1>")
            return self._send(404, self._inject(body), "text/html; charset=utf-8", head)
        body = files[rel]
        ctype = mimetypes.guess_type(rel)[0] or "application/octet-stream"
        if ctype == "text/html":
            body = self._inject(body)
        if ctype.startswith("text/") or ctype in ("application/javascript", "image/svg+xml",
                                                  "application/json"):
            ctype += "; charset=utf-8"
        self._send(200, body, ctype, head)

    def _internal(self, url, head: bool) -> None:
        name = url.path[len(PREFIX):]
        if name == "livereload.js":
            return self._send(200, RELOAD_JS, "text/javascript; charset=utf-8", head)
        if name == "overlay.css":
            return self._send(200, OVERLAY_CSS, "text/css; charset=utf-8", head)
        if name == "poll":
            try:
                seen = int(parse_qs(url.query).get("epoch", ["0"])[0])
            except ValueError:
                seen = -1
            epoch = self.dev.wait_for_epoch(seen, POLL_SECONDS)
            return self._send(200, json.dumps({"epoch": epoch}).encode(), "application/json", head)
        self._send(404, b"not found\n", "text/plain", head)

    def _inject(self, body: bytes) -> bytes:
        """Add the reload script (and, after a failed build, the overlay) to a page."""
        epoch = self.dev.epoch
        head_extra = (f'<script src="{PREFIX}livereload.js" data-epoch="{epoch}" defer></script>')
        body_extra = ""
        if not self.dev.site.ok:
            head_extra += f'<link rel="stylesheet" href="{PREFIX}overlay.css">'
            body_extra = overlay_html(self.dev.site.diagnostics)
        text = body.decode("utf-8", "replace")
        text = text.replace("</head>", head_extra + "</head>", 1)
        if body_extra:
            i = text.find("<body")
            j = text.find(">", i) + 1 if i >= 0 else 0
            text = text[:j] + body_extra + text[j:]
        return text.encode("utf-8")

    def _send(self, code: int, body: bytes, ctype: str, head: bool = False) -> None:
        try:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if not head:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser navigated away (a reload ends every long poll this way)


def start(root: Path, host: str, port: int, options=None, poll: bool = False,
          debounce: float = 0.08):
    """Build once, start watching and serving in background threads; return
    (server, collector, observer, note). The caller runs until interrupted."""
    from handbook_gen.watch import ChangeCollector, start_observer
    site = LiveSite(root, options)
    server = DevServer(site, host, port)
    server.rebuild(None)
    collector = ChangeCollector(root, site.templates, server.rebuild, debounce=debounce)
    observer, note = start_observer(collector, [site.root, site.templates], poll=poll)
    threading.Thread(target=collector.run, daemon=True).start()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, collector, observer, note
