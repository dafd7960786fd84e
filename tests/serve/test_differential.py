"""The differential test: a live site taken through random sequences of edits serves,
after every step, exactly the pages (path -> bytes) and the diagnostics of a clean
``build`` of the sources as they are at that step.

The edits are those an author makes: body text, front matter (title, status,
effective date, version, owner, supersedes), citations added, removed and broken in
both forms (``[[ID#label]]`` and ``《title》第N条``), an article inserted before cited
ones, files renamed, moved, deleted and added, the department registry, a chapter
page and a template override (including a broken one). The site is a model (plain
data) written to disk after each step; the paths that changed are what a file watcher
would report. Hypothesis draws the sequences, derandomized, so every run tries the same
ones and a failure shrinks to a short sequence.
"""
from __future__ import annotations

import difflib
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from handbook_gen.build.output import MARKER
from handbook_gen.build.pipeline import BuildOptions, build
from handbook_gen.serve.live import DeferredBuilder, LiveSite
from handbook_gen.serve.watch import classify

OPEN_PAGE = "policies/gn-001.html"
"""The page a browser has open in the server-like runs (rendered first)."""


# ---- the adapter: the only code here that drives the live site ------------------------------
@dataclass
class Served:
    ok: bool
    pages: dict[str, bytes]
    diagnostics: list


def live_session(root: Path, options: BuildOptions, server: bool):
    """Start a live site on `root`; return ``apply(paths)``, which tells it that the
    files `paths` changed (None: the first build) and returns what it then serves.

    server=False: one ``rebuild(changes)``. server=True: what the dev server does: the
    open page first and the rest in ``finish()``, the whole-site outputs (search index,
    compiled edition) from a ``DeferredBuilder`` fed by ``deferred_request`` (run here,
    in this process, instead of in the server's worker)."""
    live = LiveSite(root, options)
    templates = root.parent / "templates"
    builder = DeferredBuilder(root, options) if server else None
    sent: dict[str, bytes] = {}
    deferred_error: list | None = None  # of the last whole-site build, shown while ok

    def apply(paths: list[Path] | None) -> Served:
        nonlocal deferred_error
        changes = None if paths is None else [
            c for p in paths if (c := classify(str(p), root, templates)) is not None]
        if not server:
            live.rebuild(changes)
            return Served(live.ok, dict(live.files), list(live.diagnostics))
        live.rebuild(changes, defer=True, first={OPEN_PAGE})
        live.finish()
        request = live.deferred_request(sent)
        if request is not None:
            builder.take(request)
            reply = builder.build(request)
            outputs = live.deferred_result(reply)
            deferred_error = list(reply[1]) if outputs is None else None
            if outputs is not None:
                live.apply_deferred(outputs)
        if live.ok and deferred_error:
            return Served(False, dict(live.files), deferred_error)
        return Served(live.ok, dict(live.files), list(live.diagnostics))
    return apply


def clean_build(root: Path, out: Path, options: BuildOptions) -> Served:
    result = build(root, out, options)
    pages = {}
    if result.ok:
        pages = {p.relative_to(out).as_posix(): p.read_bytes()
                 for p in out.rglob("*") if p.is_file()}
        # The build record: the marker holds the digest of the build's inputs, for the
        # next build's up-to-date check. A live site has no such record; every other
        # file must be the same.
        del pages[MARKER]
    return Served(result.ok, pages, result.diagnostics.items)


# ---- the site, as data --------------------------------------------------------------------
NUMERALS = "零一二三四五六七八九十"
TITLES = ["制度管理规定", "文件管理办法", "合同管理办法", "质量管理制度", "新定的办法"]
STATUSES = ["active", "draft", "retired"]
DATES = ["2025-01-01", "2026-06-01", "2024-03-15"]  # the build date is 2026-01-01
VERSIONS = ['"1.0"', '"2.1"', "1.10"]  # unquoted 1.10: a warning
OWNERS = ["GMO", "FIN", "HR", "QA"]  # QA only exists once the registry adds it
NEW_IDS = ["NW-001", "NW-002", "GN-002"]  # an existing id: a duplicate
FOLDERS = ["01-general", "02-operations"]
DEPARTMENTS = {"GMO": ("总经理办公室", None), "FIN": ("财务部", "GMO"), "HR": ("人力资源部", "GMO")}
TEMPLATES = [
    '{% extends "builtin/policy.html" %}{% block policy_meta %}'
    '<p class="meta">{{ meta.id }} {{ meta.version }}</p>{% endblock %}',
    '{% extends "builtin/policy.html" %}{% block policy_meta %}'
    '<p>版本 {{ meta.version }}</p>{{ super() }}{% endblock %}',
    '{% extends "builtin/policy.html" %}{% block policy_meta %}{{ oops {% endblock %}',
    '{% extends "builtin/policy.html" %}{% block policy_meta %}{{ no_such() }}{% endblock %}',
    None,  # no override
]


