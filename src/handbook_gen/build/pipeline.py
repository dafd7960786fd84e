"""The build pipeline: its stages, defined once and run by ``build``, ``check`` and the
live site of ``serve`` (serve.live), and the one registry of page kinds.

    read      discover and read every source (source.reader)
    parse     the configuration, and each document (cached by content hash, parallel)
    assemble  the handbook model
    resolve   references
    check     handbook checks, then lifecycle and flow checks against the build date
    history   git history, each policy's versions, citation drift (when history is on)
              [``check`` stops here]
    render    every page kind's pages
    index     the search index

Parsing is the only expensive stage and depends on one file alone, so it runs in worker
processes and its result is cached; everything after it needs the whole handbook and is
cheap. No stage prints; the CLI reports the BuildResult.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import gc
import hashlib
import json
import multiprocessing
import os
import pickle
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from handbook_gen import builtin_theme_dir

from handbook_gen.assemble.checks import run_checks
from handbook_gen.assemble.handbook import assemble
from handbook_gen.assemble.lifecycle import build_date
from handbook_gen.assemble.resolve import LinkTable, resolve
from handbook_gen.build.cache import ParseCache
from handbook_gen.build.pagecache import Entry, PageCache
from handbook_gen.build.output import (SiteWriter, check_out_dir, read_digest, recover,
                                       static_files)
from handbook_gen.core import report
from handbook_gen.core.diagnostics import CODES, Diagnostic, Diagnostics, Location
from handbook_gen.core.model import Handbook, Policy
from handbook_gen.core.urls import policy_url
from handbook_gen.governance import pages as governance
from handbook_gen.governance.history import blob_id
from handbook_gen.markdown.document import Document, parse_document
from handbook_gen.render import pages as core
from handbook_gen.render.env import make_environment
from handbook_gen.render.kinds import Registry
from handbook_gen.render.memo import Memo
from handbook_gen.render.site import PageRenderer
from handbook_gen.render.state import RenderOptions, RenderState
from handbook_gen.source.config import parse_config
from handbook_gen.source.reader import SourceFile, find_sources, read_file, read_source

PARALLEL_THRESHOLD = 48
REGISTRY = Registry(core.KINDS + governance.KINDS, governance.EXTENSIONS)
"""Every page kind of a site: a new kind is one entry in its feature's KINDS."""


@dataclass
class BuildOptions:
    strict: bool = False
    include_drafts: bool = False
    cache_dir: Path | None = None
    """Where parsed documents are cached; None disables the cache."""
    jobs: int = 0
    """Worker processes for parsing; 0 = one per CPU."""
    save_cache: bool = True
    """``check`` reads the cache but writes nothing."""
    today: _dt.date | None = None
    """Build date for policy states (``--today``); None: SOURCE_DATE_EPOCH, else today."""
    history: bool = False
    """Show each policy's git revisions (the CLI turns this on; off keeps test output
    independent of the repository's commits)."""
    search: bool = True
    """Build the search index (and show the search box) when the theme has search."""


@dataclass
class BuildResult:
    diagnostics: Diagnostics
    handbook: Handbook | None = None
    links: LinkTable | None = None
    counters: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    history: object = None
    """governance.history.History with versions, when history is on."""

    @property
    def ok(self) -> bool:
        return not self.diagnostics.has_errors


class StageTimer:
    """Adds the seconds since the previous lap to a stage's entry in `timings`."""

    def __init__(self, timings: dict[str, float]):
        self.timings, self.last = timings, time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = self.timings.get(name, 0.0) + now - self.last
        self.last = now


