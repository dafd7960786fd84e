"""The warnings panel of `handbook serve`: a good rebuild with warnings (an unresolved
citation, HB205) shows them in a corner badge and list on every page, in the CLI's words;
fixing them removes it; every page reloads when the warnings change. (In a browser:
tests/browser/test_serve_warnings.py.)"""
from __future__ import annotations

import threading

import pytest
from helpers import get, policy

from handbook_gen.core import report
from handbook_gen.serve import server as devserver
from handbook_gen.serve.live import SOURCE, Change, LiveSite
from handbook_gen.serve.server import DevServer

CLEAN = "§{x} 原文。\n\n§{y} 依照本制度第一条办理。\n"
CITES_MISSING = "§{x} 原文。\n\n§{y} 依照本制度第九条办理。\n"  # HB205 at 11:8
BAD = "policies/01-general/a.md:11:8"


@pytest.fixture
def server(project):
    project.write("01-general/a.md", policy("GN-001", title="总则制度", body=CLEAN))
    dev = DevServer(LiveSite(project.src), "127.0.0.1", 0, deferred_worker=False)
    dev.rebuild(None)
    threading.Thread(target=dev.serve_forever, daemon=True).start()
    yield project, dev
    dev.shutdown()


def edit(project, dev, body):
    project.write("01-general/a.md", policy("GN-001", title="总则制度", body=body))
    dev.rebuild([Change(SOURCE)])


def test_warning_appears_after_an_edit_and_goes_after_the_fix(server):
    project, dev = server
    assert 'id="handbook-warnings"' not in get(dev, "/policies/gn-001.html")[1]
    seen = dev.version
    edit(project, dev, CITES_MISSING)
    assert dev.site.ok  # a warning: the new page is served, not the last good one
    status, body = get(dev, "/policies/gn-001.html")
    assert status == 200 and "第九条" in body
    panel = body[body.index('<details id="handbook-warnings"'):]
    panel = panel[:panel.index("</details>")]
    assert "⚠ 1 个警告" in panel  # the badge: the count, in the handbook's language
    # the CLI's line for it, position and all
    warning = next(d for d in dev.site.diagnostics if d.code == "HB205")
    assert report.format_html(warning, dev.style) in panel
    assert f'<span class="loc">{BAD}</span>: warning[HB205]' in panel
    assert "handbook-overlay" not in body
    assert f'<script src="{devserver.PREFIX}warnings.js" defer></script>' in body
    assert 'style="' not in panel and "<script>" not in body  # nothing the CSP blocks
    # every page shows it, and every open page is told to reload
    assert 'id="handbook-warnings"' in get(dev, "/index.html")[1]
    assert dev.page_changed("index.html", seen, dev.version)

    seen = dev.version
    edit(project, dev, CLEAN)
    body = get(dev, "/policies/gn-001.html")[1]
    assert "handbook-warnings" not in body and "第一条" in body
    assert dev.page_changed("index.html", seen, dev.version)


def test_errors_show_the_overlay_not_the_panel(server):
    project, dev = server
    edit(project, dev, CITES_MISSING + "\n§{z} 见[[NOPE-1]]。\n")
    body = get(dev, "/index.html")[1]
    assert 'id="handbook-overlay"' in body and "warning[HB205]" in body
    assert "handbook-warnings" not in body


def test_panel_assets():
    assert b"sessionStorage" in devserver.PANEL_JS
    assert b"#handbook-warnings" in devserver.OVERLAY_CSS


def test_panel_lists_at_most_panel_max_and_is_made_once(server, monkeypatch):
    project, dev = server
    monkeypatch.setattr(devserver, "PANEL_MAX", 2)
    edit(project, dev, CLEAN + "\n§ 见本制度第七条、第八条和第九条。\n")
    assert sum(d.code == "HB205" for d in dev.site.diagnostics) == 3
    body = get(dev, "/index.html")[1]
    assert "⚠ 3 个警告" in body and body.count("warning[HB205]") == 2
    assert "… 还有 1 条（handbook check 会全部列出）" in body
    assert dev.panel() is dev.panel()  # made once per rebuild, not per request


def test_serve_prints_the_warnings_when_they_change(project, monkeypatch):
    """The terminal too: the warnings of the first build, then again only when a
    rebuild changes them."""
    project.write("01-general/a.md", policy("GN-001", title="总则制度", body=CITES_MISSING))
    site = LiveSite(project.src)
    site.rebuild()
    bodies = [CITES_MISSING, CITES_MISSING.replace("第九条", "第八条"), CLEAN]

    class Fake:
        url, epoch, last_rebuild_seconds = "http://127.0.0.1:1/", 0, 0.01

        def __init__(self):
            self.site = site

        def warnings(self):
            return DevServer.warnings(self)

        def wait_for_epoch(self, seen, timeout):
            if not bodies:
                raise KeyboardInterrupt
            project.write("01-general/a.md", policy("GN-001", title="总则制度",
                                                    body=bodies.pop(0)))
            site.rebuild()
            return seen + 1

        def shutdown(self):
            pass

    class Stop:
        def stop(self):
            pass
    monkeypatch.setattr(devserver, "start", lambda *a, **k: (Fake(), Stop(), Stop(), None))
    out = project.run("serve", str(project.src)).output
    # the first build's, then the changed one's; not again after a rebuild with the same
    # warnings, nothing after the fix
    assert out.count(f"{BAD}: warning[HB205]") == 2
    assert out.count("依照本制度第九条办理") == 1 and out.count("依照本制度第八条办理") == 1
