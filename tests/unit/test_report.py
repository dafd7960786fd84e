"""Diagnostic formatting (report.py) and the fixed severities (diagnostics.py): control
characters never reach the terminal raw, long lines are cut to a window, each source is
read once, the human formats cap one code per file, JSON lists everything."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from helpers import policy

from handbook_gen.core import report
from handbook_gen.core.diagnostics import (CODES, FIXED, Diagnostic, Diagnostics, Location,
                                      Severity, overridable)

HOSTILE = "\x1b]0;pwned\x07 \x1b[2J \x00 \x7f \x9b \u202e \udcff line\nbreak"
RAW = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202e\udcff]")


def diag(message="m", path="p/a.md", line=1, col=1, code="HB132", hint=None) -> Diagnostic:
    return Diagnostic(code, CODES[code][0], message, Location(path, line, col) if path else None,
                      hint)


def test_visible_escapes_controls_and_keeps_text():
    assert report.visible(HOSTILE) == ("\\x1b]0;pwned\\x07 \\x1b[2J \\x00 \\x7f \\x9b \\u202e "
                                       "\\udcff line\\x0abreak")
    assert report.visible("正文\t（第一条）") == "正文\t（第一条）"
    assert report.visible("a\nb\x1b", lines=True) == "a\nb\\x1b"


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_human_formats_print_no_raw_control_character(tmp_path, fmt):
    (tmp_path / "p").mkdir()
    name = "p/\x1b]0;pwned\x07.md"
    (tmp_path / name).write_text("正文\x1b[2J和\x07。\n", encoding="utf-8")
    out = report.render([diag(HOSTILE, name, 1, 3, hint=HOSTILE), diag(HOSTILE, None)],
                        fmt, tmp_path)
    assert not RAW.search(out.replace("\n", "")), out  # newlines are the formatter's own
    assert "\\x1b]0;pwned\\x07" in out and "line\\x0abreak" in out  # not a forged line
    if fmt == "github":
        assert all(line.startswith("::") for line in out.split("\n"))


def test_json_escapes_every_control_and_round_trips():
    line = report.format_json(diag(HOSTILE, "p/\x1b.md", hint=HOSTILE))
    assert not RAW.search(line), line
    obj = json.loads(line)
    assert obj["message"] == HOSTILE and obj["hint"] == HOSTILE and obj["path"] == "p/\x1b.md"


def test_github_escapes_percent_and_property_separators():
    out = report.format_github(diag("50% done, ok", "p/a:b,c.md", 2, 3))
    assert out == "::error file=p/a%3Ab%2Cc.md,line=2,col=3,title=HB132::50%25 done, ok"


def test_long_line_is_cut_to_a_window_around_the_column(tmp_path):
    line = "甲" * 5000 + "[x](javascript:1)" + "乙" * 5000
    (tmp_path / "a.md").write_text(line + "\n", encoding="utf-8")
    out = report.format_text(diag(path="a.md", col=5001), report._Lines(tmp_path))
    quoted, caret = out.split("\n")[2], out.split("\n")[3]
    assert len(quoted) < report.WINDOW + 10
    assert quoted.startswith("1 | …甲") and quoted.endswith("乙…")
    # the caret sits under the '[' (CJK characters are two columns wide)
    col = caret.index("^") - len("  | ")
    shown = quoted[len("1 | "):]
    assert report._width(shown[:shown.index("[")]) == col


def test_short_line_is_quoted_whole(tmp_path):
    (tmp_path / "a.md").write_text("正文[[GN-01]]。\n", encoding="utf-8")
    out = report.format_text(diag(path="a.md", col=3), report._Lines(tmp_path))
    assert out.split("\n")[2:4] == ["1 | 正文[[GN-01]]。", "  |     ^"]


def test_each_source_file_is_read_once(tmp_path, monkeypatch):
    (tmp_path / "a.md").write_text("x\n" * 50, encoding="utf-8")
    reads = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self) or original(self))
    report.render([diag(path="a.md", line=i) for i in range(1, 51)], "text", tmp_path)
    assert len(reads) == 1


def test_human_formats_cap_one_code_per_file_json_lists_all(tmp_path):
    many = [diag(path="a.md", line=1, col=i) for i in range(1, 251)]
    many += [diag(path="a.md", line=2, code="HB130"), diag(path="b.md", line=1)]
    text = report.render(many, "text", tmp_path)
    assert text.count("error[HB132]") == report.MAX_PER_CODE + 1
    assert "… and 150 more HB132 in a.md (--format json lists them all)" in text
    assert "error[HB130]" in text and "b.md:1:1: error[HB132]" in text
    github = report.render(many, "github", tmp_path)
    assert github.count("title=HB132") == report.MAX_PER_CODE + 1
    assert "::notice::… and 150 more HB132 in a.md" in github
    assert len(report.render(many, "json", tmp_path).splitlines()) == 252


def test_fixed_codes_are_errors_and_registered():
    assert FIXED <= set(CODES), sorted(FIXED - set(CODES))
    assert all(CODES[c][0] == Severity.ERROR for c in FIXED)
    assert {"HB400", "HB401", "HB402", "HB132", "HB113"} <= FIXED
    assert overridable("HB203") and overridable("HB131") and not overridable("HB400")


def test_collector_ignores_overrides_of_fixed_codes():
    d = Diagnostics(overrides={"HB400": Severity.INFO, "HB131": Severity.INFO})
    d.add("HB400", "template failed")
    d.add("HB131", "comment")
    assert [x.severity for x in d.items] == [Severity.ERROR, Severity.INFO]
    assert d.has_errors


# ---- one JSON form, one text form (CLI and the dev server's overlay) ----------------------------

def test_json_form_round_trips():
    diags = [diag(HOSTILE, "p/\x1b.md", 3, 7, hint=HOSTILE), diag("m", None),
             diag("w", "p/a.md", 0, 0, code="HB203"), Diagnostic("HB009", Severity.INFO, "i")]
    for d in diags:
        obj = report.to_json(d)
        assert report.from_json(obj) == d
        assert json.loads(report.format_json(d)) == obj  # --format json writes this form
        assert report.from_json(json.loads(json.dumps(obj))) == d


@pytest.mark.parametrize("row", [
    ["HB132", "ERROR", "m", None, 0, 0, None],  # the build record's older list form
    {"code": "HB132", "severity": "ERROR", "message": "m", "path": None, "line": None,
     "col": None, "hint": None},
    {"code": "HB132", "severity": ["error"], "message": "m", "path": None, "line": None,
     "col": None, "hint": None},
    {"code": "HB132", "message": "m"}, "HB132", None])
def test_json_form_rejects_anything_else(row):
    with pytest.raises((KeyError, TypeError)):
        report.from_json(row)


def test_build_record_holds_the_json_form(project):
    project.write("01-general/a.md", policy("GN-001", body="§ 参照[[GN-404]]执行。\n"))
    project.write("01-general/b.md", policy("GN-002", extra="review_by: 2024-01-01\n"))
    assert project.build().exit_code == 1  # an unknown policy: nothing published, no record
    project.write("01-general/a.md", policy("GN-001", body="§ 参照[[GN-002]]执行。\n"))
    r = project.build("--format", "json", "--lang", "en")
    assert r.exit_code == 0
    (record,) = (project.base / ".cache" / "builds").glob("*.json")
    rows = sorted(json.loads(record.read_bytes())["diagnostics"], key=lambda row: row["code"])
    assert rows == [json.loads(line) for line in r.output.splitlines() if line.startswith("{")]
    assert [report.from_json(row).code for row in rows] == ["HB300", "HB302"]
    again = project.build("--lang", "en")
    assert "warning[HB302]: review date 2024-01-01" in again.output
    again = project.build()  # nothing changed: the diagnostics come from the record, whose
    assert "站点已是最新" in again.output  # templates write them in Chinese again
    assert "warning[HB302]: 复审日期 2024-01-01 不晚于生效日期 2025-01-01" in again.output


def test_overlay_shows_the_text_format_escaped():
    from handbook_gen.serve.server import overlay_html

    diags = [diag(HOSTILE + "<script>", "p/<b>.md", 4, 2, hint="用 &amp; <i>"),
             diag("w", None, code="HB203")]
    overlay = overlay_html(diags, report.Style("zh"))
    assert not RAW.search(overlay.replace("\n", "")), overlay
    assert "<script>" not in overlay and "<b>" not in overlay and "<i>" not in overlay
    items = re.findall(r"<li[^>]*>(.*?)</li>", overlay, re.S)
    assert len(items) == 2
    for d, item in zip(diags, items):  # what the CLI prints, less the quoted source line
        assert html.unescape(re.sub(r"<[^>]+>", "", item)) == report.render(
            [d], "text", Path("/nonexistent"), style=report.Style("zh"))
    assert items[0].startswith('<span class="loc">p/&lt;b&gt;.md:4:2</span>: error[HB132]: ')
    assert '<li class="warning">warning[HB203]: w</li>' in overlay
    assert "构建失败：1 个错误" in overlay