@contextlib.contextmanager
def paused_gc():
    """A build allocates millions of objects that live until it ends (tokens, the model,
    pages) and makes almost no reference cycles. Python's cyclic collector would scan
    them again and again as they pile up, which cost a third of the parse time, so a
    build runs with it paused; worker processes inherit the pause."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parse_item(item: tuple[str, bytes]) -> Document:
    return parse_document(*item)


def _parse_pickled(item: tuple[str, bytes]) -> bytes:
    return pickle.dumps(parse_document(*item), protocol=pickle.HIGHEST_PROTOCOL)


def _workers(jobs: int, count: int) -> int:
    """How many processes `count` items are parsed in (1: this one)."""
    workers = jobs or os.cpu_count() or 1
    return 1 if workers <= 1 or count < PARALLEL_THRESHOLD else min(workers, count)


_SHARED: tuple | None = None  # a _map's items, chunk size and next chunk, for its workers


def _take(function) -> list[tuple[int, object]]:
    """(index, function(item)) for each item of the chunks this process takes, the next one
    at a time, until none is left."""
    items, size, next_chunk = _SHARED
    out = []
    while True:
        with next_chunk.get_lock():
            start = next_chunk.value
            next_chunk.value = start + size
        if start >= len(items):
            return out
        out += [(i, function(items[i])) for i in range(start, min(start + size, len(items)))]


def _map(function, items: list, jobs: int, here=None, back=None) -> list:
    """`function` over `items`, in forked worker processes when there are many. This
    process works too instead of waiting: it and the workers (one fewer than the
    processes `_workers` gives) each take the next chunk of items until none is left (so
    a slower one takes fewer), this one running `here` (default `function`), whose
    results never cross a pipe; a worker's results come back through `back` (default:
    as they are)."""
    global _SHARED
    workers = _workers(jobs, len(items))
    here = here or function
    if workers == 1:
        return [here(item) for item in items]
    context = multiprocessing.get_context("fork")
    _SHARED = (items, max(1, len(items) // (workers * 8)), context.Value("q", 0))
    try:
        with context.Pool(workers - 1) as pool:
            theirs = [pool.apply_async(_take, (function,)) for _ in range(workers - 1)]
            out: list = [None] * len(items)
            for i, value in _take(here):
                out[i] = value
            for result in theirs:
                for i, value in result.get():
                    out[i] = back(value) if back else value
            return out
    finally:
        _SHARED = None


def parse_all(items: list[tuple[str, bytes]], jobs: int) -> list[Document]:
    return _map(_parse_item, items, jobs)


def _parsed_and_pickled(item: tuple[str, bytes]) -> tuple[Document, bytes]:
    doc = parse_document(*item)
    return doc, pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL)


def parse_all_pickled(items: list[tuple[str, bytes]],
                      jobs: int) -> list[tuple[Document, bytes]]:
    """Each item's Document and its pickle: the form both the parse cache and the pipes
    from the workers need, so that no document is pickled twice (nor, when parsed in this
    process, unpickled)."""
    return _map(_parse_pickled, items, jobs, here=_parsed_and_pickled,
                back=lambda blob: (pickle.loads(blob), blob))


@dataclass
class Sources:
    """Every source file's bytes, read once; the input of a build."""

    root: Path
    config_rel: str
    config: SourceFile | None
    items: list[tuple[str, bytes]]
    problems: tuple[Diagnostic, ...] = ()
    """What discovery and reading reported (a file or folder not read, …): part of the
    input, so that a build is never "up to date" with a site built without them."""


def read_sources(root: Path, diags: Diagnostics) -> Sources:
    """Stage read: every source of `root` (serve.live reads only what changed, by the same
    rules: source.reader)."""
    root = root.resolve()
    start = len(diags.items)
    tree = find_sources(root, diags)
    config = read_source(root, tree.config, diags) if tree.has_config else None
    items = [(rel, got.data) for rel in tree.markdown if (got := read_file(root, rel, diags))]
    return Sources(root, tree.config, config, items, tuple(diags.items[start:]))


