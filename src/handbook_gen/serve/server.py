"""The preview server behind `handbook serve`: serves the in-memory site of a LiveSite,
rebuilds on change batches, and reloads the browser.

- Only the built site is served, from memory: no path reaches the disk, so traversal
  and symlinks cannot escape; dot-files and `..` segments are 404.
- Requests whose Host header is not the bound address are refused (DNS rebinding).
- HTML responses get the live-reload script injected here, at serve time; built files
  never contain it. The script long-polls ``/__handbook/poll?version=N&page=P``; every
  finished rebuild (good or bad) and every arrival of deferred outputs makes a new
  version of the site, and the answer says whether page P changed since version N. A
  page that did not change stays as it is; a page of a kind that allows it (the
  registry's ``swap``: policies, chapters, departments) whose change is confined to its
  ``<main>`` has it replaced in place (no navigation, the scroll position stays); any
  other change reloads the page.
- Rebuilds never wait for whole-site work: the compiled edition and the search index
  are built by a low-priority worker process (``_DeferredRunner``), garbage is collected
  only when idle, and a save of one file is picked up after a short settle time
  (watch.ChangeCollector).
- After a failed rebuild the last good site keeps being served with an overlay listing
  the diagnostics; the next good rebuild clears it. After a good rebuild with warnings,
  every page gets a warnings panel instead: a badge with their count in the bottom
  right corner that opens the list (the CLI's lines); closed, it stays closed on every
  page until the warnings change (``PANEL_JS``). Both are injected here with their own
  stylesheet and script (no inline code, so the pages' CSP holds), and a page reloads
  when they change. Nothing a user saves can crash it:
  an exception in a rebuild (or in the whole-site work) is an internal error, HB900,
  in the overlay, and the next save rebuilds what it left undone.
- Memory stays level under a storm of edits: the old site goes as soon as the new one
  is complete, stale whole-site builds are cancelled rather than sent, and freed memory
  is given back to the system when idle.
"""
from __future__ import annotations

import ctypes
import gc
import hashlib
import html
import json
import mimetypes
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, unquote, urlsplit

from handbook_gen.core import report
from handbook_gen.core.diagnostics import Diagnostic, Severity
from handbook_gen.serve.live import KEPT, SOURCE, WHOLE_SITE, Change, LiveSite, internal_error

PREFIX = "/__handbook/"
POLL_SECONDS = 25
CHANGE_HISTORY = 64
DEFERRED_QUIET_SECONDS = 0.3
AUDIT_SECONDS = 10.0
PANEL_MAX = 200
"""Warnings listed in the panel; a line says how many more there are."""

