"""Catalogue rows for inputs that were already handled before the hostile-input campaign
(regressions guarded here): encodings, YAML traps, Markdown safety, links, references,
the handbook model, flows and templates. Positions are the source file's line:col."""
from __future__ import annotations

from catalogue import A, B, BUILD, CFG, CH, HB_YAML, Case, policy  # noqa: F401



def fm(key_value: str) -> str:
    """A policy whose front matter has one more line (line 8)."""
    return policy("GN-001", extra=key_value + "\n")


def body(text: str, pid: str = "GN-001") -> str:
    """A policy whose body starts on line 9."""
    return policy(pid, body=text)


def _no_marker(project, result):
    assert not (project.base / "pwned").exists()


def _site_kept(project, result):
    html = (project.base / "site" / "index.html").read_text("utf-8")
    assert "测试汇编" in html
    assert not any(p.name.startswith(".site.staging") for p in project.base.iterdir())


FLOW = "§{{flow}} 按下列流程办理：\n\n```flow 测试流程\n{lines}\n```\n"

ROWS: list[Case] = [
    # encodings
    Case("base-enc-gbk", {A: policy("GN-001", title="考勤制度").encode("gbk")},
         expect=(f"{A}:3:8: error[HB001]",)),
    Case("base-enc-bom-crlf", {A: b"\xef\xbb\xbf" + policy("GN-001").replace("\n", "\r\n").encode()},
         args=BUILD, exit=0, absent=("error[", "warning[")),
    Case("base-enc-crlf-positions", {A: body("正文\n\n[[XX-404]]\n").replace("\n", "\r\n")},
         expect=(f"{A}:11:1: error[HB200]",)),
    Case("base-enc-lone-cr-positions", {A: body("正文\n\n[[XX-404]]\n").replace("\n", "\r")},
         expect=(f"{A}:11:1: error[HB200]",)),
    Case("base-enc-nul", {A: body("第一段\x00正文。\n")}, exit=0,
         expect=(f"{A}:9:4: warning[HB002]",)),
    Case("base-enc-nul-strict", {A: body("第一段\x00正文。\n")}, args=("check", "{src}", "--strict"),
         expect=(f"{A}:9:4: error[HB002]",)),
    Case("base-enc-c1", {A: body("甲\x9b乙。\n")}, exit=0, expect=(f"{A}:9:2: warning[HB002]",)),
    Case("base-enc-bidi-override", {A: body("金额\u202e001\u202c元。\n")}, exit=0,
         expect=(f"{A}:9:3: warning[HB002]", f"{A}:9:7: warning[HB002]")),
    Case("base-enc-fffd", {A: body("替换\ufffd字符。\n")}, exit=0,
         expect=(f"{A}:9:3: warning[HB002]",)),
    Case("base-enc-latin1", {A: policy("GN-001", title="Caf\u00e9", body="text\n").encode("latin-1")},
         expect=(f"{A}:3:11: error[HB001]",)),
    # YAML
    Case("base-fm-duplicate-key", {A: "---\nid: GN-001\ntitle: 甲\ntitle: 乙\nowner: GMO\n"
                                      "status: active\neffective: 2025-01-01\nversion: \"1\"\n---\n正文\n"},
         expect=(f"{A}:4:1: error[HB106]",)),
    Case("base-fm-norway", {A: fm("approved_by: NO")}, exit=0, expect=(f"{A}:8:14: warning[HB104]",)),
    Case("base-fm-float-version", {A: policy("GN-001").replace('version: "1.0"', "version: 1.10")},
         exit=0, expect=(f"{A}:7:10: warning[HB104]",)),
    Case("base-fm-octal", {A: fm("doc_no: 0755")}, exit=0, expect=(f"{A}:8:9: warning[HB104]",)),
    Case("base-fm-sexagesimal", {A: fm("approved_by: 10:00")}, exit=0,
         expect=(f"{A}:8:14: warning[HB104]",)),
    Case("base-fm-invalid-date", {A: policy("GN-001").replace("2025-01-01", "2026-02-30")},
         expect=(f"{A}:6:12: error[HB105]",)),
    Case("base-fm-python-tag", {A: fm('doc_no: !!python/object/apply:os.system ["touch pwned"]')},
         expect=(f"{A}:8:9: error[HB103]",), post=_no_marker),
    Case("base-fm-alias-bomb", {A: fm("tags: &a [x, x, x, x, x, x, x, x, x]\nrelated: [*a, *a, *a]")},
         expect=(f"{A}:8:7: error[HB107]",)),
    Case("base-fm-deep-flow", {A: fm("tags: " + "[" * 5000 + "]" * 5000)},
         expect=(f"{A}:8:", "error[HB100]", "nesting depth")),
    Case("base-fm-too-large", {A: fm("tags: [" + ", ".join(["标签"] * 30000) + "]")},
         expect=(f"{A}:2:1: error[HB109]",)),
    Case("base-fm-fullwidth-colon", {A: "---\n标题：考勤\n---\n正文\n"},
         expect=(f"{A}:2:3: error[HB100]", "改为：标题: 考勤")),  # at the full-width colon
    Case("base-fm-list", {A: "---\n- a\n- b\n---\n正文\n"}, expect=(f"{A}:2:1: error[HB111]",)),
    Case("base-fm-unterminated", {A: "---\nid: GN-001\ntitle: 甲\n\n正文没有结束标记\n"},
         expect=(f"{A}:1:1: error[HB110]",)),
    Case("base-fm-colon-in-value", {A: policy("GN-001", title="制度: 考勤")},
         expect=(f"{A}:3:", "error[HB100]")),
    Case("base-fm-tab-indent", {A: fm("tags:\n\t- a")}, expect=("error[HB100]",)),
    Case("base-fm-missing-title", {A: "---\nid: GN-001\nowner: GMO\nstatus: active\n"
                                      "effective: 2025-01-01\nversion: \"1\"\n---\n正文\n"},
         expect=(f"{A}:1:1: error[HB102]",)),
    Case("base-fm-typo-key", {A: fm("titel: 甲")}, exit=0,
         expect=(f"{A}:8:1: warning[HB101]", "did you mean")),
    Case("base-fm-bad-status", {A: policy("GN-001", status="现行")},
         expect=(f"{A}:5:9: error[HB112]", "write 'active'")),
    Case("base-fm-list-title", {A: policy("GN-001", title="[甲, 乙]")},
         expect=(f"{A}:3:8: error[HB103]",)),
    Case("base-fm-no-front-matter", {A: "正文没有前言。\n"}, expect=(f"{A}:1:1: error[HB113]",)),
    # configuration
    Case("base-cfg-missing", {}, setup=lambda p, mp: (p.src / "_handbook.yaml").unlink(),
         expect=("error[HB126]",)),
    Case("base-cfg-unknown-owner", {A: policy("GN-001", owner="XYZ")},
         expect=(f"{A}:4:1: error[HB121]",)),
    Case("base-cfg-unknown-parent", {CFG: HB_YAML + "  - id: QA\n    name: 质量部\n    parent: QQ\n"},
         expect=(f"{CFG}:11:5: error[HB125]",)),
    Case("base-cfg-parent-cycle", {CFG: HB_YAML.replace("  - id: GMO\n    name: 总经理办公室\n",
                                                         "  - id: GMO\n    name: 总经理办公室\n    parent: HR\n")},
         expect=("error[HB125]", "its own ancestor")),
    Case("base-cfg-unknown-code", {CFG: HB_YAML + "diagnostics:\n  HB999: error\n"}, exit=0,
         expect=(f"{CFG}:12:3: warning[HB101]",)),
    Case("base-cfg-bad-severity", {CFG: HB_YAML + "diagnostics:\n  HB203: fatal\n"},
         expect=(f"{CFG}:12:10: error[HB112]",)),
    Case("base-cfg-yaml-syntax", {CFG: "title: [\n"}, expect=(f"{CFG}:", "error[HB100]")),
    # the handbook model
    Case("base-model-duplicate-id", {A: policy("GN-001"), B: policy("GN-001")},
         expect=("error[HB120]",)),
    Case("base-model-id-case-collision", {A: policy("GN-001"), B: policy("gn-001")},
         expect=("error[HB122]",)),
    Case("base-model-missing-chapter-file", {"policies/02-x/a.md": policy("GN-001")},
         expect=("error[HB123]",)),
    Case("base-model-policy-outside-chapter", {"policies/a.md": policy("GN-001")},
         expect=("error[HB124]",)),
    Case("base-model-stray-file", {"policies/01-general/notes.txt": "备注"}, exit=0,
         expect=("warning[HB005]",)),
    # Markdown safety
    Case("base-md-script", {A: body("<script>alert(1)</script>\n")},
         expect=(f"{A}:9:1: error[HB130]",)),
    Case("base-md-img-onerror", {A: body("文字 <img src=x onerror=alert(1)> 文字\n")},
         expect=(f"{A}:9:4: error[HB130]",)),
    Case("base-md-javascript-link", {A: body("[点我](javascript:alert(1))\n")},
         expect=(f"{A}:9:6: error[HB132]",)),
    Case("base-md-javascript-mixed-case", {A: body("[点我](JaVaScRiPt:alert(1))\n")},
         expect=(f"{A}:9:6: error[HB132]",)),
    Case("base-md-vbscript-link", {A: body("[点我](vbscript:msgbox)\n")},
         expect=(f"{A}:9:6: error[HB132]",)),
    Case("base-md-data-image", {A: body("![图](data:image/svg+xml;base64,PHN2Zz4=)\n")},
         expect=(f"{A}:9:6: error[HB132]",)),
    Case("base-md-file-link", {A: body("[x](file:///etc/passwd)\n")},
         expect=(f"{A}:9:5: error[HB132]",)),
    Case("base-md-comment", {A: body("正文<!-- 内部备注 -->继续。\n")}, exit=0,
         expect=("warning[HB131]",)),
    Case("base-md-deep-list", {A: body("".join("  " * i + "- 项\n" for i in range(40)))},
         expect=("error[HB133]",)),
    Case("base-md-deep-quote", {A: body(">" * 60 + " 引文\n")}, expect=("error[HB133]",)),
    Case("base-md-broken-link", {A: body("[见](../missing.md)\n")},
         expect=(f"{A}:9:5: error[HB134]",)),
    Case("base-md-link-escapes", {A: body("[x](../../../etc/passwd.md)\n")},
         expect=(f"{A}:9:5: error[HB135]",)),
    Case("base-md-empty-heading", {A: body("## ？\n\n正文\n")}, exit=0,
         expect=(f"{A}:9:1: warning[HB136]",)),
    # references
    Case("base-ref-unknown-policy", {A: body("见[[XX-404]]。\n")},
         expect=(f"{A}:9:2: error[HB200]",)),
    Case("base-ref-unknown-article", {A: policy("GN-001"), B: body("见[[GN-001#nope]]。\n", "GN-002")},
         expect=(f"{B}:9:2: error[HB201]",)),
    Case("base-ref-unknown-department", {A: body("由[[dept:XYZ]]负责。\n")},
         expect=(f"{A}:9:2: error[HB202]",)),
    Case("base-ref-unmatched", {A: body("见[[GN-001。\n")}, expect=(f"{A}:9:2: error[HB204]",)),
    Case("base-ref-duplicate-label", {A: body("§{a} 甲。\n\n§{a} 乙。\n")},
         expect=(f"{A}:11:", "error[HB210]")),
    Case("base-ref-supersedes-unknown", {A: fm("supersedes: [XX-1]")},
         expect=(f"{A}:8:", "error[HB211]")),
    Case("base-ref-supersedes-cycle",
         {A: policy("GN-001", extra="supersedes: [GN-002]\n"),
          B: policy("GN-002", extra="supersedes: [GN-001]\n")},
         expect=("error[HB212]",)),
    # flows
    Case("base-flow-syntax", {A: body(FLOW.format(lines="只有一个字段"))},
         expect=("error[HB310]",)),
    Case("base-flow-unknown-department", {A: body(FLOW.format(lines="申请 | XYZ | 提出申请"))},
         expect=("error[HB311]",)),
    Case("base-flow-unknown-step", {A: body(FLOW.format(lines="申请 | GMO | 提出申请\n同意 → 审批"))},
         expect=("error[HB312]",)),
    # templates: a failing template publishes nothing, the old site stays
    Case("base-tpl-syntax", {A: policy("GN-001"), "templates/policy.html": "{% block x %}{{ }}"}, args=BUILD,
         prebuild=True, expect=("error[HB400]",), post=_site_kept),
    Case("base-tpl-undefined", {A: policy("GN-001"), "templates/policy.html": "{{ no_such_thing.attr }}"}, args=BUILD,
         prebuild=True, expect=("error[HB400]",), post=_site_kept),
    Case("base-tpl-runtime-error-line", {A: policy("GN-001"), "templates/policy.html":
                                         '{% extends "builtin/policy.html" %}\n'
                                         "{% block policy_meta %}\n<p>\n{{ meta.nothing.deeper }}\n"
                                         "</p>{% endblock %}\n"},
         args=BUILD, prebuild=True, expect=("templates/policy.html:4:1: error[HB400]",),
         post=_site_kept),
]