def parse(sources: Sources, options: BuildOptions, diags: Diagnostics,
          known: dict[str, tuple[bytes, Document]] | None = None):
    """Stage parse: (the configuration, each source's Document in order, the paths parsed).
    A document is taken from `known` (rel -> (bytes, document) of an earlier parse) when
    its bytes are the same, else from the parse cache, else parsed (in worker processes
    when there are many). The cache is used when nothing is known (a first build)."""
    config = parse_config(sources.config, diags)
    diags.overrides.update(config.overrides)
    items = sources.items
    docs: list[Document | None] = []
    for rel, data in items:
        old = (known or {}).get(rel)
        docs.append(old[1] if old is not None and (old[0] is data or old[0] == data) else None)
    missing = [i for i, d in enumerate(docs) if d is None]
    cache = ParseCache(None if known else options.cache_dir, diags, options.save_cache)
    if cache.file:
        keys = [cache.key(rel, data) for rel, data in items]
        for i in missing:
            docs[i] = cache.get(keys[i])
        todo = [i for i in missing if docs[i] is None]
        for i, (doc, blob) in zip(todo, parse_all_pickled([items[i] for i in todo],
                                                          options.jobs)):
            docs[i] = doc
            cache.entries[keys[i]] = blob
            cache.dirty = True
        if options.save_cache:
            cache.save(set(keys))
    else:
        todo = missing
        for i, doc in zip(todo, parse_all([items[i] for i in todo], options.jobs)):
            docs[i] = doc
    return config, docs, [items[i][0] for i in todo]


def assemble_and_check(sources: Sources, config, docs: list[Document], options: BuildOptions,
                       diags: Diagnostics, lap=lambda name: None) -> tuple[Handbook, LinkTable]:
    """Stages assemble, resolve and check: the model and its resolved references."""
    for doc in docs:
        diags.extend(list(doc.diagnostics))
    hb = assemble(docs, config, sources.config_rel, sources.root.name, diags)
    lap("assemble")
    table = resolve(hb, diags, options.include_drafts)
    lap("resolve")
    run_checks(hb, diags)
    governance.check(hb, build_date(options.today), diags)
    lap("check")
    return hb, table


def page_renderer(hb: Handbook, table: LinkTable, env, options: BuildOptions,
                  has_search: bool, diags: Diagnostics, history=None,
                  memo: Memo | None = None) -> PageRenderer:
    """Stage render's renderer: every kind of REGISTRY over the render state of `hb`."""
    state = RenderState(hb, table, RenderOptions(options.include_drafts, has_search,
                                                 options.today), history, memo)
    return PageRenderer(REGISTRY, state, env, diags)


def load(root: Path, options: BuildOptions, result: BuildResult,
         sources: Sources | None = None) -> None:
    """Run the stages up to and including check; fills result.handbook and .links."""
    timer = StageTimer(result.timings)
    diags = result.diagnostics
    if sources is None:
        sources = read_sources(root, diags)
    timer.lap("read")
    config, docs, parsed = parse(sources, options, diags)
    result.counters["sources"] = len(sources.items)
    result.counters["sources_parsed"] = len(parsed)
    timer.lap("parse")
    result.handbook, result.links = assemble_and_check(sources, config, docs, options, diags,
                                                       timer.lap)
    if options.history:
        working = {rel: (blob_id(data), doc) for (rel, data), doc in zip(sources.items, docs)}
        result.history = history_stage(sources.root, result.handbook, options, diags, working)
        timer.lap("history")


