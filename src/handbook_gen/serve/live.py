"""Incremental, in-memory builds for the dev server: change events in, a new site out.

A LiveSite runs the stages of the build pipeline (build.pipeline) on a change set. It
keeps every source's bytes and parsed document, the last good site (path -> bytes) and,
per page, the template context it was rendered from. ``rebuild(changes)`` re-reads and
re-parses only the changed sources, re-assembles, re-resolves and re-checks the whole
handbook (global and cheap), builds every page's context and re-renders only the pages
whose context changed: a renumbered article changes the link texts of every citing
page, so exactly those pages follow. Nothing decides by hand what a page depends on:
its context is everything its template is given. A template or configuration change
re-renders everything. A failed rebuild keeps the last good site and records the
diagnostics for the error overlay.

Reading: when every change names a known source, only those files are read (the
watcher saw them change). Otherwise — a new, deleted or renamed file, a change without
a path, the configuration — the tree is scanned and a file is re-read only when its
stat signature (size, mtime, ctime, inode) differs from when it was read, or when it was
modified so shortly before that read that a later same-size write could share its
timestamp ("racily clean", as git calls it). ``audit()`` compares signatures without
reading, to catch events a watcher lost.

Whole-site outputs (the deferred page kinds: the compiled edition, the catalogue; the
search index) are built again after any change to the input, and can be deferred: the
dev server has them built by a ``DeferredBuilder`` in a low-priority worker process,
fed with the very source bytes the server built from (``deferred_request``), so they
never compete with the rebuild an editor waits for.

Errors that are not in the input (an exception: a bug, or the disk changing under the
read) leave the last good site as it was; the work of the failed rebuild is owed to the
next one, which re-reads every source and reloads what the failed one was told had
changed. ``internal_error`` is how the dev server reports them (HB900).

Changes are plain data, so tests feed them directly and assert on the counters.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from handbook_gen import builtin_theme_dir
from handbook_gen.build.output import static_files
from handbook_gen.build.pipeline import (REGISTRY, BuildOptions, BuildResult, Sources,
                                         StageTimer, assemble_and_check, check_policy_pages,
                                         history_stage, page_renderer, parse)
from handbook_gen.core.diagnostics import Diagnostic, Diagnostics, diagnostic
from handbook_gen.core.urls import base_path
from handbook_gen.governance.history import blob_id, collect, git_dir, head_commit, head_stamp
from handbook_gen.markdown.document import Document
from handbook_gen.render.env import make_environment
from handbook_gen.render.memo import Memo
from handbook_gen.render.site import PageRenderer
from handbook_gen.source.config import CONFIG_NAME
from handbook_gen.source.reader import SourceFile, discover, find_sources, read_file, read_source

SOURCE, CONFIG, THEME = "source", "config", "theme"
WHOLE_SITE = "building the search index and the compiled edition"
KEPT = "their previous versions are still served"
RACY_NS = 2_000_000_000
"""A file modified less than this before it was read may be rewritten with the same size
and timestamp (coarse or 1-second file system clocks): its next scan reads it again."""


def internal_error(exc: BaseException, doing: str = "rebuilding",
                   kept: str = "the last good site is still served") -> Diagnostic:
    """HB900: an exception in the live preview, which is no problem of the input."""
    message = " ".join(str(exc).split())[:300]
    return diagnostic("HB900", "internal error while {doing!t}: {kind}: {text}; {kept!t}",
                      hint="the next save rebuilds; if this stays, run `handbook build` "
                           "and report the problem",
                      doing=doing, kind=type(exc).__name__, text=message, kept=kept)


@dataclass(frozen=True)
class Change:
    """Something changed on disk: a source, the configuration or a theme file."""

    kind: str
    """``source`` | ``config`` | ``theme``."""
    path: str = ""
    """Absolute path of the file; '' when unknown (the tree is scanned)."""


@dataclass
class DeferredRequest:
    """What a DeferredBuilder needs to build the whole-site outputs of one rebuild:
    the sources that differ from the previous request (None: deleted), the configuration
    and the theme generation, and what to build."""

    sources: dict[str, bytes | None]
    config: SourceFile | None
    theme: int
    tasks: list[tuple]
    search: bool
    full: bool = False
    """`sources` is the whole set, not a difference."""


@dataclass
class _Signature:
    stat: tuple
    trusted: bool
    """False when the file was modified within RACY_NS of being read."""


@dataclass
class _ScanState:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Of the last full scan (discovery, the configuration, unreadable files); repeated
    by the reads that trust the watcher."""
    done: bool = False


