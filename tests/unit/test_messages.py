"""Every message has its Chinese: each code in CODES, each template the source passes to
Diagnostics.add (and to the other places a message is made from a template: diagnostic,
TooLarge, the refusal exceptions, the CLI's _say), found by reading the source's syntax
tree; a translation keeps exactly the template's fields. The bad-input catalogue run in
Chinese (tests/reliability) checks that nothing falls back to English at run time."""
from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from handbook_gen.core import report
from handbook_gen.core.diagnostics import (CODES, DID_YOU_MEAN, Diagnostics, Location, Severity,
                                           diagnostic, fields)
from handbook_gen.core.messages_zh import ZH

SRC = Path(__file__).resolve().parents[2] / "src" / "handbook_gen"
_CODE = re.compile(r"HB\d{3}")
# callables that take a template (position among the positional arguments) without a
# code first; any call whose first argument is a code takes its template second
TEMPLATE_ARG = {"_say": 0, "say": 0, "_unresolved_prose": 1}
_EXCEPTION = re.compile(r".*(Refused|Failed|UnsafeOutputPath|TemplateError)$")
# codes whose templates are passed through a helper or an exception
INDIRECT = {"_unresolved_prose": "HB205", "UnsafeOutputPath": "HB401"}


def _strings(node) -> list[str] | None:
    """The texts a template expression can take (constants, `a if c else b`, `a + b` of
    constants), or None when it is computed (a name, a call)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        a, b = _strings(node.body), _strings(node.orelse)
        return None if a is None or b is None else a + b
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        a, b = _strings(node.left), _strings(node.right)
        return None if a is None or b is None else [x + y for x in a for y in b]
    if isinstance(node, ast.Constant) and node.value is None:
        return []
    return None


def _name(call: ast.Call) -> str:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def scan() -> list[tuple[str, int, str | None, str, bool, ast.AST]]:
    """(file, line, code or None, template, has parameters, node) of every literal
    template in the source; f-strings are reported with template '<f-string>'."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Tuple) and len(node.elts) >= 4:  # limits' excess tuples
                code, tmpl = node.elts[0], node.elts[1]
                if isinstance(code, ast.Constant) and _CODE.fullmatch(str(code.value)):
                    for t in _strings(tmpl) or []:
                        found.append((rel, node.lineno, code.value, t, True, node))
                continue
            if not isinstance(node, ast.Call):
                continue
            name = _name(node)
            first = node.args[0] if node.args else None
            code = INDIRECT.get(name)
            if isinstance(first, ast.Constant) and _CODE.fullmatch(str(first.value)):
                pos, code = 1, first.value
            elif name in TEMPLATE_ARG:
                pos = TEMPLATE_ARG[name]
            elif _EXCEPTION.fullmatch(name):
                pos = 0
            else:
                continue
            has_params = any(k.arg not in ("hint", None, "severity") for k in node.keywords) \
                or any(k.arg is None for k in node.keywords)
            exprs = node.args[pos:pos + 1] + [k.value for k in node.keywords if k.arg == "hint"]
            if name in ("add", "diagnostic") and len(node.args) > 3:
                exprs.append(node.args[3])
            for expr in exprs:
                if isinstance(expr, ast.JoinedStr):
                    found.append((rel, node.lineno, code, "<f-string>", has_params, node))
                for t in _strings(expr) or []:
                    found.append((rel, node.lineno, code, t, has_params, node))
    return found


TEMPLATES = scan()


def test_the_scan_sees_the_call_sites():
    assert len({t for *_, t, _p, _n in TEMPLATES}) > 300
    files = {f for f, *_ in TEMPLATES}
    assert {"source/yamlsafe.py", "assemble/resolve.py", "markdown/limits.py",
            "build/output.py", "cli.py"} <= files


def test_no_message_is_an_f_string():
    """A message made with an f-string has no template to translate."""
    bad = [f"{f}:{line}" for f, line, _c, t, _p, _n in TEMPLATES if t == "<f-string>"]
    assert not bad, bad


def _needed(template: str) -> set:
    """The fields of a template a translation must keep: all but the English grammar
    fields (plural endings), whose names start with '_'."""
    return {f for f in fields(template) if not f[0].startswith("_")}


def test_every_template_has_a_chinese_translation_with_the_same_fields():
    missing, wrong = [], []
    for path, line, _code, template, has_params, _node in TEMPLATES:
        if template == "<f-string>":
            continue
        if template not in ZH:
            missing.append(f"{path}:{line}: {template!r}")
            continue
        if has_params and _needed(template) != _needed(ZH[template]):
            wrong.append(f"{path}:{line}: {template!r} -> {ZH[template]!r}")
    assert not missing, "\n".join(missing)
    assert not wrong, "\n".join(wrong)


def test_every_code_has_a_chinese_message():
    have = {code for _f, _l, code, t, _p, _n in TEMPLATES if code and t in ZH}
    have |= {code for text in ZH.values() for code in _CODE.findall(text)}
    assert set(CODES) - have == set()