def history_stage(root: Path, hb: Handbook, options: BuildOptions, diags: Diagnostics,
                  working: dict[str, tuple[str, Document]], history=None):
    """Stage history: the git history of every policy (``history``, when serve already
    has it for this HEAD), its versions, and the citation drift check (HB207). Old texts
    are parsed in the worker pool through their own parse cache (``versions.cache``,
    keyed by source path and git blob id, so a cached text is not even read from git),
    which also keeps each revision's version-telling front matter keys; `working`
    (source path -> (git blob id, Document) of the text now) spares parsing what the
    working tree has."""
    from handbook_gen.governance import drift, versions
    from handbook_gen.governance.history import collect
    if history is None:
        history = collect(root, [p.path for p in hb.policies.values()], diags)
    if not history.available:
        return history
    caches: list[ParseCache] = []  # opened on first use: serve rarely needs old texts
    live: set[bytes] = set()

    def cache() -> ParseCache:
        if not caches:
            caches.append(ParseCache(options.cache_dir, diags, options.save_cache,
                                     name="versions.cache"))
        return caches[0]

    def parse_old(items: list[tuple[str, str]]) -> list[Document | None]:
        c = cache()
        if not c.file:
            return versions.from_git(history, lambda texts: parse_all(texts, options.jobs))(items)
        keys = [c.key(rel, blob.encode()) for rel, blob in items]
        live.update(keys)
        docs = [c.get(k) for k in keys]
        todo = [i for i, d in enumerate(docs) if d is None]
        made = versions.from_git(history, lambda texts: parse_all_pickled(texts, options.jobs))(
            [items[i] for i in todo])
        for i, pair in zip(todo, made):
            if pair is not None:
                docs[i], c.entries[keys[i]] = pair
                c.dirty = True
        return docs

    fronts_key = hashlib.sha1(b"front keys\0" + Path(versions.__file__).read_bytes()).digest()
    cached_fronts = None
    if not history.fronts and cache().file:
        cached_fronts = cache().get(fronts_key)
        if isinstance(cached_fronts, dict):
            history.fronts.update(cached_fronts)
    versions.read_versions(history, hb.policies.values(), parse_old,
                           {blob: doc for blob, doc in working.values()})
    history.drifts = drift.find_drift(hb, history, parse_old,
                                      {rel: blob for rel, (blob, _) in working.items()})
    drift.report(history.drifts, hb, diags)
    if caches and caches[0].file and options.save_cache:
        seen = {r.blob for revs in history.revisions.values() for r in revs} | {
            r.blob for r in history.base.values()}
        fronts = {b: f for b, f in history.fronts.items() if b in seen}
        if fronts != cached_fronts:
            caches[0].entries[fronts_key] = pickle.dumps(fronts, pickle.HIGHEST_PROTOCOL)
            caches[0].dirty = True
        caches[0].save(live | {fronts_key})
    return history


def check(root: Path, options: BuildOptions) -> BuildResult:
    result = BuildResult(Diagnostics(strict=options.strict))
    with paused_gc():
        load(root, options, result)
    return result


def render(root: Path, options: BuildOptions, result: BuildResult, site: SiteWriter,
           cache: PageCache | None = None) -> list[Entry]:
    """Render every page (and the search index) straight into `site`'s staging
    directory, the pages of cached kinds from `cache` when they are there; counts pages
    and bytes in result.counters. Returns the cache entries of this site's pages."""
    timer = StageTimer(result.timings)
    project_templates = root.parent / "templates"
    static = static_files(builtin_theme_dir(), project_templates)
    has_search = options.search and "static/search.js" in static
    env = make_environment(project_templates)
    renderer = page_renderer(result.handbook, result.links, env, options, has_search,
                             result.diagnostics, result.history)
    written = site.write_all(static, replaceable=True)  # first: a page of the same path replaces it
    pages: set[str] = set()
    rendered, index = _render_all(renderer, site, options.jobs, has_search, cache)
    entries = []
    for path, size, diagnostics, entry in rendered:
        result.diagnostics.extend(diagnostics)
        if size is not None:
            written += size
            pages.add(path)
        if entry is not None:
            entries.append(entry)
    result.counters["pages_rendered"] = len(pages)
    result.counters["pages_from_cache"] = sum(1 for r in rendered if r[3] and r[3][2])
    check_policy_pages(renderer.state.shown, pages.__contains__, result.counters,
                       result.diagnostics)
    timer.lap("render+search+write" if index is not None else "render+write")
    if index is not None:
        size, seconds = index
        written += size
        result.timings["(search)"] = seconds  # its share of the stage, in parallel
    result.counters["bytes_written"] = written
    return [e[:2] for e in entries]