RELOAD_JS = b"""// handbook serve: bring the page up to date after a rebuild (injected, never built)
(function () {
  var script = document.currentScript;
  var version = Number(script.getAttribute("data-version"));
  var swap = script.hasAttribute("data-swap");
  var shown = Promise.resolve(null);  // this page as served, split at <main> (or null)
  function parts(html) {
    var i = html.indexOf("<main"), j = html.lastIndexOf("</main>");
    var m = /data-version="(\\d+)"/.exec(html);
    if (i < 0 || j < i || !m) { return null; }
    var k = html.indexOf(">", i) + 1;
    return { version: Number(m[1]), main: html.slice(k, j),
             rest: (html.slice(0, k) + html.slice(j)).replace(m[0], "") };
  }
  function page() {
    return fetch(location.href, { cache: "no-store" }).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.text();
    }).then(parts);
  }
  function update() {
    // only the content changed: replace it (no navigation, scroll position kept);
    // anything else (title, navigation, the error overlay, scripts): reload
    shown.then(function (old) {
      if (!old) { throw new Error("not shown"); }
      return page().then(function (next) {
        if (!next || next.rest !== old.rest || /<script/i.test(next.main)) {
          throw new Error("changed outside <main>");
        }
        if (next.main !== old.main) { document.querySelector("main").innerHTML = next.main; }
        shown = Promise.resolve(next);
        version = next.version;
        poll();
      });
    }).catch(function () { location.reload(); });
  }
  function poll() {
    fetch("/__handbook/poll?version=" + version + "&page=" +
          encodeURIComponent(location.pathname), { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        if (d.version === version) { poll(); return; }
        if (!d.changed) { version = d.version; poll(); return; }  // this page stayed the same
        if (swap) { update(); } else { location.reload(); }
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  if (swap) {
    shown = page().then(function (p) { return p && p.version === version ? p : null; })
      .catch(function () { return null; });
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
#handbook-warnings { position: fixed; right: 16px; bottom: 16px; z-index: 9998;
  max-width: min(760px, calc(100vw - 32px)); font: 13px/1.5 ui-monospace, Menlo, monospace;
  color: #3d2c00; }
#handbook-warnings > summary { list-style: none; cursor: pointer; margin-left: auto;
  width: max-content; padding: 6px 12px; border-radius: 18px; background: #f0b400;
  color: #2b1d00; font-weight: bold; box-shadow: 0 2px 10px rgba(0,0,0,.3); }
#handbook-warnings > summary::-webkit-details-marker { display: none; }
#handbook-warnings .panel { margin-top: 8px; max-height: 50vh; overflow: auto;
  background: #fff8e1; border: 1px solid #f0b400; border-radius: 6px; padding: 8px 14px;
  box-shadow: 0 4px 18px rgba(0,0,0,.25); }
#handbook-warnings ol { margin: 0; padding-left: 20px; }
#handbook-warnings li { margin: 6px 0; white-space: pre-wrap; }
#handbook-warnings .loc { color: #8a4b00; }
#handbook-warnings .close { float: right; border: 0; background: none; font-size: 18px;
  line-height: 1; cursor: pointer; color: #6b4e00; }
@media print { #handbook-overlay, #handbook-warnings { display: none; } }
"""
PANEL_JS = b"""// handbook serve: the warnings panel (injected, never built). Closing it keeps it
// closed on every page until its warnings change (their digest is data-key).
(function () {
  var panel = document.getElementById("handbook-warnings");
  if (!panel) { return; }
  var key = panel.getAttribute("data-key"), NAME = "handbook-warnings-closed";
  try { if (sessionStorage.getItem(NAME) === key) { panel.open = false; } } catch (e) {}
  panel.addEventListener("toggle", function () {
    try {
      if (panel.open) { sessionStorage.removeItem(NAME); } else { sessionStorage.setItem(NAME, key); }
    } catch (e) {}
  });
  panel.querySelector(".close").addEventListener("click", function () { panel.open = false; });
})();
"""