def test_translations_are_chinese_and_well_formed():
    han = re.compile(r"[\u4e00-\u9fff]")
    for english, chinese in ZH.items():
        try:
            keys = fields(english)
        except ValueError:  # a phrase with a brace, not a template
            continue
        if keys:
            assert _needed(chinese) == _needed(english), english
            assert fields(chinese) <= keys, english
        # a translation says something in Chinese unless it is a file name or code sample
        if re.search(r"[a-z]{3,} [a-z]{3,} [a-z]{3,}", english) and "{" not in english[:1]:
            assert han.search(chinese), f"not translated: {english!r} -> {chinese!r}"


def test_a_diagnostic_is_written_in_the_chosen_language():
    d = Diagnostics()
    d.add("HB101", "unknown {what!t} key '{key}'", Location("p/a.md", 3, 1),
          hint=DID_YOU_MEAN, what="front-matter", key="titel", guess="title")
    (diag,) = d.items
    assert diag.message == "unknown front-matter key 'titel'"
    assert report.localize(diag, "zh") == ("未知的文件头键“titel”", "是否想写“title”？")
    assert report.localize(diag, "en") == (diag.message, diag.hint)
    zh = report.render([diag], "text", Path("/nonexistent"), style=report.Style("zh"))
    assert zh == "p/a.md:3:1: warning[HB101]: 未知的文件头键“titel”\n  = 提示：是否想写“title”？"


def test_a_missing_translation_is_noticed_not_hidden():
    diag = diagnostic("HB101", "a template nobody translated {x}", x=1)
    missing: list = []
    assert report.localize(diag, "zh", missing)[0] == "a template nobody translated 1"
    assert missing == ["a template nobody translated {x}"]
    term: list = []
    report.translate("unknown {what!t} key '{key}'", {"what": "no such phrase", "key": "k"},
                     "zh", term)
    assert term == ["no such phrase"]


def test_json_keeps_the_code_the_template_and_the_parameters():
    diag = diagnostic("HB121", "owner '{owner}' is not in the department registry",
                      Location("p/a.md", 4, 8), hint="add it to departments: in _handbook.yaml",
                      owner="HRX")
    obj = report.to_json(diag, report.Style("zh", "docs/"))
    assert obj["code"] == "HB121" and obj["name"] == "unknown-owner" and obj["lang"] == "zh"
    assert obj["message"] == "归口部门“HRX”不在部门登记表中"
    assert obj["path"] == "docs/p/a.md" and (obj["line"], obj["col"]) == (4, 8)
    assert obj["template"] == "owner '{owner}' is not in the department registry"
    assert obj["params"] == {"owner": "HRX"}
    back = report.from_json(report.to_json(diag))  # the build record: read back, re-written
    assert report.localize(back, "zh") == report.localize(diag, "zh")
    gh = report.format_github(diag, report.Style("zh", "docs/"))
    assert gh.startswith("::error file=docs/p/a.md,line=4,col=8,title=HB121::归口部门“HRX”")


@pytest.mark.parametrize("option, env, configured, lang", [
    (None, None, None, "zh"), (None, None, "zh-CN", "zh"), (None, None, "zh-Hant", "zh"),
    (None, None, "en", "en"), (None, "en", "zh-CN", "en"), ("zh", "en", "en", "zh"),
    ("en", None, None, "en"), (None, "zh_CN.UTF-8", "en", "zh"),
])
def test_language_choice(option, env, configured, lang):
    assert report.language(option, env, configured) == lang


def test_cli_messages_follow_the_language(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from handbook_gen.cli import main
    monkeypatch.delenv("HANDBOOK_LANG", raising=False)
    runner = CliRunner()
    r = runner.invoke(main, ["check", str(tmp_path / "nope")])
    assert r.exit_code == 2 and "源目录" in r.output and "不存在" in r.output
    r = runner.invoke(main, ["check", "--lang", "en", str(tmp_path / "nope")])
    assert r.exit_code == 2 and "source directory" in r.output
    monkeypatch.setenv("HANDBOOK_LANG", "en")
    r = runner.invoke(main, ["check", str(tmp_path / "nope")])
    assert "source directory" in r.output
    r = runner.invoke(main, ["--lang", "zh", "check", str(tmp_path / "nope")])
    assert "源目录" in r.output


def test_severity_labels_and_codes_stay_as_they_are():
    diag = diagnostic("HB205", "{raw}: this document has no numbered articles",
                      Location("p/a.md", 9, 2), raw="第三条")
    text = report.render([diag], "text", Path("/nonexistent"), style=report.Style("zh"))
    assert text.startswith("p/a.md:9:2: warning[HB205]: 第三条：本文件没有编号的条文")
    assert diag.severity == Severity.WARNING
    assert string.Formatter  # the templates are str.format templates
