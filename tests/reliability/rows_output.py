"""Catalogue rows for the output directory: every refused --out (exit 2, nothing
touched), an output parent or lock file that cannot be made and a lock held by another
process (exit 3), and site paths that must not be written (HB401, exit 1, the old site
kept). Page paths are bent through the page-kind registry to stand for a path that escaped
validation, so these rows test output.py's last line of defence on its own."""
from __future__ import annotations

import dataclasses
import errno
import fcntl
import os
import pathlib

from catalogue import Case, policy

from handbook_gen import builtin_theme_dir

from handbook_gen.build.pipeline import REGISTRY

BUILD = ("build", "{src}", "--out", "{out}")
THEME = str(builtin_theme_dir())
TITLE_CODE = {"policies/01-general/t.md": policy("GN-077", title='"{{ 7*7 }}"')}


def build_to(out: str, *extra: str) -> tuple[str, ...]:
    return ("build", "{src}", "--out", out, *extra)


def _mkdirs(*rels: str):
    def setup(project, monkeypatch):
        for rel in rels:
            (project.base / rel).mkdir(parents=True)
    return setup


def _symlink(name: str, target: str):
    def setup(project, monkeypatch):
        (project.base / target).mkdir(exist_ok=True)
        (project.base / name).symlink_to(project.base / target)
    return setup


def _home(project, monkeypatch):
    (project.base / "home").mkdir()
    monkeypatch.setenv("HOME", str(project.base / "home"))


def _deny_mkdir(name: str):
    """The output's parent cannot be created (tests run as root: chmod would not stop it)."""
    def setup(project, monkeypatch):
        real = pathlib.Path.mkdir

        def mkdir(self, *args, **kw):
            if self.name == name:
                raise PermissionError(errno.EACCES, "Permission denied", str(self))
            return real(self, *args, **kw)
        monkeypatch.setattr(pathlib.Path, "mkdir", mkdir)
    return setup


def _deny_lock(project, monkeypatch):
    real = os.open

    def open_(path, *args, **kw):
        if str(path).endswith(".site.lock"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, *args, **kw)
    monkeypatch.setattr(os, "open", open_)


_HELD: dict[str, int] = {}


def _hold_lock(project, monkeypatch):
    fd = os.open(project.base / ".site.lock", os.O_RDWR | os.O_CREAT, 0o644)
    os.write(fd, b"4242")
    fcntl.flock(fd, fcntl.LOCK_EX)
    _HELD[str(project.base)] = fd


def _release_lock(project, result):
    os.close(_HELD.pop(str(project.base)))
    assert not (project.base / "site").exists()


def _page_path(path: str):
    """The status page's site path replaced, as if a bad id had reached the writer."""
    def setup(project, monkeypatch):
        page = path.replace("{outside}", str(project.base.parent / "outside"))
        status = dataclasses.replace(REGISTRY.kind("status"), path=lambda task: page)
        monkeypatch.setitem(REGISTRY.kinds, "status", status)
    return setup


def _not_created(*rels: str):
    def post(project, result):
        for rel in rels:
            assert not os.path.lexists(project.base / rel), rel
    return post


def _title_stays_text(project, result):
    """The refused --out left templates/ alone; the next build shows the title as text."""
    assert not (project.base / "templates").exists()
    r = project.build()
    assert r.exit_code == 0, r.output
    page = project.page("policies/gn-077.html")
    assert "{{ 7*7 }}" in page and "49" not in page


def _old_site_kept(project, result):
    html = (project.base / "site" / "index.html").read_text("utf-8")
    assert "测试汇编" in html and (project.base / "site" / "status.html").is_file()
    assert not [p for p in project.base.iterdir() if ".staging-" in p.name or ".old-" in p.name]


def _generated_print_css(project, result):
    assert "the project's" not in project.page("static/compiled-print.css")


