"""CLI: exit codes, summary line, diagnostic formats, entry points."""
from __future__ import annotations

import pytest

import json
import re
import os
import subprocess
import sys
from pathlib import Path

from helpers import policy

REPO = Path(__file__).resolve().parents[2]


def test_build_success_summary(project):
    project.write("01-general/a.md", policy("GN-001"))
    r = project.build()
    assert r.exit_code == 0
    last = r.output.strip().splitlines()[-1]
    assert re.match(r"built: 1 policy → 1 policy page, \d+ pages, 0 errors, 0 warnings, "
                    r"\d+\.\d\d s → ", last), last


def test_check_writes_nothing(project):
    project.write("01-general/a.md", policy("GN-001"))
    before = sorted(p for p in project.base.rglob("*"))
    r = project.check()
    assert r.exit_code == 0 and r.output.startswith("checked: 2 sources, 0 errors")
    assert sorted(p for p in project.base.rglob("*")) == before


def test_errors_exit_1_usage_exit_2(project):
    project.write("01-general/a.md", policy("GN-001", body="[[NOPE-1]]\n"))
    assert project.check().exit_code == 1
    assert project.build().exit_code == 1
    r = project.run("check", str(project.base / "missing"))
    assert r.exit_code == 2 and "does not exist" in r.output
    assert project.run("build", "--format", "xml").exit_code == 2


def test_json_format(project):
    project.write("01-general/a.md", policy("GN-001", body="[[NOPE-1]]\n"))
    r = project.check("--format", "json")
    line = next(x for x in r.stdout.splitlines() if x.startswith("{"))
    obj = json.loads(line)
    assert obj == {"code": "HB200", "name": "unknown-policy", "severity": "error", "lang": "en",
                   "message": "unknown policy 'NOPE-1'", "path": "policies/01-general/a.md",
                   "line": 9, "col": 1,
                   "hint": "check the policy id (the 'id:' in its front matter)",
                   "template": "unknown policy '{id}'",
                   "hint_template": "check the policy id (the 'id:' in its front matter)",
                   "params": {"id": "NOPE-1", "guess": None}}


def test_github_format(project):
    project.write("01-general/a.md", policy("GN-001", body="[[NOPE-1]]\n"))
    r = project.check("--format", "github")
    assert "::error file=policies/01-general/a.md,line=9,col=1,title=HB200::unknown policy 'NOPE-1'" in r.stdout


def test_text_format_shows_source_line_caret_and_hint(project):
    project.write("01-general/a.md", policy("GN-001", body="正文[[GN-01]]。\n"))
    r = project.check()
    assert ("policies/01-general/a.md:9:3: error[HB200]: unknown policy 'GN-01'\n"
            "  |\n9 | 正文[[GN-01]]。\n  |     ^\n  = help: did you mean 'GN-001'?") in r.output


def test_severity_override_in_config(project):
    project.write("_handbook.yaml", (project.src / "_handbook.yaml").read_text() +
                  "diagnostics:\n  HB101: error\n")
    project.write("01-general/a.md", policy("GN-001", extra="colour: red\n"))
    r = project.check()
    assert r.exit_code == 1 and "error[HB101]" in r.output


def test_drafts_excluded_unless_requested(project):
    project.write("01-general/a.md", policy("GN-001"))
    project.write("01-general/b.md", policy("GN-002", title="草案制度", status="draft"))
    assert project.build().exit_code == 0
    assert not (project.base / "site/policies/gn-002.html").exists()
    assert "草案制度" not in project.page("index.html")
    assert "草案制度" not in project.page("chapters/general.html")
    assert project.build("--drafts", out="preview").exit_code == 0
    assert "本制度为草案" in project.page("policies/gn-002.html", "preview")


def test_entry_points_build_py_and_module(tmp_path):
    out1 = tmp_path / "a"
    env = dict(os.environ, HANDBOOK_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("PYTHONPATH", None)
    r1 = subprocess.run([sys.executable, str(REPO / "build.py"), "build", str(REPO / "policies"),
                         "--out", str(out1)], env=env, capture_output=True, text=True)
    assert r1.returncode == 0, r1.stderr
    env["PYTHONPATH"] = str(REPO / "src")
    r2 = subprocess.run([sys.executable, "-m", "handbook_gen", "check", str(REPO / "policies"),
                         "--strict"], env=env, capture_output=True, text=True)
    assert r2.returncode == 0, r2.stderr
    assert (out1 / "index.html").is_file()


def test_project_template_override_single_block(project):
    (project.base / "templates").mkdir()
    (project.base / "templates" / "policy.html").write_text(
        '{% extends "builtin/policy.html" %}{% block policy_meta %}<p class="custom">定制元数据</p>'
        "{% endblock %}", encoding="utf-8")
    project.write("01-general/a.md", policy("GN-001"))
    assert project.build().exit_code == 0
    html = project.page("policies/gn-001.html")
    assert '<p class="custom">定制元数据</p>' in html and 'class="policy-meta"' not in html
    assert "本页目录" in html or "policy-body" in html


def test_template_error_is_a_diagnostic(project):
    (project.base / "templates").mkdir()
    (project.base / "templates" / "404.html").write_text("{% if %}", encoding="utf-8")
    project.write("01-general/a.md", policy("GN-001"))
    r = project.build()
    assert r.exit_code == 1 and "templates/404.html:1:1: error[HB400]: template syntax error" in r.output


def test_title_is_escaped(project):
    project.write("01-general/a.md", policy("GN-001", title='"<script>alert(1)</script>"'))
    assert project.build().exit_code == 0
    html = project.page("policies/gn-001.html")
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_no_search_leaves_out_index_and_box(project):
    project.write("01-general/a.md", policy("GN-001"))
    assert project.build().exit_code == 0
    site = project.base / "site"
    assert (site / "search").is_dir() and "search.js" in (site / "index.html").read_text("utf-8")
    assert project.build("--no-search").exit_code == 0
    assert not (site / "search").exists()
    page = (site / "index.html").read_text("utf-8")
    assert "search.js" not in page and "search.css" not in page


def test_internal_error_is_one_line_and_the_traceback_is_on_request(project, monkeypatch):
    from handbook_gen.build import pipeline

    def bug(*args):
        raise KeyError("x")
    monkeypatch.setattr(pipeline, "run_checks", bug)
    project.write("01-general/a.md", policy("GN-001"))
    r = project.check()
    assert r.exit_code == 3 and r.output.splitlines() == [
        "internal error (HB403): KeyError: 'x'; this is a bug in handbook-gen, please report "
        "it with the command you ran (HANDBOOK_DEBUG=1 prints the traceback)"]
    monkeypatch.setenv("HANDBOOK_DEBUG", "1")
    r = project.check()
    assert r.exit_code == 3 and r.output.startswith("Traceback")
    assert r.output.rstrip().endswith("please report it with the command you ran")


# These tests quote the English messages; english_output also checks each has its Chinese.
pytestmark = pytest.mark.usefixtures("english_output")