def _signature(st: os.stat_result) -> tuple:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


class _Git(NamedTuple):
    """The history stage's result in serve: HEAD, the History, what collecting it
    reported, the git directory and the stamp of HEAD and its reflog (history.head_stamp)."""

    head: str
    history: object
    found: list[Diagnostic]
    where: Path | None
    stamp: tuple | None


@dataclass
class _Plan:
    """What a rebuild does with each task: its files start as the static files and the
    pages kept as they are; ``now`` and ``later`` are the (task, context) pairs to render
    (``later``: changed pages no browser has open, rendered by ``finish``); ``stale`` the
    deferred whole-site tasks to build again; ``unwritten`` the pages whose sidebar
    failed."""

    files: dict[str, bytes]
    rendered: dict[tuple, tuple[str, dict | None]] = field(default_factory=dict)
    now: list[tuple[tuple, dict]] = field(default_factory=list)
    later: list[tuple[tuple, dict]] = field(default_factory=list)
    stale: list[tuple] = field(default_factory=list)
    unwritten: set[str] = field(default_factory=set)


class LiveSite:
    def __init__(self, root: Path, options: BuildOptions | None = None):
        self.root = root.resolve()
        self.templates = self.root.parent / "templates"
        self.options = options or BuildOptions()
        self.config_rel = f"{self.root.name}/{CONFIG_NAME}"
        self.sources: dict[str, bytes] = {}
        self.config: SourceFile | None = None
        self.parsed: dict[str, tuple[bytes, Document]] = {}
        """rel -> (the bytes its document was parsed from, the document)."""
        self.files: dict[str, bytes] = {}
        self.rendered: dict[tuple, tuple[str, dict | None]] = {}
        """task -> (file path, the context it was rendered from) of each file in ``files``;
        None for the deferred kinds, whose context is not kept."""
        self.swap_paths: frozenset[str] = frozenset()
        """The pages whose kind may be replaced in place in a browser."""
        self.base_path: str | None = None
        """The path of ``base_url`` (core.urls.base_path): the server also answers under it."""
        self.diagnostics: list[Diagnostic] = []
        self.ok = False
        self.env = None
        self.theme_generation = 0
        """Bumped whenever the templates are loaded again."""
        self.static: dict[str, bytes] = {}
        self.pending: tuple[list[tuple], bool] | None = None
        """What rebuild(defer=True) left to do: (whole-site tasks, search index stale?)."""
        self._renderer: PageRenderer | None = None
        self._later: list[tuple[tuple, dict]] = []
        """Pages ``rebuild(first=...)`` left for ``finish()``: (task, context)."""
        self._last_good: tuple[dict, dict] | None = None
        """(files, rendered) before the last rebuild, until ``finish()``."""
        self._owed: set[str] = set()
        """The change kinds of rebuilds that raised: the next rebuild redoes them."""
        self._git: _Git | None = None
        """The history stage's last result, when history is on."""
        self._memo: Memo | None = None
        """The memoised context parts of the last rebuild (render.memo)."""
        self._today = None
        """The build date of the last rebuild."""
        self._signatures: dict[str, _Signature] = {}
        self._config_signature: tuple | None = None
        self._scan = _ScanState()

    # ---- building --------------------------------------------------------------------
    def rebuild(self, changes: list[Change] | None = None, defer: bool = False,
                first: set[str] | None = None) -> BuildResult:
        """Apply `changes` (None: build from scratch) and return the result; on success
        ``self.files`` is the new site (a new dict, so readers never see a half state).
        With `defer`, the whole-site outputs (search index, compiled edition) are left for
        ``deferred_outputs()`` so that the pages an editor looks at come first. With
        `first` (site paths: the pages open in a browser), only those of the pages to
        re-render are rendered; the others keep their previous version until
        ``finish()``, which the caller runs right after publishing this state.

        An exception leaves ``files`` as they were and makes the next rebuild re-read
        every source and redo this one's change kinds."""
        kinds = {c.kind for c in changes} if changes is not None else {SOURCE, CONFIG, THEME}
        owed, self._owed = self._owed, self._owed | kinds
        try:
            result = self._rebuild(changes, kinds | owed, bool(owed), defer, first)
        except Exception:
            self._signatures, self._scan = {}, _ScanState()
            raise
        self._owed = set()
        return result

    def _rebuild(self, changes: list[Change] | None, kinds: set[str], owed: bool,
                 defer: bool, first: set[str] | None) -> BuildResult:
        started = time.perf_counter()
        self._later = []
        result = BuildResult(Diagnostics(strict=self.options.strict))
        diags = result.diagnostics
        lap = StageTimer(result.timings).lap
        known = set(self.sources)
        changed = self._read(changes, diags)
        removed = bool(known - self.sources.keys())
        lap("read")
        hb, table = self._load(diags, lap, result.counters)
        result.handbook, result.links = hb, table
        if THEME in kinds or CONFIG in kinds or self.env is None:
            self._load_theme()
            self.rendered = {}  # every page depends on the theme and the configuration
        if diags.has_errors:
            return self._failed(result, started)
        renderer = self._renderer_for(hb, table, diags)
        has_search = renderer.state.options.has_search
        today = renderer.state.life.today
        # the whole-site outputs depend on everything: any change to the input
        whole_site = bool(changed) or removed or bool(kinds & {CONFIG, THEME}) or owed or \
            today != self._today
        plan = self._plan(renderer, whole_site, first)
        files, rendered, stale = plan.files, plan.rendered, plan.stale
        failed = _render_into(renderer, plan.now, files, rendered)
        unwritten = plan.unwritten | failed
        result.counters["pages_rendered"] = len(plan.now) - len(failed)
        check_policy_pages(renderer.state.shown, lambda path: path not in unwritten,
                           result.counters, diags)
        lap("render")
        self._memo = renderer.state.memo
        if diags.has_errors:  # a template error
            return self._failed(result, started)
        search_stale = has_search and (self.pending is not None and self.pending[1] or
                                       whole_site)
        if self.pending is not None:  # still owed from the rebuild before
            stale += [t for t in self.pending[0] if t not in stale and t in rendered]
        for path, data in self.files.items():  # keep the current search index until refreshed
            if path.startswith("search/"):
                files[path] = data
        self._renderer = renderer
        self._later = plan.later
        self._last_good = (self.files, self.rendered) if plan.later else None
        self.rendered, self.files, self.ok = rendered, files, True
        self.swap_paths = frozenset(path for task, (path, _) in rendered.items()
                                    if REGISTRY.of(task).swap)
        self.base_path = base_path(hb.site.base_url)
        self._today = today
        self.pending = (stale, search_stale) if stale or search_stale else None
        self.diagnostics = diags.sorted()
        if not defer:
            self.apply_deferred(self.deferred_outputs())
        result.timings["rebuild"] = time.perf_counter() - started
        return result

    def _plan(self, renderer, whole_site: bool, first: set[str] | None) -> _Plan:
        """Sort the site's tasks by what this rebuild does with them (see _Plan)."""
        plan = _Plan(dict(self.static))
        for task in renderer.tasks():
            previous = self.rendered.get(task)
            kept = previous is not None and previous[0] in self.files
            if kept:  # served until replaced
                plan.files[previous[0]] = self.files[previous[0]]
                plan.rendered[task] = previous
            if REGISTRY.of(task).deferred:
                if whole_site or not kept:
                    plan.stale.append(task)
                continue
            context = renderer.context(task)
            if context is None:  # the sidebar failed (reported)
                plan.unwritten.add(renderer.path(task))
            elif kept and previous[1] == context:
                plan.rendered[task] = (previous[0], context)  # (the old objects can go)
            elif kept and first is not None and previous[0] not in first:
                plan.later.append((task, context))
            else:
                plan.now.append((task, context))
        return plan

    def finish(self) -> int:
        """Render the pages ``rebuild(first=...)`` left for later; return how many. A
        template error among them makes the rebuild a failed one after all: the site
        goes back to the one before it."""
        later, self._later = self._later, []
        last_good, self._last_good = self._last_good, None  # (the old site can go now)
        if not later or not self.ok or self._renderer is None:
            return 0
        renderer = self._renderer
        files, rendered = dict(self.files), dict(self.rendered)
        unwritten = _render_into(renderer, later, files, rendered)
        check_policy_pages(renderer.state.shown, lambda path: path not in unwritten, {},
                           renderer.diags)
        if renderer.diags.has_errors:
            self.files, self.rendered = last_good
            self.ok = False
            self.diagnostics = renderer.diags.sorted()
        else:
            self.files, self.rendered = files, rendered
        return len(later)

    def deferred_outputs(self) -> tuple[dict[str, bytes], dict]:
        """Render what ``rebuild(defer=True)`` left: the search index and whole-site pages.
        Pure with respect to self."""
        if self.pending is None or self._renderer is None:
            return {}, {}
        stale, search_stale = self.pending
        files, pages = self._whole_site(self._renderer, stale, search_stale)
        return files, {task: (path, None) for task, path in pages}

    def apply_deferred(self, outputs) -> None:
        """Merge deferred outputs into the site. A file equal to the one served stays
        that very object: the copy goes at once and the page does not count as changed."""
        files, rendered = outputs
        if self.pending and self.pending[1]:
            merged = {p: d for p, d in self.files.items() if not p.startswith("search/")}
        else:
            merged = dict(self.files)
        for path, data in files.items():
            old = self.files.get(path)
            merged[path] = old if old == data else data
        self.files = merged
        self.rendered = {**self.rendered, **rendered}
        self.pending = None

    # ---- deferred work in another process ----------------------------------------------
    def deferred_request(self, sent: dict[str, bytes]) -> DeferredRequest | None:
        """The request for what ``pending`` lists, carrying the sources that differ from
        `sent` (what earlier requests carried; updated in place, empty for a new
        builder). None when nothing is pending."""
        if self.pending is None or not self.ok:
            return None
        full = not sent
        diff: dict[str, bytes | None] = {
            rel: data for rel, data in self.sources.items() if sent.get(rel) is not data}
        diff.update((rel, None) for rel in sent if rel not in self.sources)
        sent.clear()
        sent.update(self.sources)
        stale, search = self.pending
        return DeferredRequest(diff, self.config, self.theme_generation, list(stale), search,
                               full)

    def deferred_result(self, reply) -> tuple[dict[str, bytes], dict] | None:
        """Turn a DeferredBuilder's reply to ``deferred_request()`` into apply_deferred's
        argument (None for a failed build)."""
        if reply[0] != "ok":
            return None
        _, pages, search_files = reply
        files: dict[str, bytes] = dict(search_files or {})
        rendered = {}
        stale = self.pending[0] if self.pending else ()
        for task, path, data in pages:
            if data is not None:
                files[path] = data
                if task in stale:
                    rendered[task] = (path, None)
        return files, rendered

    # ---- reading -----------------------------------------------------------------------
    def _read(self, changes: list[Change] | None, diags: Diagnostics) -> list[str]:
        """Bring ``self.sources`` and ``self.config`` up to date; return the paths whose
        bytes changed (new or modified)."""
        changed = None
        if changes is not None and self._scan.done and all(c.kind == SOURCE for c in changes):
            changed = self._read_named(changes)
        if changed is None:
            force = {rel for c in changes or () if (rel := self._rel(c.path))}
            changed = self._full_scan(force)
        diags.extend(self._scan.diagnostics)
        return changed

    def _rel(self, path: str) -> str | None:
        if not path:
            return None
        p = Path(path)
        if not p.is_absolute() or not p.is_relative_to(self.root):
            return None
        return f"{self.root.name}/{p.relative_to(self.root).as_posix()}"

    def _read_named(self, changes: list[Change]) -> list[str] | None:
        """Read only the sources the changes name; None when that is not enough (a path
        that is unknown, gone or not a plain file): the caller scans the tree."""
        rels = []
        for c in changes:
            rel = self._rel(c.path)
            if rel is None or rel not in self.sources:
                return None
            rels.append(rel)
        updates = {}
        for rel in dict.fromkeys(rels):
            data = self._read_file(rel, None)
            if data is None:
                return None
            updates[rel] = data
        changed = [rel for rel, data in updates.items() if self.sources[rel] != data]
        self.sources.update(updates)
        return changed

    def _read_file(self, rel: str, diags: Diagnostics | None) -> bytes | None:
        """Read one source by the build's rules (sources.read_file, whose diagnostics go
        to `diags` when given) and record its signature; None when it cannot be read."""
        now = time.time_ns()
        got = read_file(self.root, rel, Diagnostics() if diags is None else diags)
        if got is None:
            return None
        self._signatures[rel] = _Signature(_signature(got.stat),
                                           now - got.stat.st_mtime_ns > RACY_NS)
        return got.data

    def _full_scan(self, force: set[str]) -> list[str]:
        """Discover every source (the same rules and diagnostics as read_sources) and
        re-read those whose signature changed, that are racily clean, or in `force`."""
        scan = Diagnostics(strict=self.options.strict)
        tree = find_sources(self.root, scan)
        self._config_signature = self._stat(self.config_rel)
        self.config = read_source(self.root, self.config_rel, scan) if tree.has_config else None
        base = str(self.root.parent) + os.sep
        items: dict[str, bytes] = {}
        changed: list[str] = []
        for rel in tree.markdown:
            old = self._signatures.get(rel)
            if old is not None and old.trusted and rel not in force and rel in self.sources:
                try:
                    same = _signature(os.stat(base + rel)) == old.stat
                except OSError:
                    same = False
                if same:
                    items[rel] = self.sources[rel]
                    continue
            data = self._read_file(rel, scan)
            if data is None:
                continue
            items[rel] = data
            if self.sources.get(rel) != data:
                changed.append(rel)
        for rel in list(self._signatures):
            if rel not in items:
                del self._signatures[rel]
        self.sources = items
        self._scan = _ScanState(list(scan.items), True)
        return changed

    def _stat(self, rel: str) -> tuple | None:
        try:
            return _signature(os.stat(self.root.parent / rel))
        except OSError:
            return None

    def audit(self) -> bool:
        """True when some source changed on disk since it was read (or appeared, or
        went), judged by stat signatures alone: for watchers that lost events."""
        if not self._scan.done:
            return False
        if self._stat(self.config_rel) != self._config_signature:
            return True
        try:
            paths = discover(self.root, Diagnostics())
        except OSError:
            return True
        base = str(self.root.parent) + os.sep
        seen = 0
        for rel in paths:
            if rel == self.config_rel or not rel.endswith(".md"):
                continue
            old = self._signatures.get(rel)
            if old is None or rel not in self.sources:
                if any(d.location and d.location.path == rel for d in self._scan.diagnostics):
                    continue  # known to be unreadable or too large
                return True
            try:
                if _signature(os.stat(base + rel)) != old.stat:
                    return True
            except OSError:
                return True
            seen += 1
        return seen != len(self.sources)

    # ---- stages (build.pipeline) -------------------------------------------------------
    def _load(self, diags: Diagnostics, lap=lambda name: None, counters=None):
        """Stages parse, assemble, resolve and check over ``self.sources``: only sources
        whose document was not parsed from their present bytes are parsed."""
        sources = Sources(self.root, self.config_rel, self.config, list(self.sources.items()))
        config, docs, parsed = parse(sources, self.options, diags, self.parsed)
        self.parsed = {rel: (data, doc) for (rel, data), doc in zip(sources.items, docs)}
        if counters is not None:
            counters["sources_parsed"] = len(parsed)
        lap("parse")
        return assemble_and_check(sources, config, docs, self.options, diags, lap)

    def _load_theme(self) -> None:
        self.env = make_environment(self.templates)
        self.static = static_files(builtin_theme_dir(), self.templates)
        self.theme_generation += 1

    def _renderer_for(self, hb, table, diags: Diagnostics) -> PageRenderer:
        has_search = self.options.search and "static/search.js" in self.static
        return page_renderer(hb, table, self.env, self.options, has_search, diags,
                             self._history(hb, diags), memo=Memo(self._memo))

    def _history(self, hb, diags: Diagnostics):
        """The build's history stage (git revisions, versions and the citation drift
        check: pipeline.history_stage) when history is on. The git part is
        collected again only when HEAD moved: a changed stamp of HEAD and its reflog
        (a few stat calls) makes it ask git for HEAD; outside a repository nothing moves
        (a `git init` takes a restart). What collecting reported is reported by every
        rebuild, as every build does."""
        if not self.options.history:
            return None
        last = self._git
        if last is None or (last.where is not None and
                            (last.stamp is None or head_stamp(last.where) != last.stamp)):
            where = git_dir(self.root)
            head = head_commit(self.root)
            if last is None or last.head != head:
                found = Diagnostics()
                history = collect(self.root, [p.path for p in hb.policies.values()], found)
                last = _Git(head, history, found.items, where, None)
            self._git = last = last._replace(where=where,
                                             stamp=head_stamp(where) if where else None)
        diags.extend(last.found)
        working = {rel: (blob_id(data), doc) for rel, (data, doc) in self.parsed.items()}
        return history_stage(self.root, hb, self.options, diags, working, last.history)

    @staticmethod
    def _whole_site(renderer: PageRenderer, tasks: list[tuple], search: bool,
                    cancelled=lambda: False):
        """(files, [(task, path) of each page rendered]), or None when cancelled."""
        files: dict[str, bytes] = {}
        pages: list[tuple[tuple, str]] = []
        for task in tasks:
            if cancelled():
                return None
            path, data = renderer.render(task)
            if data is not None:
                files[path] = data
                pages.append((task, path))
        if search and not cancelled():
            from handbook_gen.search.feed import search_files
            files.update(search_files(renderer.state.hb, renderer.state.table, life=renderer.state.life))
        elif search:
            return None
        return files, pages

    def _failed(self, result: BuildResult, started: float) -> BuildResult:
        self.ok = False
        self.diagnostics = result.diagnostics.sorted()
        result.counters["pages_rendered"] = 0
        result.timings["rebuild"] = time.perf_counter() - started
        return result


