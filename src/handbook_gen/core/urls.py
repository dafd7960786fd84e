"""URL policy: every page's site-relative path, derived from stable ids (never file
names), and relative links between pages. Pages sit at depth 0 or 1 so the site works
under any sub-path and from file://. Ids are validated by ids.py before they get here;
the id folders (policies/, departments/, chapters/) hold id pages only.
"""
from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

from handbook_gen.core.ids import fold


def policy_url(policy_id: str) -> str:
    return f"policies/{fold(policy_id)}.html"


def chapter_url(chapter_id: str) -> str:
    return f"chapters/{fold(chapter_id)}.html"


def department_url(dept_id: str) -> str:
    return f"departments/{fold(dept_id)}.html"


def version_url(policy_id: str, slug: str) -> str:
    """The page of one version of a policy; `slug` from governance.versionpages.slugs
    (``v2.0``: lower-case letters, digits and dots). The ``_`` cannot occur in an id, so
    no two (id, slug) pairs share a page name."""
    return f"versions/{fold(policy_id)}_{slug}.html"


def revision_url(policy_id: str, slug: str) -> str:
    """The 修订对照表 of the revision that made version `slug` of a policy."""
    return f"revisions/{fold(policy_id)}_{slug}.html"


def root_prefix(page: str) -> str:
    """Relative path from `page` to the site root: '' or '../'."""
    return "../" * page.count("/")


def relative(target: str, page: str) -> str:
    """Link from `page` to site-relative `target` (which may carry a #fragment)."""
    path, _, fragment = target.partition("#")
    if path == page:
        return "#" + fragment if fragment else posixpath.basename(page)
    return root_prefix(page) + target


def base_path(base_url: str | None) -> str | None:
    """The URL path the site is served under, from ``base_url`` (``https://intranet.example/
    handbook/`` -> ``/handbook/``), always with a leading and a trailing slash; None when
    unset. Only the path is used, so the links work whatever host name serves the site."""
    if not base_url:
        return None
    path = urlsplit(base_url.strip()).path or "/"
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"
