"""The warnings panel of `handbook serve` in Chromium: it works under the pages' CSP,
an edit that adds a warning shows it without a manual reload, closing it keeps it closed
on the next page until the warnings change, and fixing them removes it."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from helpers import Project, policy  # noqa: E402

from handbook_gen.build.pipeline import BuildOptions  # noqa: E402
from handbook_gen.serve import server as devserver  # noqa: E402

CLEAN = "§{x} 原文。\n\n§{y} 依照本制度第一条办理。\n"
CITES_MISSING = "§{x} 原文。\n\n§{y} 依照本制度第九条办理。\n"  # HB205 at 11:8
BAD = "policies/01-general/a.md:11:8"


def test_warnings_panel(browser, tmp_path):
    project = Project(tmp_path)
    project.write("01-general/a.md", policy("GN-001", title="总则制度", body=CITES_MISSING))
    project.write("01-general/b.md", policy("GN-002", title="另一制度", body=CLEAN))
    server, collector, observer, _ = devserver.start(project.src, "127.0.0.1", 0,
                                                     BuildOptions(), deferred_worker=False)
    try:
        page = browser.new_page()
        violations = []
        page.on("console", lambda m: violations.append(m.text)
                if "Content Security Policy" in m.text else None)
        page.goto(server.url + "policies/gn-001.html")
        panel = page.locator("#handbook-warnings")
        assert panel.locator("summary").inner_text().strip() == "⚠ 1 个警告"
        assert BAD in panel.locator("ol").inner_text()
        assert panel.locator("ol").is_visible()
        page.locator("#handbook-warnings .close").click()
        assert not panel.locator("ol").is_visible()
        # closed stays closed on the next page, until the warnings change
        page.goto(server.url + "policies/gn-002.html")
        assert not page.locator("#handbook-warnings ol").is_visible()
        assert page.locator("#handbook-warnings summary").is_visible()
        project.write("01-general/a.md", policy("GN-001", title="总则制度",
                                                body=CITES_MISSING.replace("第九条", "第八条")))
        page.locator("#handbook-warnings ol").get_by_text("第八条").wait_for(timeout=30000)
        assert page.locator("#handbook-warnings ol").is_visible()
        # fixed: the panel goes without a manual reload
        project.write("01-general/a.md", policy("GN-001", title="总则制度", body=CLEAN))
        page.locator("#handbook-warnings").wait_for(state="detached", timeout=30000)
        assert violations == []
    finally:
        collector.stop()
        observer.stop()
        server.shutdown()
