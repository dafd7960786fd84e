"""Each bad input gets one diagnostic at an exact file:line:col, an exit code, no traceback,
and never touches the sources or a previous site."""
from __future__ import annotations

import time
import tracemalloc

import pytest
from helpers import codes, policy

from handbook_gen.markdown.document import parse_document


def diag_lines(result) -> list[str]:
    return [line for line in result.output.splitlines() if "[HB" in line]


def test_duplicate_yaml_key(project):
    project.write("01-general/a.md", "---\nid: GN-001\ntitle: 甲\ntitle: 乙\nowner: GMO\n"
                  "status: active\neffective: 2025-01-01\nversion: \"1\"\n---\n正文\n")
    r = project.check()
    assert r.exit_code == 1
    assert "policies/01-general/a.md:4:1: error[HB106]: duplicate key 'title' (first defined on line 3)" in r.output


@pytest.mark.parametrize("value,what,col", [("NO", "a boolean", 10), ("1.10", "a number", 10),
                                            ("10:00", "a sexagesimal number", 10),
                                            ("0755", "an integer", 10)])
def test_yaml_typing_traps_stay_text_and_warn(project, value, what, col):
    project.write("01-general/a.md", policy("GN-001", extra=f"approved_by: {value}\n"))
    r = project.check()
    assert f"policies/01-general/a.md:8:{col + 4}: warning[HB104]: unquoted '{value}' in " \
           f"'approved_by' is {what}" in r.output
    doc = parse_document("policies/01-general/a.md",
                         (project.src / "01-general/a.md").read_bytes())
    assert doc.meta.approved_by == value  # kept verbatim, never converted


def test_version_1_10_stays_1_10(project):
    project.write("01-general/a.md", policy("GN-001").replace('version: "1.0"', 'version: 1.10'))
    doc = parse_document("policies/01-general/a.md", (project.src / "01-general/a.md").read_bytes())
    assert doc.meta.version == "1.10"


def test_invalid_date(project):
    project.write("01-general/a.md", policy("GN-001").replace("2025-01-01", "2026-02-30"))
    r = project.check()
    assert r.exit_code == 1
    assert "policies/01-general/a.md:6:12: error[HB105]: invalid date '2026-02-30' in 'effective'" in r.output


def test_unterminated_front_matter(project):
    project.write("01-general/a.md", "---\nid: GN-001\ntitle: 甲\n\n正文没有结束标记\n")
    r = project.check()
    assert r.exit_code == 1
    assert "policies/01-general/a.md:1:1: error[HB110]" in r.output


def test_bom_and_crlf_build_exactly_like_clean_file(project):
    text = policy("GN-001", body="## 总则\n\n§{purpose} 目的。\n\n§ 第二条内容。\n")
    project.write("01-general/a.md", text)
    assert project.build(out="clean").exit_code == 0
    project.write("01-general/a.md", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    r = project.build(out="dirty")
    assert r.exit_code == 0, r.output
    assert project.page("policies/gn-001.html", "clean") == project.page("policies/gn-001.html", "dirty")


def test_crlf_keeps_line_numbers(project):
    text = policy("GN-001", body="正文\n\n[[XX-404]]\n")
    project.write("01-general/a.md", text.replace("\n", "\r\n").encode())
    r = project.check()
    assert "policies/01-general/a.md:11:1: error[HB200]: unknown policy 'XX-404'" in r.output


def test_gbk_file_is_a_clear_error(project):
    project.write("01-general/a.md", policy("GN-001", title="考勤制度").encode("gbk"))
    r = project.check()
    assert r.exit_code == 1
    assert "policies/01-general/a.md:3:8: error[HB001]: not valid UTF-8" in r.output
    assert "Traceback" not in r.output


def test_alias_bomb_rejected_fast_and_small(project):
    lines = ['a0: &a0 [' + ",".join(['"lol"'] * 9) + ']']
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 9) + "]")
    bomb = "\n".join(lines)
    assert len(bomb) < 450
    data = ("---\n" + bomb + "\n---\n正文\n").encode()
    tracemalloc.start()
    t = time.perf_counter()
    doc = parse_document("policies/01-general/a.md", data)
    elapsed = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 0.1 and peak < 5_000_000
    assert [d.code for d in doc.diagnostics] == ["HB107"]
    assert str(doc.diagnostics[0].location) == "policies/01-general/a.md:2:5"


def test_absurd_nesting_rejected(project):
    data = ("---\nx: " + "[" * 50000 + "]" * 50000 + "\n---\n").encode()
    doc = parse_document("policies/01-general/a.md", data)
    assert [d.code for d in doc.diagnostics] == ["HB109"]  # over the size limit: never parsed
    data = ("---\nx: " + "[" * 40 + "]" * 40 + "\n---\n").encode()
    doc = parse_document("policies/01-general/a.md", data)
    assert [d.code for d in doc.diagnostics] == ["HB108"]


def test_python_tag_never_executed(project, tmp_path):
    marker = tmp_path / "pwned"
    data = f"---\nx: !!python/object/apply:os.system [\"touch {marker}\"]\n---\n".encode()
    doc = parse_document("policies/01-general/a.md", data)
    assert [d.code for d in doc.diagnostics] == ["HB103"]
    assert not marker.exists()


def test_missing_required_key(project):
    project.write("01-general/a.md", policy("GN-001").replace("owner: GMO\n", ""))
    r = project.check()
    assert "policies/01-general/a.md:1:1: error[HB102]: missing required key 'owner'" in r.output