class DevServer:
    """Owns the LiveSite, the epoch and the HTTP server."""

    def __init__(self, site: LiveSite, host: str = "127.0.0.1", port: int = 8000,
                 deferred_worker: bool = True):
        self.site = site
        self.host = host
        self.epoch = 0
        """How many rebuilds have finished (good or bad)."""
        self.version = 0
        """Bumped whenever the served site changes: a rebuild, deferred outputs."""
        self._changes: dict[int, frozenset[str] | None] = {}
        """version -> the site paths that changed with it (None: every page)."""
        self._viewers: dict[str, int] = {}
        """site path -> how many long polls are waiting on it."""
        self.watcher_quiet: Callable[[float], bool] = lambda seconds: True
        """Whether the file watcher has reported nothing for that many seconds (set by
        ``start``)."""
        self.swap = True
        """Whether pages of a swappable kind are updated in place (else reloaded)."""
        self.closing = False
        self.style = report.Style("zh")
        """The language and path prefix of diagnostics in the overlay (set by ``start``)."""
        self._panel: tuple | None = None
        """(the diagnostics, the style, the warnings panel made of them)."""
        self.cond = threading.Condition()
        self.build_lock = threading.Lock()
        self.last_rebuild_seconds = 0.0
        self.last_rebuild_end = 0.0
        self.last_counters: dict[str, int] = {}
        self.last_timings: dict[str, float] = {}
        self.deferred_applied = 0
        """How many times deferred outputs were applied (tests wait on it)."""
        self.deferred_error: list[Diagnostic] | None = None
        """Why the last whole-site build failed, if it did (the previous outputs stay;
        shown in the overlay)."""
        self._idle_work = False
        self._gc_paused = False
        self._serving = False
        self._deferred = _DeferredRunner(self, deferred_worker)
        handler = type("Handler", (_Handler,), {"dev": self})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{self.port}/"

    def rebuild(self, changes: list[Change] | None) -> None:
        """Rebuild and bump the epoch; any exception is reported as a failed build.
        Whole-site outputs, the audit for lost events and garbage collection follow in
        the background once the browser has had its moment (``_DeferredRunner``)."""
        started = time.perf_counter()
        with self.build_lock:
            before = self._state()
            try:  # the pages open in a browser first, published at once; then the rest
                result = self.site.rebuild(changes, defer=True, first=self.viewed() or None)
                self.last_counters, self.last_timings = result.counters, result.timings
            except Exception as exc:  # the server must survive anything a save produces
                self._internal_error(exc)
            self.last_rebuild_seconds = time.perf_counter() - started
            with self.cond:
                self.epoch += 1
                self._publish(before)
            before = self._state()
            try:
                later = self.site.finish()
                self.last_counters["pages_rendered"] = \
                    self.last_counters.get("pages_rendered", 0) + later
            except Exception as exc:
                later = 1
                self._internal_error(exc)
            with self.cond:
                if later:
                    self._publish(before)
                self.last_rebuild_end = time.monotonic()
                self._idle_work = True
        self._deferred.start()

    def _internal_error(self, exc: Exception) -> None:
        self.site.ok = False
        self.site.diagnostics = [internal_error(exc)]

    def warnings(self) -> list[Diagnostic]:
        """The warnings of the last good rebuild, shown in the warnings panel (a failed
        one shows everything in the overlay)."""
        if not self.site.ok:
            return []
        return [d for d in self.site.diagnostics if d.severity == Severity.WARNING]

    def panel(self) -> str:
        """The HTML of the warnings panel ('' without warnings), made once per rebuild."""
        diags = self.site.diagnostics  # (a new list with every rebuild)
        made = self._panel
        if made is None or made[0] is not diags or made[1] is not self.style:
            warnings = self.warnings()
            made = self._panel = (diags, self.style,
                                  warnings_html(warnings, self.style) if warnings else "")
        return made[2]

    def overlay(self) -> list[Diagnostic] | None:
        """The diagnostics shown over every page, if any: of a failed rebuild, or of a
        failed whole-site build."""
        return self.deferred_error if self.site.ok else self.site.diagnostics

    def viewed(self) -> set[str]:
        """Site paths of the pages open in a browser (waiting in a long poll)."""
        with self.cond:
            return {page for page, n in self._viewers.items() if n > 0}

    def _viewing(self, page: str | None, delta: int) -> None:
        if page is not None:
            with self.cond:
                n = self._viewers.get(page, 0) + delta
                if n > 0:
                    self._viewers[page] = n
                else:
                    self._viewers.pop(page, None)

    def _state(self) -> tuple:
        """What the served pages are made of: the files, the overlay, the warnings."""
        return self.site.files, self.overlay(), self.warnings()

    def _publish(self, before: tuple) -> None:
        """Make a new version (under ``cond``) recording which pages changed since
        `before`, so an open page that did not change is left alone."""
        files, *shown = self._state()
        if shown != list(before[1:]):
            changed = None  # the overlay or the warnings came, went or changed: every page
        else:
            old = before[0]
            changed = frozenset([p for p, data in files.items() if old.get(p) is not data] +
                                [p for p in old if p not in files])
        self.version += 1
        self._changes[self.version] = changed
        self._changes.pop(self.version - CHANGE_HISTORY, None)
        self.cond.notify_all()

    def page_changed(self, page: str | None, seen: int, version: int) -> bool:
        """Whether site page `page` (None: unknown) changed between versions `seen` and
        `version`; True when that is not known."""
        with self.cond:
            if page is None or seen < version - CHANGE_HISTORY + 1 or seen > version:
                return True
            for v in range(seen + 1, version + 1):
                changed = self._changes.get(v)
                if changed is None or page in changed:
                    return True
            return False

    def pause_gc(self) -> None:
        """Collect garbage only when idle, never during a rebuild or a reload: freeze
        what the initial build made (it is never scanned again) and switch automatic
        collection off until ``shutdown``."""
        if gc.isenabled():
            gc.collect()
            gc.freeze()
            gc.disable()
            self._gc_paused = True

    def wait_for_epoch(self, seen: int, timeout: float) -> int:
        """Wait for a rebuild after the `seen`-th one."""
        with self.cond:
            self.cond.wait_for(lambda: self.epoch != seen or self.closing, timeout)
            return self.epoch

    def wait_for_version(self, seen: int, timeout: float) -> int:
        with self.cond:
            self.cond.wait_for(lambda: self.version != seen or self.closing, timeout)
            return self.version

    def serve_forever(self) -> None:
        self._serving = True
        self.httpd.serve_forever(poll_interval=0.2)

    def shutdown(self) -> None:
        with self.cond:
            self.closing = True  # release long polls before the interpreter goes away
            self.cond.notify_all()
        if self._serving:  # (shutdown() waits for serve_forever, which may never have run)
            self.httpd.shutdown()
        self.httpd.server_close()
        self._deferred.stop()
        if self._gc_paused:
            self._gc_paused = False
            gc.unfreeze()
            gc.enable()

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


