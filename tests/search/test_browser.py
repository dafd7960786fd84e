"""Runs browser_suite.py (the search UI and the judged query set in headless Chromium) in a
separate pytest process: Playwright's sync API allows one instance per thread, and the
site-wide browser tests (tests/browser) keep theirs open for the whole session."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

pytestmark = pytest.mark.browser


def test_search_browser_suite():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")]))
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rA",
                        str(HERE / "browser_suite.py")], cwd=REPO, env=env, capture_output=True, text=True,
                       timeout=1200)
    print(r.stdout[-4000:])
    assert r.returncode == 0, r.stdout[-8000:] + r.stderr[-2000:]
    assert " passed" in r.stdout and " failed" not in r.stdout