def test_unknown_key_warns_with_suggestion_and_fails_strict(project):
    project.write("01-general/a.md", policy("GN-001", extra="reviw_by: 2026-01-01\n"))
    r = project.check()
    assert r.exit_code == 0
    assert "policies/01-general/a.md:8:1: warning[HB101]: unknown front-matter key 'reviw_by'" in r.output
    assert "did you mean 'review_by'?" in r.output
    r = project.check("--strict")
    assert r.exit_code == 1
    assert "error[HB101]" in r.output


def test_duplicate_policy_ids(project):
    project.write("01-general/a.md", policy("GN-001"))
    project.write("01-general/b.md", policy("GN-001"))
    r = project.check()
    assert "policies/01-general/b.md:2:1: error[HB120]: duplicate policy id 'GN-001' (also in policies/01-general/a.md)" in r.output


def test_owner_not_in_registry(project):
    project.write("01-general/a.md", policy("GN-001", owner="FINN"))
    r = project.check()
    assert "policies/01-general/a.md:4:1: error[HB121]: owner 'FINN' is not in the department registry" in r.output
    assert "did you mean 'FIN'?" in r.output


def test_raw_html_reported_never_emitted(project):
    project.write("01-general/a.md", policy("GN-001", body="正文\n\n<script>alert(1)</script>\n\n文字 <img src=x onerror=alert(1)> 后\n"))
    r = project.check()
    assert "policies/01-general/a.md:11:1: error[HB130]: raw HTML is not allowed: <script>" in r.output
    assert "policies/01-general/a.md:13:4: error[HB130]: raw HTML is not allowed: <img" in r.output
    doc = parse_document("policies/01-general/a.md", (project.src / "01-general/a.md").read_bytes())
    assert "<script" not in doc.body.html and "onerror" not in doc.body.html


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)",
                                 "data:text/html;base64,PHNjcmlwdD4=", "vbscript:x"])
def test_unsafe_links_reported_never_emitted(project, url):
    project.write("01-general/a.md", policy("GN-001", body=f"正文[点我]({url})。\n"))
    r = project.check()
    assert "policies/01-general/a.md:9:8: error[HB132]: URL scheme not allowed" in r.output
    doc = parse_document("policies/01-general/a.md", (project.src / "01-general/a.md").read_bytes())
    assert url.split(":")[0].lower() + ":" not in doc.body.html.lower()


def test_html_comment_stripped_with_warning(project):
    project.write("01-general/a.md", policy("GN-001", body="正文<!-- 内部备注：不要公开 -->结束。\n\n<!--\n多行备注\n-->\n"))
    r = project.build()
    assert r.exit_code == 0
    assert "policies/01-general/a.md:9:3: warning[HB131]" in r.output
    assert "policies/01-general/a.md:11:1: warning[HB131]" in r.output
    html = project.page("policies/gn-001.html")
    assert "内部备注" not in html and "多行备注" not in html and "<!--" not in html


def test_two_sources_same_url(project):
    project.write("01-general/a.md", policy("GN-001"))
    project.write("01-general/b.md", policy("gn-001"))
    r = project.check()
    assert "policies/01-general/b.md:2:1: error[HB122]: policy id 'gn-001' and 'GN-001' map to the same page URL" in r.output


def test_symlink_out_of_tree_never_read(project, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("机密")
    (project.src / "01-general" / "leak.md").symlink_to(secret)
    r = project.check()
    assert "policies/01-general/leak.md: error[HB003]: symlink points outside the source tree" in r.output


def test_control_characters_warn(project):
    project.write("01-general/a.md", policy("GN-001", body="正文\x07有控制字符\n"))
    r = project.check()
    assert "policies/01-general/a.md:9:3: warning[HB002]: control character U+0007" in r.output


def test_fullwidth_colon_front_matter_hint(project):
    project.write("01-general/a.md", "---\n标题：考勤\n---\n正文\n")
    r = project.check()
    assert "policies/01-general/a.md:2:3: error[HB100]" in r.output  # at the '：'
    assert "full-width colon" in r.output


def test_deep_list_nesting_reported(project):
    body = "".join("  " * i + "- 层\n" for i in range(30))
    project.write("01-general/a.md", policy("GN-001", body=body))
    r = project.check()
    assert "error[HB133]" in r.output


def test_every_problem_reported_then_exit_1(project):
    project.write("01-general/a.md", policy("GN-001", owner="NOPE", body="[[XX-1]] [[dept:NOPE]]\n"))
    project.write("01-general/b.md", policy("GN-002", body="[[GN-001#nolabel]]\n"))
    r = project.check()
    assert r.exit_code == 1
    assert sorted(codes(r.output)) == ["HB121", "HB200", "HB201", "HB202"]


def test_pathological_markdown_is_fast(project):
    # a guard against quadratic blow-up (about 1.5 s when linear), not a benchmark: CPU
    # time, so that a busy machine does not fail it
    body = "[" * 50000 + "\n\n" + "a*" * 50000 + "\n"
    t = time.process_time()
    doc = parse_document("policies/01-general/a.md", policy("GN-001", body=body).encode())
    assert time.process_time() - t < 5
    assert doc.body is not None


# These tests quote the English messages; english_output also checks each has its Chinese.
pytestmark = pytest.mark.usefixtures("english_output")