class _DeferredRunner:
    """Background work after a rebuild, once edits have been quiet for a moment:

    - the whole-site outputs (compiled edition, search index), built by a
      ``DeferredBuilder`` in a worker process at the lowest CPU priority, fed with the
      sources of this rebuild (only those that differ from the last request). A newer
      rebuild sends a newer request, the worker abandons the stale build, and a stale
      reply is never applied, so this never delays the rebuild an editor waits for;
    - an audit of the source tree for changes the watcher missed (rebuilds at once),
      also every AUDIT_SECONDS while nothing happens;
    - garbage collection, which the server otherwise keeps off (``pause_gc``).

    Without a worker (`use_worker` False, or it cannot start) the outputs are built in
    this thread instead."""

    def __init__(self, dev: DevServer, use_worker: bool):
        self.dev = dev
        self.use_worker = use_worker
        self.thread: threading.Thread | None = None
        self.process = None
        self.conn = None
        self.sent: dict[str, bytes] | None = None
        self.sender: threading.Thread | None = None
        """The thread sending the latest request to the worker (see ``_in_worker``)."""
        self.next_audit = time.monotonic() + AUDIT_SECONDS

    def start(self) -> None:
        with self.dev.cond:
            if self.thread is None and not self.dev.closing:
                self.thread = threading.Thread(target=self._run, daemon=True,
                                               name="handbook-deferred")
                self.thread.start()

    def stop(self) -> None:
        """After ``dev.closing`` is set: the thread ends its worker and exits."""
        with self.dev.cond:
            self.dev.cond.notify_all()
            thread = self.thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(5)
            if thread.is_alive() and self.process is not None:  # stuck: no pipe talk
                self.process.terminate()

    # ---- the loop ----------------------------------------------------------------------
    def _quiet(self) -> str | None:
        """Wait until a rebuild left idle work and no rebuild has happened for
        DEFERRED_QUIET_SECONDS ("idle"), or until the next audit is due ("audit");
        None when the server is closing."""
        dev = self.dev
        with dev.cond:
            while not dev.closing:
                now = time.monotonic()
                if dev._idle_work:
                    left = dev.last_rebuild_end + DEFERRED_QUIET_SECONDS - now
                    if left <= 0:
                        dev._idle_work = False
                        return "idle"
                else:
                    left = self.next_audit - now
                    if left <= 0:
                        return "audit"
                dev.cond.wait(left)
            return None

    def _run(self) -> None:
        try:
            self._loop()
        finally:  # only this thread talks to the worker
            self._stop_worker()

    def _loop(self) -> None:
        dev = self.dev
        while (why := self._quiet()) is not None:
            if self._audit():  # the watcher lost events (an inotify queue overflow, ...)
                dev.rebuild([Change(SOURCE)])
                continue
            if why == "audit":
                continue
            worker = self.use_worker and self._ensure_worker()  # (not under the lock)
            with dev.build_lock:
                build = dev.epoch
                request = dev.site.deferred_request(self.sent) if worker else None
            if request is not None:
                self._in_worker(build, request)
            elif not self.use_worker and dev.site.ok and dev.site.pending:
                self._in_thread(build)
            if not dev._idle_work and dev._gc_paused:
                with dev.build_lock:
                    gc.collect()
                    _release_memory()

    def _audit(self) -> bool:
        """Whether sources changed on disk without the watcher reporting them. Only
        asked while the watcher has been quiet for a second (a save it is reporting is
        no lost event); the scan runs without the build lock and, when it finds
        something, once more under it. The next audit is due after AUDIT_SECONDS, or
        a hundred times as long as this one took."""
        dev = self.dev
        started = time.monotonic()
        try:
            if not dev.watcher_quiet(1.0) or not dev.site.audit() or \
                    not dev.watcher_quiet(1.0):
                return False
            with dev.build_lock:
                return dev.site.audit()
        except Exception:  # (a rebuild replaced what the scan was reading)
            return False
        finally:
            now = time.monotonic()
            self.next_audit = now + max(AUDIT_SECONDS, 100 * (now - started))

    def _in_thread(self, build: int) -> None:
        try:
            outputs = self.dev.site.deferred_outputs()
        except Exception as exc:  # the preview keeps its previous index and edition
            self._apply(build, None, [internal_error(exc, WHOLE_SITE, KEPT)])
            return
        self._apply(build, outputs)

    def _apply(self, build: int, outputs, error: list[Diagnostic] | None = None) -> None:
        """Apply the outputs made for rebuild number `build` (None: it failed with
        `error`), unless a newer rebuild came meanwhile; pages showing them (the compiled
        edition, the overlay) update."""
        dev = self.dev
        with dev.build_lock:
            if dev.epoch != build or dev.closing or outputs is None and error is None:
                return
            before = dev._state()
            if outputs is not None:
                dev.site.apply_deferred(outputs)
                dev.deferred_applied += 1
            dev.deferred_error = error
            with dev.cond:
                dev._publish(before)

    def _in_worker(self, build: int, request) -> None:
        """Send the request; wait for its reply unless a newer rebuild comes first.
        The request goes out from a thread while this one keeps reading: the worker may
        be blocked sending a large stale reply, and a large request (a `git checkout`)
        would otherwise wait for it forever, and it for us. Every request is delivered,
        in order (each carries the sources that changed since the one before)."""
        dev, conn, process = self.dev, self.conn, self.process
        try:
            while self.sender is not None and self.sender.is_alive():  # the previous one
                if conn.poll(0.05):
                    conn.recv()  # a reply to a superseded request
                elif not process.is_alive():
                    raise EOFError("deferred worker exited")
            self._post((build, request))
            while True:
                if conn.poll(0.05):
                    seq, reply = conn.recv()
                    if seq != build:
                        continue  # the reply to an earlier request
                    with dev.build_lock:  # (the result is read under the lock)
                        outputs = dev.site.deferred_result(reply) if dev.epoch == build \
                            else None
                    self._apply(build, outputs, None if reply[0] == "ok" else reply[1])
                    return
                if dev.closing:
                    return
                if dev.epoch != build:  # superseded: the worker may stop building it
                    self._post((build, None))
                    return
                if not process.is_alive():
                    raise EOFError("deferred worker exited")
        except Exception as exc:  # a dead or broken worker: start afresh next time
            self._stop_worker()
            self._apply(build, None, [internal_error(exc, WHOLE_SITE, KEPT)])

    def _post(self, message) -> None:
        """Send `message` to the worker from a thread (see ``_in_worker``), after the
        message before it."""
        conn, previous = self.conn, self.sender

        def send():
            if previous is not None:
                previous.join()
            _send(conn, message)
        self.sender = threading.Thread(target=send, daemon=True, name="handbook-deferred-send")
        self.sender.start()

    # ---- the worker process ------------------------------------------------------------
    def _ensure_worker(self) -> bool:
        if self.process is not None and self.process.is_alive():
            return True
        self._stop_worker()
        try:
            process, conn = self._start_process()
        except Exception:  # no worker processes here: build in this thread instead
            self.use_worker = False
            return False
        self.process, self.conn, self.sent = process, conn, {}  # the first request: everything
        return True

    def _start_process(self):
        """(process, connection) of a new worker running ``incremental.deferred_worker``.
        A forkserver child, not a fork of this large, multi-threaded process: a forked
        copy would turn every page the server touches into a copy-on-write fault while
        it lives. The fork server preloads the build modules (and not the main script,
        which need not be import-safe)."""
        import multiprocessing
        from handbook_gen.serve.live import deferred_worker
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["handbook_gen.serve.live"])
        ours, theirs = ctx.Pipe()
        process = ctx.Process(target=deferred_worker, name="handbook-deferred",
                              args=(theirs, self.dev.site.root, self.dev.site.options),
                              daemon=True)
        process.start()
        theirs.close()
        return process, ours

    def _stop_worker(self) -> None:
        process, conn, sender = self.process, self.conn, self.sender
        self.process = self.conn = self.sent = self.sender = None
        if conn is not None and not (sender is not None and sender.is_alive()):
            try:
                conn.send(None)
            except Exception:
                pass
        if process is not None:
            process.join(1)
            if process.is_alive():
                process.terminate()
                process.join(1)
        if conn is not None:
            conn.close()