@dataclass
class Policy:
    rel: str
    id: str
    title: str
    articles: list[str]
    owner: str = "GMO"
    status: str = "active"
    effective: str = "2025-01-01"
    version: str = '"1.0"'
    supersedes: tuple[str, ...] = ()

    def text(self) -> str:
        meta = (f"id: {self.id}\ntitle: {self.title}\nowner: {self.owner}\n"
                f"status: {self.status}\neffective: {self.effective}\nversion: {self.version}\n")
        if self.supersedes:
            meta += f"supersedes: [{', '.join(self.supersedes)}]\n"
        half = (len(self.articles) + 1) // 2
        body = "## 总则\n\n" + "\n\n".join(self.articles[:half]) + "\n"
        if self.articles[half:]:
            body += "\n## 附则\n\n" + "\n\n".join(self.articles[half:]) + "\n"
        return f"---\n{meta}---\n{body}"


def initial_policies() -> list[Policy]:
    return [
        Policy("01-general/policy-management.md", "GN-001", "制度管理规定", [
            "§{purpose} 为规范制度管理，制定本规定。", "§{scope} 本规定适用于公司各部门。",
            "§{owner} 本规定由[[dept:GMO]]负责解释。"]),
        Policy("01-general/documents.md", "GN-002", "文件管理办法", [
            "§{purpose} 为规范文件管理，制定本办法。", "§ 文件的起草依照[[GN-001#scope]]执行。",
            "§ 其他事项见《制度管理规定》第三条。"]),
        Policy("01-general/meetings.md", "GN-003", "会议管理规定", [
            "§{purpose} 为规范会议，制定本规定。", "§{notice} 会议通知依照本规定第一条发出。"],
            supersedes=("GN-004",)),
        Policy("01-general/old-meetings.md", "GN-004", "旧会议办法", [
            "§{purpose} 旧的会议办法。"], status="retired", effective="2020-01-01"),
        Policy("02-operations/procurement.md", "OP-001", "采购管理办法", [
            "§{purpose} 为规范采购，制定本办法。",
            "§{limits} 采购限额由[[dept:FIN]]核定，见[[OP-002#purpose]]。",
            "§ 采购文件按[[GN-002]]归档。"]),
        Policy("02-operations/contracts.md", "OP-002", "合同管理办法", [
            "§{purpose} 为规范合同管理，制定本办法。", "§ 采购合同适用[[OP-001#limits]]。"]),
        Policy("02-operations/expenses.md", "OP-003", "费用报销办法", [
            "§{purpose} 为规范报销，制定本办法。", "§ 报销限额见[[OP-001#2]]。",
            "§ 本办法自发布之日起施行。"], owner="FIN", effective="2026-06-01",
            supersedes=("GN-002",)),  # pending (after the build date): shown on GN-002
    ]


def citation(target: Policy, form: int, n: int) -> str:
    return [f"[[{target.id}#purpose]]", f"[[{target.id}#{n}]]",
            f"《{target.title}》第{NUMERALS[n]}条", f"[[{target.id}#nolabel]]",  # broken
            f"[[{target.id}]]", "[[dept:FIN]]", f"本办法第{NUMERALS[n]}条",
            f"[[{target.id}#purpose.2]]"][form % 8]


