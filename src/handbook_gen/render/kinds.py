"""The page-kind registry: what every kind of output file is, declared in one place.

A PageKind says which pages of its kind a site has (its tasks: small picklable tuples
whose first item is the kind's name), where each is written, the template context it is
rendered from and the template (or, for a file that is no template, the function that
writes it from the context), and how ``handbook serve`` treats it: built in the
background after the pages an editor waits for (deferred), or replaced in an open
browser without a reload (swap).

Features above the render layer register their own kinds and extend the context of
core kinds with an Extension; the build layer assembles one Registry from them all.
An unknown kind is an error, never a fallback.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from handbook_gen.render.state import RenderState

Task = tuple


@dataclass(frozen=True)
class PageKind:
    name: str
    path: Callable[[Task], str]
    """The site path a task's file is written to."""
    context: Callable[[RenderState, Task], dict]
    """The task's template context (the page's content: pages whose context did not
    change are not rendered again by ``serve``)."""
    template: str | None = None
    write: Callable[[dict], bytes] | None = None
    """For a file that is no template: its bytes from the context."""
    tasks: Callable[[RenderState], Iterable[Task]] | None = None
    """The kind's tasks for a site; None: the one task ``(name,)``."""
    deferred: bool = False
    """A whole-site output: ``serve`` builds it in the background, after the pages."""
    swap: bool = False
    """Its ``<main>`` holds content only, so ``serve`` may replace it in place."""
    cached: bool = False
    """Its pages are kept in the build's page cache (build.pagecache), keyed by their
    context: for kinds of many costly pages, most of which a rebuild does not change
    (policies, their old versions and revisions)."""

    def tasks_for(self, state: RenderState) -> list[Task]:
        return [(self.name,)] if self.tasks is None else list(self.tasks(state))


@dataclass(frozen=True)
class Extension:
    """What a feature adds to the context of another kind's pages: ``context`` gets the
    context built so far and returns the entries it adds or replaces."""

    kind: str
    context: Callable[[RenderState, Task, dict], dict]


class UnknownKind(ValueError):
    pass


class Registry:
    """The page kinds of a site, in the order their pages are listed, and the extensions
    of their contexts."""

    def __init__(self, kinds: Iterable[PageKind], extensions: Iterable[Extension] = ()):
        self.kinds: dict[str, PageKind] = {}
        for kind in kinds:
            if kind.name in self.kinds:
                raise ValueError(f"page kind {kind.name!r} is registered twice")
            if (kind.template is None) == (kind.write is None):
                raise ValueError(f"page kind {kind.name!r} needs a template or a writer")
            self.kinds[kind.name] = kind
        self.extensions: dict[str, list[Extension]] = {}
        for ext in extensions:
            self.kind(ext.kind)
            self.extensions.setdefault(ext.kind, []).append(ext)

    def kind(self, name: str) -> PageKind:
        try:
            return self.kinds[name]
        except KeyError:
            raise UnknownKind(f"unknown page kind {name!r}") from None

    def of(self, task: Task) -> PageKind:
        return self.kind(task[0])

    def tasks(self, state: RenderState) -> list[Task]:
        return [task for kind in self.kinds.values() for task in kind.tasks_for(state)]