def _release_memory() -> None:
    """Give the memory freed since the last time back to the system. The C allocator
    keeps freed heap memory for reuse, so the transient peaks of a storm of rebuilds
    (two sites at once, a large reply of the worker) would otherwise set the resident
    size for good. glibc only; elsewhere nothing to do."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _send(conn, message) -> None:
    try:
        conn.send(message)
    except (OSError, ValueError):  # the worker is gone (the reader notices) or stopped
        pass


def overlay_html(diagnostics, style: report.Style) -> str:
    items = "".join(report.format_html(d, style) for d in diagnostics)
    errors = sum(1 for d in diagnostics if d.severity == Severity.ERROR)
    head = report.say("build failed: {errors} errors, showing the last good build",
                      style.lang, errors=errors)
    return (f'<div id="handbook-overlay" role="alert"><h2>{html.escape(head)}</h2>'
            f"<ol>{items}</ol></div>")


def warnings_html(warnings, style: report.Style) -> str:
    """The warnings panel: a ``<details>`` whose summary is the corner badge, open until
    closed (PANEL_JS)."""
    items = [report.format_html(d, style) for d in warnings[:PANEL_MAX]]
    if len(warnings) > PANEL_MAX:
        more = report.say("… and {more} more (handbook check lists them all)", style.lang,
                          more=len(warnings) - PANEL_MAX)
        items.append(f'<li class="warning">{html.escape(more)}</li>')
    key = hashlib.sha1("\n".join(items).encode()).hexdigest()[:12]
    badge = html.escape(report.say("{n} warnings", style.lang, n=len(warnings)))
    close = html.escape(report.say("close", style.lang))
    return (f'<details id="handbook-warnings" open data-key="{key}"><summary>⚠ {badge}'
            f'</summary><div class="panel" role="status"><button type="button" class="close" '
            f'aria-label="{close}" title="{close}">×</button><ol>{"".join(items)}</ol></div>'
            "</details>")


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
    # headers and body go out as separate writes; with Nagle's algorithm the second waits
    # for the browser's delayed ACK (40 ms on Linux) on every long-poll answer and page
    disable_nagle_algorithm = True

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
        path, base = url.path, self.dev.site.base_path
        if base and base != "/" and path.startswith(base):
            path = path[len(base) - 1:]  # also under base_url's path, as the 404 page links
        rel = safe_site_path(path)
        version = self.dev.version  # before the files: a page is never older than that
        files = self.dev.site.files
        if rel is None or rel not in files:
            body = files.get("404.html", b"<!DOCTYPE html><title>404</title><h1>404</h1>")
            return self._send(404, self._inject(body, version), "text/html; charset=utf-8", head)
        body = files[rel]
        ctype = mimetypes.guess_type(rel)[0] or "application/octet-stream"
        if ctype == "text/html":
            body = self._inject(body, version,
                                swap=self.dev.swap and rel in self.dev.site.swap_paths)
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
        if name == "warnings.js":
            return self._send(200, PANEL_JS, "text/javascript; charset=utf-8", head)
        if name == "poll":
            query = parse_qs(url.query)
            try:
                seen = int(query.get("version", ["0"])[0])
            except ValueError:
                seen = -1
            page = query.get("page", [None])[0]
            page = safe_site_path(page) if page else None
            self.dev._viewing(page, +1)
            try:
                version = self.dev.wait_for_version(seen, POLL_SECONDS)
            finally:
                self.dev._viewing(page, -1)
            changed = version != seen and self.dev.page_changed(page, seen, version)
            return self._send(200, json.dumps({"version": version, "changed": changed}).encode(),
                              "application/json", head)
        self._send(404, b"not found\n", "text/plain", head)

    def _inject(self, body: bytes, version: int, swap: bool = False) -> bytes:
        """Add the reload script (and, after a failed build, the overlay) to a page.
        With `swap`, the script updates the page's <main> in place when nothing else
        changed."""
        head_extra = (f'<script src="{PREFIX}livereload.js" data-version="{version}"'
                      f'{" data-swap" if swap else ""} defer></script>')
        body_extra = ""
        overlay = self.dev.overlay()
        panel = self.dev.panel() if not overlay else ""
        if overlay or panel:
            head_extra += f'<link rel="stylesheet" href="{PREFIX}overlay.css">'
        if overlay:
            body_extra = overlay_html(overlay, self.dev.style)
        elif panel:
            head_extra += f'<script src="{PREFIX}warnings.js" defer></script>'
            body_extra = panel
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
            if head:
                self.end_headers()
            else:  # one write: headers and body in the same segment when they fit
                self._headers_buffer.append(b"\r\n")
                self._headers_buffer.append(body)
                self.flush_headers()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser navigated away (a reload ends every long poll this way)


def start(root: Path, host: str, port: int, options=None, poll: bool = False,
          debounce: float = 0.08, deferred_worker: bool = True,
          style: report.Style | None = None):
    """Build once, start watching and serving in background threads; return
    (server, collector, observer, note). The caller runs until interrupted."""
    from handbook_gen.serve.watch import ChangeCollector, start_observer
    site = LiveSite(root, options)
    server = DevServer(site, host, port, deferred_worker=deferred_worker)
    if style is not None:
        server.style = style
    server.rebuild(None)
    server.pause_gc()
    collector = ChangeCollector(root, site.templates, server.rebuild, debounce=debounce)
    server.watcher_quiet = collector.quiet
    observer, note = start_observer(collector, [site.root, site.templates], poll=poll)
    threading.Thread(target=collector.run, daemon=True).start()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, collector, observer, note