@dataclass
class Site:
    policies: list[Policy] = field(default_factory=initial_policies)
    chapters: dict[str, str] = field(default_factory=lambda: {f: "" for f in FOLDERS})
    title: str = "测试汇编"
    departments: dict = field(default_factory=lambda: dict(DEPARTMENTS))
    overrides: str = ""
    template: str | None = None

    def files(self) -> dict[str, str]:
        """Every file of the project, by path relative to the project folder."""
        files = {f"policies/{p.rel}": p.text() for p in self.policies}
        titles = {"01-general": "总则", "02-operations": "运营管理"}
        for folder, intro in self.chapters.items():
            files[f"policies/{folder}/_chapter.md"] = f"---\ntitle: {titles[folder]}\n---\n{intro}"
        registry = "".join(f"  - id: {d}\n    name: {name}\n" + (f"    parent: {parent}\n" if parent else "")
                           for d, (name, parent) in self.departments.items())
        files["policies/_handbook.yaml"] = (f"title: {self.title}\ndepartments:\n{registry}"
                                            f"{self.overrides}")
        if self.template is not None:
            files["templates/policy.html"] = self.template
        return files

    def edit(self, kind: str, a: int, b: int, c: int) -> str:
        """Apply one edit (its arguments pick policies and variants, modulo their
        counts); return what it did, for the failure message."""
        if kind == "config":
            return self._config(a)
        if kind == "template":
            self.template = TEMPLATES[a % len(TEMPLATES)]
            return f"template override {a % len(TEMPLATES)}"
        if kind == "chapter":
            folder = FOLDERS[a % 2]
            self.chapters[folder] = ["", "本章的制度见[[GN-001]]。\n", "本章简介。\n"][b % 3]
            return f"chapter {folder} intro {b % 3}"
        if kind == "new":
            rel = f"{FOLDERS[b % 2]}/new-{c % 3}.md"
            if any(p.rel == rel for p in self.policies):
                return "new: (path taken)"
            cites = citation(self.policies[a % len(self.policies)], b, 1 + c % 3) \
                if self.policies else "[[dept:HR]]"
            self.policies.append(Policy(rel, NEW_IDS[c % 3], "新增制度", [
                "§{purpose} 为规范新事项，制定本办法。", f"§ 参照{cites}办理。"]))
            return f"new {NEW_IDS[c % 3]} at {rel}"
        if not self.policies:
            return f"{kind}: (no policy left)"
        p = self.policies[a % len(self.policies)]
        other = self.policies[b % len(self.policies)]
        if kind == "body":
            j = b % len(p.articles)
            p.articles[j] += "\n\n前款另有规定的，从其规定。" if c % 2 else f"（修订{c}）"
            return f"body {p.id} article {j + 1}"
        if kind == "title":
            p.title = TITLES[b % len(TITLES)]
        elif kind == "status":
            p.status = STATUSES[b % 3]
        elif kind == "effective":
            p.effective = DATES[b % 3]
        elif kind == "version":
            p.version = VERSIONS[b % 3]
        elif kind == "owner":
            p.owner = OWNERS[b % 4]
        elif kind == "supersedes":
            p.supersedes = [(), (other.id,), ("XX-999",)][c % 3]
        elif kind == "cite":
            text = citation(other, c, 1 + (b + c) % 3)
            p.articles.append(f"§ 参照{text}办理。")
            return f"cite {p.id} -> {text}"
        elif kind == "uncite":
            if len(p.articles) == 1:
                return f"uncite: (one article left in {p.id})"
            j = b % len(p.articles)
            del p.articles[j]
            return f"drop article {j + 1} of {p.id}"
        elif kind == "insert":
            p.articles.insert(b % 2, "§ 新增一条。")
            return f"insert an article at {b % 2 + 1} in {p.id}"
        elif kind in ("rename", "move"):
            folder, name = p.rel.split("/")
            rel = (f"{folder}/renamed-{b % 3}.md" if kind == "rename"
                   else f"{FOLDERS[FOLDERS.index(folder) ^ 1]}/{name}")
            if any(q.rel == rel for q in self.policies):
                return f"{kind}: (path taken)"
            p.rel = rel
            return f"{kind} {p.id} to {rel}"
        elif kind == "delete":
            self.policies.remove(p)
            return f"delete {p.id} ({p.rel})"
        return f"{kind} {p.id}: {getattr(p, kind)}"

    def _config(self, a: int) -> str:
        variant = a % 7
        if variant == 0:
            self.departments["QA"] = ("质量部", "GMO")
        elif variant == 1:
            self.departments.pop("HR", None)
        elif variant == 2:
            self.departments["FIN"] = ("财务管理部", "GMO")
        elif variant == 3:
            self.title = "改名的汇编"
        elif variant == 4:
            self.overrides = "" if self.overrides else "diagnostics:\n  HB205: error\n"
        elif variant == 5:
            self.departments["HR"] = ("人力资源部", "FIN")
        else:
            self.departments = dict(DEPARTMENTS)
        return f"registry variant {variant}"


