"""The page-kind registry: every output file comes from a registered kind, and a kind
that is not registered is an error, never a fallback page."""
from __future__ import annotations

import pytest
from helpers import policy

from handbook_gen.build.pipeline import REGISTRY, BuildOptions, check, page_renderer
from handbook_gen.core.diagnostics import Diagnostics
from handbook_gen.render.env import make_environment
from handbook_gen.render.kinds import PageKind, Registry, UnknownKind


def renderer(project):
    project.write("01-general/a.md", policy("GN-001"))
    result = check(project.src, BuildOptions())
    assert result.ok, result.diagnostics.items
    return page_renderer(result.handbook, result.links, make_environment(None), BuildOptions(),
                         False, Diagnostics())


def test_an_unknown_kind_is_an_error(project):
    r = renderer(project)
    with pytest.raises(UnknownKind, match="'versions'"):
        r.render(("versions", "GN-001"))
    with pytest.raises(UnknownKind):
        REGISTRY.kind("search-page")


def test_every_task_has_a_kind_and_its_own_path(project):
    r = renderer(project)
    tasks = r.tasks()
    # no search (off here) and no version pages (the project has no git history)
    assert {t[0] for t in tasks} == set(REGISTRY.kinds) - {"search", "version", "revision",
                                                            "asof"}
    paths = [r.path(t) for t in tasks]
    assert len(paths) == len(set(paths))
    assert "policies/gn-001.html" in paths and "catalogue.json" in paths


def test_a_kind_is_registered_once_and_renders_from_a_template_or_a_writer():
    kind = PageKind("x", lambda t: "x.html", lambda s, t: {}, "x.html")
    with pytest.raises(ValueError, match="twice"):
        Registry([kind, kind])
    with pytest.raises(ValueError, match="template or a writer"):
        Registry([PageKind("y", lambda t: "y", lambda s, t: {})])