_RENDERER: PageRenderer | None = None  # handed to forked render workers
_SITE: SiteWriter | None = None
_PAGES: PageCache | None = None


def check_policy_pages(shown: list[Policy], written, counters: dict,
                       diags: Diagnostics) -> None:
    """The summary's policies in and policy pages out; every published policy whose page
    `written(path)` denies is an error (HB402), so the site never loses one. Run by the
    build and by serve's rebuilds alike."""
    missing = [p for p in shown if not written(policy_url(p.id))]
    counters["policies"] = len(shown)
    counters["policy_pages"] = len(shown) - len(missing)
    for p in missing:
        diags.add("HB402", "the page of policy {id} ({url}) was not written",
                  Location(p.path), id=p.id, url=policy_url(p.id),
                  hint="the build stops so that the published site keeps every "
                  "policy; an error above may say why")


def _render_one(task: tuple, key: str | None = None, looked_up: bool = False
                ) -> tuple[str, int | None, list, tuple | None]:
    """Render and write one page, or write it from the page cache: (its site path, its
    size or None when it failed, diagnostics, its cache entry and whether it came from
    the cache, or None). `looked_up`: the caller found no entry for the page's `key`."""
    renderer, cache = _RENDERER, _PAGES
    renderer.diags = Diagnostics()
    if cache is None or not renderer.registry.of(task).cached:
        path, data = renderer.render(task)
        return path, (None if data is None else _SITE.write(path, data)), \
            renderer.diags.items, None
    context, path = renderer.context(task), renderer.path(task)
    if context is None:  # the sidebar failed (reported)
        return path, None, renderer.diags.items, None
    if not looked_up:
        key = cache.key(path, context)
        found = _linked(path, key)
        if found is not None:
            return found
    path, data = renderer.render(task, context)  # (also when the entry went meanwhile)
    if data is None:
        return path, None, renderer.diags.items, None
    size = _SITE.write(path, data)
    entry = cache.put(key, _SITE.staging / path, data, renderer.diags.items) if key else None
    return path, size, renderer.diags.items, None if entry is None else (*entry, False)


def _linked(path: str, key: str | None) -> tuple | None:
    """The page `path` linked from the page cache entry of `key` (_render_one's result),
    None when there is none or it went meanwhile."""
    hit = _PAGES.get(key) if key else None
    if hit is None:
        return None
    source, diagnostics, entry = hit
    size = _SITE.link(path, source, entry[1][0])
    return None if size is None else (path, size, diagnostics, (*entry, True))


def _look_up(task: tuple) -> tuple[tuple | None, str | None]:
    """A page of a cached kind linked from the page cache: (_render_one's result, its
    key), or (None, its key) when it must be rendered."""
    renderer = _RENDERER
    renderer.diags = Diagnostics()
    context, path = renderer.context(task), renderer.path(task)
    if context is None:  # the sidebar failed (reported)
        return (path, None, renderer.diags.items, None), None
    key = _PAGES.key(path, context)
    return _linked(path, key), key


def _render_given(item: tuple) -> tuple[str, int | None, list, tuple | None]:
    return _render_one(*item)


def _search_index() -> tuple[int, float]:
    """Build the search index of the site being rendered and write its files where it is
    built (a worker's files never cross a pipe): (their bytes, the seconds the index
    took to build)."""
    from handbook_gen.search.feed import search_files
    started = time.perf_counter()
    files = search_files(_RENDERER.state.hb, _RENDERER.state.table, life=_RENDERER.state.life)
    seconds = time.perf_counter() - started
    return _SITE.write_all(files), seconds


