"""Catalogue rows for diagnostics and the CLI: severities that _handbook.yaml cannot
lower (and the overrides that still work), control characters in messages, file names
and quoted source lines in every format, a line of 28,000 unsafe links, the build
summary's count of policy pages (HB402), environment failures (exit 3 in one line) and
internal errors (HB403). Positions are the source file's line:col."""
from __future__ import annotations

import errno
import json
import os

from catalogue import A, B, BUILD, CFG, CH, HB_YAML, Case, policy  # noqa: F401

ESCAPES = "正文\x1b]0;pwned\x07和\x1b[2J。\n"
"""An OSC that retitles the terminal, a bell and a clear-screen, in a policy body."""
HOSTILE_NAME = "policies/01-general/\x1b]0;pwned\x07\x1b[2J.md"
RAW = ("\x1b", "\x07", "\x00")
LINKS = 12_000  # a 204 KB line (17 bytes a link), within the inline budget


def override(text: str) -> dict[str, str]:
    """_handbook.yaml with a diagnostics: block (its first key on line 12, column 3)."""
    return {CFG: HB_YAML + "diagnostics:\n" + text}


def body(text: str, pid: str = "GN-001") -> str:
    """A policy whose body starts on line 9."""
    return policy(pid, body=text)


def _site_kept(project, result):
    """The site of the prebuild is still published, whole, and nothing is left over."""
    html = (project.base / "site" / "index.html").read_text("utf-8")
    assert "测试汇编" in html
    assert not (project.base / "site" / "policies" / "gn-002.html").exists()
    assert not any(p.name.startswith(".site.") and p.name != ".site.lock"
                   for p in project.base.iterdir())


def _json_lines(count: int, code: str):
    def post(project, result):
        objs = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
        assert len([o for o in objs if o["code"] == code]) == count
    return post


def _json_keeps_text(project, result):
    objs = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    assert any("\x1b]0;pwned\x07" in (o["path"] or "") for o in objs), objs


def _skip_policy_task(project, mp):
    """A renderer that forgets one policy's page (as a bug would)."""
    from handbook_gen.render.site import PageRenderer
    tasks = PageRenderer.tasks
    mp.setattr(PageRenderer, "tasks",
               lambda self: [t for t in tasks(self) if t != ("policy", "GN-002")])


def _silent_policy_failure(project, mp):
    """A policy page that renders to nothing without saying why."""
    from handbook_gen.render.site import PageRenderer
    render = PageRenderer.render
    mp.setattr(PageRenderer, "render",
               lambda self, t, *a: (render(self, t, *a)[0], None) if t == ("policy", "GN-002")
               else render(self, t, *a))


def _policy_page_elsewhere(project, mp):
    """A policy page written under another name."""
    from handbook_gen.render.site import PageRenderer
    render = PageRenderer.render
    mp.setattr(PageRenderer, "render",
               lambda self, t, *a: ("policies/elsewhere.html", render(self, t, *a)[1])
               if t == ("policy", "GN-002") else render(self, t, *a))


def _deny(predicate, function: str):
    """Make os.<function> raise PermissionError for paths that match (tests run as root,
    so file modes cannot refuse anything)."""
    def setup(project, mp):
        real = getattr(os, function)

        def denied(path, *args, **kwargs):
            if predicate(os.fspath(path)):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
            return real(path, *args, **kwargs)
        mp.setattr(os, function, denied)
    return setup


def _raise_in_checks(exc: BaseException):
    def setup(project, mp):
        from handbook_gen.build import pipeline

        def fail(*args):
            raise exc
        mp.setattr(pipeline, "run_checks", fail)
    return setup