REFUSED = "error: output directory"
ROWS: list[Case] = [
    # --out refused before anything is touched (exit 2)
    Case("out-root", args=build_to("/"), exit=2,
         expect=("error: refusing to write the site to the filesystem root '/'",)),
    Case("out-home", args=build_to("{src}/../home"), exit=2, setup=_home,
         expect=("refusing to write the site to the home directory",)),
    Case("out-source-tree", args=build_to("{src}"), exit=2,
         expect=(REFUSED, "is the source tree")),
    Case("out-inside-source-tree", args=build_to("{src}/site"), exit=2,
         expect=(REFUSED, "is inside the source tree"), post=_not_created("policies/site")),
    Case("out-contains-source-tree", args=build_to("{src}/.."), exit=2,
         expect=(REFUSED, "contains the source tree")),
    Case("out-templates", TITLE_CODE, args=build_to("{src}/../templates"), exit=2,
         expect=(REFUSED, "is the project templates folder"), post=_title_stays_text),
    Case("out-inside-templates", TITLE_CODE, args=build_to("{src}/../templates/x"), exit=2,
         expect=(REFUSED, "is inside the project templates folder"), post=_title_stays_text),
    Case("out-templates-existing", {"templates/static/extra.css": "a{}"},
         args=build_to("{src}/../templates"), exit=2,
         expect=(REFUSED, "is the project templates folder")),
    Case("out-templates-through-symlink", args=build_to("{src}/../published"), exit=2,
         setup=_symlink("published", "templates"),
         expect=(REFUSED, "is the project templates folder")),
    Case("out-builtin-theme", args=build_to(THEME), exit=2,
         expect=(REFUSED, "is the built-in theme")),
    Case("out-inside-builtin-theme", args=build_to(THEME + "/static"), exit=2,
         expect=(REFUSED, "is inside the built-in theme")),
    Case("out-cache", args=build_to("{src}/../.cache"), exit=2,
         expect=(REFUSED, "is the cache directory")),
    Case("out-inside-cache", args=build_to("{src}/../.cache/site"), exit=2,
         expect=(REFUSED, "is inside the cache directory")),
    Case("out-git-checkout", args=build_to("{src}/../deploy"), exit=2,
         setup=_mkdirs("deploy/.git"), expect=(REFUSED, "is a git repository")),
    Case("out-inside-dot-git", args=build_to("{src}/../deploy/.git/site"), exit=2,
         setup=_mkdirs("deploy/.git"), expect=(REFUSED, "is inside a .git directory"),
         post=_not_created("deploy/.git/site")),
    Case("out-foreign-non-empty", {"docs/keep.txt": "mine"}, args=build_to("{src}/../docs"),
         exit=2, expect=(REFUSED, "is not empty and was not made by handbook-gen")),
    Case("out-symlink", args=build_to("{src}/../link"), exit=2,
         setup=_symlink("link", "elsewhere"), expect=(REFUSED, "is a symlink")),
    Case("out-file", {"site.txt": "not a directory"}, args=build_to("{src}/../site.txt"),
         exit=2, expect=("error: output path", "exists and is not a directory")),
    # the environment (exit 3)
    Case("out-parent-is-a-file", {"afile": "x"}, args=build_to("{src}/../afile/site"), exit=3,
         expect=("error: cannot create", "afile: File exists")),
    Case("out-parent-cannot-be-created", args=build_to("{src}/../locked/site"), exit=3,
         setup=_deny_mkdir("locked"), expect=("error: cannot create", "locked: Permission denied"),
         post=_not_created("locked")),
    Case("out-lock-cannot-be-created", args=BUILD, exit=3, setup=_deny_lock,
         expect=("error: cannot create the lock file", ".site.lock: Permission denied"),
         post=_not_created("site")),
    Case("out-lock-held", args=BUILD, exit=3, setup=_hold_lock, post=_release_lock,
         expect=("error: another build is writing this site (pid 4242); lock file",)),
    # accepted outputs
    Case("out-empty-directory", args=BUILD, exit=0, setup=_mkdirs("site"), expect=("built:",)),
    Case("out-previous-site", args=BUILD, exit=0, prebuild=True, expect=("built:",)),
    Case("out-theme-static-replaced-by-page",
         {"templates/static/compiled-print.css": "/* the project's */"}, args=BUILD, exit=0,
         post=_generated_print_css),
    # site paths that must not be written (HB401, exit 1, the old site kept)
    Case("out-page-path-dotdot", args=BUILD + ("--no-cache",), prebuild=True,
         setup=_page_path("../escaped.html"), post=_old_site_kept,
         expect=("error[HB401]: refusing to write '../escaped.html' into the site: "
                 "it has the component '..'", "nothing was written")),
    Case("out-page-path-absolute", args=BUILD + ("--no-cache",), prebuild=True,
         setup=_page_path("{outside}/pwned.html"), post=_old_site_kept,
         expect=("error[HB401]: refusing to write", "pwned.html' into the site: it is absolute")),
    Case("out-page-path-nul", args=BUILD + ("--no-cache",), prebuild=True,
         setup=_page_path("status\0.html"), post=_old_site_kept,
         expect=("error[HB401]: refusing to write 'status\\x00.html' into the site: "
                 "it contains the character '\\x00'",)),
    Case("out-page-path-newline", args=BUILD + ("--no-cache",), prebuild=True,
         setup=_page_path("status\n.html"), post=_old_site_kept,
         expect=("error[HB401]: refusing to write 'status\\n.html'",)),
    Case("out-page-path-backslash", args=BUILD + ("--no-cache",), prebuild=True,
         setup=_page_path("..\\escaped.html"), post=_old_site_kept,
         expect=("error[HB401]: refusing to write", "it contains the character '\\\\'")),
    Case("out-page-path-too-long", args=BUILD + ("--no-cache",), prebuild=True,
         setup=_page_path("s" * 300 + ".html"), post=_old_site_kept,
         expect=("error[HB401]:", "a component is longer than 255 bytes")),
    Case("out-page-path-twice", args=BUILD + ("--no-cache",), prebuild=True,
         setup=_page_path("index.html"), post=_old_site_kept,
         expect=("error[HB401]: two pages of the site have the path 'index.html'",)),
    Case("out-page-path-case-collision", args=BUILD + ("--no-cache",), prebuild=True,
         setup=_page_path("Index.html"), post=_old_site_kept,
         expect=("error[HB401]: two site paths differ only in case: 'Index.html' and "
                 "'index.html'",)),
    Case("out-page-path-json", args=BUILD + ("--no-cache", "--format", "json"), prebuild=True,
         setup=_page_path("../escaped.html"), post=_old_site_kept,
         expect=('"code": "HB401"', '"severity": "error"')),
    Case("out-theme-static-case-variant", {"templates/static/Handbook.css": "a{}"}, args=BUILD,
         expect=("error[HB401]: two site paths differ only in case: 'static/Handbook.css' and "
                 "'static/handbook.css'",), post=_not_created("site")),
]