def _pool_order(task: tuple) -> tuple[bool, str]:
    """Where a task goes in the workers' queue: whole-site pages (deferred) first; the
    pages of one policy in the page cache (its page, its versions', its revisions')
    together, so that one worker computes the parts they share (resolved references,
    revision rows) once."""
    kind = REGISTRY.of(task)
    return not kind.deferred, task[1] if kind.cached else ""


def _render_all(renderer: PageRenderer, site: SiteWriter, jobs: int, search: bool,
                cache: PageCache | None = None):
    """Render and write every page and, with `search`, the search index: in forked
    workers (which inherit the model and write their own files) when there are many
    pages. The index is one long job, so it starts first, beside the pages rather than
    after them, and its worker writes its files (26 MB in 5,380 files on the real corpus
    would otherwise be pickled to this process and again to the writers); the whole-site
    pages (the deferred kinds) are the next longest and go next. Returns the pages'
    results in task order and the index's (bytes, seconds), or None."""
    global _RENDERER, _SITE, _PAGES
    tasks = renderer.tasks()
    workers = jobs or os.cpu_count() or 1
    _RENDERER, _SITE, _PAGES = renderer, site, cache if cache and cache.enabled else None
    try:
        if workers <= 1 or len(tasks) < PARALLEL_THRESHOLD * 4:
            pages = [_render_one(t) for t in tasks]
            if not search:
                return pages, None
            return pages, _search_index()
        pages: list = [None] * len(tasks)
        # the first page of each kind of many is rendered here, before forking, so that
        # the workers inherit its compiled templates instead of each compiling them again
        many = {kind for kind, n in Counter(t[0] for t in tasks).items() if n > 1}
        for i, t in enumerate(tasks):
            if t[0] in many:
                many.discard(t[0])
                pages[i] = _render_one(t)
        order = sorted((i for i in range(len(tasks)) if pages[i] is None),
                       key=lambda i: _pool_order(tasks[i]))
        look_up = _PAGES is not None and bool(_PAGES.index)  # (an empty cache has nothing)
        in_cache = [look_up and REGISTRY.of(t).cached for t in tasks]
        cached = [i for i in order if in_cache[i]]
        first = [i for i in order if not in_cache[i]]
        chunk = max(1, len(tasks) // (workers * 8))
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            index = pool.apply_async(_search_index) if search else None
            results = [(first, pool.map_async(_render_given, [(tasks[i],) for i in first],
                                              chunksize=chunk))]
            # the pages of cached kinds are looked up here, meanwhile: the parts they
            # share (resolved references, revision rows, digests) are made once, not
            # again in each worker; only the pages the cache lacks go to the workers
            keys = {}
            for i in cached:
                pages[i], keys[i] = _look_up(tasks[i])
            missed = [i for i in cached if pages[i] is None]
            results.append((missed, pool.map_async(
                _render_given, [(tasks[i], keys[i], True) for i in missed], chunksize=chunk)))
            for indexes, result in results:
                for i, page in zip(indexes, result.get()):
                    pages[i] = page
            return pages, index.get() if index is not None else None
    finally:
        _RENDERER = _SITE = _PAGES = None


def code_digest(root: Path) -> bytes:
    """The code and theme (built-in and the project's templates) a build runs."""
    h = hashlib.sha256()
    package = Path(__file__).parents[1]
    theme_dirs = [builtin_theme_dir(), root.parent / "templates"]
    for path in sorted(package.rglob("*.py")) + sorted(
            p for d in theme_dirs if d.is_dir() for p in d.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(path.parents[1])).encode() + b"\0" + path.read_bytes())
    return h.digest()