ROWS: list[Case] = [
    # fixed severities: lowering one is an error at the override; the problem stays an error
    Case("diag-fixed-hb400-build-keeps-site",
         {**override("  HB400: info\n"), A: policy("GN-001"), B: policy("GN-002"),
          "templates/policy.html": "{{ no_such_thing.attr }}"},
         args=BUILD, prebuild=True, post=_site_kept,
         expect=(f"{CFG}:12:3: error[HB112]: the severity of HB400 (template-error) cannot be "
                 "changed",)),
    Case("diag-fixed-hb132-warning", {**override("  HB132: warning\n"),
                                      A: body("[点我](javascript:alert(1))\n")},
         expect=(f"{CFG}:12:3: error[HB112]", f"{A}:9:6: error[HB132]")),
    Case("diag-fixed-hb113-info", {**override("  HB113: info\n"), A: "正文没有前言。\n"},
         expect=(f"{CFG}:12:3: error[HB112]", f"{A}:1:1: error[HB113]")),
    Case("diag-fixed-hb001-warning", {**override("  HB001: warning\n"),
                                      A: policy("GN-001", title="考勤制度").encode("gbk")},
         expect=(f"{CFG}:12:3: error[HB112]", f"{A}:3:8: error[HB001]")),
    Case("diag-fixed-hb130-flow-mapping", {CFG: HB_YAML + "diagnostics: {HB130: info}\n",
                                           A: body("<b>粗体</b>\n")},
         expect=(f"{CFG}:11:15: error[HB112]", f"{A}:9:1: error[HB130]")),
    Case("diag-fixed-hb402-and-hb137", {**override("  HB402: warning\n  HB137: info\n"),
                                        A: policy("GN-001")},
         expect=(f"{CFG}:12:3: error[HB112]: the severity of HB402",
                 f"{CFG}:13:3: error[HB112]: the severity of HB137")),
    Case("diag-fixed-same-severity-accepted", {**override("  HB400: error\n  HB132: error\n"),
                                               A: policy("GN-001")},
         args=BUILD, exit=0, absent=("HB112",)),
    # overrides of the other codes still work, both ways
    Case("diag-override-lower-comment", {**override("  HB131: info\n"),
                                         A: body("正文<!-- 内部备注 -->继续。\n")},
         args=BUILD, exit=0, expect=(f"{A}:9:3: info[HB131]",)),
    Case("diag-override-lower-unknown-policy", {**override("  HB200: warning\n"),
                                                A: body("见[[XX-404]]。\n")},
         args=BUILD, exit=0, expect=(f"{A}:9:2: warning[HB200]",)),
    Case("diag-override-raise-unknown-key", {**override("  HB101: error\n"),
                                             A: policy("GN-001", extra="titel: 甲\n")},
         expect=(f"{A}:8:1: error[HB101]",)),
    # control characters never reach the terminal raw, in any format
    Case("diag-ctrl-quoted-line-text", {A: body(ESCAPES)}, exit=0,
         expect=(f"{A}:9:3: warning[HB002]", "9 | 正文\\x1b]0;pwned\\x07和\\x1b[2J。"),
         absent=RAW),
    Case("diag-ctrl-quoted-line-github", {A: body(ESCAPES)}, exit=0,
         args=("check", "{src}", "--format", "github"),
         expect=(f"::warning file={A},line=9,col=3,title=HB002::",), absent=RAW),
    Case("diag-ctrl-quoted-line-json", {A: body(ESCAPES)}, exit=0,
         args=("check", "{src}", "--format", "json"), absent=RAW,
         expect=('"code": "HB002", "col": 3',), post=_json_lines(3, "HB002")),
    Case("diag-ctrl-file-name-text", {HOSTILE_NAME: body("见[[XX-1]]。\n")},
         expect=("policies/01-general/\\x1b]0;pwned\\x07\\x1b[2J.md:9:2: error[HB200]",),
         absent=RAW),
    Case("diag-ctrl-file-name-github", {HOSTILE_NAME: body("见[[XX-1]]。\n")},
         args=("check", "{src}", "--format", "github"),
         expect=("::error file=policies/01-general/\\x1b]0;pwned\\x07\\x1b[2J.md,line=9,col=2",),
         absent=RAW),
    Case("diag-ctrl-file-name-json", {HOSTILE_NAME: body("见[[XX-1]]。\n")},
         args=("check", "{src}", "--format", "json"),
         expect=('"path": "policies/01-general/\\u001b]0;pwned\\u0007\\u001b[2J.md"',),
         absent=RAW, post=_json_keeps_text),
    Case("diag-ctrl-yaml-escape-title", {A: policy("GN-001", title='"\\e]0;pwned\\a"')},
         expect=(f"{A}:3:8: error[HB115]", "'\\x1b]0;pwned\\x07'"), absent=RAW),
    Case("diag-ctrl-yaml-escape-owner-github",
         {A: policy("GN-001", owner='"G\\e[2JMO\\0"')},
         args=("check", "{src}", "--format", "github"),
         expect=(f"::error file={A},line=4,col=8,title=HB115::",), absent=RAW),
    Case("diag-ctrl-bidi-and-c1", {A: body("正文\u202e反转\x9b31m[[XX-1]]。\n")},
         expect=(f"{A}:9:10: error[HB200]", "9 | 正文\\u202e反转\\x9b31m[[XX-1]]。"),
         absent=("\u202e", "\x9b")),
    # a line of 28,000 unsafe links: linear output, every one in JSON
    Case("diag-huge-unsafe-line", {A: body("[x](javascript:1)" * LINKS + "\n")},
         expect=(f"{A}:9:5: error[HB132]", f"{A}:9:22: error[HB132]",
                 f"… and {LINKS - 100:,} more HB132 in {A}", f"{LINKS} errors")),
    Case("diag-huge-unsafe-line-json", {A: body("[x](javascript:1)" * LINKS + "\n")},
         args=("check", "{src}", "--format", "json"), post=_json_lines(LINKS, "HB132")),
    # the build summary: a published policy without a page fails the build (HB402)
    Case("diag-page-missing-task", {A: policy("GN-001"), B: policy("GN-002")},
         args=BUILD, prebuild=True, setup=_skip_policy_task, post=_site_kept,
         expect=(f"{B}: error[HB402]: the page of policy GN-002 (policies/gn-002.html) was "
                 "not written", "build failed: 2 policies → 1 policy page")),
    Case("diag-page-missing-silent-render", {A: policy("GN-001"), B: policy("GN-002")},
         args=BUILD, prebuild=True, setup=_silent_policy_failure, post=_site_kept,
         expect=(f"{B}: error[HB402]",)),
    Case("diag-page-written-elsewhere", {A: policy("GN-001"), B: policy("GN-002")},
         args=BUILD, prebuild=True, setup=_policy_page_elsewhere, post=_site_kept,
         expect=(f"{B}: error[HB402]",)),
    # the environment failing: exit 3, one line naming the path, no traceback
    Case("diag-env-lock-file-denied", {A: policy("GN-001")}, args=BUILD, exit=3,
         setup=_deny(lambda p: p.endswith(".site.lock"), "open"),
         expect=(".site.lock", "Permission denied")),
    Case("diag-env-out-parent-denied", {A: policy("GN-001")}, exit=3,
         args=("build", "{src}", "--out", "{out}/../new/site"),
         setup=_deny(lambda p: p.endswith("/new"), "mkdir"),
         expect=("error: ", "/new", "Permission denied")),
    Case("diag-env-oserror-in-a-phase", {A: policy("GN-001")}, exit=3,
         setup=_raise_in_checks(OSError(errno.EIO, "Input/output error", "/dev/disk")),
         expect=("error: /dev/disk: Input/output error",)),
    Case("diag-env-out-of-memory", {A: policy("GN-001")}, exit=3,
         setup=_raise_in_checks(MemoryError()), expect=("error: out of memory",)),
    # a bug: one line, its type, a request to report it (HANDBOOK_DEBUG=1 for the traceback)
    Case("diag-internal-error", {A: policy("GN-001")}, exit=3,
         setup=_raise_in_checks(RuntimeError("boom")),
         expect=("internal error (HB403): RuntimeError: boom; this is a bug in handbook-gen",
                 "HANDBOOK_DEBUG=1")),
    Case("diag-internal-error-recursion-build", {A: policy("GN-001")}, args=BUILD, exit=3,
         setup=_raise_in_checks(RecursionError("maximum recursion depth exceeded")),
         expect=("internal error (HB403): RecursionError",)),
]