def _render_into(renderer, work: list[tuple[tuple, dict]], files: dict, rendered: dict) -> set[str]:
    """Render each (task, context) of `work` into `files` and `rendered`; return the site
    paths whose template failed (reported)."""
    failed = set()
    for task, context in work:
        path, data = renderer.render(task, context)
        if data is None:
            failed.add(path)
        else:
            files[path] = data
            rendered[task] = (path, context)
    return failed


class DeferredBuilder:
    """The other end of ``LiveSite.deferred_request``: keeps its own parsed copy of the
    sources it is sent and builds the whole-site outputs from them. Runs in a worker
    process, so none of this holds the server's interpreter lock."""

    def __init__(self, root: Path, options: BuildOptions):
        self.site = LiveSite(root, options)

    def take(self, request: DeferredRequest) -> None:
        """Apply a request's sources (several can be taken before one build)."""
        site = self.site
        if request.full:
            site.sources = {}
        for rel, data in request.sources.items():
            if data is None:
                site.sources.pop(rel, None)
            else:
                site.sources[rel] = data
        site.sources = {rel: site.sources[rel] for rel in sorted(site.sources)}
        site.config = request.config
        if site.theme_generation != request.theme or site.env is None:
            site._load_theme()
            site.theme_generation = request.theme

    def build(self, request: DeferredRequest, cancelled=lambda: False):
        """("ok", pages, search files) for the last request taken, pages being a list of
        (task, path, bytes); ("failed", diagnostics); None when cancelled."""
        site = self.site
        diags = Diagnostics(strict=site.options.strict)
        hb, table = site._load(diags)
        if diags.has_errors:
            return "failed", diags.sorted()
        renderer = site._renderer_for(hb, table, diags)
        out = site._whole_site(renderer, request.tasks, request.search, cancelled)
        if out is None:
            return None
        if diags.has_errors:
            return "failed", diags.sorted()
        files, pages = out
        return "ok", [(task, path, files.pop(path)) for task, path in pages], files


