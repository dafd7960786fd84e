"""Incremental, in-memory builds for the dev server: change events in, a new site out.

A LiveSite keeps every source's bytes and parsed document, the last good site (path ->
bytes) and, per page, the dependency key it was rendered from. ``rebuild(changes)``
re-reads and re-parses only the changed sources, re-assembles and re-resolves the whole
handbook (global and cheap), and re-renders only the pages whose dependency key changed:
a renumbered article changes the link texts of every citing page, so exactly those
pages follow. A template or configuration change re-renders everything. A failed
rebuild keeps the last good site and records the diagnostics for the error overlay.

Changes are plain data, so tests feed them directly and assert on the counters.

Imports: pipeline and the phase modules it uses.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from handbook_gen import builtin_theme_dir, governance
from handbook_gen.assemble import assemble
from handbook_gen.checks import run_checks
from handbook_gen.config import parse_config
from handbook_gen.lifecycle import build_date
from handbook_gen.diagnostics import Diagnostic, Diagnostics
from handbook_gen.output import static_files
from handbook_gen.parse import Document
from handbook_gen.pipeline import BuildOptions, BuildResult, parse_all, read_sources
from handbook_gen.render import RenderOptions, SiteRenderer, make_environment
from handbook_gen.xref import resolve

SOURCE, CONFIG, THEME = "source", "config", "theme"
# pages that show every body: rendered after the editor's page when deferring
DEFERRED_KINDS = {"compiled"}


@dataclass(frozen=True)
class Change:
    """Something changed on disk: a source, the configuration or a theme file."""

    kind: str
    """``source`` | ``config`` | ``theme``."""
    path: str = ""
    """Absolute path, for the record; sources are re-read by comparing bytes."""


class LiveSite:
    def __init__(self, root: Path, options: BuildOptions | None = None):
        self.root = root.resolve()
        self.templates = self.root.parent / "templates"
        self.options = options or BuildOptions()
        self.sources: dict[str, bytes] = {}
        self.docs: dict[str, Document] = {}
        self.files: dict[str, bytes] = {}
        self.rendered: dict[tuple, tuple[str, int]] = {}
        """task -> (page path, dependency key) of each page in ``files``."""
        self.diagnostics: list[Diagnostic] = []
        self.ok = False
        self.env = None
        self.static: dict[str, bytes] = {}
        self.pending: tuple[list[tuple], bool] | None = None
        """What rebuild(defer=True) left to do: (whole-site tasks, search index stale?)."""
        self._renderer: SiteRenderer | None = None

    # ---- building --------------------------------------------------------------------
    def rebuild(self, changes: list[Change] | None = None, defer: bool = False) -> BuildResult:
        """Apply `changes` (None: build from scratch) and return the result; on success
        ``self.files`` is the new site (a new dict, so readers never see a half state).
        With `defer`, the whole-site outputs (search index, compiled edition) are left for
        ``deferred_outputs()`` so that the pages an editor looks at come first."""
        started = time.perf_counter()
        result = BuildResult(Diagnostics(strict=self.options.strict))
        diags = result.diagnostics
        kinds = {c.kind for c in changes} if changes is not None else {SOURCE, CONFIG, THEME}
        sources = read_sources(self.root, diags)
        changed = self._update_sources(sources.items)
        result.counters["sources_parsed"] = len(changed)
        config = parse_config(sources.config, diags)
        diags.overrides.update(config.overrides)
        for doc in self.docs.values():
            diags.extend(list(doc.diagnostics))
        hb = assemble(list(self.docs.values()), config, sources.config_rel, self.root.name, diags)
        table = resolve(hb, diags, self.options.include_drafts)
        run_checks(hb, diags)
        governance.check(hb, build_date(self.options.today), diags)
        result.handbook, result.links = hb, table
        if THEME in kinds or CONFIG in kinds or self.env is None:
            self.env = make_environment(self.templates)
            self.static = static_files(builtin_theme_dir(), self.templates)
            self.rendered = {}  # every page depends on the theme and the configuration
        if diags.has_errors:
            return self._failed(result, started)
        has_search = "static/search.js" in self.static
        renderer = SiteRenderer(hb, table, self.env, RenderOptions(
            self.options.include_drafts, has_search, self.options.today), diags)
        files = dict(self.static)
        rendered: dict[tuple, tuple[str, int]] = {}
        stale: list[tuple] = []
        for task in renderer.tasks():
            key = renderer.dependency_key(task)
            previous = self.rendered.get(task)
            if previous and previous[1] == key and previous[0] in self.files:
                files[previous[0]] = self.files[previous[0]]
                rendered[task] = previous
                continue
            if defer and task[0] in DEFERRED_KINDS:
                stale.append(task)
                if previous and previous[0] in self.files:  # keep serving the old one meanwhile
                    files[previous[0]] = self.files[previous[0]]
                    rendered[task] = previous
                continue
            path, data = renderer.render_task(task)
            if data is not None:
                files[path] = data
                rendered[task] = (path, key)
                result.counters["pages_rendered"] = result.counters.get("pages_rendered", 0) + 1
        if diags.has_errors:  # a template error
            return self._failed(result, started)
        search_stale = has_search and (self.pending is not None and self.pending[1] or
                                       bool(changed) or changes is None)
        for path, data in self.files.items():  # keep the current search index until refreshed
            if path.startswith("search/"):
                files[path] = data
        self._renderer = renderer
        self.rendered, self.files, self.ok = rendered, files, True
        self.pending = (stale, search_stale) if stale or search_stale else None
        self.diagnostics = diags.sorted()
        if not defer:
            self.apply_deferred(self.deferred_outputs())
        result.files = self.files
        result.counters.setdefault("pages_rendered", 0)
        result.timings["rebuild"] = time.perf_counter() - started
        return result

    def deferred_outputs(self, index_builder=None) -> tuple[dict[str, bytes], dict]:
        """Render what ``rebuild(defer=True)`` left: the search index and whole-site pages.
        Pure with respect to self. `index_builder(records)` builds the search index (the
        dev server passes one that runs in a separate process)."""
        files: dict[str, bytes] = {}
        rendered: dict[tuple, tuple[str, int]] = {}
        if self.pending is None or self._renderer is None:
            return files, rendered
        stale, search_stale = self.pending
        for task in stale:
            path, data = self._renderer.render_task(task)
            if data is not None:
                files[path] = data
                rendered[task] = (path, self._renderer.dependency_key(task))
        if search_stale:
            from handbook_gen.search import build_search_index
            from handbook_gen.searchfeed import search_records
            records = search_records(self._renderer.hb, self._renderer.table)
            files.update((index_builder or build_search_index)(records))
        return files, rendered

    def apply_deferred(self, outputs) -> None:
        files, rendered = outputs
        if self.pending and self.pending[1]:
            merged = {p: d for p, d in self.files.items() if not p.startswith("search/")}
        else:
            merged = dict(self.files)
        merged.update(files)
        self.files = merged
        self.rendered = {**self.rendered, **rendered}
        self.pending = None

    # ---- helpers ---------------------------------------------------------------------
    def _update_sources(self, items: list[tuple[str, bytes]]) -> list[str]:
        """Take the new bytes of every source; parse the ones that changed."""
        current = dict(items)
        for rel in list(self.sources):
            if rel not in current:
                del self.sources[rel]
                self.docs.pop(rel, None)
        changed = [rel for rel, data in items if self.sources.get(rel) != data]
        parsed = parse_all([(rel, current[rel]) for rel in changed], self.options.jobs)
        for rel, doc in zip(changed, parsed):  # in worker processes when there are many
            self.sources[rel] = current[rel]
            self.docs[rel] = doc
        self.docs = {rel: self.docs[rel] for rel in sorted(self.docs)}
        return changed

    def _failed(self, result: BuildResult, started: float) -> BuildResult:
        self.ok = False
        self.diagnostics = result.diagnostics.sorted()
        result.counters["pages_rendered"] = 0
        result.timings["rebuild"] = time.perf_counter() - started
        return result