def input_digest(sources: Sources, options: BuildOptions, code: bytes | None = None) -> str:
    """Everything a build's output depends on: code, theme, options and every source."""
    h = hashlib.sha256(code if code is not None else code_digest(sources.root))
    h.update(repr((options.strict, options.include_drafts, options.search)).encode())
    h.update(b"today\0" + build_date(options.today).isoformat().encode())
    if options.history:
        from handbook_gen.governance.history import head_commit
        h.update(b"history\0" + head_commit(sources.root).encode())
    if sources.config:
        h.update(sources.config.text.encode())
    for rel, data in sources.items:
        h.update(rel.encode() + b"\0" + hashlib.sha1(data).digest())
    for d in sources.problems:
        h.update(repr((d.code, d.message, d.location)).encode())
    return h.hexdigest()


def build(root: Path, out: Path, options: BuildOptions) -> BuildResult:
    with paused_gc():
        return _build(root, out, options)


def _build(root: Path, out: Path, options: BuildOptions) -> BuildResult:
    """Full build. Writes nothing unless every phase succeeded (warnings are fine
    unless --strict). When nothing that the output depends on has changed since the
    build that made `out`, the site is left as it is and that build's diagnostics are
    reported again. Raises output.OutputRefused / OutputFailed / UnsafeOutputPath for
    the CLI."""
    check_out_dir(out, root, {"the project templates folder": root.parent / "templates",
                              "the built-in theme": builtin_theme_dir(),
                              "the cache directory": options.cache_dir})
    recover(out)
    result = BuildResult(Diagnostics(strict=options.strict))
    t = time.perf_counter()
    sources = read_sources(root, result.diagnostics)
    code = code_digest(sources.root)
    digest = input_digest(sources, options, code)
    result.timings["read"] = time.perf_counter() - t
    record = options.cache_dir / "builds" / f"{digest}.json" if options.cache_dir else None
    saved = _read_record(record) if record and read_digest(out) == digest else None
    if saved and saved[1] == site_manifest(out):  # nobody touched the published files
        result.diagnostics.items = saved[0]
        result.counters["up_to_date"] = 1
        return result
    load(root, options, result, sources)
    if not result.ok:
        return result
    pages = PageCache(options.cache_dir, code, options.save_cache)
    if pages.enabled:
        data = dict(sources.items)
        for p in result.handbook.policies.values():
            pages.name_document(p.path, blob_id(data[p.path]), p.meta, p.body)
        for versions in (result.history.versions if result.history else {}).values():
            for v in versions:
                pages.name_document(v.document.path, v.blob, v.document.meta, v.document.body)
    with SiteWriter(out) as site:  # leaving it without commit() keeps the old site
        entries = render(root, options, result, site, pages)
        if not result.ok:
            return result
        t = time.perf_counter()
        site.commit(digest)
        result.timings["publish"] = time.perf_counter() - t
    if options.save_cache:
        pages.save(entries)
    if record and options.save_cache:
        try:
            record.parent.mkdir(parents=True, exist_ok=True)
            for old in record.parent.glob("*.json"):
                old.unlink()
            record.write_text(json.dumps({
                "diagnostics": [report.to_json(d) for d in result.diagnostics.items],
                "manifest": site_manifest(out)}, ensure_ascii=False), "utf-8")
        except OSError:
            pass  # an optimisation only
    return result


def site_manifest(out: Path) -> dict[str, list[int]]:
    """Every file of a published site with its size and modification time."""
    manifest = {}
    for dirpath, _dirs, files in os.walk(out):
        for name in files:
            st = os.stat(os.path.join(dirpath, name))
            manifest[os.path.relpath(os.path.join(dirpath, name), out)] = [st.st_size, st.st_mtime_ns]
    return manifest


def _read_record(record: Path) -> tuple[list[Diagnostic], dict] | None:
    """The record of the build that published the site (its diagnostics, the manifest of
    its files), or None when it is absent or damaged: it is data, trusted for nothing."""
    try:
        if not record.is_file():
            return None
        saved = json.loads(record.read_bytes())
        diagnostics = [report.from_json(row) for row in saved["diagnostics"]]
        if all(d.code in CODES for d in diagnostics) and isinstance(saved["manifest"], dict):
            return diagnostics, saved["manifest"]
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        pass
    return None