def deferred_worker(conn, root: Path, options: BuildOptions, niceness: int = 19) -> None:
    """Worker process main: take requests from `conn`, build, send (seq, reply) back.
    Requests queued behind one are taken together and only the newest is built; a build
    is abandoned between phases when a newer message arrives: a request, or (seq, None),
    the server cancelling request seq (a rebuild made it stale). A reply overtaken by a
    message is not sent: the server would only drop it."""
    try:
        os.nice(niceness)
        # Linux: run only when a CPU would otherwise be idle, preempted at once
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (OSError, AttributeError):
        pass
    import dataclasses
    import gc
    gc.disable()  # like a build: many objects, few cycles; collected after each round
    # parse in this process: a daemonic worker may not start a pool, and a background
    # job has no use for more than one core anyway
    builder = DeferredBuilder(root, dataclasses.replace(options, jobs=1, cache_dir=None))
    while True:
        try:
            msg = conn.recv()
        except EOFError:
            return
        while True:
            if msg is None:
                return
            seq, request = msg
            if request is not None:
                builder.take(request)
            if not conn.poll():
                break
            msg = conn.recv()
        if request is None:
            continue
        try:
            reply = builder.build(request, conn.poll)
        except Exception as exc:  # reported; the server keeps its previous outputs
            reply = ("failed", [internal_error(exc, WHOLE_SITE, KEPT)])
        if reply is not None and not conn.poll():
            conn.send((seq, reply))
        del reply
        gc.collect()