def sync(base: Path, before: dict[str, str], after: dict[str, str]) -> list[Path]:
    """Make the files under `base` go from `before` to `after`; the paths touched."""
    touched = []
    for rel in sorted(before.keys() | after.keys()):
        if before.get(rel) == after.get(rel):
            continue
        path = base / rel
        if rel in after:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(after[rel], "utf-8")
        else:
            path.unlink()
        touched.append(path)
    return touched


# ---- comparing -----------------------------------------------------------------------------
def diagnostic_lines(items) -> list[str]:
    return sorted(f"{d.location}: {d.severity.name}[{d.code}] {d.message} | {d.hint}"
                  for d in items)


def first_difference(served: dict[str, bytes], built: dict[str, bytes]) -> str:
    for path in sorted(served.keys() | built.keys()):
        if path not in built:
            return f"{path}: served, not built"
        if path not in served:
            return f"{path}: built, not served"
        if served[path] != built[path]:
            diff = difflib.unified_diff(
                built[path].decode(errors="replace").splitlines(),
                served[path].decode(errors="replace").splitlines(),
                "built", "served", lineterm="", n=1)
            return f"{path} differs:\n" + "\n".join(list(diff)[:40])
    return ""


def assert_same(served: Served, built: Served, last_good: dict[str, bytes], log: list[str]):
    history = "edits so far:\n  " + "\n  ".join(log)
    got, want = diagnostic_lines(served.diagnostics), diagnostic_lines(built.diagnostics)
    assert got == want, (
        "diagnostics differ (- build, + serve):\n"
        + "\n".join(difflib.unified_diff(want, got, lineterm="", n=0)) + "\n" + history)
    assert served.ok == built.ok, f"serve ok={served.ok}, build ok={built.ok}\n{history}"
    # a failed build publishes nothing; a failed rebuild keeps serving the last good site
    expected = built.pages if built.ok else last_good
    difference = first_difference(served.pages, expected)
    assert not difference, difference + "\n" + history


# ---- the test ------------------------------------------------------------------------------
EDIT_KINDS = ["body", "title", "status", "effective", "version", "owner", "supersedes",
              "cite", "uncite", "insert", "rename", "move", "delete", "new", "config",
              "template", "chapter"]
small = st.integers(0, 7)
edit = st.tuples(st.sampled_from(EDIT_KINDS), small, small, small)
steps = st.lists(st.lists(edit, min_size=1, max_size=3), min_size=1, max_size=4)


@pytest.mark.parametrize("server", [False, True], ids=["rebuild", "server"])
# No shrinking: every step is compared, so a failure already stops at the first step
# that differs and its message lists the edits up to it; shrinking builds the site
# hundreds of times more (minutes).
@settings(derandomize=True, database=None, max_examples=20, deadline=None,
          phases=[Phase.explicit, Phase.generate], suppress_health_check=[HealthCheck.too_slow])
@given(steps=steps)
def test_live_site_equals_a_clean_build(server, steps):
    # the server shows drafts, a build does not by default: one run of each
    options = BuildOptions(cache_dir=None, jobs=1, today=date(2026, 1, 1),
                           include_drafts=server)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        root = base / "policies"
        site = Site()
        files = site.files()
        sync(base, {}, files)
        apply = live_session(root, options, server)
        log = ["(the first build)"]
        served = apply(None)
        assert_same(served, clean_build(root, base / "site", options), {}, log)
        last_good = served.pages
        for batch in steps:
            log.append("; ".join(site.edit(*e) for e in batch))
            before, files = files, site.files()
            touched = sync(base, before, files)
            served = apply(touched)
            assert_same(served, clean_build(root, base / "site", options), last_good, log)
            if served.ok:
                last_good = served.pages
